package org.chatarchive.renderers.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.fontbox.ttf.GlyphData;
import org.apache.fontbox.ttf.TrueTypeFont;

/**
 * Adds composite glyphs to a TrueType font program: one per shaped cluster of several glyphs, made of those glyphs
 * at the offsets the shaper gave them, with the cluster's advance.
 *
 * <p>The program is the subset PDFBox's {@code TTFSubsetter} writes (tables {@code head, hhea, maxp, loca, glyf,
 * hmtx} and the hinting tables). The new glyphs follow the subset's last glyph; {@code loca} is rewritten in its long
 * form, {@code hmtx} with a full metric per glyph, and the counts in {@code maxp} and {@code hhea} updated.
 */
final class CompositeGlyphs {

    private static final int ARG_1_AND_2_ARE_WORDS = 0x0001;
    private static final int ARGS_ARE_XY_VALUES = 0x0002;
    private static final int MORE_COMPONENTS = 0x0020;

    private CompositeGlyphs() {
    }

    /**
     * Returns {@code program} with a composite glyph appended for each of {@code clusters}, in order.
     *
     * @param oldToNew glyph ids of {@code original} to their ids in {@code program}
     */
    static byte[] add(byte[] program, List<Shaper.Cluster> clusters, Map<Integer, Integer> oldToNew,
                      TrueTypeFont original) throws IOException {
        Map<String, byte[]> tables = readTables(program);
        byte[] head = tables.get("head");
        byte[] maxp = tables.get("maxp");
        byte[] hhea = tables.get("hhea");
        byte[] loca = tables.get("loca");
        byte[] glyf = tables.get("glyf");
        byte[] hmtx = tables.get("hmtx");
        if (head == null || maxp == null || hhea == null || loca == null || glyf == null || hmtx == null) {
            throw new IOException("the font subset lacks a table composite glyphs need");
        }
        int numGlyphs = u16(maxp, 4);
        boolean longLoca = s16(head, 50) == 1;
        long[] offsets = new long[numGlyphs + 1];
        for (int i = 0; i <= numGlyphs; i++) {
            offsets[i] = longLoca ? u32(loca, i * 4) : u16(loca, i * 2) * 2L;
        }
        int numHMetrics = u16(hhea, 34);
        int[] advance = new int[numGlyphs];
        int[] lsb = new int[numGlyphs];
        for (int i = 0; i < numGlyphs; i++) {
            if (i < numHMetrics) {
                advance[i] = u16(hmtx, i * 4);
                lsb[i] = s16(hmtx, i * 4 + 2);
            } else {
                advance[i] = advance[numHMetrics - 1];
                lsb[i] = s16(hmtx, numHMetrics * 4 + (i - numHMetrics) * 2);
            }
        }

        int total = numGlyphs + clusters.size();
        ByteArrayOutputStream newGlyf = new ByteArrayOutputStream();
        newGlyf.write(glyf, 0, (int) offsets[numGlyphs]);
        long[] newOffsets = new long[total + 1];
        System.arraycopy(offsets, 0, newOffsets, 0, numGlyphs + 1);
        int[] newAdvance = new int[total];
        int[] newLsb = new int[total];
        System.arraycopy(advance, 0, newAdvance, 0, numGlyphs);
        System.arraycopy(lsb, 0, newLsb, 0, numGlyphs);
        int maxComponents = u16(maxp, 28);
        int maxDepth = u16(maxp, 30);
        int nestedDepth = Math.max(1, maxDepth) + 1;
        int maxAdvance = u16(hhea, 10);
        for (int c = 0; c < clusters.size(); c++) {
            Shaper.Cluster cl = clusters.get(c);
            int xMin = Integer.MAX_VALUE;
            int yMin = Integer.MAX_VALUE;
            int xMax = Integer.MIN_VALUE;
            int yMax = Integer.MIN_VALUE;
            boolean nested = false;
            for (int j = 0; j < cl.gids().length; j++) {
                GlyphData gd = original.getGlyph().getGlyph(cl.gids()[j]);
                if (gd == null || gd.getXMaximum() < gd.getXMinimum()) {
                    continue; // an empty glyph adds nothing to the box
                }
                nested |= gd.getNumberOfContours() < 0;
                xMin = Math.min(xMin, gd.getXMinimum() + cl.dx()[j]);
                yMin = Math.min(yMin, gd.getYMinimum() + cl.dy()[j]);
                xMax = Math.max(xMax, gd.getXMaximum() + cl.dx()[j]);
                yMax = Math.max(yMax, gd.getYMaximum() + cl.dy()[j]);
            }
            if (xMin > xMax) {
                xMin = yMin = xMax = yMax = 0;
            }
            ByteBuffer g = ByteBuffer.allocate(10 + cl.gids().length * 8);
            g.putShort((short) -1).putShort((short) xMin).putShort((short) yMin).putShort((short) xMax)
                    .putShort((short) yMax);
            for (int j = 0; j < cl.gids().length; j++) {
                int flags = ARG_1_AND_2_ARE_WORDS | ARGS_ARE_XY_VALUES
                        | (j + 1 < cl.gids().length ? MORE_COMPONENTS : 0);
                g.putShort((short) flags).putShort((short) (int) oldToNew.get(cl.gids()[j]))
                        .putShort((short) cl.dx()[j]).putShort((short) cl.dy()[j]);
            }
            newGlyf.write(g.array());
            while (newGlyf.size() % 4 != 0) {
                newGlyf.write(0);
            }
            int id = numGlyphs + c;
            newOffsets[id + 1] = newGlyf.size();
            newAdvance[id] = cl.advance();
            newLsb[id] = xMin;
            maxComponents = Math.max(maxComponents, cl.gids().length);
            maxDepth = Math.max(maxDepth, nested ? nestedDepth : 1);
            maxAdvance = Math.max(maxAdvance, cl.advance());
        }

        ByteBuffer newLoca = ByteBuffer.allocate((total + 1) * 4);
        for (long o : newOffsets) {
            newLoca.putInt((int) o);
        }
        ByteBuffer newHmtx = ByteBuffer.allocate(total * 4);
        for (int i = 0; i < total; i++) {
            newHmtx.putShort((short) newAdvance[i]).putShort((short) newLsb[i]);
        }
        head = head.clone();
        put16(head, 50, 1);
        put32(head, 8, 0); // checkSumAdjustment, set below
        maxp = maxp.clone();
        put16(maxp, 4, total);
        put16(maxp, 28, maxComponents);
        put16(maxp, 30, maxDepth);
        hhea = hhea.clone();
        put16(hhea, 34, total);
        put16(hhea, 10, maxAdvance);
        tables.put("head", head);
        tables.put("maxp", maxp);
        tables.put("hhea", hhea);
        tables.put("loca", newLoca.array());
        tables.put("glyf", newGlyf.toByteArray());
        tables.put("hmtx", newHmtx.array());
        return writeTables(tables);
    }

