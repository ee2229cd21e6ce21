package org.chatarchive.renderers.rsmf;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.renderers.pdf.PlainBody;
import org.chatarchive.renderers.time.ZonedTimes;

/**
 * Maps one slice of a conversation (the neutral model) to an RSMF 2.0.0 manifest, the text/plain transcript that
 * goes in the EML body, and the files the zip must hold. Everything the model has is mapped: fields RSMF names
 * (direction, parent, reactions with participants, edits with previous/new, deleted, read receipts,
 * attachments) go to those fields; the rest goes to {@code custom} name/value pairs, so nothing is lost.
 */
final class ManifestMapper {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** RFC 3339 UTC with milliseconds, e.g. {@code 2024-03-09T14:02:11.120Z}. */
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    /** A file the zip holds: its name in the zip and where its bytes are, relative to the archive. */
    record ZipFile(String name, String storePath) {
    }

    /** Something the slice lacks or shows differently, for the custody log. */
    record Note(String step, String detail) {
    }

    /** The result for one slice. */
    record Mapped(ObjectNode manifest, String transcript, List<ZipFile> files, List<Note> notes) {
    }

    private final Conversation conversation;
    private final Map<String, Participant> people;
    private final String ownerId;
    private final String collectionId;
    private final String platform;
    private final ZoneId zone;
    private final ZonedTimes times;
    private final String matter;

    ManifestMapper(Conversation conversation, Map<String, Participant> people, String ownerId, String collectionId,
                   ZoneId zone, String matter) {
        this.conversation = conversation;
        this.people = people;
        this.ownerId = ownerId;
        this.collectionId = collectionId;
        this.platform = platform(conversation.sourceApp());
        this.zone = zone;
        this.times = new ZonedTimes(zone);
        this.matter = matter;
    }

    /** The RSMF platform name: {@code signal}, {@code telegram}, {@code whatsapp}, or the source app's name. */
    static String platform(String sourceApp) {
        if (sourceApp == null || sourceApp.isBlank()) {
            return "unknown";
        }
        String s = sourceApp.toLowerCase(Locale.ROOT);
        for (String p : List.of("signal", "telegram", "whatsapp")) {
            if (s.startsWith(p)) {
                return p;
            }
        }
        return s;
    }

    /** The {@code X-RSMF-Application} value: Signal, Telegram, WhatsApp, or the platform name. */
    static String application(String platform) {
        return switch (platform) {
            case "signal" -> "Signal";
            case "telegram" -> "Telegram";
            case "whatsapp" -> "WhatsApp";
            default -> platform;
        };
    }

    String platform() {
        return platform;
    }

    String name(String participantId) {
        Participant p = participantId == null ? null : people.get(participantId);
        if (p != null && p.displayName() != null && !p.displayName().isBlank()) {
            return p.displayName();
        }
        if (p != null && p.phone() != null) {
            return p.phone();
        }
        return participantId == null ? "(system)" : participantId;
    }

