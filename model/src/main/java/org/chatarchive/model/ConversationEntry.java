package org.chatarchive.model;

/**
 * A conversation as listed in {@code archive.json}: the conversation, where its messages are, and counts.
 *
 * @param conversation    the conversation
 * @param messagesFile    path of its JSON Lines file, relative to the archive root
 * @param messageCount    messages (system events included) in that file
 * @param attachmentCount attachments referenced by those messages
 * @param firstAt         timeline instant of the first message (UTC epoch ms), null when empty
 * @param lastAt          timeline instant of the last message (UTC epoch ms), null when empty
 */
public record ConversationEntry(
        Conversation conversation,
        String messagesFile,
        long messageCount,
        long attachmentCount,
        Long firstAt,
        Long lastAt) {
}
