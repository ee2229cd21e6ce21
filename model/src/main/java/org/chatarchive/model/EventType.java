package org.chatarchive.model;

/** The kind of a system event (a message written by the app, not a person). */
public enum EventType {
    CALL,
    GROUP_CHANGE,
    TIMER_CHANGE,
    SAFETY_NUMBER_CHANGE,
    VERIFIED_CHANGE,
    PROFILE_CHANGE,
    NUMBER_CHANGE,
    CONVERSATION_MERGE,
    JOINED,
    MESSAGE_REQUEST,
    SESSION_REFRESH,
    DELIVERY_ISSUE,
    PIN,
    POLL_END,
    /** A system event the model does not name yet; {@link SystemEvent#details()} keeps the source's data. */
    OTHER
}
