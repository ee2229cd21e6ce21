package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.source.SourceException;

/** The Signal Desktop reader against profiles built by Signal's own SQLCipher build. */
class SignalDesktopReaderTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final String CAROL = "cccccccc-0000-4000-8000-000000000003";
    static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    static Path tmp;
    static Path profile;

    @BeforeAll
    static void build() {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100").key(KEY);
        String self = spec.noteToSelf("c-self", "Owen Owner");
        String bob = spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        String carol = spec.privateChat("c-carol", "Carol Кэрол", "+15555550103", CAROL);
        spec.privateChat("c-nobody", "Never Wrote", "+15555550109", "dddddddd-0000-4000-8000-000000000009");
        String group = spec.group("c-group", "Climbing 🧗", "Z3JvdXAtaWQtMzItYnl0ZXMtbG9uZy4uLi4uLi4uLi4=",
                List.of(self, bob, carol));
        spec.incoming(bob, "m1", T0, "Hi 👋 — ça va?");
        spec.outgoing(bob, "m2", T0 + 60_000, "Fine, thanks!", Map.of(
                "sendStateByConversationId", Map.of(bob, Map.of("status", "Read", "updatedAt", T0 + 90_000),
                        self, Map.of("status", "Sent"))));
        spec.incoming(bob, "m3", T0 + 120_000, "Bold and @", null, Map.of(
                "bodyRanges", List.of(Map.of("start", 0, "length", 4, "style", 1),
                        Map.of("start", 9, "length", 1, "mentionAci", OWN)),
                "reactions", List.of(Map.of("emoji", "❤️", "fromId", self, "targetTimestamp", T0 + 120_000,
                        "timestamp", T0 + 130_000)),
                "quote", Map.of("id", T0 + 60_000, "authorAci", OWN, "text", "Fine, thanks!",
                        "attachments", List.of(), "referencedMessageNotFound", false)));
        spec.outgoing(bob, "m4", T0 + 180_000, "second version", Map.of(
                "editHistory", List.of(
                        Map.of("body", "second version", "timestamp", T0 + 200_000),
                        Map.of("body", "first version", "timestamp", T0 + 180_000))));
        spec.incoming(group, "g1", T0 + 240_000, "Привет всем", CAROL, Map.of());
        spec.incoming(group, "g2", T0 + 300_000, "שלום", BOB, Map.of());
        spec.message(Map.of("conversationId", carol, "id", "call1", "type", "call-history", "sent_at", T0 + 400_000,
                "json", Map.of("callId", "4242")));
        spec.call(Map.of("callId", "4242", "peerId", CAROL, "mode", "Direct", "type", "Video",
                "direction", "Outgoing", "status", "Accepted", "timestamp", T0 + 400_000,
                "endedTimestamp", T0 + 400_000 + 125_000));
        spec.message(Map.of("conversationId", carol, "id", "timer1", "type", "timer-notification",
                "sent_at", T0 + 500_000, "sourceServiceId", CAROL,
                "json", Map.of("expirationTimerUpdate", Map.of("expireTimer", 604800, "sourceServiceId", CAROL))));
        spec.outgoing(self, "n1", T0 + 600_000, "note: buy rope");
        spec.incoming(carol, "w1", T0 + 700_000, "only in the WAL");
        spec.walUncheckpointed(1);
        profile = SignalProfiles.build(spec, tmp.resolve("profile"));
    }

    static List<Message> messages(SignalDesktopReader r, String title) throws SourceException {
        Conversation c = r.conversations().stream().filter(x -> x.title().equals(title)).findFirst().orElseThrow();
        List<Message> out = new ArrayList<>();
        r.messages(c, out::add);
        return out;
    }

    @Test
    void conversationsParticipantsAndOwner() throws Exception {
        try (SignalDesktopReader r = SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults())) {
            assertEquals("signal:" + OWN, r.ownerId());
            Map<String, Participant> people = r.participants().stream()
                    .collect(Collectors.toMap(Participant::id, p -> p));
            assertTrue(people.get("signal:" + OWN).owner());
            assertEquals("Bob Builder", people.get("signal:" + BOB).displayName());
            assertEquals("profile", people.get("signal:" + BOB).nameSource());
            assertEquals("+15555550102", people.get("signal:" + BOB).phone());

            List<String> titles = r.conversations().stream().map(Conversation::title).toList();
            // Sorted by title; the contact who never wrote has no conversation in the archive.
            assertEquals(List.of("Bob Builder", "Carol Кэрол", "Climbing 🧗", "Note to Self"), titles);
            assertEquals(1L, r.excluded().get("conversationsWithoutMessages"));
            Conversation group = r.conversations().get(2);
            assertEquals(ConversationKind.GROUP, group.kind());
            assertEquals(List.of("signal:" + OWN, "signal:" + BOB, "signal:" + CAROL), group.participantIds());
            assertEquals(ConversationKind.NOTE_TO_SELF, r.conversations().get(3).kind());
            assertEquals(1830, r.info().schemaVersion());
            assertEquals("config.json key", r.info().keySource());
            assertTrue(r.info().databaseSha256().matches("[0-9a-f]{64}"));
        }
    }

    @Test
    void directMessagesInTimelineOrderWithSendersAndTimes() throws Exception {
        try (SignalDesktopReader r = SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults())) {
            List<Message> bob = messages(r, "Bob Builder");
            assertEquals(List.of("m1", "m2", "m3", "m4"), bob.stream().map(m -> m.extra().get("sourceRowId")).toList());
            // Ids are Signal's own message identity: conversation, author, sent time.
            String conv = "signal-direct:" + BOB;
            assertEquals(List.of("signal-sent:" + conv + "/signal:" + BOB + "/" + T0,
                    "signal-sent:" + conv + "/signal:" + OWN + "/" + (T0 + 60_000)),
                    bob.stream().limit(2).map(Message::id).toList());
            Message m1 = bob.get(0);
            assertEquals(Direction.INCOMING, m1.direction());
            assertEquals("signal:" + BOB, m1.senderId());
            assertEquals(T0, m1.sentAt());
            assertNotNull(m1.receivedAt());
            assertTrue(m1.receivedAt() >= T0, "received_at_ms is a wall-clock time, not the counter");
            assertEquals("Hi 👋 — ça va?", m1.body());
            Message m2 = bob.get(1);
            assertEquals(Direction.OUTGOING, m2.direction());
            assertEquals("signal:" + OWN, m2.senderId());
            assertEquals(1, m2.receipts().size(), "the owner's own send state is not a receipt");
            assertEquals(DeliveryStatus.READ, m2.receipts().get(0).status());
            assertEquals("signal:" + BOB, m2.receipts().get(0).participantId());
        }
    }

    @Test
    void rangesReactionsQuotesAndEdits() throws Exception {
        try (SignalDesktopReader r = SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults())) {
            List<Message> bob = messages(r, "Bob Builder");
            Message m3 = bob.get(2);
            assertEquals(2, m3.ranges().size());
            assertEquals(RangeStyle.BOLD, m3.ranges().get(0).style());
            assertEquals(RangeStyle.MENTION, m3.ranges().get(1).style());
            assertEquals("signal:" + OWN, m3.ranges().get(1).mentionId());
            assertEquals("❤️", m3.reactions().get(0).emoji());
            assertEquals("signal:" + OWN, m3.reactions().get(0).participantId());
            assertEquals(T0 + 130_000, m3.reactions().get(0).at());
            assertEquals(bob.get(1).id(), m3.quote().messageId());
            assertEquals("signal:" + OWN, m3.quote().authorId());
            Message m4 = bob.get(3);
            assertEquals("second version", m4.body());
            assertEquals(1, m4.edits().size());
            assertEquals("first version", m4.edits().get(0).body());
            assertEquals(T0 + 180_000, m4.edits().get(0).sentAt());
        }
    }

    @Test
    void groupSendersSystemEventsAndWalRows() throws Exception {
        try (SignalDesktopReader r = SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults())) {
            List<Message> group = messages(r, "Climbing 🧗");
            assertEquals(List.of("signal:" + CAROL, "signal:" + BOB), group.stream().map(Message::senderId).toList());
            assertEquals("שלום", group.get(1).body());

            List<Message> carol = messages(r, "Carol Кэрол");
            Message call = carol.get(0);
            assertEquals(Direction.SYSTEM, call.direction());
            assertEquals(EventType.CALL, call.event().type());
            assertEquals("video", call.event().call().media());
            assertEquals(Direction.OUTGOING, call.event().call().direction());
            assertEquals(125_000L, call.event().call().durationMs());
            assertEquals("Outgoing video call, 2:05", call.event().text());
            assertEquals(r.ownerId(), call.event().actorId(), "an outgoing call is made by the owner");
            Message timer = carol.get(1);
            assertEquals(EventType.TIMER_CHANGE, timer.event().type());
            assertEquals(604800, timer.event().timerSeconds());
            assertEquals("Carol Кэрол set disappearing messages to 1 week.", timer.event().text());
            Message wal = carol.get(2);
            assertEquals("only in the WAL", wal.body());
            assertTrue(r.info().extra().get("walFramesApplied") instanceof Integer n && n > 0);
        }
    }

    @Test
    void explicitKeyWinsAndWrongKeyIsNamed() throws Exception {
        try (SignalDesktopReader r = SignalDesktopReader.open(profile, new SignalDesktopReader.Options(KEY, null, null))) {
            assertEquals("--key", r.info().keySource());
        }
        String wrong = KEY.replace('0', '1');
        SourceException e = assertThrows(SourceException.class,
                () -> SignalDesktopReader.open(profile, new SignalDesktopReader.Options(wrong, null, null)));
        assertEquals(SourceException.Kind.WRONG_KEY, e.kind());
        assertTrue(e.getMessage().contains("page 1"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), "the key is never echoed");

        SourceException bad = assertThrows(SourceException.class,
                () -> SignalDesktopReader.open(profile, new SignalDesktopReader.Options("abc", null, null)));
        assertEquals(SourceException.Kind.KEY_UNAVAILABLE, bad.kind());
    }

    @Test
    void notAProfile(@TempDir Path dir) throws Exception {
        SourceException missing = assertThrows(SourceException.class,
                () -> SignalDesktopReader.open(dir.resolve("nope"), SignalDesktopReader.Options.defaults()));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, missing.kind());
        assertTrue(missing.getMessage().contains("does not exist"));

        SourceException noConfig = assertThrows(SourceException.class,
                () -> SignalDesktopReader.open(dir, SignalDesktopReader.Options.defaults()));
        assertTrue(noConfig.getMessage().contains("config.json is missing"), noConfig.getMessage());

        Files.writeString(dir.resolve("config.json"), "{\"key\":\"" + KEY + "\"}");
        SourceException noDb = assertThrows(SourceException.class,
                () -> SignalDesktopReader.open(dir, SignalDesktopReader.Options.defaults()));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, noDb.kind());
        assertTrue(noDb.getMessage().contains("sql/db.sqlite"), noDb.getMessage());

        Files.writeString(dir.resolve("config.json"), "{\"encryptedKey\":\"763131ab\",\"safeStorageBackend\":\"gnome_libsecret\"}");
        Files.createDirectories(dir.resolve("sql"));
        Files.write(dir.resolve("sql/db.sqlite"), new byte[8192]);
        SourceException wrapped = assertThrows(SourceException.class,
                () -> SignalDesktopReader.open(dir, SignalDesktopReader.Options.defaults()));
        assertEquals(SourceException.Kind.KEY_UNAVAILABLE, wrapped.kind());
        assertTrue(wrapped.getMessage().contains("gnome_libsecret") && wrapped.getMessage().contains("--key"),
                wrapped.getMessage());
    }

    @Test
    void newerSchemaIsReadWithAWarning(@TempDir Path dir) throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, null).schemaVersion(1990);
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", BOB);
        spec.incoming(bob, "m1", T0, "from the future");
        Path p = SignalProfiles.build(spec, dir.resolve("p"));
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("1990") && w.contains("newer")), r.warnings().toString());
            assertEquals("from the future", messages(r, "Bob").get(0).body());
        }
    }

    @Test
    void groupChangesAndPollsReadLikeTheApp(@TempDir Path dir) throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, null);
        String self = spec.noteToSelf("c-self", "Owen Owner");
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", BOB);
        String carol = spec.privateChat("c-carol", "Carol", "+15555550103", CAROL);
        String group = spec.group("c-group", "Hikers", "Z3JvdXAtaWQtMzItYnl0ZXMtbG9uZy4uLi4uLi4uLi4=",
                List.of(self, bob, carol));
        spec.message(Map.of("conversationId", group, "id", "gc1", "type", "group-v2-change", "sent_at", T0,
                "json", Map.of("groupV2Change", Map.of("from", OWN, "details", List.of(
                        Map.of("type", "create"),
                        Map.of("type", "member-add", "aci", BOB),
                        Map.of("type", "title", "newTitle", "Hikers"),
                        Map.of("type", "member-privilege", "aci", CAROL, "newPrivilege", 2),
                        Map.of("type", "frobnicate"))))));
        spec.message(Map.of("conversationId", group, "id", "gc2", "type", "group-v2-change", "sent_at", T0 + 1000,
                "json", Map.of("groupV2Change", Map.of("from", BOB, "details", List.of(
                        Map.of("type", "member-remove", "aci", BOB))))));
        spec.outgoing(group, "p1", T0 + 2000, "", Map.of("poll", Map.of("question", "Which trail?",
                "options", List.of("North ridge", "Lake loop"), "allowMultiple", false, "terminatedAt", T0 + 9000,
                "votes", List.of(
                        Map.of("fromConversationId", bob, "optionIndexes", List.of(0), "voteCount", 1, "timestamp", T0 + 3000),
                        Map.of("fromConversationId", bob, "optionIndexes", List.of(1), "voteCount", 2, "timestamp", T0 + 4000),
                        Map.of("fromConversationId", carol, "optionIndexes", List.of(1), "voteCount", 1, "timestamp", T0 + 5000)))));
        spec.message(Map.of("conversationId", group, "id", "u1", "type", "some-future-notification",
                "sent_at", T0 + 3000, "json", Map.of("futureField", Map.of("x", 1))));
        Path p = SignalProfiles.build(spec, dir.resolve("p"));
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            List<Message> ms = messages(r, "Hikers");
            Message created = ms.get(0);
            assertEquals(EventType.GROUP_CHANGE, created.event().type());
            assertEquals("signal:" + OWN, created.event().actorId());
            assertEquals("Owen Owner created the group. Owen Owner added Bob. Owen Owner changed the group name to"
                    + " \u201cHikers\u201d. Owen Owner made Carol an admin. Group change \u201cfrobnicate\u201d.",
                    created.event().text());
            assertEquals(List.of("signal:" + BOB, "signal:" + CAROL), created.event().targetIds());
            assertEquals("Bob left the group.", ms.get(1).event().text());

            var poll = ms.get(2).poll();
            assertEquals("Which trail?", poll.question());
            assertTrue(poll.ended());
            assertEquals(List.of(), poll.options().get(0).voterIds(), "Bob's later vote replaced his first");
            assertEquals(List.of("signal:" + BOB, "signal:" + CAROL), poll.options().get(1).voterIds());

            Message unknown = ms.get(3);
            assertEquals(EventType.OTHER, unknown.event().type());
            assertEquals("some-future-notification", unknown.extra().get("signalType"));
            assertEquals(Map.of("x", 1), unknown.extra().get("futureField"), "unknown data is kept, not dropped");

            var count = r.sourceCount(r.conversations().stream().filter(c -> c.title().equals("Hikers")).findFirst().orElseThrow());
            assertEquals(4, count.rows());
        }
    }

    @Test
    void sameSenderAndSentTimeStillGiveDistinctIds(@TempDir Path dir) throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, null);
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", BOB);
        spec.incoming(bob, "d1", T0, "first copy");
        spec.incoming(bob, "d2", T0, "second row, same sender and time");
        spec.outgoing(bob, "d3", T0, "mine, same time");
        Path p = SignalProfiles.build(spec, dir.resolve("p"));
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            List<String> ids = messages(r, "Bob").stream().map(Message::id).toList();
            String base = "signal-sent:signal-direct:" + BOB + "/signal:" + BOB + "/" + T0;
            assertEquals(List.of(base, base + "/2", "signal-sent:signal-direct:" + BOB + "/signal:" + OWN + "/" + T0), ids);
        }
    }

    @Test
    void rowsSharingASentTimeAreNumberedInRowOrderNotTimelineOrder(@TempDir Path dir) throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, null);
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", BOB);
        // The first row stored was received last: the timeline shows it second, but it keeps the plain id.
        spec.message(Map.of("id", "e1", "conversationId", bob, "type", "incoming", "sent_at", T0,
                "received_at", T0 + 5000, "body", "stored first, received later"));
        spec.message(Map.of("id", "e2", "conversationId", bob, "type", "incoming", "sent_at", T0,
                "received_at", T0 + 1000, "body", "stored second, received earlier"));
        spec.incoming(bob, "e3", T0 + 1, "another time");
        Path p = SignalProfiles.build(spec, dir.resolve("p"));
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            List<Message> ms = messages(r, "Bob");
            String base = "signal-sent:signal-direct:" + BOB + "/signal:" + BOB + "/" + T0;
            assertEquals(List.of("stored second, received earlier", "stored first, received later", "another time"),
                    ms.stream().map(Message::body).toList());
            assertEquals(List.of(base + "/2", base, "signal-sent:signal-direct:" + BOB + "/signal:" + BOB + "/"
                    + (T0 + 1)), ms.stream().map(Message::id).toList());
        }
    }

    /**
     * The shared sent times can be read per conversation (for a run that reads a few conversations) or for the
     * whole table, and rows are numbered the same either way: rows sharing a time, sender and type in several
     * conversations, split by type or sender, a time shared with another conversation only, rows without a sent
     * time. The per-conversation query walks an index on conversationId, not the whole table.
     */
    @Test
    void rowsSharingASentTimeGetTheSameIdsWhetherTimesAreReadPerConversationOrForTheWholeTable(@TempDir Path dir)
            throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, null).key(KEY);
        String self = spec.noteToSelf("c-self", "Owen Owner");
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", BOB);
        String carol = spec.privateChat("c-carol", "Carol", "+15555550103", CAROL);
        String group = spec.group("c-group", "Group", "Z3JvdXAtaWQtMzItYnl0ZXMtbG9uZy4uLi4uLi4uLi4=",
                List.of(self, bob, carol));
        spec.incoming(bob, "b1", T0, "first");
        spec.incoming(bob, "b2", T0, "second, same sender and time");
        spec.outgoing(bob, "b3", T0, "mine, same time");
        spec.outgoing(bob, "b4", T0, "mine again, same time");
        spec.incoming(bob, "b5", T0 + 7, "a time Carol's chat has too");
        spec.incoming(carol, "k1", T0 + 7, "not shared in this chat");
        spec.incoming(carol, "k2", T0 + 8, "one");
        spec.incoming(carol, "k3", T0 + 8, "two");
        spec.incoming(carol, "k4", T0 + 8, "three");
        spec.incoming(group, "g1", T0 + 9, "Carol", CAROL, Map.of());
        spec.incoming(group, "g2", T0 + 9, "Bob", BOB, Map.of());
        spec.incoming(group, "g3", T0 + 9, "Carol again", CAROL, Map.of());
        for (int i = 0; i < 40; i++) {
            spec.outgoing(self, "n" + i, T0 + 100 + i / 2, "note " + i); // pairs of own notes sharing a time
        }
        Path p = SignalProfiles.build(spec, dir.resolve("p"));
        SignalProfiles.execute(p, KEY, "INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp,"
                + " received_at, json) VALUES ('u1', 'c-bob', 'incoming', 'no time', NULL, " + (T0 + 30) + ", "
                + (T0 + 20) + ", '{}'), ('u2', 'c-bob', 'incoming', 'no time either', NULL, " + (T0 + 30) + ", "
                + (T0 + 21) + ", '{}')");

        Map<String, List<String>> whole = new java.util.TreeMap<>();
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            for (Conversation c : r.conversations()) {
                whole.put(c.title(), messages(r, c.title()).stream().map(Message::id).toList());
            }
            assertFalse(r.duplicatesInUse().perConversation(), "read without a plan: one pass over the table");
        }
        String base = "signal-sent:signal-direct:" + BOB + "/signal:" + BOB + "/" + T0;
        String mine = "signal-sent:signal-direct:" + BOB + "/signal:" + OWN + "/" + T0;
        assertEquals(List.of(base, base + "/2", mine, mine + "/2"), whole.get("Bob").subList(0, 4));
        assertTrue(whole.get("Bob").stream().noneMatch(id -> id.contains("/" + (T0 + 7) + "/")), whole.toString());
        assertEquals(7, new java.util.HashSet<>(whole.get("Bob")).size(), whole.toString());
        assertTrue(whole.get("Carol").get(3).endsWith("/" + (T0 + 8) + "/3"), whole.toString());
        assertTrue(whole.get("Group").get(2).endsWith("/" + (T0 + 9) + "/2"), whole.toString());
        assertEquals(40, new java.util.HashSet<>(whole.get("Note to Self")).size());

        for (String planned : whole.keySet()) {
            try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
                r.willRead(r.conversations().stream().filter(c -> c.title().equals(planned)).toList());
                Map<String, List<String>> each = new java.util.TreeMap<>();
                each.put(planned, messages(r, planned).stream().map(Message::id).toList());
                for (Conversation c : r.conversations()) { // asked for others too: still per conversation
                    each.put(c.title(), messages(r, c.title()).stream().map(Message::id).toList());
                }
                assertEquals(!planned.equals("Note to Self"), r.duplicatesInUse().perConversation(),
                        planned + ": per conversation unless the planned rows are a large part of all");
                assertEquals(whole, each, planned);
            }
        }
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            r.willRead(r.conversations());
            messages(r, "Bob");
            assertFalse(r.duplicatesInUse().perConversation(), "every conversation planned: one pass");
        }

        try (org.chatarchive.readers.sqlcipher.DecryptedDatabase db = org.chatarchive.readers.sqlcipher.DecryptedDatabase
                .open(p.resolve("sql").resolve("db.sqlite"), org.chatarchive.readers.sqlcipher.SqlCipherKey.parse(KEY),
                        org.chatarchive.readers.sqlcipher.OpenOptions.defaults());
             java.sql.PreparedStatement st = db.connection().prepareStatement("EXPLAIN QUERY PLAN "
                     + DuplicateSentTimes.OF_CONVERSATION)) {
            st.setString(1, "c-bob");
            StringBuilder plan = new StringBuilder();
            try (java.sql.ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append('\n');
                }
            }
            assertTrue(plan.toString().matches("(?s).*SEARCH messages USING (COVERING )?INDEX \\w+ \\(conversationId=\\?.*"),
                    plan.toString());
        }
    }

    @Test
    void orphanMessagesAreKeptNotDropped(@TempDir Path dir) throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, null).allowOrphanMessages();
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", BOB);
        spec.incoming(bob, "m1", T0, "normal");
        spec.message(Map.of("conversationId", "c-gone", "id", "o1", "type", "incoming", "sent_at", T0 + 1,
                "body", "my conversation row is gone", "sourceServiceId", BOB));
        Path p = SignalProfiles.build(spec, dir.resolve("p"));
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            List<Message> orphans = messages(r, "Messages without a conversation");
            assertEquals(1, orphans.size());
            assertEquals("my conversation row is gone", orphans.get(0).body());
            assertEquals("signal:" + BOB, orphans.get(0).senderId());
            assertNull(r.excluded().get("conversationsWithoutMessages"));
        }
    }
}
