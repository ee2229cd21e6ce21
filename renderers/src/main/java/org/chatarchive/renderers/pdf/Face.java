package org.chatarchive.renderers.pdf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TrueTypeFont;

/** One parsed TrueType font of the fallback chain: which code points it has and how wide they are. */
final class Face {

    private final String name;
    private final TrueTypeFont ttf;
    private final CmapLookup cmap;
    private final float scale;
    private final Map<Integer, Float> widths = new HashMap<>();

    Face(String name, TrueTypeFont ttf) throws IOException {
        this.name = name;
        this.ttf = ttf;
        this.cmap = ttf.getUnicodeCmapLookup(false);
        this.scale = 1000f / ttf.getUnitsPerEm();
    }

    /** The font file's name, e.g. {@code NotoSansHebrew-Regular.ttf}. */
    String name() {
        return name;
    }

    TrueTypeFont ttf() {
        return ttf;
    }

    /** Whether the font maps {@code cp} to a real glyph. */
    boolean has(int cp) {
        return cmap != null && cmap.getGlyphId(cp) != 0;
    }

    /** Advance width of {@code cp} in thousandths of the font size. */
    float width(int cp) {
        Float w = widths.get(cp);
        if (w == null) {
            try {
                w = ttf.getAdvanceWidth(cmap.getGlyphId(cp)) * scale;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            widths.put(cp, w);
        }
        return w;
    }

    @Override
    public String toString() {
        return name;
    }
}
