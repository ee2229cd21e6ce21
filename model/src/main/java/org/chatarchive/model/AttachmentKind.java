package org.chatarchive.model;

/** What an attachment is, for a person. */
public enum AttachmentKind {
    IMAGE,
    GIF,
    VIDEO,
    AUDIO,
    VOICE_NOTE,
    FILE,
    STICKER,
    /** The full text of a message too long to send inline. */
    LONG_TEXT
}
