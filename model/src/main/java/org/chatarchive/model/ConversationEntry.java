package org.chatarchive.model;

/**
 * A conversation as listed in {@code archive.json}: the conversation, where its messages are, and counts.
 *
 * @param conversation    the conversation
 * @param messagesFile    path of its JSON Lines file, relative to the archive root
 * @param messageCount    messages (system events included) in that file
 * @param attachmentCount entries in those messages' {@code attachments} lists (quotes, previews, edits and stickers
 *                        not counted)
 * @param firstAt         earliest {@link Message#timelineAt()} in the file (UTC epoch ms; the first message's when the
 *                        file is in timeline order), null when empty
 * @param lastAt          latest {@link Message#timelineAt()} in the file (UTC epoch ms), null when empty
 */
public record ConversationEntry(
        Conversation conversation,
        String messagesFile,
        long messageCount,
        long attachmentCount,
        Long firstAt,
        Long lastAt) {
}