    /** Maps {@code messages} (one slice, timeline order). */
    Mapped map(List<Message> messages, Slicer.Slice slice) {
        List<Note> notes = new ArrayList<>();
        Map<String, ZipFile> files = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        for (Message m : messages) {
            ids.add(m.id());
        }
        // Participants: the conversation's members first, then anyone else an event names.
        Set<String> pids = new LinkedHashSet<>(conversation.participantIds());
        for (Message m : messages) {
            addIf(pids, participantOf(m));
            m.reactions().forEach(r -> addIf(pids, r.participantId()));
            m.receipts().forEach(r -> addIf(pids, r.participantId()));
        }

        ArrayNode events = NODES.arrayNode();
        StringBuilder text = new StringBuilder();
        for (Message m : messages) {
            events.add(event(m, ids, files, notes, text));
        }

        ObjectNode root = NODES.objectNode();
        root.put("version", RsmfCheck.VERSION);
        root.put("eventcollectionid", collectionId);
        ArrayNode ps = root.putArray("participants");
        for (String pid : pids) {
            ps.add(participant(pid, files));
        }
        ArrayNode cs = root.putArray("conversations");
        ObjectNode c = cs.addObject();
        c.put("id", conversation.id());
        String title = conversation.title();
        if (title != null && !title.isBlank()) {
            c.put("display", title);
        }
        c.put("platform", platform);
        c.put("type", conversation.kind() == ConversationKind.GROUP ? "channel" : "direct");
        ArrayNode cp = c.putArray("participants");
        pids.forEach(cp::add);
        if (ownerId != null && pids.contains(ownerId)) {
            c.put("custodian", ownerId);
        }
        ArrayNode custom = NODES.arrayNode();
        custom(custom, "Kind", conversation.kind() == null ? null : conversation.kind().name().toLowerCase(Locale.ROOT));
        custom(custom, "Source app", conversation.sourceApp());
        custom(custom, "Slice", slice.day() + " 00:00 to 24:00 " + zone.getId() + ", part " + slice.part());
        custom(custom, "Slice window (UTC)", UTC.format(slice.windowStart()) + "/" + UTC.format(slice.windowEnd()));
        custom(custom, "Slice zone", zone.getId());
        custom(custom, "Matter", matter);
        if (conversation.avatar() != null) {
            custom(custom, "Conversation picture", describe(conversation.avatar()));
        }
        extra(custom, conversation.extra());
        if (!custom.isEmpty()) {
            c.set("custom", custom);
        }
        root.set("events", events);
        return new Mapped(root, text.toString(), List.copyOf(files.values()), notes);
    }

    private static void addIf(Set<String> set, String id) {
        if (id != null) {
            set.add(id);
        }
    }

    private static String sender(Message m) {
        if (m.senderId() != null) {
            return m.senderId();
        }
        return m.event() != null ? m.event().actorId() : null;
    }

    /**
     * The event's participant: its sender or actor, or, when the source records neither (a call, some notices),
     * the side it came from: the custodian for an outgoing event, the other member of a direct conversation for an
     * incoming one, otherwise the custodian, whose device recorded it. Relativity's validator warns about an event
     * without a participant (an undefined participant, not a member of the conversation), so every event has one;
     * an attributed one is said so in {@code custom}. Null only when the conversation has no one to attribute to.
     */
    private String participantOf(Message m) {
        String who = sender(m);
        if (who != null) {
            return who;
        }
        Direction d = m.event() != null && m.event().call() != null && m.event().call().direction() != null
                ? m.event().call().direction() : m.direction();
        List<String> members = conversation.participantIds();
        if (d == Direction.INCOMING && conversation.kind() == ConversationKind.DIRECT) {
            List<String> others = members.stream().filter(p -> !p.equals(ownerId)).toList();
            if (others.size() == 1) {
                return others.get(0);
            }
        }
        if (ownerId != null && (members.contains(ownerId) || d == Direction.OUTGOING)) {
            return ownerId;
        }
        return members.isEmpty() ? null : members.get(0);
    }

    private ObjectNode participant(String pid, Map<String, ZipFile> files) {
        ObjectNode p = NODES.objectNode();
        p.put("id", pid);
        Participant who = people.get(pid);
        if (who == null) {
            p.put("display", pid);
            p.put("account_id", pid);
            ArrayNode custom = p.putArray("custom");
            custom(custom, "Note", "not in the archive's participant list");
            return p;
        }
        // Always a display: X-RSMF-Participants lists display names, and Relativity's validator matches them with
        // the manifest's (a participant without one matches nothing).
        p.put("display", name(pid));
        p.put("account_id", who.phone() != null ? who.phone() : who.username() != null ? who.username() : pid);
        if (who.avatar() != null && who.avatar().storePath() != null) {
            String name = fileName(who.avatar().storePath());
            files.put(name, new ZipFile(name, who.avatar().storePath()));
            p.put("avatar", name);
        }
        ArrayNode custom = NODES.arrayNode();
        custom(custom, "Participant id", pid);
        custom(custom, "Phone", who.phone());
        custom(custom, "Username", who.username());
        custom(custom, "Name source", who.nameSource());
        if (who.owner()) {
            custom(custom, "Archive owner", "yes");
        }
        extra(custom, who.extra());
        if (!custom.isEmpty()) {
            p.set("custom", custom);
        }
        return p;
    }

