package org.chatarchive.model;

/** The shape of a conversation. */
public enum ConversationKind {
    /** Two people. */
    DIRECT,
    /** Three or more people, or a group that happens to be smaller now. */
    GROUP,
    /** The owner's notes to themself. */
    NOTE_TO_SELF
}
