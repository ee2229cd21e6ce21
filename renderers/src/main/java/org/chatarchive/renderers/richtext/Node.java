package org.chatarchive.renderers.richtext;

import java.util.List;

import org.chatarchive.model.RangeStyle;

/** A piece of a parsed message body. */
public sealed interface Node {

    /** Plain text, shown as it is. */
    record Text(String text) implements Node {
    }

    /** Children shown with one style (bold, italic, spoiler, strikethrough, monospace). */
    record Styled(RangeStyle style, List<Node> children) implements Node {
    }

    /**
     * A mention of a participant.
     *
     * @param participantId the mentioned participant
     * @param covered       the body text the mention covers (usually U+FFFC), for formats that cannot resolve names
     */
    record Mention(String participantId, String covered) implements Node {
    }
}
