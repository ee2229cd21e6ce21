package org.chatarchive.renderers.pdf;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TrueTypeFont;

/**
 * One parsed TrueType font of the fallback chain: which code points it has and how wide they are, and (for a
 * font read from a file) the same file as an AWT font for shaping.
 */
final class Face {

    private final String name;
    private final TrueTypeFont ttf;
    private final CmapLookup cmap;
    private final float scale;
    private final Map<Integer, Float> widths = new HashMap<>();
    private final Path file;
    private Font awt;
    private boolean awtTried;
    private final Map<String, Optional<Shaper.Glyphs>> shapes = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Shaper.Glyphs>> e) {
            return size() > 4096;
        }
    };

    Face(String name, TrueTypeFont ttf) throws IOException {
        this(name, ttf, null);
    }

    Face(String name, TrueTypeFont ttf, Path file) throws IOException {
        this.name = name;
        this.ttf = ttf;
        this.file = file;
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

    /** Advance width of glyph {@code gid} in thousandths of the font size, rounded as the PDF's widths are. */
    int glyphWidth(int gid) {
        try {
            return Math.round(ttf.getAdvanceWidth(gid) * scale);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Advance width of glyph {@code gid} in font units. */
    int advanceUnits(int gid) {
        try {
            return ttf.getAdvanceWidth(gid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Thousandths of the font size per font unit. */
    float scale() {
        return scale;
    }

    /** Glyphs in the font. */
    int numGlyphs() {
        try {
            return ttf.getNumberOfGlyphs();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Recently shaped words and their shapes (empty: not shaped), for {@link Shaper}. */
    Map<String, Optional<Shaper.Glyphs>> shapes() {
        return shapes;
    }

    /** The font file as an AWT font sized to its units per em, or null (no file, or AWT cannot read it). */
    Font awtFont() {
        if (!awtTried) {
            awtTried = true;
            if (file != null) {
                try {
                    awt = Font.createFont(Font.TRUETYPE_FONT, file.toFile()).deriveFont(1000f / scale);
                } catch (IOException | FontFormatException | RuntimeException e) {
                    awt = null; // drawn unshaped
                }
            }
        }
        return awt;
    }

    @Override
    public String toString() {
        return name;
    }
}
