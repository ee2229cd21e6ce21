package org.chatarchive.readers.telegram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.SharedContact;
import org.chatarchive.model.Sticker;
import org.chatarchive.model.SystemEvent;

/**
 * Maps one chat's messages, one at a time, to the neutral model. One instance per {@code messages()} call: it
 * remembers a compact index of the chat's earlier messages to resolve replies.
 */
final class MessageMapper {

    /** Longest quote snippet kept per earlier message for reply resolution. */
    static final int SNIPPET = 200;

    /** Fields of a regular message that are mapped to the model (not copied to extra). */
    static final Set<String> MAPPED = Set.of("id", "type", "date", "date_unixtime", "edited", "edited_unixtime",
            "from", "from_id", "text", "text_entities", "reply_to_message_id", "reply_to_peer_id", "reactions",
            "photo", "photo_file_size", "file", "file_name", "file_size", "thumbnail", "thumbnail_file_size",
            "media_type", "mime_type", "duration_seconds", "width", "height", "sticker_emoji", "contact_information",
            "contact_vcard", "poll", "location_information", "live_location_period_seconds", "place_name",
            "address", "performer", "title", "self_destruct_period_seconds");

    /** Fields of a regular message the reader knows and copies to extra under a camel-case name. */
    static final Set<String> KNOWN_EXTRA = Set.of("forwarded_from", "saved_from", "via_bot", "author",
            "inline_bot_buttons", "media_spoiler", "reply_to_peer_id", "forwarded_from_id", "saved_from_id",
            "via_bot_id", "paid_stars_amount", "game_title", "game_description", "game_link", "game_message",
            "invoice_information", "giveaway_information", "giveaway_results", "todo_list", "story");

    /** Fields common to service messages; everything else goes to the event's details. */
    static final Set<String> SERVICE_COMMON = Set.of("id", "type", "date", "date_unixtime", "edited",
            "edited_unixtime", "actor", "actor_id", "action", "text", "text_entities");

    private record Target(Long sentAt, String authorId, String snippet) {
    }

    private final TelegramExportReader reader;
    private final TelegramExportReader.ChatIndex chat;
    private final Participants people;
    private final Map<Long, Target> earlier = new HashMap<>();

    MessageMapper(TelegramExportReader reader, TelegramExportReader.ChatIndex chat) {
        this.reader = reader;
        this.chat = chat;
        this.people = reader.people();
    }

    Message map(JsonNode m) {
        String tgId = TelegramExportReader.text(m.get("id"));
        String id = "telegram-msg:" + chat.telegramId() + ":" + tgId;
        String convId = chat.conversationId();
        String type = TelegramExportReader.text(m.get("type"));
        Long sentAt = instant(m.get("date_unixtime"), m.get("date"));
        Map<String, Object> extra = new LinkedHashMap<>();
        Long editedAt = edited(m);
        if (editedAt != null) {
            extra.put("editedAt", editedAt);
        }

        Text text = Text.of(m, people);
        if (!text.extraEntities().isEmpty()) {
            extra.put("entities", text.extraEntities());
        }
        String body = text.body().isEmpty() ? null : text.body();

        Message out;
        if ("service".equals(type)) {
            out = service(m, id, convId, sentAt, body, text.ranges(), extra);
        } else {
            out = regular(m, id, convId, sentAt, body, text.ranges(), extra, type);
        }
        Long key = longOrNull(m.get("id"));
        if (key != null) {
            String snippet = body == null ? null : body.length() > SNIPPET ? body.substring(0, SNIPPET) : body;
            earlier.put(key, new Target(sentAt, out.senderId(), snippet));
        }
        return out;
    }

    // --------------------------------------------------------------------------------------- regular messages

