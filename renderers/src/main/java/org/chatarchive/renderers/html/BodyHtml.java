package org.chatarchive.renderers.html;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.chatarchive.model.RangeStyle;
import org.chatarchive.renderers.richtext.RichText;
import org.chatarchive.renderers.richtext.RichTextVisitor;

/**
 * Writes a {@link RichText} as HTML: every character of the text escaped, styles as elements, mentions as the
 * person's name, and http(s) links made clickable (any other scheme, {@code javascript:} included, stays text).
 */
final class BodyHtml implements RichTextVisitor {

    /** A web link in running text; trailing punctuation is left out, as chat apps do. */
    private static final Pattern URL = Pattern.compile("\\bhttps?://[^\\s<>\"'\\u00a0\\u2028\\u2029]+[^\\s<>\"'.,;:!?)\\]}\\u00a0\\u2028\\u2029]",
            Pattern.CASE_INSENSITIVE);

    private final StringBuilder out;
    private final People people;

    private BodyHtml(StringBuilder out, People people) {
        this.out = out;
        this.people = people;
    }

    /** The HTML of {@code text}, or null when it is empty. */
    static String of(RichText text, People people) {
        if (text.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder(64);
        text.accept(new BodyHtml(b, people));
        return b.toString();
    }

    @Override
    public void text(String text) {
        if (text.indexOf("://") < 0) {
            Html.escape(text, out);
            return;
        }
        Matcher m = URL.matcher(text);
        int at = 0;
        while (m.find()) {
            Html.escape(text.subSequence(at, m.start()), out);
            String url = m.group();
            out.append("<a href=\"");
            Html.escape(url, out);
            out.append("\" rel=\"noopener noreferrer\" target=\"_blank\">");
            Html.escape(url, out);
            out.append("</a>");
            at = m.end();
        }
        Html.escape(text.subSequence(at, text.length()), out);
    }

    @Override
    public void enter(RangeStyle style) {
        out.append(switch (style) {
            case BOLD -> "<strong>";
            case ITALIC -> "<em>";
            case STRIKETHROUGH -> "<s>";
            case MONOSPACE -> "<code>";
            case SPOILER -> "<span class=\"spoiler\" tabindex=\"0\" role=\"button\" aria-label=\"Spoiler: click to show\">";
            case MENTION -> "";
        });
    }

    @Override
    public void exit(RangeStyle style) {
        out.append(switch (style) {
            case BOLD -> "</strong>";
            case ITALIC -> "</em>";
            case STRIKETHROUGH -> "</s>";
            case MONOSPACE -> "</code>";
            case SPOILER -> "</span>";
            case MENTION -> "";
        });
    }

    @Override
    public void mention(String participantId, String covered) {
        out.append("<span class=\"mention ").append(People.colour(participantId)).append("\">@");
        Html.escape(people.name(participantId), out);
        out.append("</span>");
    }

    /**
     * Plain text of {@code text} for a one-line preview: mentions as {@code @Name}, spoilers hidden, line breaks
     * as spaces, cut at {@code max} characters (never inside a surrogate pair).
     */
    static String plain(RichText text, People people, int max) {
        StringBuilder b = new StringBuilder();
        int[] spoiler = {0};
        text.accept(new RichTextVisitor() {
            @Override
            public void text(String t) {
                if (spoiler[0] > 0) {
                    b.append("\u2592".repeat(Math.min(6, Math.max(3, t.codePointCount(0, t.length())))));
                } else {
                    b.append(t);
                }
            }

            @Override
            public void enter(RangeStyle style) {
                if (style == RangeStyle.SPOILER) {
                    spoiler[0]++;
                }
            }

            @Override
            public void exit(RangeStyle style) {
                if (style == RangeStyle.SPOILER) {
                    spoiler[0]--;
                }
            }

            @Override
            public void mention(String participantId, String covered) {
                b.append('@').append(people.name(participantId));
            }
        });
        String s = b.toString().replaceAll("[\\s\\u2028\\u2029]+", " ").strip();
        if (s.length() > max) {
            int cut = max;
            if (Character.isHighSurrogate(s.charAt(cut - 1))) {
                cut--;
            }
            s = s.substring(0, cut).stripTrailing() + "\u2026";
        }
        return s;
    }
}
