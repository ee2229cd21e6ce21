package org.chatarchive.cli;

/**
 * How many terminal columns a string takes: wide (East Asian, emoji) characters take two, combining marks and
 * joiners none. Good enough to keep tables aligned for titles in any script.
 */
final class TextWidth {

    private TextWidth() {
    }

    static int of(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += width(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    /** {@code s} cut to at most {@code max} columns, with an ellipsis when cut. */
    static String fit(String s, int max) {
        if (of(s) <= max) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int cw = width(cp);
            if (w + cw > max - 1) {
                break;
            }
            sb.appendCodePoint(cp);
            w += cw;
            i += Character.charCount(cp);
        }
        return sb.append('\u2026').toString();
    }

    /** {@code s} padded with spaces to {@code columns}. */
    static String pad(String s, int columns) {
        return s + " ".repeat(Math.max(0, columns - of(s)));
    }

    private static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || (cp >= 0xFE00 && cp <= 0xFE0F)) {
            return 0;
        }
        if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD)
                || (cp >= 0x2600 && cp <= 0x27BF)) {
            return 2;
        }
        return 1;
    }
}
