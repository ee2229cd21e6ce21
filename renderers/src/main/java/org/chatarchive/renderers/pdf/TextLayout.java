package org.chatarchive.renderers.pdf;

import java.util.ArrayList;
import java.util.List;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.ArabicShaping;
import com.ibm.icu.text.ArabicShapingException;
import com.ibm.icu.text.Bidi;
import com.ibm.icu.text.BidiRun;
import com.ibm.icu.text.BreakIterator;

/**
 * Breaks styled text into rows of positioned text runs: font fallback per code point, line breaking (Unicode line
 * break rules), Arabic shaping into presentation forms, OpenType shaping of Indic and other complex scripts, and
 * bidi reordering of each line into drawing order.
 *
 * <p>PDFBox draws glyphs one after another and shapes nothing, so right-to-left text is drawn in visual order and
 * Arabic is drawn with its contextual presentation forms (ICU {@link ArabicShaping}); each glyph's ToUnicode entry
 * is its code point, and text extraction (which reorders right-to-left runs and folds presentation forms, as
 * PDFBox's text stripper does) gives back the logical text. Scripts that need OpenType reordering or conjuncts
 * (Devanagari, Bengali, Tamil, ...) are shaped per word by {@link Shaper} and drawn as positioned glyphs
 * ({@link Row.Text#glyphs()}); a word the shaper cannot do with its font is drawn code point by code point.
 */
final class TextLayout {

    /**
     * LEFT and CENTER lay lines out left to right (labels, headers); AUTO takes the direction from the text's
     * first strong character (message bodies), so a Hebrew or Arabic message is right-aligned.
     */
    enum Align { LEFT, CENTER, AUTO }

    private final FontLibrary fonts;
    private final GlyphReport report;

    TextLayout(FontLibrary fonts, GlyphReport report) {
        this.fonts = fonts;
        this.report = report;
    }

    /** Colour emoji bitmaps, or null when there is no colour emoji font. */
    ColorEmoji colorEmoji() {
        return fonts.colorEmoji();
    }

    /** Lays out {@code st} in rows at most {@code maxW} points wide; empty text gives no rows. */
    List<Row> layout(StyledText st, float maxW, float size, Align align) {
        List<Row> rows = new ArrayList<>();
        String t = st.text();
        int start = 0;
        for (int i = 0; i <= t.length(); i++) {
            char c = i < t.length() ? t.charAt(i) : '\n';
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                if (i < t.length() || i > start || rows.isEmpty() && !t.isEmpty()) {
                    paragraph(st.sub(start, i), maxW, size, align, rows);
                }
                if (c == '\r' && i + 1 < t.length() && t.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return rows;
    }

    /** Width of {@code text} on one line, in points (no wrapping). */
    float width(String text, float size) {
        StyledText st = StyledText.plain(text, 0);
        List<Row> r = layout(st, Float.MAX_VALUE, size, Align.LEFT);
        float w = 0;
        for (Row row : r) {
            for (Row.Text x : row.texts) {
                w = Math.max(w, x.x() + x.width());
            }
        }
        return w;
    }

    private static boolean hasArabic(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x0600 && c <= 0x06FF || c >= 0x0750 && c <= 0x077F || c >= 0x08A0 && c <= 0x08FF) {
                return true;
            }
        }
        return false;
    }

    private static boolean invisible(int cp) {
        return UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                || Character.getType(cp) == Character.CONTROL && cp != '\t';
    }

    /**
     * What is drawn for the code unit at each index (0 for the second half of a pair and for nothing), where
     * a shaped run starting or going on at an index ends (0 outside shaped runs), and where a colour emoji
     * starting at an index ends (0 elsewhere).
     */
    private record Glyphs(int[] cp, Face[] face, float[] width, int[] shapedEnd, int[] emojiEnd) {
    }

