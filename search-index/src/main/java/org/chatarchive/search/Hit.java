package org.chatarchive.search;

/**
 * One search result.
 *
 * @param messageId         the message id
 * @param conversationId    its conversation's id
 * @param conversationTitle its conversation's title (the id when it has none)
 * @param senderId          the sender's id, or null for system events without an actor
 * @param senderName        the sender's display name (or phone, username, id), or null without a sender
 * @param at                the message's timeline instant, UTC epoch ms
 * @param ordinal           its position in the conversation file (0-based line)
 * @param text              the full current text of the message ("" when it has none)
 * @param snippet           the best matching passage with highlights
 * @param link              where to see it: {@code <page>#m-<anchor>} (see {@link MessageLinks})
 * @param score             relevance, or NaN when sorted by date
 */
public record Hit(String messageId, String conversationId, String conversationTitle, String senderId,
                  String senderName, long at, long ordinal, String text, Snippet snippet, String link, float score) {
}
