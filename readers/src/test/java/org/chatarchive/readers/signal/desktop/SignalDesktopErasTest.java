package org.chatarchive.readers.signal.desktop;

import org.chatarchive.fixtures.SignalEraCorpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.CanonicalJson;

/**
 * The reader against one profile per schema era (v38, v80, v1000, v1300, current), each holding the same
 * conversations ({@link SignalEraCorpus}): each era's export is compared with a committed golden file, the eras are
 * compared with each other, and every message row is accounted for.
 *
 * <p>Regenerate the golden files after an intended change with
 * {@code mvn -o -q -pl readers -am verify -Dtest=SignalDesktopErasTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dgolden.update=true}, then review the diff of {@code readers/src/test/resources/golden/} by eye.
 */
class SignalDesktopErasTest {

    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @TempDir
    static Path tmp;
    static final Map<String, Path> profiles = new LinkedHashMap<>();
    static final Map<String, Export> exports = new LinkedHashMap<>();

    /** What the reader made of one profile. */
    record Export(List<Conversation> conversations, Map<String, List<Message>> messages, Map<String, Long> excluded,
                  int schemaVersion, long walFrames) {
        List<Message> all() {
            return messages.values().stream().flatMap(List::stream).toList();
        }

        /** The same export with other conversations and messages (in one list). */
        Export with(List<Conversation> convs, List<Message> msgs) {
            return new Export(convs, Map.of("all", msgs), excluded, schemaVersion, walFrames);
        }
    }

    @BeforeAll
    static void build() throws Exception {
        for (String era : SignalEraCorpus.ERAS) {
            Path dir = SignalProfiles.build(SignalEraCorpus.spec(era), tmp.resolve(era));
            profiles.put(era, dir);
            exports.put(era, export(dir));
        }
    }

    static Export export(Path dir) throws Exception {
        try (SignalDesktopReader r = SignalDesktopReader.open(dir, SignalDesktopReader.Options.defaults())) {
            Map<String, List<Message>> messages = new LinkedHashMap<>();
            for (Conversation c : r.conversations()) {
                List<Message> list = new ArrayList<>();
                r.messages(c, list::add);
                messages.put(c.id(), list);
            }
            return new Export(r.conversations(), messages, r.excluded(), r.info().schemaVersion(),
                    ((Number) r.info().extra().get("walFramesApplied")).longValue());
        }
    }

