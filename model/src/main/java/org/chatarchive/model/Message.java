package org.chatarchive.model;

import java.util.List;
import java.util.Map;

/**
 * One message, or one system event, in a conversation.
 *
 * <p>Instants are UTC epoch milliseconds. Body ranges count UTF-16 code units.
 *
 * @param id             stable id scoped by source, e.g. {@code signal-msg:<message uuid>}
 * @param conversationId the conversation it belongs to
 * @param senderId       the sender's participant id ({@code null} for system events without an actor)
 * @param direction      incoming, outgoing or system
 * @param sentAt         the sender's timestamp
 * @param receivedAt     when this device received it, if known
 * @param serverAt       when the server received it, if known
 * @param body           the text (the current version, if edited)
 * @param ranges         styles and mentions in {@code body}
 * @param attachments    attachments in the order sent
 * @param quote          the message this one replies to
 * @param reactions      reactions, in the order they were made
 * @param edits          earlier versions, oldest (the original) first
 * @param receipts       per-recipient delivery and read state (outgoing messages)
 * @param flags          view-once, timer, deleted-for-everyone, read state
 * @param previews       link previews
 * @param sticker        the sticker, for sticker messages
 * @param contacts       shared contact cards
 * @param poll           the poll, for poll messages
 * @param event          the typed event, for system messages
 * @param extra          anything the source has that the model does not name yet
 * @param archive        what incremental backups recorded (first seen, gone from the source, earlier states);
 *                       {@code null} in a plain export
 */
public record Message(
        String id,
        String conversationId,
        String senderId,
        Direction direction,
        Long sentAt,
        Long receivedAt,
        Long serverAt,
        String body,
        List<BodyRange> ranges,
        List<Attachment> attachments,
        Quote quote,
        List<Reaction> reactions,
        List<EditVersion> edits,
        List<Receipt> receipts,
        MessageFlags flags,
        List<LinkPreview> previews,
        Sticker sticker,
        List<SharedContact> contacts,
        Poll poll,
        SystemEvent event,
        Map<String, Object> extra,
        MessageArchive archive) {

    public Message {
        ranges = Values.list(ranges);
        attachments = Values.list(attachments);
        reactions = Values.list(reactions);
        edits = Values.list(edits);
        receipts = Values.list(receipts);
        flags = flags == null ? MessageFlags.NONE : flags;
        previews = Values.list(previews);
        contacts = Values.list(contacts);
        extra = Values.map(extra);
    }

    /** A message without backup records ({@link #archive()} null): the components before {@code archive} was added. */
    public Message(String id, String conversationId, String senderId, Direction direction, Long sentAt,
                   Long receivedAt, Long serverAt, String body, List<BodyRange> ranges, List<Attachment> attachments,
                   Quote quote, List<Reaction> reactions, List<EditVersion> edits, List<Receipt> receipts,
                   MessageFlags flags, List<LinkPreview> previews, Sticker sticker, List<SharedContact> contacts,
                   Poll poll, SystemEvent event, Map<String, Object> extra) {
        this(id, conversationId, senderId, direction, sentAt, receivedAt, serverAt, body, ranges, attachments, quote,
                reactions, edits, receipts, flags, previews, sticker, contacts, poll, event, extra, null);
    }

    /** This message with {@code archive} as its backup record. */
    public Message withArchive(MessageArchive archive) {
        return new Message(id, conversationId, senderId, direction, sentAt, receivedAt, serverAt, body, ranges,
                attachments, quote, reactions, edits, receipts, flags, previews, sticker, contacts, poll, event, extra,
                archive);
    }

    /** A plain text message with nothing else; the readers' and tests' starting point. */
    public static Message text(String id, String conversationId, String senderId, Direction direction,
                               Long sentAt, Long receivedAt, String body) {
        return new Message(id, conversationId, senderId, direction, sentAt, receivedAt, null, body,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The instant that orders this message in a timeline and in date selections. */
    public long timelineAt() {
        if (sentAt != null) {
            return sentAt;
        }
        return receivedAt != null ? receivedAt : 0L;
    }
}
