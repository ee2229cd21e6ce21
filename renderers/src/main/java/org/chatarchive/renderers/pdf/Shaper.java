package org.chatarchive.renderers.pdf;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenType shaping of the scripts that need it (Devanagari, Bengali, Tamil and the other Indic scripts, Sinhala,
 * Myanmar, Khmer, Tibetan): conjuncts, half forms, reph, vowel signs drawn before their consonant, mark positions.
 *
 * <p>The JDK shapes with HarfBuzz behind {@link Font#layoutGlyphVector}; the same font file PDFBox embeds is loaded
 * as an AWT font, so the glyph ids it gives are the ids of the embedded font. The glyphs of one syllable are
 * drawn as one glyph (a composite of them, see {@link GlyphFont}) that stands for the syllable's text: a PDF text
 * extractor reads a run in drawing order and guesses spaces from gaps between glyphs, so glyphs moved before their
 * character, or marks without width, would otherwise come back reordered or split by spaces.
 */
final class Shaper {

    /** Fractional metrics, no hinting: positions in font units when the font is sized to its units per em. */
    private static final FontRenderContext FRC = new FontRenderContext(null, false, true);

    /**
     * One cluster of a shaped run, drawn as one glyph: the font's glyph {@code gids[0]} when {@code simple} (the
     * cluster is that glyph alone at its place, with its own advance), else a composite of {@code gids} at offsets {@code dx, dy} with advance
     * {@code advance} (font units, y up). {@code x} is its place in thousandths of the font size from the run's
     * origin, and {@code text} the characters it stands for.
     */
    record Cluster(int[] gids, int[] dx, int[] dy, int advance, float x, String text, boolean simple) {

        /** What makes two clusters the same glyph. */
        String shape() {
            if (simple()) {
                return Integer.toString(gids[0]);
            }
            StringBuilder sb = new StringBuilder().append(advance);
            for (int i = 0; i < gids.length; i++) {
                sb.append(';').append(gids[i]).append(',').append(dx[i]).append(',').append(dy[i]);
            }
            return sb.toString();
        }
    }

    /**
     * A shaped run: its clusters in drawing order, the index in the text of each cluster's first character, and
     * the run's advance in thousandths of the font size.
     */
    record Glyphs(Cluster[] clusters, int[] chars, float advance) {
    }

    private Shaper() {
    }

    /** Whether {@code cp} belongs to a script drawn only correctly after shaping. */
    static boolean needsShaping(int cp) {
        if (cp < 0x0900) {
            return false;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return switch (s) {
            case DEVANAGARI, BENGALI, GURMUKHI, GUJARATI, ORIYA, TAMIL, TELUGU, KANNADA, MALAYALAM, SINHALA,
                 MYANMAR, KHMER, TIBETAN -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code cp} may sit inside a shaped run without being of its script: joiners and marks shared
     * between scripts (e.g. the danda, Vedic signs), which the shaper must see with their neighbours.
     */
    static boolean joinsShaping(int cp) {
        if (cp == 0x200C || cp == 0x200D || cp == 0x25CC) {
            return true;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return (s == Character.UnicodeScript.INHERITED || s == Character.UnicodeScript.COMMON)
                && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
                && (cp >= 0x0900 && cp <= 0x0DFF || cp >= 0x1CD0 && cp <= 0x1CFF || cp >= 0xA830 && cp <= 0xA83F
                || Character.getType(cp) == Character.NON_SPACING_MARK);
    }

    /**
     * Shapes {@code text[from, to)} left to right with {@code face}'s font file; null when the face has no file
     * or the shaper gives a glyph the embedded font does not have.
     */
    static Glyphs shape(Face face, String text, int from, int to) {
        if (to <= from || face.awtFont() == null) {
            return null;
        }
        // Chats repeat words: the shapes of recent ones are kept per face.
        String word = text.substring(from, to);
        Map<String, Optional<Glyphs>> cache = face.shapes();
        Optional<Glyphs> g = cache.get(word);
        if (g == null) {
            g = Optional.ofNullable(shapeAt(face, word, 0, word.length()));
            cache.put(word, g);
        }
        if (g.isEmpty() || from == 0) {
            return g.orElse(null);
        }
        int[] chars = g.get().chars().clone();
        for (int i = 0; i < chars.length; i++) {
            chars[i] += from;
        }
        return new Glyphs(g.get().clusters(), chars, g.get().advance());
    }

    private static Glyphs shapeAt(Face face, String text, int from, int to) {
        Font font = face.awtFont();
        char[] chars = text.toCharArray();
        GlyphVector gv = font.layoutGlyphVector(FRC, chars, from, to, Font.LAYOUT_LEFT_TO_RIGHT);
        int n = gv.getNumGlyphs();
        int numGlyphs = face.numGlyphs();
        float toThousandths = 1000f / font.getSize2D(); // the font is sized to its units per em
        // Drawable glyphs (the shaper's invisible ones, e.g. for joiners, have ids past the font's last glyph).
        List<Integer> keep = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int gid = gv.getGlyphCode(i);
            if (gid < 0 || gid >= 0xFFFE) {
                continue;
            }
            if (gid == 0 || gid >= numGlyphs) {
                return null; // the font lacks something: let the caller draw code point by code point
            }
            keep.add(i);
        }
        if (keep.isEmpty()) {
            return null;
        }
        int k = keep.size();
        int[] gids = new int[k];
        float[] xs = new float[k];
        float[] ys = new float[k];
        int[] ci = new int[k];
        for (int j = 0; j < k; j++) {
            int i = keep.get(j);
            gids[j] = gv.getGlyphCode(i);
            Point2D p = gv.getGlyphPosition(i);
            xs[j] = (float) p.getX();
            ys[j] = (float) p.getY();
            ci[j] = from + gv.getGlyphCharIndex(i);
            if (j > 0 && ci[j] < ci[j - 1]) {
                return null; // not in logical order: not one to draw shaped
            }
        }
        float advance = (float) gv.getGlyphPosition(n).getX();
        return clusters(face, text, from, to, gids, xs, ys, ci, advance, toThousandths);
    }

    /**
     * Groups glyphs into clusters: glyphs with the same character index (the shaper merges a syllable's reordered
     * and ligated glyphs into one), and a cluster of glyphs without width (marks) joins the one before it. A
     * cluster's text runs from its character index to the next cluster's, so the clusters' texts in drawing order
     * are the logical text; drawing each cluster as one glyph gives text extraction whole syllables side by side.
     */
    private static Glyphs clusters(Face face, String text, int from, int to, int[] gids, float[] xs, float[] ys,
                                   int[] ci, float advance, float toThousandths) {
        int k = gids.length;
        List<int[]> groups = new ArrayList<>(); // {first glyph, end glyph}
        for (int j = 0; j < k; j++) {
            boolean newCluster = j == 0 || ci[j] != ci[j - 1];
            if (newCluster && !groups.isEmpty()) {
                boolean anyWide = false;
                int e = j;
                while (e < k && ci[e] == ci[j]) {
                    anyWide |= face.glyphWidth(gids[e]) > 0;
                    e++;
                }
                float prevX = xs[groups.get(groups.size() - 1)[0]];
                if (!anyWide || xs[j] <= prevX) {
                    newCluster = false;
                }
            }
            if (newCluster || groups.isEmpty()) {
                groups.add(new int[]{j, j + 1});
            } else {
                groups.get(groups.size() - 1)[1] = j + 1;
            }
        }
        Cluster[] out = new Cluster[groups.size()];
        int[] chars = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            int g0 = groups.get(g)[0];
            int g1 = groups.get(g)[1];
            float x = g == 0 ? 0 : xs[g0];
            float next = g + 1 < groups.size() ? xs[groups.get(g + 1)[0]] : advance;
            int c0 = g == 0 ? from : ci[g0];
            int c1 = g + 1 < groups.size() ? ci[groups.get(g + 1)[0]] : to;
            int m = g1 - g0;
            int[] gg = new int[m];
            int[] dx = new int[m];
            int[] dy = new int[m];
            for (int j = 0; j < m; j++) {
                gg[j] = gids[g0 + j];
                dx[j] = Math.round(xs[g0 + j] - x);
                dy[j] = Math.round(-ys[g0 + j]);
            }
            int adv = Math.round(next - x);
            boolean simple = m == 1 && dx[0] == 0 && dy[0] == 0;
            if (simple) {
                adv = face.advanceUnits(gg[0]); // the glyph itself; the run's positions make up any difference
            }
            out[g] = new Cluster(gg, dx, dy, adv, x * toThousandths, text.substring(c0, c1), simple);
            chars[g] = c0;
        }
        return new Glyphs(out, chars, advance * toThousandths);
    }
}