    private ObjectNode event(Message m, Set<String> ids, Map<String, ZipFile> files, List<Note> notes,
                             StringBuilder text) {
        ObjectNode e = NODES.objectNode();
        ArrayNode custom = NODES.arrayNode();
        e.put("id", m.id());
        e.put("type", type(m));
        e.put("conversation", conversation.id());
        String who = participantOf(m);
        if (who != null) {
            e.put("participant", who);
            if (sender(m) == null) {
                custom(custom, "Participant", "not recorded in the source; attributed to " + name(who));
            }
        }
        Long at = m.sentAt() != null ? m.sentAt() : m.receivedAt();
        if (at != null) {
            e.put("timestamp", UTC.format(Instant.ofEpochMilli(at)));
        } else {
            notes.add(new Note("event-without-time", "message " + m.id() + " in " + conversation.id()
                    + " has no time in the source; its RSMF event has no timestamp"));
            custom(custom, "Time", "unknown in the source");
        }
        if (m.direction() == Direction.INCOMING) {
            e.put("direction", "incoming");
        } else if (m.direction() == Direction.OUTGOING) {
            e.put("direction", "outgoing");
        }
        String body = body(m);
        if (!body.isEmpty()) {
            e.put("body", body);
        }
        if (m.quote() != null) {
            if (m.quote().messageId() != null && ids.contains(m.quote().messageId())) {
                e.put("parent", m.quote().messageId());
            } else {
                custom(custom, "Reply to", m.quote().messageId() != null ? m.quote().messageId()
                        + " (not in this file)" : "a message not in the archive");
            }
            custom(custom, "Quoted author", m.quote().authorId() == null ? null : name(m.quote().authorId()));
            custom(custom, "Quoted text", m.quote().text());
            if (m.quote().sentAt() != null) {
                custom(custom, "Quoted message time", UTC.format(Instant.ofEpochMilli(m.quote().sentAt())));
            }
        }
        if (m.flags().deletedForEveryone()) {
            e.put("deleted", true);
            if (m.flags().deletedAt() != null) {
                custom(custom, "Deleted at", UTC.format(Instant.ofEpochMilli(m.flags().deletedAt())));
            }
        }
        reactions(m, e);
        edits(m, who, e);
        receipts(m, e, custom);
        ArrayNode atts = NODES.arrayNode();
        int n = 0;
        for (Attachment a : m.attachments()) {
            n++;
            if (a.storePath() != null) {
                String name = fileName(a.storePath());
                files.put(name, new ZipFile(name, a.storePath()));
                ObjectNode an = atts.addObject();
                an.put("id", name);
                an.put("display", display(a, name));
                if (a.size() != null) {
                    an.put("size", a.size());
                }
                custom(custom, "Attachment " + n, describe(a));
            } else {
                custom(custom, "Attachment " + n + " (not available)", describe(a));
                notes.add(new Note("missing-attachment", "message " + m.id() + " in " + conversation.id()
                        + " attachment " + n + " (" + display(a, "unnamed") + "): " + (a.missingReason() != null
                        ? a.missingReason() : a.availability() != null ? a.availability().name() : "no bytes")));
            }
        }
        if (!atts.isEmpty()) {
            e.set("attachments", atts);
        }
        flags(m, custom);
        if (m.receivedAt() != null && m.sentAt() != null) {
            custom(custom, "Received", UTC.format(Instant.ofEpochMilli(m.receivedAt())));
        }
        if (m.serverAt() != null) {
            custom(custom, "Server time", UTC.format(Instant.ofEpochMilli(m.serverAt())));
        }
        if (m.event() != null) {
            custom(custom, "System event", m.event().type().name().toLowerCase(Locale.ROOT));
            if (m.event().targetIds() != null && !m.event().targetIds().isEmpty()) {
                custom(custom, "About", String.join(", ", m.event().targetIds().stream().map(this::name).toList()));
            }
            if (m.event().call() != null) {
                custom(custom, "Call", json(m.event().call()));
            }
            if (m.event().timerSeconds() != null) {
                custom(custom, "Timer (seconds)", String.valueOf(m.event().timerSeconds()));
            }
            extra(custom, m.event().details());
        }
        if (m.sticker() != null) {
            custom(custom, "Sticker", json(m.sticker()));
        }
        if (!m.previews().isEmpty()) {
            custom(custom, "Link previews", json(m.previews()));
        }
        if (!m.contacts().isEmpty()) {
            custom(custom, "Shared contacts", json(m.contacts()));
        }
        if (m.poll() != null) {
            custom(custom, "Poll", json(m.poll()));
        }
        if (!m.ranges().isEmpty()) {
            custom(custom, "Text styles", json(m.ranges()));
        }
        extra(custom, m.extra());
        if (!custom.isEmpty()) {
            e.set("custom", custom);
        }
        transcript(m, at, who, body, text);
        return e;
    }

