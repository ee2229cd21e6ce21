package org.chatarchive.renderers.pdf;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.chatarchive.model.BodyRange;

/**
 * A message body with one style bit set per UTF-16 code unit, mentions already replaced by "@name".
 *
 * <p>Body ranges are in UTF-16 code units (docs/archive-format.md), so the style array is indexed the same way.
 * Ranges that reach past the body are clipped; a mention range is replaced by its name, and the styles of the
 * text around it move with it.
 */
record StyledText(String text, int[] styles) {

    static final int BOLD = 1;
    static final int ITALIC = 1 << 1;
    static final int STRIKE = 1 << 2;
    static final int MONO = 1 << 3;
    static final int SPOILER = 1 << 4;
    static final int MENTION = 1 << 5;
    /** Drawn in the secondary (grey) colour: headers, markers. */
    static final int MUTED = 1 << 6;
    /** Shown in place of a glyph that no font has: "[U+1F9CC]". */
    static final int MISSING = 1 << 7;
    /** An emoji drawn as a colour image, its text invisible beside it (set by the layout). */
    static final int EMOJI = 1 << 8;

    static StyledText plain(String text, int style) {
        int[] s = new int[text.length()];
        Arrays.fill(s, style);
        return new StyledText(text, s);
    }

    /**
     * Builds the styled form of a body.
     *
     * @param names gives the display name for a mentioned participant id (never null)
     */
    static StyledText of(String body, List<BodyRange> ranges, int baseStyle, Function<String, String> names) {
        if (body == null) {
            body = "";
        }
        int n = body.length();
        int[] styles = new int[n];
        Arrays.fill(styles, baseStyle);
        String[] mentionAt = new String[n];
        int[] mentionLen = new int[n];
        for (BodyRange r : ranges) {
            int start = Math.max(0, Math.min(r.start(), n));
            int end = Math.max(start, Math.min(r.start() + Math.max(0, r.length()), n));
            if (r.style() == null) {
                continue;
            }
            switch (r.style()) {
                case MENTION -> {
                    if (end > start || start < n) {
                        mentionAt[start] = "@" + names.apply(r.mentionId());
                        mentionLen[start] = Math.max(end - start, 0);
                    }
                }
                default -> {
                    int bit = switch (r.style()) {
                        case BOLD -> BOLD;
                        case ITALIC -> ITALIC;
                        case STRIKETHROUGH -> STRIKE;
                        case MONOSPACE -> MONO;
                        case SPOILER -> SPOILER;
                        default -> 0;
                    };
                    for (int i = start; i < end; i++) {
                        styles[i] |= bit;
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder(n + 16);
        int[] outStyles = new int[n + 64];
        int o = 0;
        for (int i = 0; i < n; ) {
            if (mentionAt[i] != null) {
                String name = mentionAt[i];
                int st = styles[i] | MENTION;
                for (int k = 0; k < name.length(); k++) {
                    outStyles = grow(outStyles, o + 1);
                    outStyles[o++] = st;
                }
                out.append(name);
                i += Math.max(1, mentionLen[i]);
                continue;
            }
            outStyles = grow(outStyles, o + 1);
            outStyles[o++] = styles[i];
            out.append(body.charAt(i));
            i++;
        }
        return new StyledText(out.toString(), Arrays.copyOf(outStyles, o));
    }

    private static int[] grow(int[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, a.length * 2));
    }

    /** This text followed by {@code other}. */
    StyledText append(StyledText other) {
        int[] s = Arrays.copyOf(styles, styles.length + other.styles.length);
        System.arraycopy(other.styles, 0, s, styles.length, other.styles.length);
        return new StyledText(text + other.text, s);
    }

    StyledText append(String more, int style) {
        return append(plain(more, style));
    }

    /** The part from {@code start} (inclusive) to {@code end} (exclusive). */
    StyledText sub(int start, int end) {
        return new StyledText(text.substring(start, end), Arrays.copyOfRange(styles, start, end));
    }
}