    private Message regular(JsonNode m, String id, String convId, Long sentAt, String body, List<BodyRange> ranges,
                            Map<String, Object> extra, String type) {
        String sender = Participants.idOf(m.get("from_id"));
        if (sender == null && m.hasNonNull("from")) {
            sender = people.byName(m.get("from").asText());
        }
        Direction direction = sender != null && sender.equals(reader.ownerId()) ? Direction.OUTGOING
                : Direction.INCOMING;
        if ("unsupported".equals(type)) {
            extra.put("unsupported", true);
            reader.warnOnce("type:unsupported", "Some messages are of a kind Telegram Desktop could not export"
                    + " (type \"unsupported\"); they are kept without content.");
        } else if (type != null && !"message".equals(type)) {
            extra.put("telegramType", type);
            reader.warnOnce("type:" + type, "Messages of type \"" + type + "\" are not known to this reader;"
                    + " they are read as ordinary messages with the type kept in extra.");
        }

        Quote quote = quote(m, extra);
        List<Reaction> reactions = reactions(m, extra);

        List<Attachment> attachments = new ArrayList<>();
        Sticker sticker = null;
        String mediaType = TelegramExportReader.text(m.get("media_type"));
        if (m.has("photo")) {
            attachments.add(attachment(m.get("photo"), null, imageType(m.get("photo")), sizeOf(m, "photo_file_size"),
                    m, AttachmentKind.IMAGE, body));
        }
        if (m.has("file")) {
            String mime = TelegramExportReader.text(m.get("mime_type"));
            AttachmentKind kind = kindOf(mediaType, mime);
            Attachment a = attachment(m.get("file"), TelegramExportReader.text(m.get("file_name")), mime,
                    sizeOf(m, "file_size"), m, kind, body);
            if (kind == AttachmentKind.STICKER) {
                sticker = new Sticker(null, null, TelegramExportReader.text(m.get("sticker_emoji")), a);
            } else {
                attachments.add(a);
            }
            if (mediaType != null) {
                extra.put("mediaType", mediaType);
            }
        }
        if (m.hasNonNull("thumbnail")) {
            extra.put("thumbnail", m.get("thumbnail").asText());
        }
        if (m.hasNonNull("performer")) {
            extra.put("performer", m.get("performer").asText());
        }
        if (m.hasNonNull("title")) {
            extra.put("title", m.get("title").asText());
        }

        List<SharedContact> contacts = null;
        JsonNode ci = m.get("contact_information");
        if (ci != null && ci.isObject()) {
            String name = TelegramExportReader.joinName(TelegramExportReader.text(ci.get("first_name")),
                    TelegramExportReader.text(ci.get("last_name")));
            String phone = TelegramExportReader.text(ci.get("phone_number"));
            contacts = List.of(new SharedContact(name, phone == null || phone.isBlank() ? null : List.of(phone),
                    null, null, null));
            if (m.hasNonNull("contact_vcard")) {
                attachments.add(attachment(m.get("contact_vcard"), null, "text/vcard", null, null,
                        AttachmentKind.FILE, null));
            }
        }

        JsonNode loc = m.get("location_information");
        if (loc != null && loc.isObject()) {
            Map<String, Object> location = new LinkedHashMap<>();
            putNumber(location, "latitude", loc.get("latitude"));
            putNumber(location, "longitude", loc.get("longitude"));
            putNumber(location, "livePeriodSeconds", m.get("live_location_period_seconds"));
            if (m.hasNonNull("place_name")) {
                location.put("placeName", m.get("place_name").asText());
            }
            if (m.hasNonNull("address")) {
                location.put("address", m.get("address").asText());
            }
            extra.put("location", location);
        }

        Poll poll = null;
        JsonNode pn = m.get("poll");
        if (pn != null && pn.isObject()) {
            List<Poll.Option> options = new ArrayList<>();
            List<Map<String, Object>> votes = new ArrayList<>();
            JsonNode answers = pn.get("answers");
            if (answers != null && answers.isArray()) {
                for (JsonNode a : answers) {
                    options.add(new Poll.Option(TelegramExportReader.text(a.get("text")), null));
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("text", TelegramExportReader.text(a.get("text")));
                    putNumber(v, "voters", a.get("voters"));
                    v.put("chosen", a.path("chosen").asBoolean(false));
                    votes.add(v);
                }
            }
            poll = new Poll(TelegramExportReader.text(pn.get("question")), options, false,
                    pn.path("closed").asBoolean(false));
            Map<String, Object> pollExtra = new LinkedHashMap<>();
            putNumber(pollExtra, "totalVoters", pn.get("total_voters"));
            pollExtra.put("answers", votes);
            extra.put("poll", pollExtra);
        }

        MessageFlags flags = MessageFlags.NONE;
        Long selfDestruct = longOrNull(m.get("self_destruct_period_seconds"));
        if (selfDestruct != null) {
            flags = new MessageFlags(false, false, selfDestruct.intValue(), null, false, null, null);
        }

        copyRest(m, extra);
        return new Message(id, convId, sender, direction, sentAt, null, null, body, ranges, attachments, quote,
                reactions, null, null, flags, null, sticker, contacts, poll, null, extra);
    }

