package org.chatarchive.model;

/** Which way a message travelled, seen from the archive owner. */
public enum Direction {
    /** Sent by someone else to the owner. */
    INCOMING,
    /** Sent by the owner. */
    OUTGOING,
    /** Written by the app itself (calls, group changes, timer changes, ...); see {@link SystemEvent}. */
    SYSTEM
}
