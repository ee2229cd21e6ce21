package org.chatarchive.readers.signal.desktop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.LinkPreview;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.SharedContact;
import org.chatarchive.model.Sticker;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.SystemEvent;

/**
 * Turns one row of Signal Desktop's {@code messages} table (columns plus its {@code json}) into a {@link Message}.
 */
final class MessageMapper {

    /**
     * Columns read from {@code messages}: the name used here first, then older names for the same thing. A column
     * the schema lacks is selected as NULL and the same field of {@code json} is used instead: before 88 the
     * sender is {@code sourceUuid}, before 39 the read state {@code unread}; before 1270 {@code timestamp},
     * {@code received_at_ms}, {@code serverTimestamp} and {@code unidentifiedDeliveryReceived} were JSON only.
     */
    static final String[][] COLUMNS = {
            {"id"}, {"json"}, {"conversationId"}, {"type"}, {"body"}, {"sent_at"}, {"timestamp"}, {"received_at"},
            {"received_at_ms"}, {"serverTimestamp"}, {"sourceServiceId", "sourceUuid"}, {"source"},
            {"readStatus", "unread"}, {"expireTimer"}, {"expirationStartTimestamp"}, {"isViewOnce"}, {"isErased"},
            {"serverGuid"}, {"unidentifiedDeliveryReceived"},
    };

    /** JSON fields the mapper turns into model fields; everything else goes to {@code extra}. */
    private static final Set<String> CONSUMED = Set.of(
            "id", "conversationId", "type", "body", "bodyRanges", "sent_at", "timestamp", "received_at",
            "received_at_ms", "serverTimestamp", "sourceServiceId", "sourceUuid", "source", "readStatus", "unread",
            "expireTimer", "expirationStartTimestamp", "isViewOnce", "isErased", "deletedForEveryone",
            "deletedForEveryoneTimestamp", "quote", "reactions", "editHistory", "sendStateByConversationId",
            "attachments", "schemaVersion", "decrypted_at", "editMessageTimestamp", "editMessageReceivedAt",
            "editMessageReceivedAtMs", "seenStatus", "sourceDevice", "hasAttachments", "hasFileAttachments",
            "hasVisualMediaAttachments", "expirationTimerUpdate", "callId", "callHistoryDetails", "groupV2Change",
            "key_changed", "verifiedChanged", "verified", "local", "profileChange", "changedId",
            "conversationMerge", "titleTransition", "phoneNumberDiscovery", "messageRequestResponseEvent",
            "pinMessage", "pollTerminateNotification", "group_update", "flags", "poll",
            "preview", "sticker", "contact", "bodyAttachment", "serverGuid",
            "unidentifiedDeliveryReceived", "mentionsMe", "storyId", "isChangeCreatedByUs", "hasUnreadPollVotes",
            "storyReplyContext", "storyReaction");

    /** Fields that hold keys, download handles or local file paths: never copied into an archive. */
    private static final Set<String> SECRET_OR_LOCAL = Set.of(
            "localKey", "key", "digest", "incrementalMac", "chunkSize", "path", "downloadPath", "cdnKey", "cdnId",
            "cdnNumber", "uploadTimestamp", "packKey", "profileKey", "masterKey", "thumbnailPath", "screenshotPath",
            "localBackupPath", "backupCdnNumber", "transitCdnKey", "transitCdnNumber");

    /** How far a receipt time may precede the sender's timestamp (clock skew) and still be believed. */
    private static final long RECEIVED_BEFORE_SENT_TOLERANCE_MS = 24L * 60 * 60 * 1000;

    private final Connection conn;
    private final SignalDesktopReader.SchemaInfo schema;
    private final Directory directory;
    private final ObjectMapper json;
    private final AttachmentFiles files;
    private final GroupChanges groupChanges;
    private PreparedStatement attachmentRows;
    private PreparedStatement callRow;

    MessageMapper(Connection conn, SignalDesktopReader.SchemaInfo schema, Directory directory, ObjectMapper json,
                  AttachmentFiles files) {
        this.conn = conn;
        this.schema = schema;
        this.directory = directory;
        this.json = json;
        this.files = files;
        this.groupChanges = new GroupChanges(directory);
    }