    private static Map<String, byte[]> readTables(byte[] font) throws IOException {
        if (font.length < 12) {
            throw new IOException("not a TrueType font program");
        }
        int n = u16(font, 4);
        Map<String, byte[]> tables = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int e = 12 + i * 16;
            String tag = new String(font, e, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int offset = (int) u32(font, e + 8);
            int length = (int) u32(font, e + 12);
            byte[] t = new byte[length];
            System.arraycopy(font, offset, t, 0, length);
            tables.put(tag, t);
        }
        return tables;
    }

    /** Writes the tables (sorted by tag) with their directory and checksums. */
    private static byte[] writeTables(Map<String, byte[]> tables) {
        int n = tables.size();
        int pow = Integer.highestOneBit(n);
        int searchRange = pow * 16;
        int entrySelector = Integer.numberOfTrailingZeros(pow);
        int size = 12 + 16 * n;
        for (byte[] t : tables.values()) {
            size += (t.length + 3) & ~3;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(0x00010000).putShort((short) n).putShort((short) searchRange).putShort((short) entrySelector)
                .putShort((short) (n * 16 - searchRange));
        int offset = 12 + 16 * n;
        int headOffset = -1;
        for (Map.Entry<String, byte[]> e : tables.entrySet()) {
            byte[] t = e.getValue();
            out.put(e.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.putInt((int) checksum(t, 0, t.length));
            out.putInt(offset);
            out.putInt(t.length);
            if (e.getKey().equals("head")) {
                headOffset = offset;
            }
            offset += (t.length + 3) & ~3;
        }
        for (byte[] t : tables.values()) {
            out.put(t);
            for (int p = t.length; (p & 3) != 0; p++) {
                out.put((byte) 0);
            }
        }
        byte[] font = out.array();
        if (headOffset >= 0) {
            long adjust = (0xB1B0AFBAL - checksum(font, 0, font.length)) & 0xFFFFFFFFL;
            put32(font, headOffset + 8, adjust);
        }
        return font;
    }

    private static long checksum(byte[] b, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 4) {
            long v = 0;
            for (int k = 0; k < 4; k++) {
                v = v << 8 | (i + k < length ? b[from + i + k] & 0xff : 0);
            }
            sum = (sum + v) & 0xFFFFFFFFL;
        }
        return sum;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }

    private static int s16(byte[] b, int i) {
        return (short) u16(b, i);
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16 | u16(b, i + 2)) & 0xFFFFFFFFL;
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, long v) {
        put16(b, i, (int) (v >> 16 & 0xffff));
        put16(b, i + 2, (int) (v & 0xffff));
    }
}
