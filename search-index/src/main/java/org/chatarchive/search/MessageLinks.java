package org.chatarchive.search;

import org.chatarchive.model.Anchors;
import org.chatarchive.model.ConversationEntry;

/**
 * Where a message can be seen, for search results: the one place that knows page paths. Until the HTML site is
 * there, this is the conversation's messages file in the store with the message's anchor
 * ({@code conversations/c-….jsonl#m-…}); the HTML renderer replaces it with its page ({@code html/…#m-…}), for
 * which it gets the message's position in the conversation (e.g. to find its page).
 */
public interface MessageLinks {

    /** The link to message {@code messageId}, the {@code ordinal}-th (0-based) of the conversation {@code entry}. */
    String link(ConversationEntry entry, String messageId, long ordinal);

    /** Links into the store: the messages file and the HTML anchor of the message. */
    MessageLinks STORE = (entry, messageId, ordinal) -> entry.messagesFile() + "#" + Anchors.htmlAnchor(messageId);
}
