package org.chatarchive.model;

/**
 * Delivery or read state of a message for one recipient.
 *
 * @param participantId the recipient
 * @param status        how far the message got
 * @param at            when that state was reached (UTC epoch ms), if known
 */
public record Receipt(String participantId, DeliveryStatus status, Long at) {
}