    /**
     * {@link #parseJson(ObjectMapper, String)} of a column's UTF-8 bytes, parsed as they are (no String of the whole
     * text first); bytes that are not valid UTF-8 are read as text, with replacement characters, as a String would.
     */
    static ObjectNode parseJson(ObjectMapper json, byte[] utf8) {
        if (utf8 == null || utf8.length == 0) {
            return json.createObjectNode();
        }
        try {
            JsonNode n = json.readTree(utf8);
            return n instanceof ObjectNode o ? o : json.createObjectNode();
        } catch (java.io.IOException e) {
            return parseJson(json, new String(utf8, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static ObjectNode parseJson(ObjectMapper json, String text) {
        if (text == null || text.isEmpty()) {
            return json.createObjectNode();
        }
        try {
            JsonNode n = json.readTree(text);
            return n instanceof ObjectNode o ? o : json.createObjectNode();
        } catch (JsonProcessingException e) {
            ObjectNode o = json.createObjectNode();
            o.put("unparsableJson", true);
            return o;
        }
    }

    /**
     * The message of the current row of {@code rs}.
     *
     * @param dupIndex the row's number (from 1, in rowid order) among the conversation's rows with its type, sent
     *                 time and sender
     */
    Message map(Conversation conv, ResultSet rs, ObjectNode js, int dupIndex) throws SQLException {
        String rowId = rs.getString("id");
        String type = str(rs, "type", js, "type");
        Long sentAt = num(rs, "sent_at", js, "sent_at");
        if (sentAt == null) {
            sentAt = num(rs, "timestamp", js, "timestamp");
        }
        Long receivedAt = num(rs, "received_at_ms", js, "received_at_ms");
        if (receivedAt == null) {
            Long counter = num(rs, "received_at", js, "received_at");
            // Before the counter was introduced, received_at held a wall-clock time in ms. The counter starts at
            // the clock when it is first used and then goes up by one per message, so it looks like a time too,
            // but one from before the message was sent: take it only when it can be this message's receipt.
            if (counter != null && counter > 1_000_000_000_000L
                    && (sentAt == null || counter >= sentAt - RECEIVED_BEFORE_SENT_TOLERANCE_MS)) {
                receivedAt = counter;
            }
        }
        Long serverAt = num(rs, "serverTimestamp", js, "serverTimestamp");
        String aci = str(rs, "sourceServiceId", js, "sourceServiceId");
        if (aci == null) {
            aci = Names.text(js, "sourceUuid");
        }
        String e164 = source(rs, js);

        Direction direction = "incoming".equals(type) ? Direction.INCOMING
                : "outgoing".equals(type) ? Direction.OUTGOING : Direction.SYSTEM;
        String sender = switch (direction) {
            case OUTGOING -> directory.ownerId();
            case INCOMING -> {
                String s = aci != null ? directory.participantForAci(aci) : directory.participantForE164(e164);
                if (s == null && conv.kind() == ConversationKind.DIRECT && conv.participantIds().size() == 2) {
                    s = conv.participantIds().get(1);
                }
                yield s;
            }
            case SYSTEM -> aci != null ? directory.participantForAci(aci) : directory.participantForE164(e164);
        };

        boolean deleted = js.path("deletedForEveryone").asBoolean(false);
        Long readStatus = num(rs, "readStatus", js, "readStatus");
        if (readStatus == null) {
            readStatus = longOf(js.get("unread"));
        }
        Long expireTimer = num(rs, "expireTimer", js, "expireTimer");
        MessageFlags flags = new MessageFlags(
                bool(rs, "isViewOnce", js, "isViewOnce"),
                bool(rs, "isErased", js, "isErased"),
                expireTimer == null || expireTimer == 0 ? null : expireTimer.intValue(),
                num(rs, "expirationStartTimestamp", js, "expirationStartTimestamp"),
                deleted,
                longOf(js.get("deletedForEveryoneTimestamp")),
                direction == Direction.INCOMING && readStatus != null ? readStatus != 1 : null);

        String body = str(rs, "body", js, "body");
        Map<String, ObjectNode> attRows = attachmentRows(rowId);
        List<Attachment> attachments = attachments(rowId, attRows, -1, js, "");
        body = longBody(rowId, attRows, js, body, attachments);
        SystemEvent event = direction == Direction.SYSTEM ? event(type, js, sender, conv) : null;
        Map<String, Object> extra = extra(js);
        Long pollEnded = longOf(js.path("poll").get("terminatedAt"));
        if (pollEnded != null) {
            extra.put("pollEndedAt", pollEnded); // the model's Poll says only whether it ended
        }
        // Row metadata the model has no field for: a column since 1270 (serverGuid since 32), JSON before.
        String serverGuid = str(rs, "serverGuid", js, "serverGuid");
        if (serverGuid != null) {
            extra.put("serverGuid", serverGuid);
        }
        if (rs.getObject("unidentifiedDeliveryReceived") != null || js.hasNonNull("unidentifiedDeliveryReceived")) {
            extra.put("unidentifiedDeliveryReceived", bool(rs, "unidentifiedDeliveryReceived", js,
                    "unidentifiedDeliveryReceived"));
        }
        storyContext(js, extra);
        extra.put("sourceRowId", rowId); // the messages row this came from, for tracing back to the source
        if (direction == Direction.SYSTEM && event != null && event.type() == EventType.OTHER && type != null) {
            extra.putIfAbsent("signalType", type);
        }
        return new Message(messageId(conv.id(), direction, sender, sentAt, rowId, dupIndex), conv.id(),
                sender, direction, sentAt, receivedAt, serverAt,
                body, ranges(js.get("bodyRanges")), attachments, quote(conv, rowId, attRows, js),
                reactions(js.get("reactions")), edits(rowId, attRows, js),
                direction == Direction.OUTGOING ? receipts(js.get("sendStateByConversationId")) : null,
                flags, previews(rowId, attRows, js), sticker(rowId, attRows, js), contacts(rowId, attRows, js),
                poll(js.get("poll")), event, extra);
    }

    // ---- body ranges, quotes, reactions, edits, receipts ----

    private List<BodyRange> ranges(JsonNode arr) {
        if (arr == null || !arr.isArray()) {
            return null;
        }
        List<BodyRange> out = new ArrayList<>();
        for (JsonNode r : arr) {
            if (!r.has("start") || !r.has("length")) {
                continue;
            }
            int start = r.get("start").asInt();
            int length = r.get("length").asInt();
            String mention = Names.text(r, "mentionAci");
            if (mention == null) {
                mention = Names.text(r, "mentionUuid");
            }
            if (mention != null) {
                out.add(new BodyRange(start, length, RangeStyle.MENTION, directory.participantForAci(mention)));
                continue;
            }
            RangeStyle style = switch (r.path("style").asInt(0)) {
                case 1 -> RangeStyle.BOLD;
                case 2 -> RangeStyle.ITALIC;
                case 3 -> RangeStyle.SPOILER;
                case 4 -> RangeStyle.STRIKETHROUGH;
                case 5 -> RangeStyle.MONOSPACE;
                default -> null;
            };
            if (style != null) {
                out.add(new BodyRange(start, length, style, null));
            }
        }
        return out;
    }

    private Quote quote(Conversation conv, String messageId, Map<String, ObjectNode> rows, JsonNode js) {
        JsonNode q = js.get("quote");
        if (q == null || !q.isObject()) {
            return null;
        }
        Long sentAt = longOf(q.get("id"));
        String author = Names.text(q, "authorAci");
        if (author == null) {
            author = Names.text(q, "authorUuid");
        }
        String authorId = author != null ? directory.participantForAci(author)
                : directory.participantForE164(Names.text(q, "author"));
        List<Attachment> atts = new ArrayList<>();
        for (int i = 0; i < q.path("attachments").size(); i++) {
            atts.add(quotedAttachment(messageId, rows, js, i));
        }
        String quotedId = sentAt == null ? null : findMessageId(conv, sentAt, authorId);
        return new Quote(quotedId, sentAt, authorId, q.hasNonNull("text") ? q.get("text").asText() : null,
                ranges(q.get("bodyRanges")), atts, q.path("referencedMessageNotFound").asBoolean(false));
    }

    /**
     * A message's id: {@code signal-sent:<conversation>/<author>/<sent ms>} for what people sent (the identity
     * Signal itself uses for quotes, reactions and edits, and the one Signal's backups give, so the same message
     * read from two inputs is one message), with {@code /<n>} for the n-th row sharing those; system events,
     * which have no such identity, keep their row id ({@code signal-msg:<uuid>}).
     */
    static String messageId(String conversationId, Direction direction, String authorId, Long sentAt, String rowId,
                            int dupIndex) {
        if (direction == Direction.SYSTEM || authorId == null || sentAt == null) {
            return "signal-msg:" + rowId;
        }
        String id = "signal-sent:" + conversationId + "/" + authorId + "/" + sentAt;
        return dupIndex > 1 ? id + "/" + dupIndex : id;
    }

    private PreparedStatement bySentAt;

    /** The id of the quoted message when it is in the same conversation, else null. */
    private String findMessageId(Conversation conv, long sentAt, String authorId) {
        String row = directory.sourceConversationId(conv.id());
        if (row == null || authorId == null) {
            return null;
        }
        try {
            if (bySentAt == null) {
                bySentAt = conn.prepareStatement("SELECT type FROM messages WHERE conversationId = ? AND sent_at = ?"
                        + " AND type IN ('incoming', 'outgoing') ORDER BY rowid LIMIT 1");
            }
            bySentAt.setString(1, row);
            bySentAt.setLong(2, sentAt);
            try (ResultSet rs = bySentAt.executeQuery()) {
                return rs.next() ? "signal-sent:" + conv.id() + "/" + authorId + "/" + sentAt : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private List<Reaction> reactions(JsonNode arr) {
        if (arr == null || !arr.isArray()) {
            return null;
        }
        List<Reaction> out = new ArrayList<>();
        for (JsonNode r : arr) {
            String emoji = Names.text(r, "emoji");
            if (emoji == null) {
                continue;
            }
            out.add(new Reaction(directory.participantForReference(Names.text(r, "fromId")), emoji,
                    longOf(r.get("timestamp"))));
        }
        out.sort(java.util.Comparator.comparing((Reaction x) -> x.at() == null ? Long.MIN_VALUE : x.at()));
        return out;
    }

    private List<EditVersion> edits(String messageId, Map<String, ObjectNode> rows, JsonNode js) {
        JsonNode arr = js.get("editHistory");
        if (arr == null || !arr.isArray() || arr.size() < 2) {
            return null;
        }
        // Signal keeps the history newest first, the current version at index 0; the model wants the
        // earlier versions, oldest first.
        List<EditVersion> out = new ArrayList<>();
        for (int i = arr.size() - 1; i >= 1; i--) {
            JsonNode v = arr.get(i);
            List<Attachment> atts = attachments(messageId, rows, i, v, "/editHistory/" + i);
            out.add(new EditVersion(longOf(v.get("timestamp")), longOf(v.get("received_at_ms")),
                    v.hasNonNull("body") ? v.get("body").asText() : null, ranges(v.get("bodyRanges")), atts));
        }
        return out;
    }

    private List<Receipt> receipts(JsonNode states) {
        if (states == null || !states.isObject()) {
            return null;
        }
        List<Receipt> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = states.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String pid = directory.participantForReference(e.getKey());
            if (pid == null || pid.equals(directory.ownerId())) {
                continue;
            }
            DeliveryStatus status;
            try {
                status = DeliveryStatus.valueOf(e.getValue().path("status").asText("").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                continue;
            }
            out.add(new Receipt(pid, status, longOf(e.getValue().get("updatedAt"))));
        }
        out.sort(java.util.Comparator.comparing(Receipt::participantId));
        return out;
    }

    // ---- attachments: descriptions, with a sourceRef to the file for the export to copy ----

    /** The longest long-message text Signal accepts (64 KiB), with room for a larger one from a newer version. */
    private static final int LONG_TEXT_LIMIT = 1 << 20;

    /** The ids of the messages that have {@code message_attachments} rows, or null until first asked. */
    private Set<String> withAttachmentRows;

    /**
     * Whether {@code messageId} can have {@code message_attachments} rows. The ids of the messages that have
     * any are read once (one pass over that table's index): it saves a query for every message without one (most
     * of them). Asked per conversation instead, by joining to the messages of the conversation, SQLite walked the
     * whole attachment table once per conversation.
     */
    private boolean mayHaveAttachmentRows(String messageId) throws SQLException {
        if (withAttachmentRows == null) {
            Set<String> ids = new HashSet<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT DISTINCT messageId FROM message_attachments");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            withAttachmentRows = ids;
        }
        return withAttachmentRows.contains(messageId);
    }

    /**
     * A message's rows of {@code message_attachments}, keyed by {@code editHistoryIndex|attachmentType|order},
     * as attachment JSON objects (the same field names the JSON form uses).
     */
    private Map<String, ObjectNode> attachmentRows(String messageId) throws SQLException {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        if (!schema.hasTable("message_attachments") || !mayHaveAttachmentRows(messageId)) {
            return out;
        }
        if (attachmentRows == null) {
            attachmentRows = conn.prepareStatement("SELECT * FROM message_attachments WHERE messageId = ?"
                    + " ORDER BY editHistoryIndex, attachmentType, orderInMessage");
        }
        attachmentRows.setString(1, messageId);
        try (ResultSet rs = attachmentRows.executeQuery()) {
            while (rs.next()) {
                ObjectNode a = json.createObjectNode();
                for (String f : List.of("contentType", "fileName", "caption", "path", "plaintextHash")) {
                    if (schema.has("message_attachments", f)) {
                        String v = rs.getString(f);
                        if (v != null) {
                            a.put(f, v);
                        }
                    }
                }
                for (String f : List.of("size", "width", "height", "flags", "version")) {
                    if (schema.has("message_attachments", f)) {
                        long v = rs.getLong(f);
                        if (!rs.wasNull()) {
                            a.put(f, v);
                        }
                    }
                }
                if (schema.has("message_attachments", "duration")) {
                    double d = rs.getDouble("duration");
                    if (!rs.wasNull()) {
                        a.put("duration", d);
                    }
                }
                int edit = rs.getInt("editHistoryIndex");
                String type = rs.getString("attachmentType");
                int order = rs.getInt("orderInMessage");
                a.put("sourceRef", AttachmentFiles.rowRef(messageId, edit, type, order));
                out.put(edit + "|" + type + "|" + order, a);
            }
        }
        return out;
    }

    /** The attachments of the message ({@code edit = -1}) or of {@code editHistory[edit]}. */
    private List<Attachment> attachments(String messageId, Map<String, ObjectNode> rows, int edit, JsonNode js,
                                         String pointer) {
        List<Attachment> out = new ArrayList<>();
        String prefix = edit + "|attachment|";
        for (Map.Entry<String, ObjectNode> e : rows.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.add(describe(e.getValue(), e.getValue().get("sourceRef").asText()));
            }
        }
        if (out.isEmpty()) {
            // Rows never re-saved since the attachment table appeared keep their attachments in JSON.
            int i = 0;
            for (JsonNode a : js.path("attachments")) {
                out.add(describe(a, AttachmentFiles.jsonRef(messageId, pointer + "/attachments/" + i++)));
            }
        }
        return out;
    }

    /** The row for a slot, or the JSON object at {@code pointer} (legacy), each with its sourceRef. */
    private static JsonNode slot(Map<String, ObjectNode> rows, String key, String messageId, JsonNode root,
                                 String pointer) {
        ObjectNode row = rows.get(key);
        if (row != null) {
            return row;
        }
        JsonNode n = root.at(pointer);
        if (!n.isObject()) {
            return null;
        }
        ObjectNode copy = ((ObjectNode) n).deepCopy();
        copy.put("sourceRef", AttachmentFiles.jsonRef(messageId, pointer));
        return copy;
    }

    private static String refOf(JsonNode slot) {
        return slot.get("sourceRef").asText();
    }

    private List<LinkPreview> previews(String messageId, Map<String, ObjectNode> rows, JsonNode js) {
        JsonNode arr = js.get("preview");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            return null;
        }
        List<LinkPreview> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode p = arr.get(i);
            JsonNode image = slot(rows, "-1|preview|" + i, messageId, js, "/preview/" + i + "/image");
            out.add(new LinkPreview(Names.text(p, "url"), Names.text(p, "title"), Names.text(p, "description"),
                    longOf(p.get("date")), image == null ? null : describe(image, refOf(image))));
        }
        return out;
    }

    private Sticker sticker(String messageId, Map<String, ObjectNode> rows, JsonNode js) throws SQLException {
        JsonNode s = js.get("sticker");
        if (s == null || !s.isObject()) {
            return null;
        }
        String packId = Names.text(s, "packId");
        Integer stickerId = intOf(s.get("stickerId"));
        JsonNode data = slot(rows, "-1|sticker|0", messageId, js, "/sticker/data");
        Attachment image = null;
        if (data != null) {
            image = describe(data, refOf(data));
        }
        if ((image == null || image.sourceRef() == null) && packId != null && stickerId != null) {
            // The message's own copy was never downloaded; the installed pack may still have the image.
            Attachment installed = installedSticker(packId, stickerId);
            if (installed != null) {
                image = installed;
            }
        }
        if (image != null) {
            image = new Attachment(image.contentType() != null ? image.contentType() : "image/webp", image.fileName(),
                    image.size(), image.sha256(), image.width(), image.height(), image.durationMs(),
                    AttachmentKind.STICKER, image.caption(), image.availability(), image.missingReason(),
                    image.storePath(), image.sourceRef());
        }
        return new Sticker(packId, stickerId, Names.text(s, "emoji"), image);
    }

    private PreparedStatement stickerRow;

    private Attachment installedSticker(String packId, int stickerId) throws SQLException {
        if (!schema.hasTable("stickers") || !schema.has("stickers", "path")) {
            return null;
        }
        if (stickerRow == null) {
            stickerRow = conn.prepareStatement("SELECT path, width, height FROM stickers WHERE packId = ? AND id = ?");
        }
        stickerRow.setString(1, packId);
        stickerRow.setInt(2, stickerId);
        try (ResultSet rs = stickerRow.executeQuery()) {
            if (!rs.next() || rs.getString(1) == null) {
                return null;
            }
            int w = rs.getInt(2);
            Integer width = rs.wasNull() ? null : w;
            int h = rs.getInt(3);
            Integer height = rs.wasNull() ? null : h;
            return new Attachment("image/webp", null, null, null, width, height, null, AttachmentKind.STICKER, null,
                    Availability.NOT_EXPORTED, NOT_COPIED, null, AttachmentFiles.stickerRef(packId, stickerId));
        }
    }

    private List<SharedContact> contacts(String messageId, Map<String, ObjectNode> rows, JsonNode js) {
        JsonNode arr = js.get("contact");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            return null;
        }
        List<SharedContact> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode c = arr.get(i);
            JsonNode name = c.path("name");
            String display = Names.text(name, "displayName");
            if (display == null) {
                String joined = String.join(" ", java.util.stream.Stream.of("prefix", "givenName", "middleName",
                        "familyName", "suffix").map(f -> Names.text(name, f)).filter(java.util.Objects::nonNull)
                        .toList());
                display = joined.isEmpty() ? null : joined;
            }
            List<String> phones = new ArrayList<>();
            for (JsonNode n : c.path("number")) {
                String v = Names.text(n, "value");
                if (v != null) {
                    phones.add(v);
                }
            }
            List<String> emails = new ArrayList<>();
            for (JsonNode n : c.path("email")) {
                String v = Names.text(n, "value");
                if (v != null) {
                    emails.add(v);
                }
            }
            JsonNode avatar = slot(rows, "-1|contact|" + i, messageId, js, "/contact/" + i + "/avatar/avatar");
            out.add(new SharedContact(display, phones, emails, Names.text(c, "organization"),
                    avatar == null ? null : describe(avatar, refOf(avatar))));
        }
        return out;
    }

    /** A quoted attachment: its description, with the thumbnail's bytes when the reply carries one. */
    private Attachment quotedAttachment(String messageId, Map<String, ObjectNode> rows, JsonNode js, int i) {
        JsonNode q = js.path("quote").path("attachments").path(i);
        JsonNode thumb = slot(rows, "-1|quote|" + i, messageId, js, "/quote/attachments/" + i + "/thumbnail");
        if (thumb == null) {
            return describe(q, null);
        }
        ObjectNode merged = ((ObjectNode) thumb).deepCopy();
        if (!merged.hasNonNull("fileName") && q.hasNonNull("fileName")) {
            merged.put("fileName", q.get("fileName").asText());
        }
        if (!merged.hasNonNull("contentType")) {
            merged.put("contentType", "image/jpeg");
        }
        return describe(merged, refOf(thumb));
    }

    /**
     * The full text of a long message when its file is there; otherwise {@code body} (Signal's first 2 KiB) and
     * a long-text attachment saying why the rest is absent is added to {@code attachments}.
     */
    private String longBody(String messageId, Map<String, ObjectNode> rows, JsonNode js, String body,
                            List<Attachment> attachments) {
        JsonNode slot = slot(rows, "-1|long-message|0", messageId, js, "/bodyAttachment");
        if (slot == null) {
            return body;
        }
        Attachment a = describe(slot, refOf(slot));
        if (a.sourceRef() == null) {
            attachments.add(a);
            return body;
        }
        try {
            byte[] text = files.readAll(a.sourceRef(), LONG_TEXT_LIMIT);
            return new String(text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (org.chatarchive.model.source.SourceException e) {
            attachments.add(a.missing(e.kind() == org.chatarchive.model.source.SourceException.Kind.ATTACHMENT_MISSING
                    ? Availability.FILE_MISSING : Availability.DECRYPTION_FAILED,
                    e.getMessage() + " The text shown is the first part Signal keeps in the message."));
            return body;
        }
    }

    private static final String NOT_COPIED = "The file was not copied into the archive.";

    /**
     * An attachment's description. With a {@code ref} and a recorded path it points at the file
     * ({@code sourceRef}) for the export to copy; without a path Signal never downloaded it; without a ref it
     * is only a description (e.g. a quoted attachment without thumbnail).
     */
    static Attachment describe(JsonNode a, String ref) {
        String contentType = Names.text(a, "contentType");
        long flags = a.path("flags").asLong(0);
        AttachmentKind kind = kindOf(contentType, flags);
        Long durationMs = a.hasNonNull("duration") ? Math.round(a.get("duration").asDouble() * 1000) : null;
        Attachment att = new Attachment(contentType, Names.text(a, "fileName"), longOf(a.get("size")), null,
                intOf(a.get("width")), intOf(a.get("height")), durationMs, kind, Names.text(a, "caption"),
                null, null, null, null);
        if (ref == null) {
            return att;
        }
        if (!a.hasNonNull("path")) {
            return att.missing(Availability.NOT_DOWNLOADED, "Signal Desktop never downloaded this file.");
        }
        return new Attachment(att.contentType(), att.fileName(), att.size(), null, att.width(), att.height(),
                att.durationMs(), att.kind(), att.caption(), Availability.NOT_EXPORTED, NOT_COPIED, null, ref);
    }

    static AttachmentKind kindOf(String contentType, long flags) {
        if ((flags & 1) != 0) {
            return AttachmentKind.VOICE_NOTE;
        }
        if ((flags & 8) != 0 || "image/gif".equals(contentType)) {
            return AttachmentKind.GIF;
        }
        if (contentType == null) {
            return AttachmentKind.FILE;
        }
        if ("text/x-signal-plain".equals(contentType)) {
            return AttachmentKind.LONG_TEXT;
        }
        if (contentType.startsWith("image/")) {
            return AttachmentKind.IMAGE;
        }
        if (contentType.startsWith("video/")) {
            return AttachmentKind.VIDEO;
        }
        if (contentType.startsWith("audio/")) {
            return AttachmentKind.AUDIO;
        }
        return AttachmentKind.FILE;
    }

    // ---- story replies ----

    /**
     * A reply or reaction to a story: the story itself is not part of the archive (stories are excluded), so
     * the reference is kept in {@code extra} with the story's author as a participant id.
     */
    private void storyContext(ObjectNode js, Map<String, Object> extra) {
        JsonNode reply = js.get("storyReplyContext");
        if (reply != null && reply.isObject()) {
            Map<String, Object> r = new LinkedHashMap<>();
            String author = Names.text(reply, "authorAci");
            if (author == null) {
                author = Names.text(reply, "authorUuid");
            }
            putIf(r, "authorId", author == null ? null : directory.participantForAci(author));
            putIf(r, "storyMessageId", Names.text(reply, "messageId") == null ? null
                    : "signal-msg:" + Names.text(reply, "messageId"));
            extra.put("storyReply", r);
        }
        JsonNode reaction = js.get("storyReaction");
        if (reaction != null && reaction.isObject()) {
            Map<String, Object> r = new LinkedHashMap<>();
            putIf(r, "emoji", Names.text(reaction, "emoji"));
            String author = Names.text(reaction, "targetAuthorAci");
            if (author == null) {
                author = Names.text(reaction, "targetAuthorUuid");
            }
            putIf(r, "authorId", author == null ? null : directory.participantForAci(author));
            putIf(r, "storySentAt", longOf(reaction.get("targetTimestamp")));
            extra.put("storyReaction", r);
        }
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    // ---- polls ----

    /**
     * A poll ({@code poll: {question, options, allowMultiple, votes: [{fromConversationId, optionIndexes,
     * voteCount}], terminatedAt}}). A voter's vote with the highest {@code voteCount} is their current one.
     */
    private Poll poll(JsonNode p) {
        if (p == null || !p.isObject()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode o : p.path("options")) {
            texts.add(o.isTextual() ? o.asText() : Names.text(o, "text"));
        }
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode v : p.path("votes")) {
            String voter = directory.participantForReference(Names.text(v, "fromConversationId"));
            if (voter == null) {
                continue;
            }
            JsonNode prev = latest.get(voter);
            if (prev == null || v.path("voteCount").asLong() >= prev.path("voteCount").asLong()) {
                latest.put(voter, v);
            }
        }
        List<Poll.Option> options = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            List<String> voters = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : latest.entrySet()) {
                for (JsonNode idx : e.getValue().path("optionIndexes")) {
                    if (idx.asInt() == i) {
                        voters.add(e.getKey());
                    }
                }
            }
            voters.sort(null);
            options.add(new Poll.Option(texts.get(i), voters));
        }
        return new Poll(Names.text(p, "question"), options, p.path("allowMultiple").asBoolean(false),
                p.hasNonNull("terminatedAt"));
    }

    // ---- system events ----

    private SystemEvent event(String type, ObjectNode js, String actor, Conversation conv) throws SQLException {
        String who = actor == null ? "Someone" : directory.displayName(actor);
        if (type == null || "timer-notification".equals(type) || "universal-timer-notification".equals(type)) {
            JsonNode u = js.get("expirationTimerUpdate");
            if (u == null && type != null) {
                return new SystemEvent(EventType.TIMER_CHANGE, actor, null, "The disappearing message timer changed.",
                        null, null, details(js, "expirationTimerUpdate"));
            }
            if (u == null) {
                return new SystemEvent(EventType.OTHER, actor, null, "A notification of unknown type.", null, null,
                        null);
            }
            int seconds = u.path("expireTimer").asInt(0);
            String byAci = u.hasNonNull("sourceServiceId") ? u.get("sourceServiceId").asText()
                    : u.hasNonNull("sourceUuid") ? u.get("sourceUuid").asText() : null; // sourceUuid before 88
            String by = byAci != null ? directory.participantForAci(byAci) : actor;
            String byName = by == null ? "Someone" : directory.displayName(by);
            return new SystemEvent(EventType.TIMER_CHANGE, by, null, seconds == 0
                    ? byName + " turned off disappearing messages."
                    : byName + " set disappearing messages to " + Durations.human(seconds) + ".",
                    null, seconds, details(js, "expirationTimerUpdate"));
        }
        return switch (type) {
            case "call-history" -> callEvent(js, conv);
            case "group-v2-change" -> {
                GroupChanges.Summary s = groupChanges.summarize(js.path("groupV2Change"), actor);
                yield new SystemEvent(EventType.GROUP_CHANGE, s.actorId(), s.targetIds(), s.text(), null, null,
                        details(js, "groupV2Change"));
            }
            case "group" -> new SystemEvent(EventType.GROUP_CHANGE, actor, null, groupV1Text(js.path("group_update"), who),
                    null, null, details(js, "group_update"));
            case "keychange" -> {
                String target = directory.participantForReference(Names.text(js, "key_changed"));
                yield new SystemEvent(EventType.SAFETY_NUMBER_CHANGE, null, target == null ? null : List.of(target),
                        "The safety number with " + (target == null ? "a contact" : directory.displayName(target))
                                + " changed.", null, null, details(js, "key_changed"));
            }
            case "verified-change" -> {
                String target = directory.participantForReference(Names.text(js, "verifiedChanged"));
                boolean verified = js.path("verified").asBoolean(false);
                yield new SystemEvent(EventType.VERIFIED_CHANGE, null, target == null ? null : List.of(target),
                        (target == null ? "A contact" : directory.displayName(target))
                                + (verified ? " was marked as verified." : " was marked as not verified."),
                        null, null, details(js, "verifiedChanged", "verified", "local"));
            }
            case "profile-change" -> {
                JsonNode pc = js.path("profileChange");
                String target = directory.participantForReference(Names.text(js, "changedId"));
                String oldName = Names.text(pc, "oldName");
                String newName = Names.text(pc, "newName");
                yield new SystemEvent(EventType.PROFILE_CHANGE, target, null,
                        oldName != null && newName != null ? oldName + " changed their name to " + newName + "."
                                : "A profile name changed.", null, null, details(js, "profileChange", "changedId"));
            }
            case "change-number-notification" -> new SystemEvent(EventType.NUMBER_CHANGE, actor, null,
                    who + " changed their phone number.", null, null, null);
            case "conversation-merge", "phone-number-discovery", "title-transition-notification" ->
                    new SystemEvent(EventType.CONVERSATION_MERGE, actor, null,
                            "Chats with the same person were merged.", null, null,
                            details(js, "conversationMerge", "phoneNumberDiscovery", "titleTransition"));
            case "joined-signal-notification" -> new SystemEvent(EventType.JOINED, actor, null,
                    conv.title() + " is on Signal.", null, null, null);
            case "message-request-response-event" -> new SystemEvent(EventType.MESSAGE_REQUEST, actor, null,
                    "The message request was answered.", null, null, details(js, "messageRequestResponseEvent"));
            case "chat-session-refreshed" -> new SystemEvent(EventType.SESSION_REFRESH, actor, null,
                    "The chat session was refreshed.", null, null, null);
            case "delivery-issue" -> new SystemEvent(EventType.DELIVERY_ISSUE, actor, null,
                    "A message from " + who + " could not be delivered.", null, null, null);
            case "pinned-message-notification" -> new SystemEvent(EventType.PIN, actor, null,
                    who + " pinned a message.", null, null, details(js, "pinMessage"));
            case "poll-terminate" -> new SystemEvent(EventType.POLL_END, actor, null, who + " ended a poll.",
                    null, null, details(js, "pollTerminateNotification"));
            default -> new SystemEvent(EventType.OTHER, actor, null, "A \"" + type + "\" notification.", null,
                    null, null);
        };
    }

    /** Legacy (GV1) group updates: {@code group_update: {name, joined: [...], left}}. */
    private String groupV1Text(JsonNode u, String who) {
        List<String> parts = new ArrayList<>();
        if (u.hasNonNull("name")) {
            parts.add(who + " changed the group name to \u201c" + u.get("name").asText() + "\u201d.");
        }
        if (u.path("joined").isArray() && u.path("joined").size() > 0) {
            List<String> names = new ArrayList<>();
            for (JsonNode j : u.get("joined")) {
                String p = directory.participantForReference(j.asText());
                names.add(p == null ? j.asText() : directory.displayName(p));
            }
            parts.add(String.join(", ", names) + (names.size() == 1 ? " joined" : " joined") + " the group.");
        }
        if (u.hasNonNull("left")) {
            String p = directory.participantForReference(u.get("left").asText());
            parts.add((p == null ? "A member" : directory.displayName(p)) + " left the group.");
        }
        if (u.hasNonNull("avatarUpdated") && u.get("avatarUpdated").asBoolean()) {
            parts.add(who + " changed the group avatar.");
        }
        return parts.isEmpty() ? "The group was updated." : String.join(" ", parts);
    }

    private SystemEvent callEvent(ObjectNode js, Conversation conv) throws SQLException {
        String callId = Names.text(js, "callId");
        Map<String, Object> details = details(js, "callId", "callHistoryDetails");
        String media = null;
        Direction dir = null;
        String status = null;
        Long started = null;
        Long duration = null;
        String caller = null;
        if (callId != null && schema.hasTable("callsHistory")) {
            if (callRow == null) {
                callRow = conn.prepareStatement("SELECT * FROM callsHistory WHERE callId = ?");
            }
            callRow.setString(1, callId);
            try (ResultSet rs = callRow.executeQuery()) {
                if (rs.next()) {
                    media = lowerOrNull(rs.getString("type"));
                    dir = "Outgoing".equalsIgnoreCase(rs.getString("direction")) ? Direction.OUTGOING
                            : Direction.INCOMING;
                    status = lowerOrNull(rs.getString("status"));
                    for (String column : List.of("startedById", "ringerId")) {
                        if (caller == null && schema.has("callsHistory", column)) {
                            String aci = rs.getString(column);
                            caller = aci == null || aci.isBlank() ? null : directory.participantForAci(aci);
                        }
                    }
                    long ts = rs.getLong("timestamp");
                    started = rs.wasNull() ? null : ts;
                    if (schema.has("callsHistory", "endedTimestamp")) {
                        long end = rs.getLong("endedTimestamp");
                        if (!rs.wasNull() && started != null && end >= started) {
                            duration = end - started;
                        }
                    }
                }
            }
        } else if (js.has("callHistoryDetails")) {
            JsonNode d = js.get("callHistoryDetails");
            boolean video = d.path("wasVideoCall").asBoolean(false);
            media = d.has("callMode") && "Group".equals(d.get("callMode").asText()) ? "group" : video ? "video" : "audio";
            dir = d.path("wasIncoming").asBoolean(true) ? Direction.INCOMING : Direction.OUTGOING;
            status = d.path("wasDeclined").asBoolean(false) ? "declined"
                    : d.hasNonNull("acceptedTime") ? "accepted" : "missed";
            started = longOf(d.get("acceptedTime"));
            Long ended = longOf(d.get("endedTime"));
            if (started != null && ended != null && ended >= started) {
                duration = ended - started;
            }
        }
        String text = callText(media, dir, status, duration, conv);
        return new SystemEvent(EventType.CALL, caller(caller, dir, conv), null, text,
                new CallInfo(media, dir, status, started, duration),
                null, details);
    }

    /**
     * Who made a call: the one the call record names (group calls: who started or rang), else the owner for an
     * outgoing call and the other person for an incoming call in a direct conversation; unknown otherwise.
     */
    private String caller(String named, Direction dir, Conversation conv) {
        if (named != null) {
            return named;
        }
        if (dir == Direction.OUTGOING) {
            return directory.ownerId();
        }
        if (dir == Direction.INCOMING && conv.kind() == ConversationKind.DIRECT) {
            List<String> others = conv.participantIds().stream().filter(p -> !p.equals(directory.ownerId())).toList();
            return others.size() == 1 ? others.get(0) : null;
        }
        return null;
    }

    private static String callText(String media, Direction dir, String status, Long duration, Conversation conv) {
        String what = media == null ? "Call" : switch (media) {
            case "video" -> "Video call";
            case "group", "adhoc" -> "Group call";
            default -> "Voice call";
        };
        String way = dir == Direction.OUTGOING ? "Outgoing " : dir == Direction.INCOMING ? "Incoming " : "";
        String text = way.isEmpty() ? what : way + what.substring(0, 1).toLowerCase(Locale.ROOT) + what.substring(1);
        if (status != null && !status.equals("accepted")) {
            text += " (" + status + ")";
        }
        if (duration != null) {
            text += ", " + Durations.clock(duration);
        }
        return text;
    }

    // ---- extra and details ----

    private Map<String, Object> details(ObjectNode js, String... fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String f : fields) {
            JsonNode v = js.get(f);
            if (v != null && !v.isNull()) {
                out.put(f, plain(scrub(v.deepCopy())));
            }
        }
        return out;
    }

    private Map<String, Object> extra(ObjectNode js) {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = js.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (CONSUMED.contains(e.getKey()) || SECRET_OR_LOCAL.contains(e.getKey()) || e.getValue().isNull()) {
                continue;
            }
            out.put(e.getKey(), plain(scrub(e.getValue().deepCopy())));
        }
        return out;
    }

