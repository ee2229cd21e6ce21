package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;

/**
 * The per-conversation fingerprints a backup uses to skip unchanged conversations: each kind of change Signal
 * Desktop makes to a database (written by Signal's own SQLCipher build, in place, through the WAL) changes the
 * fingerprint of exactly the conversation it touches, and what the reader gives for that conversation changes too
 * (so the change is one that matters); other conversations keep theirs.
 */
class ChangeFingerprintsTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final String CAROL = "cccccccc-0000-4000-8000-000000000003";
    static final long T0 = 1_710_000_000_000L;

    @TempDir
    static Path tmp;
    static Path base;
    static Snapshot before;

    record Snapshot(String context, Map<String, String> fingerprints, Map<String, List<Message>> messages) {
    }

    @BeforeAll
    static void build() throws Exception {
        SignalProfileSpec spec = threeChats();
        spec.message(Map.of("conversationId", "c-bob", "id", "b1", "type", "incoming", "sent_at", T0,
                "body", "are you there?", "readStatus", 1));
        spec.outgoing("c-bob", "b2", T0 + 1_000, "yes, on my way", Map.of("sendStateByConversationId",
                Map.of("c-bob", Map.of("status", "Delivered", "updatedAt", T0 + 2_000))));
        spec.message(Map.of("conversationId", "c-bob", "id", "b3", "type", "incoming", "sent_at", T0 + 3_000,
                "body", "the plan", "attachments", List.of(Map.of("contentType", "application/pdf", "size", 1234,
                        "fileName", "plan.pdf"))));
        spec.message(Map.of("conversationId", "c-bob", "id", "b4", "type", "call-history", "sent_at", T0 + 4_000,
                "json", Map.of("callId", "4711")));
        spec.call(Map.of("callId", "4711", "peerId", BOB, "mode", "Direct", "type", "Audio", "direction", "Incoming",
                "status", "Accepted", "timestamp", T0 + 4_000, "endedTimestamp", T0 + 64_000));
        spec.incoming("c-carol", "k1", T0 + 5_000, "lunch?");
        spec.outgoing("c-carol", "k2", T0 + 6_000, "sure");
        spec.outgoing("c-self", "s1", T0 + 7_000, "note to self");
        base = SignalProfiles.build(spec, tmp.resolve("base"));
        before = read(base);
    }

    /** The owner's note-to-self and direct chats with Bob and Carol, no messages yet. */
    static SignalProfileSpec threeChats() {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        spec.noteToSelf("c-self", "Owen Owner");
        spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        spec.privateChat("c-carol", "Carol Cook", "+15555550103", CAROL);
        return spec;
    }

    static Snapshot read(Path profile) throws Exception {
        try (SignalDesktopReader r = SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults())) {
            String context = r.contextFingerprint();
            Map<String, String> fp = r.conversationFingerprints();
            Map<String, List<Message>> messages = new TreeMap<>();
            for (Conversation c : r.conversations()) {
                List<Message> ms = new ArrayList<>();
                r.messages(c, ms::add);
                messages.put(c.id(), ms);
            }
            assertEquals(new TreeSet<>(messages.keySet()), new TreeSet<>(fp.keySet()),
                    "every listed conversation has a fingerprint");
            return new Snapshot(context, fp, messages);
        }
    }

    static Path copy(String name) throws Exception {
        Path to = tmp.resolve(name);
        org.chatarchive.fixtures.Trees.copy(base, to);
        return to;
    }

    /** The conversations whose value in {@code b} differs from that in {@code a}. */
    static <V> Set<String> changed(Map<String, V> a, Map<String, V> b) {
        Set<String> out = new TreeSet<>();
        b.forEach((id, v) -> {
            if (!v.equals(a.get(id))) {
                out.add(id);
            }
        });
        return out;
    }

    static Stream<Arguments> aChangeIsSeenInItsConversationOnlyCases() {
        return Stream.of(
                Arguments.of("new message", "INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp, received_at, json)"
                    + " VALUES ('b9', 'c-bob', 'incoming', 'one more', " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", "
                    + (T0 + 9_000) + ", '{}')"),
                Arguments.of("reaction", "UPDATE messages SET json = json_set(json, '$.reactions', json('[{\"emoji\":\"👍\",\"fromId\":"
                    + "\"c-self\",\"targetTimestamp\":" + T0 + ",\"timestamp\":" + (T0 + 8_000) + "}]')) WHERE id = 'b1';"
                    + " INSERT INTO reactions (conversationId, emoji, fromId, messageId, targetAuthorAci,"
                    + " targetTimestamp, timestamp, unread) VALUES ('c-bob', '👍', 'c-self', 'b1', '" + BOB + "', "
                    + T0 + ", " + (T0 + 8_000) + ", 0)"),
                Arguments.of("edit", "UPDATE messages SET body = 'yes, in five minutes', json = json_set(json, '$.editHistory',"
                    + " json('[{\"body\":\"yes, in five minutes\",\"timestamp\":" + (T0 + 9_000) + "},{\"body\":"
                    + "\"yes, on my way\",\"timestamp\":" + (T0 + 1_000) + "}]'), '$.editMessageTimestamp', "
                    + (T0 + 9_000) + ") WHERE id = 'b2'; INSERT INTO edited_messages (messageId, sentAt, readStatus,"
                    + " conversationId) VALUES ('b2', " + (T0 + 9_000) + ", 0, 'c-bob')"),
                Arguments.of("row deleted", "DELETE FROM messages WHERE id = 'b1'"),
                Arguments.of("deleted for everyone", "UPDATE messages SET body = NULL, json = json_set(json, '$.deletedForEveryone',"
                    + " json('true'), '$.deletedForEveryoneTimestamp', " + (T0 + 9_000) + ") WHERE id = 'b2'"),
                Arguments.of("read by the owner", "UPDATE messages SET readStatus = 0, seenStatus = 2 WHERE id = 'b1'"),
                Arguments.of("delivery receipt", "UPDATE messages SET json = json_set(json, '$.sendStateByConversationId.\"c-bob\".status',"
                    + " 'Read') WHERE id = 'b2'"),
                Arguments.of("attachment downloaded", "UPDATE message_attachments SET path = 'ab/abcdef', size = 1235,"
                    + " plaintextHash = '" + "ab".repeat(32) + "' WHERE messageId = 'b3'"),
                Arguments.of("call record", "UPDATE callsHistory SET status = 'Missed', endedTimestamp = NULL WHERE callId = '4711'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aChangeIsSeenInItsConversationOnlyCases")
    void aChangeIsSeenInItsConversationOnly(String kind, String sql) throws Exception {
        Path p = copy(kind.replace(' ', '-'));
        assertTrue(SignalProfiles.execute(p, SignalProfiles.keyOf(p), sql) > 0, "the change changed rows");
        Snapshot after = read(p);
        String bob = conversationOf(after, "c-bob");
        assertEquals(before.context(), after.context(), kind + ": the shared context is the same");
        assertEquals(Set.of(bob), changed(before.messages(), after.messages()),
                kind + ": the change shows in Bob's messages");
        assertEquals(Set.of(bob), changed(before.fingerprints(), after.fingerprints()),
                kind + ": only Bob's fingerprint changed");
    }

    static Stream<Arguments> whatChangesNoMessageChangesNoFingerprintCases() {
        return Stream.of(
                Arguments.of("conversation activity", "UPDATE conversations SET active_at = active_at + 1000,"
                    + " json = json_set(json, '$.timestamp', 123) WHERE id = 'c-bob'"),
                Arguments.of("search index only", "INSERT INTO messages_fts(messages_fts) VALUES ('optimize')"),
                Arguments.of("a column the reader does not read", "UPDATE messages SET schemaVersion = 15,"
                    + " hasAttachments = 0 WHERE id = 'b1'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("whatChangesNoMessageChangesNoFingerprintCases")
    void whatChangesNoMessageChangesNoFingerprint(String kind, String sql) throws Exception {
        Path p = copy("same-" + kind.replace(' ', '-'));
        int rows = SignalProfiles.execute(p, SignalProfiles.keyOf(p), sql);
        if (sql.startsWith("UPDATE")) {
            assertTrue(rows > 0, kind + ": the change changed rows"); // else the case would pass by doing nothing
        }
        Snapshot after = read(p);
        assertEquals(before.messages(), after.messages(), kind);
        assertEquals(before.context(), after.context(), kind);
        assertEquals(Set.of(), changed(before.fingerprints(), after.fingerprints()), kind);
    }

    static Stream<Arguments> aChangeToWhoIsWhoChangesTheContextCases() {
        return Stream.of(
                Arguments.of("contact renamed", "UPDATE conversations SET profileName = 'Robert', profileFullName = 'Robert Builder',"
                    + " json = json_set(json, '$.profileName', 'Robert') WHERE id = 'c-bob'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aChangeToWhoIsWhoChangesTheContextCases")
    void aChangeToWhoIsWhoChangesTheContext(String kind, String sql) throws Exception {
        Path p = copy("context-" + kind.replace(' ', '-'));
        assertTrue(SignalProfiles.execute(p, SignalProfiles.keyOf(p), sql) > 0, kind + ": the change changed rows");
        assertNotEquals(before.context(), read(p).context(), kind);
    }

    static Stream<Arguments> everyCase() {
        return Stream.of(aChangeIsSeenInItsConversationOnlyCases(), whatChangesNoMessageChangesNoFingerprintCases(),
                aChangeToWhoIsWhoChangesTheContextCases()).flatMap(s -> s);
    }

    /**
     * With a plaintext copy kept from the run before the change, the fingerprints found from the changed pages
     * (recomputed for the conversations those pages touch, carried for the others) are exactly those a reading of
     * the whole database gives, and so are the messages read through the copy. Changes that only add or update
     * rows are found from the pages, and so are removed messages (their conversation read from the copy).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCase")
    void fingerprintsFromChangedPagesAreThoseOfAWholeReading(String kind, String sql) throws Exception {
        Path p = copy("mirror-" + kind.replace(' ', '-'));
        Path mirror = tmp.resolve("mirror-of-" + kind.replace(' ', '-'));
        String baseline;
        Map<String, String> previous;
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults()
                .withIncremental(new SignalDesktopReader.Incremental(mirror, null, Map.of())))) {
            previous = r.conversationFingerprints();
            baseline = r.baseline();
            assertEquals(before.fingerprints(), previous, "fingerprints of the run that made the copy");
            assertTrue(String.valueOf(r.changeNote()).startsWith("Kept a private plaintext copy of the message tables"),
                    "the first run has no copy to compare with, and makes one: " + r.changeNote());
        }
        assertTrue(baseline != null && Files.isRegularFile(mirror.resolve("db.sqlite")), "the copy was made");
        SignalProfiles.execute(p, SignalProfiles.keyOf(p), sql);
        Snapshot whole = read(p);
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults()
                .withIncremental(new SignalDesktopReader.Incremental(mirror, baseline, previous)))) {
            assertEquals(whole.context(), r.contextFingerprint(), kind);
            assertEquals(whole.fingerprints(), r.conversationFingerprints(), kind);
            Map<String, List<Message>> messages = new TreeMap<>();
            for (Conversation c : r.conversations()) {
                List<Message> ms = new ArrayList<>();
                r.messages(c, ms::add);
                messages.put(c.id(), ms);
            }
            assertEquals(whole.messages(), messages, kind + ": the copy reads as the database does");
            {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("Changes found from (\\d+) changed"
                        + " database pages: (\\d+) of 3 conversations fingerprinted again").matcher(
                        String.valueOf(r.changeNote()));
                assertTrue(m.matches(), kind + ": " + r.changeNote());
                assertEquals(m.group(1).equals("0"), baseline.equals(r.baseline()),
                        kind + ": the source state is the same exactly when no page changed");
            }
        }
    }

    /**
     * A row removed from a table the fingerprints cover other than messages (a reaction taken back): the reader
     * cannot tell whose it was and computes every fingerprint, over the copy; they are still those of a whole reading.
     */
    @org.junit.jupiter.api.Test
    void aRemovedReactionMakesEveryFingerprintBeComputed() throws Exception {
        Path p = copy("reaction-removed");
        String key = SignalProfiles.keyOf(p);
        SignalProfiles.execute(p, key, "INSERT INTO reactions (conversationId, emoji, fromId, messageId,"
                + " targetAuthorAci, targetTimestamp, timestamp, unread) VALUES ('c-bob', '👍', 'c-self', 'b1', '" + BOB
                + "', " + T0 + ", " + (T0 + 8_000) + ", 0)");
        Path mirror = tmp.resolve("reaction-removed-mirror");
        MirrorCopyTest.FirstRun first = MirrorCopyTest.firstRun(p, mirror);
        String baseline = first.baseline();
        Map<String, String> fps = first.fingerprints();
        SignalProfiles.execute(p, key, "DELETE FROM reactions WHERE messageId = 'b1'");
        Snapshot whole = read(p);
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults()
                .withIncremental(new SignalDesktopReader.Incremental(mirror, baseline, fps)))) {
            assertEquals(whole.fingerprints(), r.conversationFingerprints());
            assertEquals(null, r.changeNote(), "every fingerprint computed");
            assertEquals(1, changed(fps, whole.fingerprints()).size());
        }
    }

    /**
     * Rows on pages of their own: a change to one conversation's rows, and a new message after the newest rows,
     * make only the conversation whose rows share those pages be fingerprinted again.
     */
    @org.junit.jupiter.api.Test
    void onlyConversationsWithRowsOnChangedPagesAreFingerprintedAgain() throws Exception {
        SignalProfileSpec spec = threeChats();
        for (int i = 0; i < 150; i++) {
            spec.outgoing("c-self", "s" + i, T0 + i, "note " + i + " " + "x".repeat(600));
        }
        for (int i = 0; i < 150; i++) {
            spec.incoming("c-carol", "k" + i, T0 + 1_000 + i, "carol " + i + " " + "y".repeat(600));
        }
        for (int i = 0; i < 20; i++) {
            spec.incoming("c-bob", "b" + i, T0 + 2_000 + i, "bob " + i + " " + "z".repeat(600));
        }
        Path p = SignalProfiles.build(spec, tmp.resolve("paged"));
        String key = SignalProfiles.keyOf(p);
        Path mirror = tmp.resolve("paged-mirror");
        MirrorCopyTest.FirstRun first = MirrorCopyTest.firstRun(p, mirror);
        String baseline = first.baseline();
        Map<String, String> fps = first.fingerprints();
        for (String sql : List.of("UPDATE messages SET body = 'carol, changed' WHERE id = 'k3'",
                "INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp, received_at, json) VALUES"
                        + " ('b99', 'c-bob', 'incoming', 'one more', " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", "
                        + (T0 + 9_000) + ", '{}')")) {
            SignalProfiles.execute(p, key, sql);
            Snapshot whole = read(p);
            try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults()
                    .withIncremental(new SignalDesktopReader.Incremental(mirror, baseline, fps)))) {
                assertEquals(whole.fingerprints(), r.conversationFingerprints(), sql);
                assertTrue(String.valueOf(r.changeNote()).endsWith(": 1 of 3 conversations fingerprinted again"),
                        sql + ": " + r.changeNote());
                assertEquals(1, changed(fps, whole.fingerprints()).size(), sql);
                fps = r.conversationFingerprints();
                baseline = r.baseline();
            }
        }
    }

    /**
     * The fingerprints of a subset of the conversations, which read only the call rows the subset's messages name,
     * are those of the whole reading: with calls in several conversations, a call named by two messages, a call
     * message without its row, a call row no message names, two rows of one call, and a call id with a quote.
     */
    @org.junit.jupiter.api.Test
    void aSubsetsFingerprintsWithCallsAreThoseOfTheWholeReading() throws Exception {
        SignalProfileSpec spec = threeChats();
        String[][] callMessages = {{"c-bob", "b1", "4711"}, {"c-bob", "b2", "4711"}, {"c-bob", "b3", "no-row"},
                {"c-carol", "k1", "it's"}, {"c-carol", "k2", "4712"}, {"c-self", "s1", "4713"}};
        for (int i = 0; i < callMessages.length; i++) {
            String[] m = callMessages[i];
            spec.message(Map.of("conversationId", m[0], "id", m[1], "type", "call-history", "sent_at", T0 + i * 1_000,
                    "json", Map.of("callId", m[2])));
        }
        for (String callId : List.of("4711", "it's", "4712", "4713", "unnamed")) {
            spec.call(Map.of("callId", callId, "peerId", callId.equals("4711") ? BOB : CAROL, "mode", "Direct",
                    "type", "Audio", "direction", "Incoming", "status", "Accepted", "timestamp", T0,
                    "endedTimestamp", T0 + 60_000));
        }
        spec.incoming("c-carol", "k3", T0 + 9_000, "no call");
        Path p = SignalProfiles.build(spec, tmp.resolve("calls"));
        // A second row of call 4712 (the schema's primary key left aside, as an older schema might have it).
        SignalProfiles.execute(p, SignalProfiles.keyOf(p), "CREATE TABLE calls2 AS SELECT * FROM callsHistory;"
                + " DROP TABLE callsHistory; ALTER TABLE calls2 RENAME TO callsHistory;"
                + " INSERT INTO callsHistory SELECT * FROM callsHistory WHERE callId = '4712';"
                + " UPDATE callsHistory SET status = 'Missed' WHERE rowid = (SELECT max(rowid) FROM callsHistory)");
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            Map<String, String> whole = r.conversationFingerprints();
            List<String> ids = r.conversations().stream().map(Conversation::id).toList();
            assertEquals(3, ids.size());
            for (int mask = 1; mask < 8; mask++) {
                Set<String> only = new TreeSet<>();
                for (int i = 0; i < 3; i++) {
                    if ((mask & (1 << i)) != 0) {
                        only.add(ids.get(i));
                    }
                }
                Map<String, String> expected = new TreeMap<>(whole);
                expected.keySet().retainAll(only);
                assertEquals(expected, new TreeMap<>(r.fingerprintsOf(only)), only.toString());
            }
        }
        // And each call row counts: a change to the second row of 4712 changes Carol's fingerprint only.
        Map<String, String> before;
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            before = r.conversationFingerprints();
        }
        SignalProfiles.execute(p, SignalProfiles.keyOf(p), "UPDATE callsHistory SET status = 'Declined'"
                + " WHERE rowid = (SELECT max(rowid) FROM callsHistory)");
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            Set<String> changed = changed(before, r.conversationFingerprints());
            assertEquals(1, changed.size(), changed.toString());
            assertTrue(changed.iterator().next().contains(CAROL), changed.toString());
            assertEquals(r.conversationFingerprints().get(changed.iterator().next()),
                    r.fingerprintsOf(changed).get(changed.iterator().next()));
        }
    }

    static String conversationOf(Snapshot s, String rowId) {
        // Bob's direct chat is keyed by his ACI.
        return s.messages().keySet().stream().filter(id -> id.contains(BOB)).findFirst().orElseThrow(
                () -> new AssertionError("no conversation for " + rowId + " in " + s.messages().keySet()));
    }
}
