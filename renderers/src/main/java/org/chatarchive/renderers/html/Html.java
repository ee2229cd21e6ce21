package org.chatarchive.renderers.html;

/** Escaping for text and attribute values written into HTML by Java code (templates escape on their own). */
final class Html {

    private Html() {
    }

    /** Appends {@code s} to {@code out} with {@code & < > " '} escaped, safe in text and in quoted attributes. */
    static void escape(CharSequence s, StringBuilder out) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }

    /** {@code s} escaped. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        escape(s, b);
        return b.toString();
    }
}
