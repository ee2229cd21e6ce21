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
 * break rules), Arabic shaping into presentation forms, and bidi reordering of each line into drawing order.
 *
 * <p>PDFBox draws glyphs one after another and shapes nothing, so right-to-left text is drawn in visual order and
 * Arabic is drawn with its contextual presentation forms (ICU {@link ArabicShaping}); each glyph's ToUnicode entry
 * is its code point, and text extraction (which reorders right-to-left runs and folds presentation forms, as
 * PDFBox's text stripper does) gives back the logical text. Scripts that need OpenType reordering or conjuncts
 * (Devanagari and other Indic scripts) are drawn code point by code point in logical order: readable, but not
 * typographically correct.
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

    /** What is drawn for the code unit at each index (0 for the second half of a pair and for nothing). */
    private record Glyphs(int[] cp, Face[] face, float[] width) {
    }

    private Glyphs glyphs(String orig, String shaped, int[] styles, float size) {
        int n = orig.length();
        int[] cps = new int[n];
        Face[] faces = new Face[n];
        float[] widths = new float[n];
        for (int i = 0; i < n; ) {
            int o = orig.codePointAt(i);
            int s = shaped.codePointAt(i);
            int len = Character.charCount(o);
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
        return new Glyphs(cps, faces, widths);
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
            for (int i = s; i < e; i++) {
                put(st, g, i, false, size, baseline, x, run, items);
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
                    for (int i = a; i < b; i++) {
                        put(st, g, i, false, size, baseline, x, run, items);
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
                            put(st, g, i, true, size, baseline, x, run, items);
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
            row.texts.add(new Row.Text(t.x() + dx, t.baseline(), t.face(), t.size(), t.text(), t.style(), t.width()));
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

    private void put(StyledText st, Glyphs g, int i, boolean rtl, float size, float baseline, float[] x, Run run,
                     List<Row.Text> items) {
        int cp = g.cp[i];
        if (cp == 0) {
            return; // low surrogate or not drawn
        }
        Face f = g.face[i];
        int style = st.styles()[i];
        if (f == null) {
            run.flush(baseline, size, items, x);
            String label = "[" + GlyphReport.hex(cp) + "]";
            items.add(new Row.Text(x[0], baseline, fonts.base(), size, label, style | StyledText.MISSING, g.width[i]));
            x[0] += g.width[i];
            run.startX = x[0];
            return;
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
    }
}