    private Glyphs glyphs(String orig, String shaped, int[] styles, float size) {
        int n = orig.length();
        int[] cps = new int[n];
        Face[] faces = new Face[n];
        float[] widths = new float[n];
        int[] emojiEnd = new int[n];
        ColorEmoji emoji = fonts.colorEmoji();
        BreakIterator graphemes = null;
        for (int i = 0; i < n; ) {
            int o = orig.codePointAt(i);
            int s = shaped.codePointAt(i);
            int len = Character.charCount(o);
            if (emoji != null && UCharacter.hasBinaryProperty(o, UProperty.EMOJI) && (o >= 0x80 || i + 1 < n
                    && (orig.charAt(i + 1) == '\uFE0F' || orig.charAt(i + 1) == '\u20E3'))) { // keycaps start ASCII
                if (graphemes == null) {
                    graphemes = BreakIterator.getCharacterInstance();
                    graphemes.setText(orig);
                }
                int end = graphemes.following(i);
                String seq = orig.substring(i, end);
                int gid = ColorEmoji.wanted(seq) ? emoji.glyph(seq) : -1;
                ColorEmoji.Bitmap bm = gid < 0 ? null : emoji.bitmap(gid);
                if (bm != null) {
                    cps[i] = o;
                    faces[i] = fonts.base();
                    widths[i] = bm.advance() * size / 1000f;
                    emojiEnd[i] = end;
                    i = end;
                    continue;
                }
            }
            if (Character.charCount(s) != len) {
                s = o;
            }
            boolean mono = (styles[i] & StyledText.MONO) != 0;
            if (s == ' ' && o != ' ' || invisible(o)) {
                if (s != ' ' && (o < 0x2066 || o > 0x2069)) {
                    report.invisible(); // bidi isolates are the renderer's own, not the text's
                }
                i += len;
                continue; // a lam-alef ligature's filler, or an invisible format character
            }
            if (s == '\t' || Character.isSpaceChar(s) && fonts.pick(s, mono) == null) {
                s = ' ';
            }
            Face f = fonts.pick(s, mono);
            if (f == null && s != o) {
                s = o;
                f = fonts.pick(s, mono);
            }
            cps[i] = s;
            faces[i] = f;
            if (f == null) {
                report.missing(s);
                String label = "[" + GlyphReport.hex(s) + "]";
                Face base = fonts.base();
                float w = 0;
                for (int k = 0; k < label.length(); k++) {
                    w += base.width(label.charAt(k));
                }
                widths[i] = w * size / 1000f;
            } else {
                widths[i] = f.width(s) * size / 1000f;
            }
            i += len;
        }
        int[] shapedEnd = new int[n];
        shapeRuns(orig, styles, faces, widths, shapedEnd, size);
        return new Glyphs(cps, faces, widths, shapedEnd, emojiEnd);
    }

    private static boolean joiner(int cp) {
        return cp == 0x200C || cp == 0x200D;
    }