    private Quote quote(JsonNode m, Map<String, Object> extra) {
        Long replyTo = longOrNull(m.get("reply_to_message_id"));
        if (replyTo == null) {
            return null;
        }
        String peer = TelegramExportReader.text(m.get("reply_to_peer_id"));
        Target t = peer == null ? earlier.get(replyTo) : null;
        if (t != null) {
            return new Quote("telegram-msg:" + chat.telegramId() + ":" + replyTo, t.sentAt(), t.authorId(),
                    t.snippet(), null, null, false);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("messageId", replyTo);
        if (peer != null) {
            reply.put("peerId", peer);
        }
        extra.put("replyTo", reply);
        return new Quote(null, null, null, null, null, null, true);
    }

    private List<Reaction> reactions(JsonNode m, Map<String, Object> extra) {
        JsonNode rs = m.get("reactions");
        if (rs == null || !rs.isArray() || rs.isEmpty()) {
            return null;
        }
        List<Reaction> out = new ArrayList<>();
        List<Map<String, Object>> counts = new ArrayList<>();
        boolean incomplete = false;
        for (JsonNode r : rs) {
            String rtype = TelegramExportReader.text(r.get("type"));
            String emoji = TelegramExportReader.text(r.get("emoji"));
            String documentId = TelegramExportReader.text(r.get("document_id"));
            if (emoji == null) {
                emoji = "paid".equals(rtype) ? "⭐" : "custom_emoji".equals(rtype) ? "\uFFFD" : "?";
            }
            long count = r.path("count").asLong(0);
            int listed = 0;
            JsonNode recent = r.get("recent");
            if (recent != null && recent.isArray()) {
                for (JsonNode who : recent) {
                    String pid = Participants.idOf(who.get("from_id"));
                    if (pid == null) {
                        continue;
                    }
                    out.add(new Reaction(pid, emoji, instant(who.get("date_unixtime"), who.get("date"))));
                    listed++;
                }
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("type", rtype);
            c.put("emoji", emoji);
            if (documentId != null) {
                c.put("documentId", documentId);
            }
            c.put("count", count);
            c.put("listed", listed);
            counts.add(c);
            if (listed < count || documentId != null) {
                incomplete = true;
            }
        }
        if (incomplete) {
            extra.put("reactionCounts", counts);
        }
        return out;
    }

    // --------------------------------------------------------------------------------------- service messages

    private Message service(JsonNode m, String id, String convId, Long sentAt, String body, List<BodyRange> ranges,
                            Map<String, Object> extra) {
        String actor = Participants.idOf(m.get("actor_id"));
        String actorName = TelegramExportReader.text(m.get("actor"));
        if (actor == null && actorName != null) {
            actor = people.byName(actorName);
        }
        String who = actorName != null ? actorName : actor != null ? displayName(actor) : "Someone";
        String action = TelegramExportReader.text(m.get("action"));
        Map<String, Object> details = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!SERVICE_COMMON.contains(e.getKey())) {
                details.put(e.getKey(), reader.json().convertValue(e.getValue(), Object.class));
            }
        }
        details.put("action", action);

        List<String> targets = new ArrayList<>();
        List<String> memberNames = new ArrayList<>();
        JsonNode members = m.get("members");
        if (members != null && members.isArray()) {
            for (JsonNode n : members) {
                String name = n.isNull() ? null : n.asText();
                memberNames.add(name == null ? "someone" : name);
                String pid = people.byName(name);
                if (pid != null && !targets.contains(pid)) {
                    targets.add(pid);
                }
            }
        }
        String title = TelegramExportReader.text(m.get("title"));
        String membersText = memberNames.isEmpty() ? "someone" : String.join(", ", memberNames);
        EventType et = EventType.OTHER;
        CallInfo call = null;
        Integer timer = null;
        String a = action == null ? "" : action;
        String text = switch (a) {
            case "create_group" -> {
                et = EventType.GROUP_CHANGE;
                yield who + " created the group" + (title != null ? " \"" + title + "\"" : "")
                        + (memberNames.isEmpty() ? "." : " with " + membersText + ".");
            }
            case "create_channel" -> {
                et = EventType.GROUP_CHANGE;
                yield who + " created the channel" + (title != null ? " \"" + title + "\"" : "") + ".";
            }
            case "edit_group_title" -> {
                et = EventType.GROUP_CHANGE;
                yield who + " changed the group name" + (title != null ? " to \"" + title + "\"" : "") + ".";
            }
            case "edit_group_photo" -> {
                et = EventType.GROUP_CHANGE;
                yield who + " changed the group photo.";
            }
            case "delete_group_photo" -> {
                et = EventType.GROUP_CHANGE;
                yield who + " removed the group photo.";
            }
            case "invite_members" -> {
                et = EventType.GROUP_CHANGE;
                yield who + " added " + membersText + ".";
            }
            case "remove_members" -> {
                et = EventType.GROUP_CHANGE;
                yield memberNames.size() == 1 && memberNames.get(0).equals(actorName) ? who + " left the group."
                        : who + " removed " + membersText + ".";
            }
            case "join_group_by_link" -> {
                et = EventType.JOINED;
                String inviter = TelegramExportReader.text(m.get("inviter"));
                yield who + " joined the group via an invite link" + (inviter != null ? " from " + inviter : "")
                        + ".";
            }
            case "join_group_by_request" -> {
                et = EventType.JOINED;
                yield who + " joined the group after a request was approved.";
            }
            case "joined_telegram" -> {
                et = EventType.JOINED;
                yield who + " joined Telegram.";
            }
            case "migrate_to_supergroup" -> {
                et = EventType.GROUP_CHANGE;
                yield who + " converted this group to a supergroup.";
            }
            case "migrate_from_group" -> {
                et = EventType.GROUP_CHANGE;
                yield "This supergroup was converted from the group" + (title != null ? " \"" + title + "\"" : "")
                        + ".";
            }
            case "pin_message" -> {
                et = EventType.PIN;
                Long target = longOrNull(m.get("message_id"));
                if (target != null) {
                    details.put("pinnedMessageId", "telegram-msg:" + chat.telegramId() + ":" + target);
                }
                yield who + " pinned a message.";
            }
            case "phone_call" -> {
                et = EventType.CALL;
                String reason = TelegramExportReader.text(m.get("discard_reason"));
                Long secs = longOrNull(m.get("duration_seconds"));
                Direction dir = actor == null || reader.ownerId() == null ? null
                        : actor.equals(reader.ownerId()) ? Direction.OUTGOING : Direction.INCOMING;
                call = new CallInfo("audio", dir, reason, sentAt, secs == null ? null : secs * 1000);
                String what = "missed".equals(reason) ? "Missed call from " + who
                        : "busy".equals(reason) ? "Call from " + who + " (line busy)"
                        : "Call from " + who;
                yield what + (secs != null ? " (" + duration(secs) + ")" : "") + ".";
            }
            case "group_call" -> {
                et = EventType.CALL;
                Long secs = longOrNull(m.get("duration"));
                if (secs == null) {
                    secs = longOrNull(m.get("duration_seconds"));
                }
                call = new CallInfo("group", null, null, sentAt, secs == null ? null : secs * 1000);
                yield who + " started a group call" + (secs != null ? " (" + duration(secs) + ")" : "") + ".";
            }
            case "invite_to_group_call" -> {
                et = EventType.CALL;
                call = new CallInfo("group", null, "invited", sentAt, null);
                yield who + " invited " + membersText + " to the group call.";
            }
            case "group_call_scheduled" -> who + " scheduled a group call.";
            case "set_messages_ttl" -> {
                et = EventType.TIMER_CHANGE;
                Long period = longOrNull(m.get("period"));
                if (period == null) {
                    period = longOrNull(m.get("period_seconds"));
                }
                timer = period == null ? null : period.intValue();
                yield period == null || period == 0 ? who + " turned off auto-delete."
                        : who + " set messages to auto-delete after " + duration(period) + ".";
            }
            case "clear_history" -> who + " cleared the history.";
            case "take_screenshot" -> who + " took a screenshot.";
            case "topic_created" -> who + " created the topic" + (title != null ? " \"" + title + "\"" : "") + ".";
            case "edit_chat_theme" -> who + " changed the chat theme.";
            case "suggest_profile_photo" -> who + " suggested a profile photo.";
            default -> {
                if (!a.isEmpty()) {
                    reader.warnOnce("action:" + a, "Service messages with action \"" + a + "\" are not known to"
                            + " this reader; they are kept as events of type OTHER with their fields in details.");
                }
                yield who + ": " + (a.isEmpty() ? "service message" : a.replace('_', ' ')) + ".";
            }
        };
        List<Attachment> attachments = new ArrayList<>();
        if (m.hasNonNull("photo")) {
            attachments.add(attachment(m.get("photo"), null, imageType(m.get("photo")), sizeOf(m, "photo_file_size"),
                    m, AttachmentKind.IMAGE, null));
        }
        SystemEvent event = new SystemEvent(et, actor, targets, text, call, timer, details);
        return new Message(id, convId, actor, Direction.SYSTEM, sentAt, null, null, body, ranges, attachments, null,
                null, null, null, null, null, null, null, null, event, extra);
    }