    /** Removes keys, download handles and local paths anywhere inside {@code n}. */
    private static JsonNode scrub(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(SECRET_OR_LOCAL);
            o.forEach(MessageMapper::scrub);
        } else if (n.isArray()) {
            n.forEach(MessageMapper::scrub);
        }
        return n;
    }

    private Object plain(JsonNode n) {
        return json.convertValue(n, Object.class);
    }

    // ---- column-or-JSON access ----

    /**
     * The sender's phone number. Before 1270 the {@code source} column was declared {@code STRING}, which has
     * NUMERIC affinity, so {@code "+15551234567"} was stored as the integer 15551234567; migration 1270 rebuilt
     * it as {@code IFNULL(json.source, '+' || source)}, and so does this.
     */
    private static String source(ResultSet rs, JsonNode js) throws SQLException {
        Object v = rs.getObject("source");
        if (v instanceof Number n) {
            String fromJson = Names.text(js, "source");
            return fromJson != null ? fromJson : "+" + n.longValue();
        }
        return str(rs, "source", js, "source");
    }

    private static String str(ResultSet rs, String col, JsonNode js, String field) throws SQLException {
        String v = rs.getString(col);
        return v != null ? v : Names.text(js, field);
    }

    private static Long num(ResultSet rs, String col, JsonNode js, String field) throws SQLException {
        Object v = rs.getObject(col);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException ignored) {
                // fall through to JSON
            }
        }
        return longOf(js.get(field));
    }

    private static boolean bool(ResultSet rs, String col, JsonNode js, String field) throws SQLException {
        Object v = rs.getObject(col);
        if (v instanceof Number n) {
            return n.intValue() != 0;
        }
        JsonNode j = js.get(field);
        return j != null && (j.asBoolean(false) || j.asInt(0) != 0);
    }

    static Long longOf(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer intOf(JsonNode n) {
        Long l = longOf(n);
        return l == null ? null : l.intValue();
    }

    private static String lowerOrNull(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
