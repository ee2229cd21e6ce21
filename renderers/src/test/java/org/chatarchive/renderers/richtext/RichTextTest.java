package org.chatarchive.renderers.richtext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.chatarchive.model.BodyRange;
import org.chatarchive.model.RangeStyle;

class RichTextTest {

    /** A compact rendering for assertions: styles as [B ...], mentions as @id. */
    static String show(RichText t) {
        StringBuilder b = new StringBuilder();
        t.accept(new RichTextVisitor() {
            @Override
            public void text(String text) {
                b.append(text);
            }

            @Override
            public void enter(RangeStyle style) {
                b.append('[').append(style.name().charAt(0)).append(' ');
            }

            @Override
            public void exit(RangeStyle style) {
                b.append(']');
            }

            @Override
            public void mention(String participantId, String covered) {
                b.append('@').append(participantId);
            }
        });
        return b.toString();
    }

    static BodyRange r(int start, int length, RangeStyle s) {
        return new BodyRange(start, length, s, null);
    }

    @Test
    void plainBodyIsOneTextNode() {
        RichText t = RichText.parse("hello", null);
        assertEquals(List.of(new Node.Text("hello")), t.nodes());
        assertTrue(RichText.parse(null, List.of(r(0, 3, RangeStyle.BOLD))).isEmpty());
        assertTrue(RichText.parse("", null).isEmpty());
    }

    @Test
    void crossingStylesAreNestedByClosingAndReopening() {
        // bold over "abcde", italic over "defgh": italic is reopened after bold closes
        RichText t = RichText.parse("abcdefgh", List.of(r(0, 5, RangeStyle.BOLD), r(3, 5, RangeStyle.ITALIC)));
        assertEquals("[B abc[I de]][I fgh]", show(t));
    }

    @Test
    void spoilerIsOutermostSoOneClickRevealsItsWholeSpan() {
        RichText t = RichText.parse("secret", List.of(r(0, 6, RangeStyle.BOLD), r(0, 6, RangeStyle.SPOILER)));
        assertEquals("[S [B secret]]", show(t));
    }

    @Test
    void mentionReplacesWhatItCoversAndKeepsSurroundingStyles() {
        RichText t = RichText.parse("Hi \uFFFC!", List.of(new BodyRange(3, 1, RangeStyle.MENTION, "signal:a"),
                r(0, 5, RangeStyle.BOLD)));
        assertEquals("[B Hi @signal:a!]", show(t));
        Node.Styled bold = (Node.Styled) t.nodes().get(0);
        assertEquals(new Node.Mention("signal:a", "\uFFFC"), bold.children().get(1));
    }

    @Test
    void overlappingMentionsKeepTheFirstAndMentionsWithoutIdAreIgnored() {
        RichText t = RichText.parse("\uFFFC\uFFFC x", List.of(new BodyRange(0, 2, RangeStyle.MENTION, "signal:a"),
                new BodyRange(1, 1, RangeStyle.MENTION, "signal:b"), new BodyRange(3, 1, RangeStyle.MENTION, null)));
        assertEquals("@signal:a x", show(t));
    }

    @Test
    void rangesOutsideTheBodyAreClippedAndEmptyOnesIgnored() {
        RichText t = RichText.parse("abc", List.of(r(1, 100, RangeStyle.ITALIC), r(-5, 6, RangeStyle.BOLD),
                r(2, 0, RangeStyle.MONOSPACE), r(10, 2, RangeStyle.STRIKETHROUGH)));
        // bold from -5 for 6 covers only "a"; italic is cut at the end; the others are outside or empty
        assertEquals("[B a][I bc]", show(t));
    }

    @Test
    void offsetsInsideASurrogatePairNeverSplitTheEmoji() {
        String body = "a\ud83d\ude00b"; // a 😀 b: the emoji is two UTF-16 code units
        RichText t = RichText.parse(body, List.of(r(2, 1, RangeStyle.BOLD)));
        assertEquals("a[B \ud83d\ude00]b", show(t));
        StringBuilder texts = new StringBuilder();
        t.accept(new RichTextVisitor() {
            @Override
            public void text(String text) {
                assertTrue(!Character.isLowSurrogate(text.charAt(0)) && !Character.isHighSurrogate(text.charAt(text.length() - 1)),
                        "no half surrogate at the edge of " + text);
                texts.append(text);
            }

            @Override
            public void enter(RangeStyle style) {
            }

            @Override
            public void exit(RangeStyle style) {
            }

            @Override
            public void mention(String participantId, String covered) {
            }
        });
        assertEquals(body, texts.toString());
    }

    @Test
    void everyStyleAtOnceStaysBalanced() {
        String body = "0123456789";
        RichText t = RichText.parse(body, List.of(r(0, 10, RangeStyle.ITALIC), r(2, 3, RangeStyle.BOLD),
                r(4, 4, RangeStyle.STRIKETHROUGH), r(6, 4, RangeStyle.MONOSPACE), r(1, 8, RangeStyle.SPOILER)));
        String s = show(t);
        assertEquals(body, s.replaceAll("\\[. |\\]", ""));
        assertEquals(s.chars().filter(c -> c == '[').count(), s.chars().filter(c -> c == ']').count());
    }
}