    /** The golden form: each conversation, then its messages, one canonical JSON line each. */
    static String golden(Export e) throws IOException {
        StringWriter out = new StringWriter();
        for (Conversation c : e.conversations()) {
            CanonicalJson.line(out, Map.of("conversation", c));
            for (Message m : e.messages().get(c.id())) {
                CanonicalJson.line(out, m);
            }
        }
        return out.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v38", "v80", "v1000", "v1300", "current"})
    void exportMatchesGoldenFile(String era) throws IOException {
        Export e = exports.get(era);
        String actual = golden(e);
        Path file = GOLDEN.resolve(era + ".jsonl");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(file), "no golden file " + file + "; write it with -Dgolden.update=true");
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail(era + ": export differs from " + file + "\n" + firstDifference(expected, actual));
        }
    }

    /** The first line that differs, field by field. */
    static String firstDifference(String expected, String actual) throws IOException {
        String[] exp = expected.split("\n");
        String[] act = actual.split("\n");
        for (int i = 0; i < Math.max(exp.length, act.length); i++) {
            String x = i < exp.length ? exp[i] : null;
            String y = i < act.length ? act[i] : null;
            if (Objects.equals(x, y)) {
                continue;
            }
            if (x == null || y == null) {
                return "line " + (i + 1) + ": " + (x == null ? "unexpected extra line\n  + " + y : "missing line\n  - " + x);
            }
            Map<String, Object> mx = CanonicalJson.mapper().readValue(x, new TypeReference<>() { });
            Map<String, Object> my = CanonicalJson.mapper().readValue(y, new TypeReference<>() { });
            StringBuilder sb = new StringBuilder("line " + (i + 1) + " (" + mx.getOrDefault("id", "conversation")
                    + ") differs:\n");
            TreeSet<String> keys = new TreeSet<>(mx.keySet());
            keys.addAll(my.keySet());
            for (String k : keys) {
                if (!Objects.equals(mx.get(k), my.get(k))) {
                    sb.append("  ").append(k).append("\n    expected: ").append(mx.get(k))
                            .append("\n    actual:   ").append(my.get(k)).append('\n');
                }
            }
            return sb.toString();
        }
        return "(no line differs; line endings?)";
    }

    /** The fields every era has, as the reader maps them; equal across eras when the fallbacks are right. */
    static Map<String, Object> common(Message m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("conversation", m.conversationId());
        f.put("sender", m.senderId());
        f.put("direction", m.direction());
        f.put("sentAt", m.sentAt());
        f.put("receivedAt", m.receivedAt());
        f.put("serverAt", m.serverAt());
        f.put("body", m.body());
        f.put("ranges", m.ranges());
        f.put("quote", m.quote() == null ? null
                : List.of(String.valueOf(m.quote().messageId()), String.valueOf(m.quote().sentAt()),
                String.valueOf(m.quote().authorId()), String.valueOf(m.quote().text()), m.quote().ranges()));
        f.put("reactions", m.reactions());
        f.put("edits", m.edits().stream().map(v -> v.sentAt() + " " + v.body()).toList());
        f.put("receipts", m.receipts());
        f.put("read", m.flags().read());
        f.put("timer", m.flags().expireTimerSeconds());
        f.put("attachments", m.attachments().stream()
                .map(a -> a.contentType() + " " + a.fileName() + " " + a.size() + " " + a.width() + "x" + a.height())
                .toList());
        // The call's duration and the text naming it are left out: from 89 to 1210 callsHistory kept no end time.
        f.put("event", m.event() == null ? null
                : List.of(m.event().type(), String.valueOf(m.event().actorId()),
                m.event().call() == null ? "-" : List.of(String.valueOf(m.event().call().media()),
                        String.valueOf(m.event().call().direction()), String.valueOf(m.event().call().status()),
                        String.valueOf(m.event().call().startedAt())),
                String.valueOf(m.event().timerSeconds())));
        return f;
    }

    @Test
    void everyEraMapsTheSameContentToTheSameModel() {
        Export reference = exports.get("current");
        for (String era : SignalEraCorpus.ERAS) {
            Export e = sameGroupId(exports.get(era), reference);
            // Conversations agree but for extra (a GV1 group has groupVersion 1 and another groupId).
            assertEquals(reference.conversations().stream().map(c -> List.of(c.id(), c.kind(), c.title(),
                            c.participantIds())).toList(),
                    e.conversations().stream().map(c -> List.of(c.id(), c.kind(), c.title(), c.participantIds()))
                            .toList(), era + ": conversations");
            assertEquals(reference.all().stream().map(Message::id).toList(), e.all().stream().map(Message::id).toList(),
                    era + ": message ids and timeline order");
            for (int i = 0; i < e.all().size(); i++) {
                Message want = reference.all().get(i);
                Message got = e.all().get(i);
                Map<String, Object> a = common(want);
                Map<String, Object> b = common(got);
                if (!SignalEraCorpus.hasEdits(era)) {
                    a.remove("edits"); // the edited message is a plain one there
                }
                for (String k : a.keySet()) {
                    assertEquals(a.get(k), b.get(k), era + " " + got.id() + ": " + k + " differs from the current era");
                }
            }
        }
    }

    /**
     * A GV1 group (v38) has no master key, so its conversation id is its row id where later eras have
     * {@code signal-group:<master key>}; everything else must agree, so the comparison maps the one id onto
     * the other (in conversation and message ids) and nothing more.
     */
    private static Export sameGroupId(Export e, Export reference) {
        String gv1 = "signal-conv:c-group";
        String gv2 = reference.conversations().stream().map(Conversation::id).filter(i -> i.startsWith("signal-group:"))
                .findFirst().orElse(gv1);
        if (e.conversations().stream().noneMatch(c -> c.id().equals(gv1))) {
            return e;
        }
        java.util.function.UnaryOperator<String> fix = s -> s == null ? null : s.replace(gv1, gv2);
        List<Conversation> convs = e.conversations().stream().map(c -> new Conversation(fix.apply(c.id()), c.kind(),
                c.title(), c.participantIds(), c.avatar(), c.sourceApp(), c.extra())).toList();
        List<Message> all = e.all().stream().map(m -> new Message(fix.apply(m.id()), fix.apply(m.conversationId()),
                m.senderId(), m.direction(), m.sentAt(), m.receivedAt(), m.serverAt(), m.body(), m.ranges(),
                m.attachments(), m.quote() == null ? null : new org.chatarchive.model.Quote(fix.apply(m.quote().messageId()),
                        m.quote().sentAt(), m.quote().authorId(), m.quote().text(), m.quote().ranges(),
                        m.quote().attachments(), m.quote().referencedMessageNotFound()),
                m.reactions(), m.edits(), m.receipts(), m.flags(), m.previews(), m.sticker(), m.contacts(), m.poll(),
                m.event(), m.extra())).toList();
        return e.with(convs, all);
    }

    @Test
    void fallbacksGiveTheValuesTheCorpusHolds() {
        // Checked on every era, so that agreeing with each other cannot hide a shared mistake.
        for (String era : SignalEraCorpus.ERAS) {
            Map<String, Message> byId = new LinkedHashMap<>();
            exports.get(era).all().forEach(m -> byId.put((String) m.extra().get("sourceRowId"), m));
            Message b1 = byId.get("b1");
            assertEquals("signal:" + SignalEraCorpus.BOB, b1.senderId(), era);
            assertEquals(Boolean.TRUE, b1.flags().read(), era + ": the readStatus column wins over a stale JSON copy");
            assertNotNull(b1.receivedAt(), era);
            assertTrue(b1.receivedAt() > SignalEraCorpus.T0 && b1.receivedAt() < SignalEraCorpus.T0 + 5_000,
                    era + ": received_at_ms, not the counter: " + b1.receivedAt());
            assertNotNull(b1.serverAt(), era + ": serverTimestamp from the column or JSON");
            Message b3 = byId.get("b3");
            assertEquals("signal:" + SignalEraCorpus.OWN, b3.ranges().get(1).mentionId(), era + ": mention");
            assertEquals(byId.get("b2").id(), b3.quote().messageId(), era + ": quote target");
            assertEquals("signal:" + SignalEraCorpus.OWN, b3.quote().authorId(), era + ": quote author");
            assertEquals("signal:" + SignalEraCorpus.OWN, b3.reactions().get(0).participantId(), era + ": reactor");
            assertEquals(List.of("image/jpeg"), byId.get("b2").attachments().stream().map(a -> a.contentType()).toList(),
                    era + ": attachment from message_attachments or JSON");
            if (SignalEraCorpus.hasEdits(era)) {
                assertEquals("first version", byId.get("b4").edits().get(0).body(), era + ": edit history");
            }
            Message g1 = byId.get("g1");
            assertEquals("signal:" + SignalEraCorpus.CAROL, g1.senderId(), era + ": group sender");
            assertEquals("signal:" + SignalEraCorpus.BOB, g1.ranges().get(0).mentionId(), era);
            Message call = byId.get("call1");
            assertEquals("video", call.event().call().media(), era + ": call");
            assertEquals("accepted", call.event().call().status(), era);
            assertNotNull(call.event().actorId(), era + ": a call in a direct conversation has a caller");
            // Before 89 the message kept acceptedTime/endedTime; from 1210 callsHistory has endedTimestamp; in
            // between (migration 89 moved the details into callsHistory, which had no end time) it is unknown.
            assertEquals(era.equals("v1000") ? null : (Long) 125_000L, call.event().call().durationMs(), era);
            Message timer = byId.get("timer1");
            assertEquals(604800, timer.event().timerSeconds(), era);
            // The message names no sender; expirationTimerUpdate does (sourceUuid before 88).
            assertEquals("signal:" + SignalEraCorpus.CAROL, timer.event().actorId(), era + ": timer changed by");
            assertEquals("only in the WAL", byId.get("w1").body(), era + ": WAL message");
            // Before 1270 `source` was a NUMERIC-affinity column holding 15555550104 for "+15555550104".
            assertEquals("signal-phone:+15555550104", byId.get("d1").senderId(), era + ": sender by phone number");
            assertEquals(List.of("application/pdf"), byId.get("g3").attachments().stream()
                    .map(a -> a.contentType()).toList(), era);
            assertEquals("signal:" + SignalEraCorpus.CAROL, byId.get("w2").ranges().get(0).mentionId(), era);
            Conversation group = exports.get(era).conversations().stream()
                    .filter(c -> c.title().equals("Climbing 🧗")).findFirst().orElseThrow();
            assertEquals(List.of("signal:" + SignalEraCorpus.OWN, "signal:" + SignalEraCorpus.BOB, "signal:" + SignalEraCorpus.CAROL),
                    group.participantIds(), era + ": group members");
        }
    }

    /**
     * Before schema 20 a private conversation's id was the contact's phone number and there was no e164 column.
     * The generator cannot build such an old database, so a v38 profile holds one row of that shape.
     */
    @Test
    void conversationIdThatIsAPhoneNumber() throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(SignalEraCorpus.OWN, "+15555550100").key(SignalEraCorpus.KEY).era("v38");
        spec.conversation(Map.of("id", "+15555550105", "type", "private", "profileName", "Erin Early"));
        spec.message(Map.of("conversationId", "+15555550105", "id", "e1", "type", "incoming",
                "sent_at", SignalEraCorpus.T0, "body", "hello from 2019", "source", "+15555550105"));
        Export e = export(SignalProfiles.build(spec, tmp.resolve("phone-id")));
        Conversation c = e.conversations().get(0);
        assertEquals(List.of("signal:" + SignalEraCorpus.OWN, "signal-phone:+15555550105"), c.participantIds());
        assertEquals("Erin Early", c.title());
        assertEquals("signal-phone:+15555550105", e.messages().get(c.id()).get(0).senderId(),
                "the sender is the conversation's contact");
    }

    /**
     * Without received_at_ms (JSON only before 1270, absent in rows older than about schema 23), received_at is
     * a receipt time in ms in old rows, but a message counter in newer ones, which must not pass for a time.
     */
    @Test
    void receivedAtIsATimeOnlyInOldRows() throws Exception {
        long t0 = SignalEraCorpus.T0;
        long month = 30L * 24 * 60 * 60 * 1000;
        SignalProfileSpec spec = SignalProfileSpec.owner(SignalEraCorpus.OWN, "+15555550100").key(SignalEraCorpus.KEY).era("v38");
        spec.privateChat("c-bob", "Bob Builder", "+15555550102", SignalEraCorpus.BOB);
        Map<String, Object> noReceivedAtMs = new java.util.HashMap<>();
        noReceivedAtMs.put("received_at_ms", null);
        spec.message(Map.of("conversationId", "c-bob", "id", "old", "type", "incoming", "sent_at", t0,
                "received_at", t0 + 900, "body", "received_at was a time", "json", noReceivedAtMs));
        spec.message(Map.of("conversationId", "c-bob", "id", "new", "type", "incoming", "sent_at", t0 + month,
                "body", "received_at is a counter", "json", noReceivedAtMs));
        Export e = export(SignalProfiles.build(spec, tmp.resolve("received-at")));
        List<Message> m = e.all();
        assertEquals(List.of("old", "new"), m.stream().map(x -> x.extra().get("sourceRowId")).toList());
        assertEquals(t0 + 900, m.get(0).receivedAt(), "an old receipt time in ms");
        assertEquals(null, m.get(1).receivedAt(), "a counter (" + (t0 + 901) + ") is not a receipt time");
    }

    /** The profiles really have their era's shape, so that the tests above read what they claim to read. */
    @Test
    void eachProfileHasItsErasSchema() {
        Map<String, List<String>> present = Map.of(
                "v38", List.of("messages.unread", "messages.deprecatedSourceDevice", "messages.sourceUuid",
                        "conversations.uuid", "messages.source"),
                "v80", List.of("messages.readStatus", "messages.sourceUuid", "conversations.uuid",
                        "reactions.targetAuthorUuid", "edited_messages.fromId", "messages.isStory"),
                "v1000", List.of("messages.sourceServiceId", "conversations.serviceId", "mentions.mentionAci",
                        "callsHistory.callId", "messages.callId"),
                "v1300", List.of("messages.received_at_ms", "messages.serverTimestamp", "callsHistory.endedTimestamp"),
                "current", List.of("message_attachments.messageId", "messages.searchableText"));
        Map<String, List<String>> absent = Map.of(
                "v38", List.of("messages.readStatus", "messages.storyId", "edited_messages.messageId"),
                "v80", List.of("messages.deprecatedSourceDevice", "mentions.messageId", "callsHistory.callId",
                        "messages.mentionsMe"),
                "v1000", List.of("messages.received_at_ms", "messages.timestamp", "callsHistory.endedTimestamp"),
                "v1300", List.of("message_attachments.messageId", "messages.searchableText"),
                "current", List.of("messages.sourceUuid"));
        for (String era : SignalEraCorpus.ERAS) {
            List<Map<String, Object>> cols = SignalProfiles.query(profiles.get(era), SignalEraCorpus.KEY,
                    "SELECT m.name || '.' || c.name AS col FROM sqlite_master m, pragma_table_xinfo(m.name) c"
                            + " WHERE m.type = 'table'");
            List<String> names = cols.stream().map(r -> (String) r.get("col")).toList();
            for (String c : present.get(era)) {
                assertTrue(names.contains(c), era + " should have " + c);
            }
            for (String c : absent.get(era)) {
                assertFalse(names.contains(c), era + " should not have " + c);
            }
        }
        // A GV1 group keeps member conversation ids in its members column.
        assertEquals(List.of(Map.of("members", "c-self c-bob c-carol")), SignalProfiles.query(profiles.get("v38"),
                SignalEraCorpus.KEY, "SELECT members FROM conversations WHERE id = 'c-group'"));
        // Before 1270 `source` has NUMERIC affinity: the phone number is stored as an integer.
        assertEquals(List.of(Map.of("t", "integer")), SignalProfiles.query(profiles.get("v1000"), SignalEraCorpus.KEY,
                "SELECT typeof(source) AS t FROM messages WHERE id = 'd1'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v38", "v80", "v1000", "v1300", "current"})
    void everyMessageRowIsReadOrExcluded(String era) {
        Export e = exports.get(era);
        long rows = ((Number) SignalProfiles.query(profiles.get(era), SignalEraCorpus.KEY,
                "SELECT count(*) AS n FROM messages").get(0).get("n")).longValue();
        assertEquals(SignalEraCorpus.messages(era), rows, era + ": rows in the source");
        long read = e.all().size();
        long excluded = e.excluded().getOrDefault("stories", 0L);
        assertEquals(SignalEraCorpus.stories(era), excluded, era + ": stories excluded");
        assertEquals(rows, read + excluded, era + ": rows = read + excluded");
        assertTrue(e.walFrames() > 0, era + ": the WAL was replayed");
        if (era.equals("current")) {
            // g3's attachment has a message_attachments row; legacy b2 still keeps its own in JSON.
            assertEquals(List.of(Map.of("messageId", "g3")), SignalProfiles.query(profiles.get(era), SignalEraCorpus.KEY,
                    "SELECT messageId FROM message_attachments"), era);
        }
        int version = Map.of("v38", 38, "v80", 80, "v1000", 1000, "v1300", 1300, "current", 1830).get(era);
        assertEquals(version, e.schemaVersion(), era + ": user_version");
    }
}
