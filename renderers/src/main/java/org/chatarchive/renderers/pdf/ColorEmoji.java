package org.chatarchive.renderers.pdf;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;

/**
 * Colour emoji from a colour bitmap font ({@code CBDT}/{@code CBLC} tables, as Noto Color Emoji has): the PNG image
 * of an emoji sequence, to be drawn as an image with its text beside it, invisible, for extraction.
 *
 * <p>PDF cannot use such a font as a font (it has no outlines), but its bitmaps are plain PNG images. The JDK's
 * shaper applies the font's ligatures, so a zero-width-joiner sequence (a family), a skin-tone modifier or a flag
 * (two regional indicators) becomes the one glyph the font draws for it.
 */
final class ColorEmoji implements Closeable {

    private static final FontRenderContext FRC = new FontRenderContext(null, false, true);

    /** One glyph's bitmap: the PNG and where it sits, in thousandths of the font size. */
    record Bitmap(BufferedImage image, float width, float height, float left, float top, float advance) {
    }

    private final RandomAccessFile file;
    private final Font font;
    private final long cbdt;
    private final int ppem;
    /** glyph id -> {offset in CBDT, length, image format}; from the CBLC index of the chosen strike. */
    private final Map<Integer, long[]> index = new HashMap<>();
    /** Decoded bitmaps, the most recently used kept (a conversation uses few emoji often). */
    private final Map<Integer, Bitmap> bitmaps = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Bitmap> e) {
            return size() > 64;
        }
    };
    private final Map<String, Integer> glyphs = new HashMap<>();

    private ColorEmoji(RandomAccessFile file, Font font, long cbdt, int ppem) {
        this.file = file;
        this.font = font;
        this.cbdt = cbdt;
        this.ppem = ppem;
    }

    /** Opens a colour bitmap font; null when the file is not one this class can read. */
    static ColorEmoji open(Path path) {
        RandomAccessFile raf = null;
        try {
            raf = new RandomAccessFile(path.toFile(), "r");
            Map<String, long[]> tables = new HashMap<>();
            raf.seek(4);
            int n = raf.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                raf.seek(12 + i * 16L);
                byte[] tag = new byte[4];
                raf.readFully(tag);
                raf.readInt();
                long offset = raf.readInt() & 0xFFFFFFFFL;
                long length = raf.readInt() & 0xFFFFFFFFL;
                tables.put(new String(tag, StandardCharsets.ISO_8859_1), new long[]{offset, length});
            }
            long[] cblc = tables.get("CBLC");
            long[] cbdt = tables.get("CBDT");
            if (cblc == null || cbdt == null) {
                raf.close();
                return null;
            }
            Font font = Font.createFont(Font.TRUETYPE_FONT, path.toFile()).deriveFont(100f);
            // the largest strike
            raf.seek(cblc[0] + 4);
            long sizes = raf.readInt() & 0xFFFFFFFFL;
            long best = -1;
            int bestPpem = 0;
            for (long s = 0; s < sizes; s++) {
                long rec = cblc[0] + 8 + s * 48;
                raf.seek(rec + 45); // ppemY
                int ppemY = raf.readUnsignedByte();
                if (ppemY > bestPpem) {
                    bestPpem = ppemY;
                    best = rec;
                }
            }
            if (best < 0) {
                raf.close();
                return null;
            }
            ColorEmoji e = new ColorEmoji(raf, font, cbdt[0], bestPpem);
            e.readIndex(cblc[0], best);
            return e;
        } catch (IOException | FontFormatException | RuntimeException ex) {
            if (raf != null) {
                try {
                    raf.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
            return null;
        }
    }

    private void readIndex(long cblc, long sizeRecord) throws IOException {
        file.seek(sizeRecord);
        long arrayOffset = file.readInt() & 0xFFFFFFFFL;
        file.readInt();
        long count = file.readInt() & 0xFFFFFFFFL;
        long array = cblc + arrayOffset;
        for (long i = 0; i < count; i++) {
            file.seek(array + i * 8);
            int first = file.readUnsignedShort();
            int last = file.readUnsignedShort();
            long sub = array + (file.readInt() & 0xFFFFFFFFL);
            file.seek(sub);
            int indexFormat = file.readUnsignedShort();
            int imageFormat = file.readUnsignedShort();
            long dataOffset = file.readInt() & 0xFFFFFFFFL;
            switch (indexFormat) {
                case 1, 3 -> {
                    long[] offs = new long[last - first + 2];
                    for (int k = 0; k < offs.length; k++) {
                        offs[k] = indexFormat == 1 ? file.readInt() & 0xFFFFFFFFL : file.readUnsignedShort();
                    }
                    for (int g = first; g <= last; g++) {
                        long a = offs[g - first];
                        long b = offs[g - first + 1];
                        if (b > a) {
                            index.put(g, new long[]{dataOffset + a, b - a, imageFormat});
                        }
                    }
                }
                case 2 -> {
                    long size = file.readInt() & 0xFFFFFFFFL;
                    for (int g = first; g <= last; g++) {
                        index.put(g, new long[]{dataOffset + (g - first) * size, size, imageFormat});
                    }
                }
                case 4 -> {
                    long num = file.readInt() & 0xFFFFFFFFL;
                    int[] ids = new int[(int) num + 1];
                    int[] offs = new int[(int) num + 1];
                    for (int k = 0; k <= num; k++) {
                        ids[k] = file.readUnsignedShort();
                        offs[k] = file.readUnsignedShort();
                    }
                    for (int k = 0; k < num; k++) {
                        index.put(ids[k], new long[]{dataOffset + offs[k], offs[k + 1] - offs[k], imageFormat});
                    }
                }
                case 5 -> {
                    long size = file.readInt() & 0xFFFFFFFFL;
                    file.skipBytes(8);
                    long num = file.readInt() & 0xFFFFFFFFL;
                    for (int k = 0; k < num; k++) {
                        index.put(file.readUnsignedShort(), new long[]{dataOffset + k * size, size, imageFormat});
                    }
                }
                default -> {
                    // an index format this reader does not know: those glyphs are not drawn in colour
                }
            }
        }
    }

    /**
     * Whether the grapheme cluster {@code s} is an emoji to draw in colour: emoji presentation by default, or asked
     * for with the emoji variation selector, or a sequence (joiner, skin tone, keycap, flag).
     */
    static boolean wanted(String s) {
        int first = s.codePointAt(0);
        if (!UCharacter.hasBinaryProperty(first, UProperty.EMOJI)) {
            return false;
        }
        return UCharacter.hasBinaryProperty(first, UProperty.EMOJI_PRESENTATION) || s.indexOf('\uFE0F') >= 0
                || s.indexOf('\u200D') >= 0 || s.codePoints().anyMatch(c -> c >= 0x1F3FB && c <= 0x1F3FF)
                || s.indexOf('\u20E3') >= 0;
    }

    /** The font's one glyph for {@code s}, or -1 when it draws it with several glyphs or none. */
    int glyph(String s) {
        Integer g = glyphs.get(s);
        if (g == null) {
            char[] c = s.toCharArray();
            GlyphVector gv = font.layoutGlyphVector(FRC, c, 0, c.length, Font.LAYOUT_LEFT_TO_RIGHT);
            g = -1;
            int found = 0;
            for (int i = 0; i < gv.getNumGlyphs(); i++) {
                int id = gv.getGlyphCode(i);
                if (id >= 0xFFFE) {
                    continue; // invisible (a joiner or selector left over)
                }
                found++;
                g = id > 0 && index.containsKey(id) ? id : -1;
            }
            if (found != 1) {
                g = -1;
            }
            glyphs.put(s, g);
        }
        return g;
    }

    /** The bitmap of glyph {@code gid} (from {@link #glyph}), or null when it cannot be read. */
    Bitmap bitmap(int gid) {
        if (bitmaps.containsKey(gid)) {
            return bitmaps.get(gid);
        }
        Bitmap b = null;
        long[] at = index.get(gid);
        if (at != null) {
            try {
                file.seek(cbdt + at[0]);
                int format = (int) at[2];
                if (format != 17 && format != 18) {
                    throw new IOException("bitmap format " + format);
                }
                // small (17) or big (18) glyph metrics: the same horizontal ones first
                int height = file.readUnsignedByte();
                int width = file.readUnsignedByte();
                int bearingX = file.readByte();
                int bearingY = file.readByte();
                int advance = file.readUnsignedByte();
                if (format == 18) {
                    file.skipBytes(3); // vertical metrics
                }
                int len = file.readInt();
                if (len <= 0 || len > at[1]) {
                    throw new IOException("bitmap length " + len);
                }
                byte[] png = new byte[len];
                file.readFully(png);
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
                if (img != null) {
                    float k = 1000f / ppem;
                    b = new Bitmap(img, width * k, height * k, bearingX * k, bearingY * k, advance * k);
                }
            } catch (IOException | RuntimeException e) {
                b = null; // drawn with an outline font or as a placeholder instead
            }
        }
        bitmaps.put(gid, b);
        return b;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