    private static String type(Message m) {
        if (m.direction() != Direction.SYSTEM && m.event() == null) {
            return "message";
        }
        if (m.event() != null && m.event().type() == EventType.JOINED) {
            return "join";
        }
        // Calls, group and timer changes, safety-number changes: notices from the app, not a person's words.
        return "disclaimer";
    }

    /** The event's text: the body with mentions as "@name", or the system event's description. */
    String body(Message m) {
        String b = m.body() == null ? "" : PlainBody.of(m.body(), m.ranges(), this::name);
        if (b.isEmpty() && m.event() != null && m.event().text() != null) {
            return m.event().text();
        }
        if (b.isEmpty() && m.poll() != null) {
            return "Poll: " + m.poll().question();
        }
        return b;
    }

    private void reactions(Message m, ObjectNode e) {
        Map<String, List<String>> byEmoji = new LinkedHashMap<>();
        for (Reaction r : m.reactions()) {
            if (r.emoji() == null || r.emoji().isEmpty()) {
                continue;
            }
            List<String> who = byEmoji.computeIfAbsent(r.emoji(), k -> new ArrayList<>());
            if (r.participantId() != null) {
                who.add(r.participantId());
            }
        }
        if (byEmoji.isEmpty()) {
            return;
        }
        ArrayNode rs = e.putArray("reactions");
        byEmoji.forEach((emoji, who) -> {
            ObjectNode r = rs.addObject();
            r.put("value", emoji);
            r.put("count", Math.max(who.size(), 1));
            ArrayNode ps = r.putArray("participants");
            who.forEach(ps::add);
        });
    }

    /** Model: earlier versions oldest first, the message holds the current one. RSMF: one edit per change. */
    private void edits(Message m, String who, ObjectNode e) {
        List<EditVersion> vs = m.edits();
        if (vs.isEmpty() || who == null) {
            return;
        }
        ArrayNode edits = e.putArray("edits");
        for (int i = 0; i < vs.size(); i++) {
            EditVersion v = vs.get(i);
            boolean last = i == vs.size() - 1;
            String next = last ? body(m) : PlainBody.of(Objects.toString(vs.get(i + 1).body()), vs.get(i + 1).ranges(),
                    this::name);
            Long when = last ? m.sentAt() : vs.get(i + 1).sentAt();
            ObjectNode ed = edits.addObject();
            ed.put("participant", who);
            if (when != null) {
                ed.put("timestamp", UTC.format(Instant.ofEpochMilli(when)));
            }
            ed.put("previous", PlainBody.of(Objects.toString(v.body()), v.ranges(), this::name));
            ed.put("new", next);
        }
    }

    private static final class Objects {
        static String toString(String s) {
            return s == null ? "" : s;
        }
    }

