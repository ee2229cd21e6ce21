package org.chatarchive.renderers.rsmf;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The bits of RFC 5322 / 2045 / 2047 / 6532 the EML layer needs: folded header lines of at most 78 characters, RFC
 * 2047 encoded-words for non-ASCII text in the standard headers, UTF-8 text in the {@code X-RSMF-} headers, quoted
 * strings, and quoted-printable bodies. Lines end in CRLF.
 */
final class Eml {

    static final String CRLF = "\r\n";
    private static final int FOLD = 78;
    /** UTF-8 bytes per encoded-word: base64 of 30 bytes is 40 characters, 52 with the "=?UTF-8?B?...?=" frame, so that
     * even after the longest header name the first word fits in 78 characters. */
    private static final int WORD_BYTES = 30;

    private Eml() {
    }

    /** Control characters (line breaks included) become spaces: a header value is one logical line. */
    static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.toString().strip();
    }

    static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** An unstructured standard header (Subject): ASCII as is, anything else as encoded-words; folded. */
    static String unstructured(String name, String value) {
        String v = oneLine(value);
        List<String> words = printableAscii(v) ? List.of(v.split(" ", -1)) : encodedWords(v);
        return fold(name, words, !printableAscii(v));
    }

    /**
     * An {@code X-RSMF-} header as Relativity reads it: the value as UTF-8 text (RFC 6532), never RFC 2047
     * encoded-words, which Relativity's validator takes literally (an encoded {@code X-RSMF-Participants} does not
     * match the manifest, even for an ASCII name). The value is not folded: a value folded inside a name was read
     * differently too. RFC 5322's hard limit of 998 octets a line is checked by {@link RsmfCheck}.
     */
    static String rsmfField(String name, String value) {
        return name + ": " + oneLine(value) + CRLF;
    }

    /**
     * A list-valued {@code X-RSMF-} header ({@code X-RSMF-Participants}): the items joined by {@code ", "} as UTF-8
     * text, folded only after a comma (where Relativity's reading keeps the items apart) so that lines stay within
     * 78 octets when the items allow it.
     */
    static String rsmfList(String name, List<String> items) {
        StringBuilder out = new StringBuilder(name).append(':');
        int lineLen = out.length();
        for (int i = 0; i < items.size(); i++) {
            String item = oneLine(items.get(i)) + (i < items.size() - 1 ? "," : "");
            int n = item.getBytes(StandardCharsets.UTF_8).length;
            if (i > 0 && lineLen + 1 + n > FOLD) {
                out.append(CRLF);
                lineLen = 0;
            }
            out.append(' ').append(item);
            lineLen += 1 + n;
        }
        return out.append(CRLF).toString();
    }

    /** A display name for an address header: a quoted string, or encoded-words for non-ASCII names. */
    static List<String> phrase(String name) {
        String v = oneLine(name);
        if (printableAscii(v)) {
            return List.of(("\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").split(" ", -1));
        }
        return encodedWords(v);
    }

    /** RFC 2047 B encoded-words of UTF-8, split on code point boundaries. */
    static List<String> encodedWords(String v) {
        List<String> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < v.length()) {
            int end = i;
            int bytes = 0;
            while (end < v.length()) {
                int cp = v.codePointAt(end);
                int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + n > WORD_BYTES) {
                    break;
                }
                bytes += n;
                end += Character.charCount(cp);
            }
            out.add("=?UTF-8?B?" + Base64.getEncoder().encodeToString(v.substring(i, end)
                    .getBytes(StandardCharsets.UTF_8)) + "?=");
            i = end;
        }
        return out;
    }

    /**
     * {@code name: word word...}, folded before a word that would pass 78 characters. Between encoded-words the
     * folding white space is ignored by decoders, so {@code encoded} words are joined by a space either way.
     */
    static String fold(String name, List<String> words, boolean encoded) {
        StringBuilder out = new StringBuilder(name).append(':');
        int lineLen = out.length();
        for (String w : words) {
            if (lineLen + 1 + w.length() > FOLD && lineLen > name.length() + 1) {
                out.append(CRLF);
                lineLen = 0;
            }
            out.append(' ').append(w);
            lineLen += 1 + w.length();
        }
        return out.append(CRLF).toString();
    }

    /** Quoted-printable (RFC 2045 6.7) of UTF-8 text, lines of at most 76 characters, CRLF line ends. */
    static String quotedPrintable(String text) {
        StringBuilder out = new StringBuilder(text.length() + text.length() / 8);
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        for (int li = 0; li < lines.length; li++) {
            byte[] b = lines[li].getBytes(StandardCharsets.UTF_8);
            int len = 0;
            for (int i = 0; i < b.length; i++) {
                int c = b[i] & 0xff;
                boolean lastOfLine = i == b.length - 1;
                String enc = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !lastOfLine)
                        ? String.valueOf((char) c) : String.format("=%02X", c);
                if (len + enc.length() > 75) {
                    out.append('=').append(CRLF);
                    len = 0;
                }
                out.append(enc);
                len += enc.length();
            }
            if (li < lines.length - 1) {
                out.append(CRLF);
            }
        }
        return out.toString();
    }
}
