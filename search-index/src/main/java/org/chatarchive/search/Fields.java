package org.chatarchive.search;

/** Names of the index's fields: one Lucene document per message. */
final class Fields {

    /** The message id (indexed, stored). */
    static final String ID = "id";
    /** The conversation id (indexed for filters and for deleting a conversation's messages, stored). */
    static final String CONVERSATION = "conv";
    /** The sender's participant id, for a system event without a sender its actor's (indexed, stored). */
    static final String SENDER = "sender";
    /** {@link org.chatarchive.model.Message#timelineAt()}: a point for date filters, doc values to sort, stored. */
    static final String AT = "at";
    /** Position of the message in its conversation file (0-based line): doc values to sort, stored. */
    static final String ORDINAL = "ord";
    /** Searchable text, one value each: the body, every earlier version, captions, previews, event and poll text. */
    static final String TEXT = "text";
    /** {@code has:} facts, e.g. {@code attachment}, {@code image}, {@code link}. */
    static final String HAS = "has";
    /** {@code is:} facts: {@code edited}, {@code deleted}, {@code outgoing}, {@code incoming}. */
    static final String IS = "is";
    /** Attachment file names, analysed like text. */
    static final String FILENAME = "filename";
    /** Attachment file names, whole and folded, for {@code filename:*.pdf}. */
    static final String FILENAME_WHOLE = "filename_whole";

    private Fields() {
    }
}