    private void receipts(Message m, ObjectNode e, ArrayNode custom) {
        ArrayNode rr = NODES.arrayNode();
        for (Receipt r : m.receipts()) {
            String action = r.status() == DeliveryStatus.READ || r.status() == DeliveryStatus.VIEWED ? "read"
                    : r.status() == DeliveryStatus.DELIVERED ? "delivered" : null;
            if (action == null || r.participantId() == null) {
                custom(custom, "Receipt " + name(r.participantId()), r.status() == null ? "unknown"
                        : r.status().name().toLowerCase(Locale.ROOT));
                continue;
            }
            ObjectNode o = rr.addObject();
            o.put("participant", r.participantId());
            if (r.at() != null) {
                o.put("timestamp", UTC.format(Instant.ofEpochMilli(r.at())));
            }
            o.put("action", action);
            if (r.status() == DeliveryStatus.VIEWED) {
                custom(custom, "Viewed by", name(r.participantId()));
            }
        }
        if (!rr.isEmpty()) {
            e.set("read_receipts", rr);
        }
    }

    private static void flags(Message m, ArrayNode custom) {
        var f = m.flags();
        if (f.viewOnce()) {
            custom(custom, "View once", f.erased() ? "yes, content erased after viewing" : "yes");
        }
        if (f.expireTimerSeconds() != null) {
            custom(custom, "Disappearing timer (seconds)", String.valueOf(f.expireTimerSeconds()));
        }
        if (f.expirationStartAt() != null) {
            custom(custom, "Timer started", UTC.format(Instant.ofEpochMilli(f.expirationStartAt())));
        }
        if (f.read() != null) {
            custom(custom, "Read by the owner", f.read() ? "yes" : "no");
        }
    }

    private static String display(Attachment a, String fallback) {
        if (a.fileName() != null && !a.fileName().isBlank()) {
            return a.fileName();
        }
        return a.kind() != null ? a.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + fallback + ")"
                : fallback;
    }

    private static String describe(Attachment a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("fileName", a.fileName());
        d.put("contentType", a.contentType());
        d.put("size", a.size());
        d.put("sha256", a.sha256());
        d.put("kind", a.kind());
        d.put("caption", a.caption());
        d.put("width", a.width());
        d.put("height", a.height());
        d.put("durationMs", a.durationMs());
        d.put("availability", a.availability());
        d.put("missingReason", a.missingReason());
        d.values().removeIf(java.util.Objects::isNull);
        return json(d);
    }

    static String fileName(String storePath) {
        return storePath.substring(storePath.lastIndexOf('/') + 1);
    }

    private void transcript(Message m, Long at, String who, String body, StringBuilder out) {
        out.append('[').append(at == null ? "time unknown" : times.full(at))
                .append("] ").append(name(who));
        if (m.direction() == Direction.SYSTEM || m.event() != null) {
            out.append(" (system)");
        }
        out.append(": ");
        if (m.flags().deletedForEveryone()) {
            out.append("[deleted] ");
        }
        out.append(body.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\n    ")).append('\n');
        if (m.quote() != null && m.quote().text() != null) {
            out.append("    replying to ").append(name(m.quote().authorId())).append(": ")
                    .append(shorten(m.quote().text())).append('\n');
        }
        if (!m.edits().isEmpty()) {
            out.append("    edited ").append(m.edits().size()).append(m.edits().size() == 1 ? " time" : " times")
                    .append('\n');
        }
        for (Attachment a : m.attachments()) {
            out.append("    attachment: ").append(display(a, "unnamed"))
                    .append(a.storePath() == null ? " (not available)" : "").append('\n');
        }
        if (!m.reactions().isEmpty()) {
            out.append("    reactions:");
            for (Reaction r : m.reactions()) {
                out.append(' ').append(r.emoji()).append(' ').append(name(r.participantId())).append(';');
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        }
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 120 ? one : one.substring(0, 117) + "...";
    }

    /** Adds {name, value} when the value is not empty (the schema's minLength 1). */
    static void custom(ArrayNode custom, String name, String value) {
        if (name == null || name.isBlank() || value == null || value.isBlank()) {
            return;
        }
        ObjectNode o = custom.addObject();
        o.put("name", name);
        o.put("value", value);
    }

    private static void extra(ArrayNode custom, Map<String, Object> extra) {
        if (extra == null) {
            return;
        }
        new TreeMap<>(extra).forEach((k, v) -> custom(custom, k, v instanceof String s ? s : json(v)));
    }

    static String json(Object o) {
        try {
            return o == null ? null : JSON_COMPACT.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }

    private static final ObjectMapper JSON_COMPACT = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
}