    /**
     * Finds the runs to shape (same face and style, a script that needs shaping, with the joiners and shared
     * marks among them), shapes each and gives each cluster's width to its first code unit, so that line breaking
     * measures shaped widths.
     */
    private static void shapeRuns(String orig, int[] styles, Face[] faces, float[] widths, int[] shapedEnd,
                                  float size) {
        int n = orig.length();
        for (int i = 0; i < n; ) {
            int cp = orig.codePointAt(i);
            Face f = faces[i];
            if (f == null || !Shaper.needsShaping(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int j = i;
            while (j < n) {
                int c = orig.codePointAt(j);
                boolean same = faces[j] == f && styles[j] == styles[i]
                        && (Shaper.needsShaping(c) || Shaper.joinsShaping(c));
                if (!same && !(joiner(c) && styles[j] == styles[i])) {
                    break;
                }
                j += Character.charCount(c);
            }
            while (j > i && joiner(orig.charAt(j - 1))) {
                j--;
            }
            Shaper.Glyphs g = Shaper.shape(f, orig, i, j);
            if (g != null) {
                for (int k = i; k < j; k++) {
                    widths[k] = 0;
                    shapedEnd[k] = j;
                }
                Shaper.Cluster[] cl = g.clusters();
                for (int k = 0; k < cl.length; k++) {
                    float next = k + 1 < cl.length ? cl[k + 1].x() : g.advance();
                    widths[g.chars()[k]] += (next - cl[k].x()) * size / 1000f;
                }
            }
            i = Math.max(j, i + 1);
        }
    }

    private void paragraph(StyledText st, float maxW, float size, Align align, List<Row> rows) {
        String orig = st.text();
        int n = orig.length();
        if (n == 0) {
            rows.add(new Row(size * 1.4f));
            return;
        }
        String shaped = orig;
        if (hasArabic(orig)) {
            try {
                String s = new ArabicShaping(ArabicShaping.LETTERS_SHAPE | ArabicShaping.LENGTH_FIXED_SPACES_NEAR
                        | ArabicShaping.TEXT_DIRECTION_LOGICAL).shape(orig);
                if (s.length() == n) {
                    shaped = s;
                }
            } catch (ArabicShapingException e) {
                // unshaped letters are still the right letters
            }
        }
        Glyphs g = glyphs(orig, shaped, st.styles(), size);
        Bidi para = null;
        char[] chars = orig.toCharArray();
        if (Bidi.requiresBidi(chars, 0, n)) {
            para = new Bidi(orig, align == Align.AUTO ? Bidi.LEVEL_DEFAULT_LTR : Bidi.LTR);
        }
        boolean rtlPara = para != null && (para.getParaLevel() & 1) == 1;

        // Greedy line breaking at Unicode line break opportunities; a piece longer than a line is broken
        // between grapheme clusters.
        BreakIterator lines = BreakIterator.getLineInstance();
        lines.setText(orig);
        BreakIterator clusters = BreakIterator.getCharacterInstance();
        clusters.setText(orig);
        int lineStart = 0;
        float lineW = 0;
        int a = lines.first();
        for (int b = lines.next(); b != BreakIterator.DONE; a = b, b = lines.next()) {
            float segW = sum(g.width, a, b);
            float segTrim = sum(g.width, a, trimEnd(orig, a, b));
            if (a > lineStart && lineW + segTrim > maxW) {
                emit(st, g, para, lineStart, a, maxW, size, align, rtlPara, rows);
                lineStart = a;
                lineW = 0;
            }
            if (lineW == 0 && segTrim > maxW) {
                // too long for any line: break between clusters
                int c0 = a;
                float w = 0;
                for (int c = clusters.following(a); c != BreakIterator.DONE && c <= b; c = clusters.next()) {
                    float cw = sum(g.width, c0, c);
                    if (w + cw > maxW && c0 > lineStart) {
                        emit(st, g, para, lineStart, c0, maxW, size, align, rtlPara, rows);
                        lineStart = c0;
                        w = 0;
                    }
                    w += cw;
                    c0 = c;
                    if (c == b) {
                        break;
                    }
                }
                lineW = w;
            } else {
                lineW += segW;
            }
        }
        emit(st, g, para, lineStart, n, maxW, size, align, rtlPara, rows);
    }

    private static float sum(float[] w, int a, int b) {
        float s = 0;
        for (int i = a; i < b; i++) {
            s += w[i];
        }
        return s;
    }

    private static int trimEnd(String s, int a, int b) {
        while (b > a && Character.isWhitespace(s.charAt(b - 1))) {
            b--;
        }
        return b;
    }

    private void emit(StyledText st, Glyphs g, Bidi para, int s, int e, float maxW, float size, Align align,
                      boolean rtlPara, List<Row> rows) {
        String orig = st.text();
        e = trimEnd(orig, s, e);
        Row row = new Row(size * 1.4f);
        float baseline = size * 1.1f;
        List<Row.Text> items = new ArrayList<>();
        float[] x = {0};
        Run run = new Run();
        if (para == null || e <= s) {
            for (int i = s; i < e; ) {
                i = put(st, g, i, e, false, size, baseline, x, run, items);
            }
        } else {
            Bidi line = para.createLineBidi(s, e);
            BreakIterator clusters = BreakIterator.getCharacterInstance();
            clusters.setText(orig);
            for (int k = 0; k < line.countRuns(); k++) {
                BidiRun r = line.getVisualRun(k);
                int a = s + r.getStart();
                int b = s + r.getLimit();
                if (!r.isOddRun()) {
                    for (int i = a; i < b; ) {
                        i = put(st, g, i, b, false, size, baseline, x, run, items);
                    }
                } else {
                    // right to left: clusters in reverse, code points within a cluster in order
                    List<int[]> cl = new ArrayList<>();
                    int c0 = a;
                    for (int c = clusters.following(a); c != BreakIterator.DONE && c0 < b; c = clusters.next()) {
                        cl.add(new int[]{c0, Math.min(c, b)});
                        c0 = c;
                    }
                    for (int j = cl.size() - 1; j >= 0; j--) {
                        for (int i = cl.get(j)[0]; i < cl.get(j)[1]; i++) {
                            put(st, g, i, i + 1, true, size, baseline, x, run, items);
                        }
                    }
                }
            }
        }
        run.flush(baseline, size, items, x);
        float lineW = x[0];
        float dx = 0;
        if (align == Align.CENTER) {
            dx = Math.max(0, (maxW - lineW) / 2);
        } else if (rtlPara && maxW < Float.MAX_VALUE / 2) {
            dx = Math.max(0, maxW - lineW);
        }
        for (Row.Text t : items) {
            row.texts.add(t.moved(dx));
        }
        rows.add(row);
    }

    /** The text run being collected: same face and style. */
    private final class Run {
        Face face;
        int style;
        float startX;
        float w;
        final StringBuilder sb = new StringBuilder();

        void flush(float baseline, float size, List<Row.Text> items, float[] x) {
            if (sb.length() > 0) {
                items.add(new Row.Text(startX, baseline, face, size, sb.toString(), style, w));
            }
            sb.setLength(0);
            w = 0;
            startX = x[0];
        }
    }

    /** Draws what index {@code i} holds (a shaped run up to at most {@code limit}); returns the next index. */
    private int put(StyledText st, Glyphs g, int i, int limit, boolean rtl, float size, float baseline, float[] x,
                    Run run, List<Row.Text> items) {
        Face f = g.face[i];
        int style = st.styles()[i];
        if (g.emojiEnd[i] > i) {
            run.flush(baseline, size, items, x);
            items.add(new Row.Text(x[0], baseline, f, size, st.text().substring(i, g.emojiEnd[i]),
                    style | StyledText.EMOJI, g.width[i]));
            x[0] += g.width[i];
            run.startX = x[0];
            return g.emojiEnd[i];
        }
        if (!rtl && g.shapedEnd[i] > i) {
            int end = Math.min(g.shapedEnd[i], limit);
            for (int k = i; f == null && k < end; k++) {
                f = g.face[k]; // a line may start at a joiner inside the run
            }
            Shaper.Glyphs sg = f == null ? null : Shaper.shape(f, st.text(), i, end);
            if (sg != null) {
                run.flush(baseline, size, items, x);
                float w = sg.advance() * size / 1000f;
                items.add(new Row.Text(x[0], baseline, f, size, st.text().substring(i, end), style, w, sg));
                x[0] += w;
                run.startX = x[0];
                return end;
            }
        }
        int cp = g.cp[i];
        if (cp == 0) {
            return i + 1; // low surrogate or not drawn
        }
        if (f == null) {
            run.flush(baseline, size, items, x);
            String label = "[" + GlyphReport.hex(cp) + "]";
            items.add(new Row.Text(x[0], baseline, fonts.base(), size, label, style | StyledText.MISSING, g.width[i]));
            x[0] += g.width[i];
            run.startX = x[0];
            return i + 1;
        }
        if (rtl && UCharacter.isMirrored(cp)) {
            int m = UCharacter.getMirror(cp);
            if (f.has(m)) {
                cp = m;
            }
        }
        if (run.face != f || run.style != style) {
            run.flush(baseline, size, items, x);
            run.face = f;
            run.style = style;
        }
        run.sb.appendCodePoint(cp);
        run.w += g.width[i];
        x[0] += g.width[i];
        return i + 1;
    }
}
