package org.chatarchive.model;

/**
 * An emoji reaction to a message.
 *
 * @param participantId who reacted
 * @param emoji         the emoji
 * @param at            when (UTC epoch ms), if known
 */
public record Reaction(String participantId, String emoji, Long at) {
}
