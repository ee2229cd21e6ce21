package org.chatarchive.model;

/** What a {@link BodyRange} does to the text it covers. */
public enum RangeStyle {
    BOLD,
    ITALIC,
    SPOILER,
    STRIKETHROUGH,
    MONOSPACE,
    /** An @-mention of a participant; the body usually holds U+FFFC at that spot. */
    MENTION
}
