package org.chatarchive.model;

/** How far an outgoing message got with one recipient. */
public enum DeliveryStatus {
    PENDING,
    SENT,
    DELIVERED,
    READ,
    VIEWED,
    FAILED,
    SKIPPED
}
