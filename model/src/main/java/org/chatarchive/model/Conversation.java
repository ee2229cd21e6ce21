package org.chatarchive.model;

import java.util.List;
import java.util.Map;

/**
 * A chat: a direct conversation, a group, or note-to-self.
 *
 * @param id             stable id scoped by source, e.g. {@code signal-conv:<conversation uuid>}
 * @param kind           direct, group or note-to-self
 * @param title          the name a person would recognise the chat by
 * @param participantIds ids of {@link Participant}s in the chat, owner included, in a stable order
 * @param avatar         the chat's picture, if any
 * @param sourceApp      the app the chat came from, e.g. {@code signal-desktop}
 * @param extra          anything the source has that the model does not name yet
 */
public record Conversation(
        String id,
        ConversationKind kind,
        String title,
        List<String> participantIds,
        Attachment avatar,
        String sourceApp,
        Map<String, Object> extra) {

    public Conversation {
        participantIds = Values.list(participantIds);
        extra = Values.map(extra);
    }
}
