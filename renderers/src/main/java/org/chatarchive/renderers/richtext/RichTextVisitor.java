package org.chatarchive.renderers.richtext;

import org.chatarchive.model.RangeStyle;

/** One output format's way of writing a {@link RichText}, called in text order. */
public interface RichTextVisitor {

    /** Writes plain text. */
    void text(String text);

    /** Opens an element with {@code style}; every {@code enter} is matched by an {@link #exit}. */
    void enter(RangeStyle style);

    /** Closes the element opened by the matching {@link #enter}. */
    void exit(RangeStyle style);

    /** Writes a mention of {@code participantId}; {@code covered} is the body text it replaces. */
    void mention(String participantId, String covered);
}