    private String displayName(String pid) {
        var p = people.get(pid);
        return p == null ? pid : p.displayName();
    }

    static String duration(long secs) {
        if (secs < 60) {
            return secs + " s";
        }
        if (secs < 3600) {
            return (secs / 60) + " min" + (secs % 60 == 0 ? "" : " " + (secs % 60) + " s");
        }
        if (secs % 86400 == 0) {
            return (secs / 86400) + (secs == 86400 ? " day" : " days");
        }
        return (secs / 3600) + " h" + (secs % 3600 / 60 == 0 ? "" : " " + (secs % 3600 / 60) + " min");
    }

    // --------------------------------------------------------------------------------------- helpers

    /** Copies every field not mapped into {@code extra}; warns once per field name the reader does not know. */
    private void copyRest(JsonNode m, Map<String, Object> extra) {
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (MAPPED.contains(k)) {
                continue;
            }
            Object v = reader.json().convertValue(e.getValue(), Object.class);
            if (KNOWN_EXTRA.contains(k)) {
                if (v != null) {
                    extra.put(TelegramExportReader.camel(k), v);
                }
            } else {
                extra.put(k, v);
                reader.warnOnce("field:" + k, "The message field \"" + k + "\" is not known to this reader;"
                        + " it is kept as is in each message's extra.");
            }
        }
    }

    private Attachment attachment(JsonNode pathNode, String fileName, String mime, Long size, JsonNode m,
                                  AttachmentKind kind, String caption) {
        String path = pathNode == null || pathNode.isNull() ? null : pathNode.asText();
        Integer width = m == null ? null : intOrNull(m.get("width"));
        Integer height = m == null ? null : intOrNull(m.get("height"));
        Long secs = m == null ? null : longOrNull(m.get("duration_seconds"));
        Long durationMs = secs == null ? null : secs * 1000;
        if (path == null || path.isBlank()) {
            return new Attachment(mime, fileName, size, null, width, height, durationMs, kind, caption,
                    Availability.NOT_DOWNLOADED, "The export gives no file for this attachment.", null, null);
        }
        if (path.startsWith("(")) {
            String sentence = path.substring(1, path.endsWith(")") ? path.length() - 1 : path.length());
            return new Attachment(mime, fileName, size, null, width, height, durationMs, kind, caption,
                    Availability.NOT_DOWNLOADED, "Telegram did not include this file in the export: " + sentence,
                    null, null);
        }
        String name = fileName != null ? fileName : path.substring(path.lastIndexOf('/') + 1);
        Path file = reader.resolveInExport(path);
        if (file != null && Files.isRegularFile(file)) {
            Long actual = size;
            try {
                actual = Files.size(file);
            } catch (java.io.IOException e) {
                // keep the exported size
            }
            return new Attachment(mime, name, actual, null, width, height, durationMs, kind, caption, null, null,
                    null, path);
        }
        return new Attachment(mime, name, size, null, width, height, durationMs, kind, caption,
                Availability.FILE_MISSING, file == null
                ? "The export names a file outside its folder (" + path + "); it was not read."
                : "The export lists this file at " + path + ", but it is not in the export folder.", null, null);
    }

    static AttachmentKind kindOf(String mediaType, String mime) {
        if (mediaType != null) {
            switch (mediaType) {
                case "sticker":
                    return AttachmentKind.STICKER;
                case "voice_message":
                    return AttachmentKind.VOICE_NOTE;
                case "video_message", "video_file":
                    return AttachmentKind.VIDEO;
                case "audio_file":
                    return AttachmentKind.AUDIO;
                case "animation":
                    return AttachmentKind.GIF;
                default:
                    break;
            }
        }
        if (mime != null) {
            String l = mime.toLowerCase(Locale.ROOT);
            if (l.startsWith("image/")) {
                return AttachmentKind.IMAGE;
            }
            if (l.startsWith("video/")) {
                return AttachmentKind.VIDEO;
            }
            if (l.startsWith("audio/")) {
                return AttachmentKind.AUDIO;
            }
        }
        return AttachmentKind.FILE;
    }

    private static String imageType(JsonNode path) {
        String p = path == null || path.isNull() ? "" : path.asText().toLowerCase(Locale.ROOT);
        if (p.endsWith(".jpg") || p.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (p.endsWith(".png")) {
            return "image/png";
        }
        if (p.endsWith(".webp")) {
            return "image/webp";
        }
        return null;
    }

    private static Long sizeOf(JsonNode m, String field) {
        return longOrNull(m.get(field));
    }

    /** Epoch ms from {@code date_unixtime} (string or number of seconds), else from the local {@code date}. */
    Long instant(JsonNode unix, JsonNode local) {
        Long secs = longOrNull(unix);
        if (secs != null) {
            return secs * 1000;
        }
        return localInstant(local);
    }

    private Long localInstant(JsonNode local) {
        String s = TelegramExportReader.text(local);
        if (s == null || s.isBlank()) {
            return null;
        }
        LocalDateTime t;
        try {
            t = LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            reader.warnOnce("date:unparsable", "Some dates could not be read (e.g. \"" + s + "\"); those messages"
                    + " have no time.");
            return null;
        }
        ZoneId zone = reader.localZone();
        if (zone == null) {
            zone = ZoneOffset.UTC;
            reader.warnOnce("date:zone", "This export has no date_unixtime (it predates June 2022), so times are"
                    + " the exporting computer's local time without a zone; the zone was unknown and UTC was"
                    + " assumed.");
        }
        return t.atZone(zone).toInstant().toEpochMilli();
    }

    /** When the message was last edited, or null; ignores the 1970 placeholder of exports before 2021. */
    private Long edited(JsonNode m) {
        Long secs = longOrNull(m.get("edited_unixtime"));
        if (secs != null) {
            return secs > 86_400 ? secs * 1000 : null;
        }
        String s = TelegramExportReader.text(m.get("edited"));
        if (s == null || s.startsWith("1970-01-01") || s.startsWith("1969-12-31")) {
            return null;
        }
        return localInstant(m.get("edited"));
    }

    static Long longOrNull(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Integer intOrNull(JsonNode n) {
        Long l = longOrNull(n);
        return l == null ? null : l.intValue();
    }

    private static void putNumber(Map<String, Object> map, String key, JsonNode n) {
        if (n != null && n.isNumber()) {
            map.put(key, n.numberValue());
        }
    }
}
