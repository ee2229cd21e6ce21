package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;

/**
 * A backup after a small change reads, merges and rewrites only the conversation the change is in: each kind of
 * change Signal Desktop makes (written in place by Signal's own SQLCipher build) reaches the archive, and the
 * files of the other conversations are left byte for byte as they were, not even rewritten.
 */
class BackupChangesTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final String CAROL = "cccccccc-0000-4000-8000-000000000003";
    static final long T0 = 1_710_000_000_000L;

    @TempDir
    Path tmp;

    static SignalProfileSpec spec() {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        spec.noteToSelf("c-self", "Owen Owner");
        spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        spec.privateChat("c-carol", "Carol Cook", "+15555550103", CAROL);
        spec.message(Map.of("conversationId", "c-bob", "id", "b1", "type", "incoming", "sent_at", T0,
                "body", "are you there?", "readStatus", 1));
        spec.outgoing("c-bob", "b2", T0 + 1_000, "yes, on my way", Map.of("sendStateByConversationId",
                Map.of("c-bob", Map.of("status", "Delivered", "updatedAt", T0 + 2_000))));
        spec.message(Map.of("conversationId", "c-bob", "id", "b3", "type", "incoming", "sent_at", T0 + 3_000,
                "body", "the plan", "attachments", List.of(Map.of("contentType", "application/pdf", "size", 1234,
                        "fileName", "plan.pdf"))));
        spec.incoming("c-bob", "b4", T0 + 3_500, "see you");
        spec.incoming("c-carol", "k1", T0 + 5_000, "lunch?");
        spec.outgoing("c-carol", "k2", T0 + 6_000, "sure");
        spec.outgoing("c-self", "s1", T0 + 7_000, "note to self");
        return spec;
    }

    record Step(String kind, String sql, Predicate<List<Message>> seen) {
    }

    static Message row(List<Message> ms, String rowId) {
        return ms.stream().filter(m -> rowId.equals(m.extra().get("sourceRowId"))).findFirst().orElseThrow();
    }

    @Test
    void eachKindOfChangeIsMergedAndOtherConversationsAreNotTouched() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        String key = SignalProfiles.keyOf(profile);
        Path archive = tmp.resolve("archive");
        Cli.Result first = backup(profile, archive);
        assertTrue(first.out().contains("Conversations: 3 read and merged, 0 unchanged"), first.out());

        List<Step> steps = List.of(
                new Step("new message", "INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp,"
                        + " received_at, json) VALUES ('b9', 'c-bob', 'incoming', 'one more', " + (T0 + 9_000) + ", "
                        + (T0 + 9_000) + ", " + (T0 + 9_000) + ", '{}')",
                        ms -> row(ms, "b9").body().equals("one more")),
                new Step("reaction", "UPDATE messages SET json = json_set(json, '$.reactions', json('[{\"emoji\":"
                        + "\"👍\",\"fromId\":\"c-self\",\"targetTimestamp\":" + T0 + ",\"timestamp\":" + (T0 + 8_000)
                        + "}]')) WHERE id = 'b1'; INSERT INTO reactions (conversationId, emoji, fromId, messageId,"
                        + " targetTimestamp, timestamp, unread) VALUES ('c-bob', '👍', 'c-self', 'b1', " + T0 + ", "
                        + (T0 + 8_000) + ", 0)",
                        ms -> row(ms, "b1").reactions().size() == 1),
                new Step("edit", "UPDATE messages SET body = 'yes, in five minutes', json = json_set(json,"
                        + " '$.editHistory', json('[{\"body\":\"yes, in five minutes\",\"timestamp\":" + (T0 + 9_500)
                        + "},{\"body\":\"yes, on my way\",\"timestamp\":" + (T0 + 1_000) + "}]')) WHERE id = 'b2';"
                        + " INSERT INTO edited_messages (messageId, sentAt, readStatus, conversationId) VALUES ('b2', "
                        + (T0 + 9_500) + ", 0, 'c-bob')",
                        ms -> row(ms, "b2").body().equals("yes, in five minutes") && row(ms, "b2").edits().size() == 1),
                new Step("read by the owner", "UPDATE messages SET readStatus = 0, seenStatus = 2 WHERE id = 'b1'",
                        ms -> Boolean.TRUE.equals(row(ms, "b1").flags().read())),
                new Step("delivery receipt", "UPDATE messages SET json = json_set(json,"
                        + " '$.sendStateByConversationId.\"c-bob\".status', 'Read') WHERE id = 'b2'",
                        ms -> row(ms, "b2").receipts().get(0).status().name().equals("READ")),
                new Step("attachment row changed", "UPDATE message_attachments SET size = 1235, fileName = 'plan-v2.pdf'"
                        + " WHERE messageId = 'b3'",
                        ms -> "plan-v2.pdf".equals(row(ms, "b3").attachments().get(0).fileName())),
                new Step("deleted for everyone", "UPDATE messages SET body = NULL, json = json_set(json,"
                        + " '$.deletedForEveryone', json('true')) WHERE id = 'b4'",
                        ms -> row(ms, "b4").flags().deletedForEveryone()),
                new Step("row deleted", "DELETE FROM messages WHERE id = 'b9'",
                        ms -> row(ms, "b9").archive().goneFromSourceRun() != null));
        for (Step step : steps) {
            ArchiveReader was = ArchiveReader.open(archive);
            Map<String, byte[]> bytes = new TreeMap<>();
            Map<String, FileTime> times = new TreeMap<>();
            Map<String, Object> inodes = new TreeMap<>();
            String bobFile = null;
            for (ConversationEntry e : was.info().conversations()) {
                Path f = archive.resolve(e.messagesFile());
                bytes.put(e.messagesFile(), Files.readAllBytes(f));
                times.put(e.messagesFile(), Files.getLastModifiedTime(f));
                inodes.put(e.messagesFile(), Files.getAttribute(f, "unix:ino"));
                if (e.conversation().id().contains(BOB)) {
                    bobFile = e.messagesFile();
                }
            }
            assertNotNull(bobFile);
            assertTrue(SignalProfiles.execute(profile, key, step.sql()) > 0, step.kind());
            Cli.Result r = backup(profile, archive);
            assertEquals(0, r.code(), step.kind() + ": " + r.err());
            assertTrue(r.out().contains("Conversations: 1 read and merged, 2 unchanged in the source (not read)"),
                    step.kind() + ": " + r.out());
            // Found from the pages that changed since the last run (the plaintext copy), a removed message too.
            assertTrue(r.out().contains("Changes found from "), step.kind() + ": " + r.out());
            // The summary: added, updated, gone, unchanged; attachments and bytes; time; disappearing messages.
            assertTrue(java.util.regex.Pattern.compile("Backup run \\d+: [\\d,]+ added, [\\d,]+ updated, [\\d,]+ gone"
                    + " from source \\([\\d,]+ newly\\), [\\d,]+ unchanged\\n").matcher(r.out()).find(), r.out());
            assertTrue(java.util.regex.Pattern.compile("Attachments [\\d,]+ files added \\([\\d,]+ bytes\\); [\\d,]+"
                    + " archive files written \\([\\d,]+ bytes\\); [\\d.]+ s -> ").matcher(r.out()).find(), r.out());
            assertTrue(r.out().contains("Disappearing messages: 0 not archived, as their senders chose"
                    + " (--include-expiring keeps them)."), r.out());
            ArchiveReader now = ArchiveReader.open(archive);
            ConversationEntry bob = entryOf(now, BOB);
            List<Message> ms = now.messages(bob).toList();
            assertTrue(step.seen().test(ms), step.kind() + " is in the archive: " + ms);
            assertTrue(ms.stream().anyMatch(m -> m.archive() != null && (m.archive().revisions().size() > 0
                    || m.archive().goneFromSourceRun() != null || m.archive().firstSeenRun() > 1)), step.kind());
            for (String f : bytes.keySet()) {
                Path p = archive.resolve(f);
                if (f.equals(bobFile)) {
                    assertTrue(!java.util.Arrays.equals(bytes.get(f), Files.readAllBytes(p)), step.kind() + ": " + f);
                    continue;
                }
                assertArrayEquals(bytes.get(f), Files.readAllBytes(p), step.kind() + ": " + f + " is as it was");
                assertEquals(times.get(f), Files.getLastModifiedTime(p), step.kind() + ": " + f + " was not rewritten");
                assertEquals(inodes.get(f), Files.getAttribute(p, "unix:ino"), step.kind() + ": " + f + " is the same file");
            }
            assertEquals(0, Cli.run("verify", archive.toString()).code(), step.kind());
        }
        ExportCommandTest.validate(archive);
    }

    @Test
    void aSkippedRunGivesTheSameArchiveAsAFullMerge() throws Exception {
        // The same two runs, once with fingerprints and once with the record of them removed in between (so the
        // second run reads every conversation): the archives must be byte for byte the same but for the run
        // section of the manifest.
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        String key = SignalProfiles.keyOf(profile);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, backup(profile, a).code());
        BackupCommandTest.copyTree(a, b);
        SignalProfiles.execute(profile, key, "UPDATE messages SET readStatus = 0 WHERE id = 'b1'");
        Cli.Result ra = backup(profile, a);
        assertTrue(ra.out().contains("1 read and merged, 2 unchanged"), ra.out());
        forgetFingerprints(b);
        Cli.Result rb = backup(profile, b);
        assertTrue(rb.out().contains("3 read and merged, 0 unchanged"), rb.out());
        Map<String, byte[]> fa = BackupCommandTest.comparable(a);
        Map<String, byte[]> fb = BackupCommandTest.comparable(b);
        BackupCommandTest.assertSameFiles(fa, fb, "archive.json", "manifest.json");
        assertEquals(ArchiveReader.open(a).info().conversations(), ArchiveReader.open(b).info().conversations());
        assertEquals(ArchiveReader.open(a).info().counts(), ArchiveReader.open(b).info().counts());
    }

    /**
     * A conversation found changed from the copy's changed pages is not fingerprinted: it is recorded with a mark
     * naming the source state. A later run with the copy that finds it untouched keeps it as it is; a run without
     * the copy, which fingerprints every conversation, reads each marked one whole once, and the archive is the same.
     */
    @Test
    void aConversationFoundChangedFromPagesIsMarkedAndReadWholeOnceWithoutTheCopy() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        String key = SignalProfiles.keyOf(profile);
        Path a = tmp.resolve("a");
        assertEquals(0, backup(profile, a).code());
        Map<String, String> first = recordedFingerprints(a);
        assertEquals(3, first.size());
        assertTrue(first.values().stream().allMatch(fp -> fp.matches("[0-9a-f]{80}")), first.toString());

        SignalProfiles.execute(profile, key, "UPDATE messages SET body = 'changed' WHERE id = 'b4'");
        Cli.Result r2 = backup(profile, a);
        assertTrue(r2.out().contains("1 read and merged, 2 unchanged"), r2.out());
        assertTrue(r2.out().contains(": 1 of 3 conversations with changed rows; 1 of them merged from their changed"
                + " rows alone"), r2.out());
        Map<String, String> second = recordedFingerprints(a);
        String state2 = sourceState(a);
        for (Map.Entry<String, String> e : second.entrySet()) {
            assertEquals(e.getKey().contains(BOB) ? ChangeTracker.CHANGED + state2 : first.get(e.getKey()),
                    e.getValue(), e.getKey());
        }

        // Carol's conversation changes next: Bob's is untouched and kept, mark and all.
        SignalProfiles.execute(profile, key, "UPDATE messages SET body = 'changed too' WHERE id = 'k1'");
        Path bobFile = a.resolve(entryOf(ArchiveReader.open(a), BOB).messagesFile());
        FileTime bobTime = Files.getLastModifiedTime(bobFile);
        Cli.Result r3 = backup(profile, a);
        assertTrue(r3.out().contains("1 read and merged, 2 unchanged"), r3.out());
        assertEquals(bobTime, Files.getLastModifiedTime(bobFile), "Bob's conversation was not rewritten");
        Map<String, String> third = recordedFingerprints(a);
        String state3 = sourceState(a);
        assertTrue(!state3.equals(state2));
        for (Map.Entry<String, String> e : third.entrySet()) {
            String expected = e.getKey().contains(BOB) ? ChangeTracker.CHANGED + state2
                    : e.getKey().contains(CAROL) ? ChangeTracker.CHANGED + state3 : first.get(e.getKey());
            assertEquals(expected, e.getValue(), e.getKey());
        }

        // Without the copy every fingerprint is computed: the two marked conversations are read whole, once. (The
        // source is written, in a column the reader does not read, so that the run does not skip it as unchanged.)
        Path b = tmp.resolve("b");
        BackupCommandTest.copyTree(a, b);
        String rewrite = "UPDATE messages SET schemaVersion = coalesce(schemaVersion, 0) + 1 WHERE id = 's1'";
        assertEquals(1, SignalProfiles.execute(profile, key, rewrite));
        Cli.Result rb = Cli.run("backup", profile.toString(), "--archive", b.toString(), "--no-mirror");
        assertEquals(0, rb.code(), rb.err());
        assertTrue(rb.out().contains("2 read and merged, 1 unchanged"), rb.out());
        assertTrue(rb.out().contains("Backup run 4: 0 added, 0 updated, 0 gone from source"), rb.out());
        Map<String, byte[]> fa = BackupCommandTest.comparable(a);
        Map<String, byte[]> fb = BackupCommandTest.comparable(b);
        fa.keySet().removeIf(f -> f.startsWith(".chat-archive.mirror/"));
        BackupCommandTest.assertSameFiles(fa, fb, "archive.json", "manifest.json");
        assertTrue(recordedFingerprints(b).values().stream().allMatch(fp -> fp.matches("[0-9a-f]{80}")),
                recordedFingerprints(b).toString());
        assertEquals(1, SignalProfiles.execute(profile, key, rewrite));
        Cli.Result again = Cli.run("backup", profile.toString(), "--archive", b.toString(), "--no-mirror");
        assertTrue(again.out().contains("0 read and merged, 3 unchanged"), again.out());
    }

    /** Conversation id → the fingerprint (or mark) archive.json records for it. */
    static Map<String, String> recordedFingerprints(Path archive) throws Exception {
        com.fasterxml.jackson.databind.JsonNode c = org.chatarchive.model.store.CanonicalJson.mapper()
                .readTree(archive.resolve("archive.json").toFile())
                .path("extra").path("backup").path(BackupJob.FINGERPRINTS).path(ChangeTracker.CONVERSATIONS);
        Map<String, String> out = new TreeMap<>();
        c.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("fingerprint").asText()));
        return out;
    }

    private static String sourceState(Path archive) throws Exception {
        return org.chatarchive.model.store.CanonicalJson.mapper().readTree(archive.resolve("archive.json").toFile())
                .path("extra").path("backup").path(BackupJob.SOURCE_STATE).asText();
    }


    /** A profile with what a reading of a message can depend on besides its own row: quotes, calls, shared times. */
    static SignalProfileSpec patchSpec() {
        SignalProfileSpec spec = spec();
        // Quotes a sent time no message has yet: Signal keeps such a quote, and it resolves once that message exists.
        spec.incoming("c-bob", "q1", T0 + 3_700, "about that", BOB, Map.of("quote", Map.of("id", T0 + 20_000,
                "authorAci", BOB, "text", "the later one")));
        spec.message(Map.of("conversationId", "c-bob", "id", "b5", "type", "call-history", "sent_at", T0 + 4_000,
                "json", Map.of("callId", "4711")));
        spec.call(Map.of("callId", "4711", "peerId", BOB, "mode", "Direct", "type", "Audio", "direction", "Incoming",
                "status", "Accepted", "timestamp", T0 + 4_000, "endedTimestamp", T0 + 64_000));
        spec.incoming("c-bob", "b6", T0 + 4_500, "same time", BOB, Map.of());
        spec.incoming("c-bob", "b7", T0 + 4_500, "same time again", BOB, Map.of());
        // A disappearing message (not archived) that a later message quotes.
        spec.message(Map.of("conversationId", "c-bob", "id", "x1", "type", "incoming", "sent_at", T0 + 21_000,
                "body", "gone soon", "expireTimer", 3600, "sourceServiceId", BOB));
        spec.incoming("c-bob", "q2", T0 + 21_500, "about the secret", BOB, Map.of("quote", Map.of("id", T0 + 21_000,
                "authorAci", BOB, "text", "gone soon")));
        for (int i = 0; i < 30; i++) {
            spec.incoming("c-bob", "f" + i, T0 + 10_000 + i, "filler " + i, BOB, Map.of());
        }
        return spec;
    }

    static String lineOf(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    static String insert(String id, long sentAt, String body, String more) {
        return "INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp, received_at,"
                + " sourceServiceId, json" + (more.isEmpty() ? "" : ", " + more.substring(0, more.indexOf('='))) + ")"
                + " VALUES ('" + id + "', 'c-bob', 'incoming', '" + body + "', " + sentAt + ", " + sentAt + ", " + sentAt
                + ", '" + BOB + "', '{}'" + (more.isEmpty() ? "" : ", " + more.substring(more.indexOf('=') + 1)) + ")";
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> patchCases() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("new messages", true,
                        insert("n1", T0 + 30_000, "one more", "") + "; " + insert("n2", T0 + 30_001, "and another", "")),
                org.junit.jupiter.params.provider.Arguments.of("a new message a quote was waiting for", true,
                        insert("n3", T0 + 20_000, "the later one", "")),
                org.junit.jupiter.params.provider.Arguments.of("a twin inserted before an older row", true,
                        "INSERT INTO messages (rowid, id, conversationId, type, body, sent_at, timestamp, received_at,"
                        + " sourceServiceId, json) VALUES (-5, 'n4', 'c-bob', 'incoming', 'twin', " + (T0 + 4_500)
                        + ", " + (T0 + 4_500) + ", " + (T0 + 4_400) + ", '" + BOB + "', '{}')"),
                org.junit.jupiter.params.provider.Arguments.of("reaction and edit", true,
                        "UPDATE messages SET json = json_set(json, '$.reactions', json('[{\"emoji\":\"👍\",\"fromId\":"
                        + "\"c-self\",\"targetTimestamp\":" + T0 + ",\"timestamp\":" + (T0 + 8_000) + "}]')) WHERE id = 'b1';"
                        + " UPDATE messages SET body = 'yes, in five minutes', json = json_set(json, '$.editHistory',"
                        + " json('[{\"body\":\"yes, in five minutes\",\"timestamp\":" + (T0 + 9_500) + "},{\"body\":"
                        + "\"yes, on my way\",\"timestamp\":" + (T0 + 1_000) + "}]')) WHERE id = 'b2'"),
                org.junit.jupiter.params.provider.Arguments.of("attachment row", true,
                        "UPDATE message_attachments SET size = 1235, fileName = 'plan-v2.pdf' WHERE messageId = 'b3'"),
                org.junit.jupiter.params.provider.Arguments.of("call record", true,
                        "UPDATE callsHistory SET status = 'Missed', endedTimestamp = NULL WHERE callId = '4711'"),
                org.junit.jupiter.params.provider.Arguments.of("read and deleted for everyone", true,
                        "UPDATE messages SET readStatus = 0, seenStatus = 2 WHERE id = 'b1'; UPDATE messages SET"
                        + " body = NULL, json = json_set(json, '$.deletedForEveryone', json('true')) WHERE id = 'b4'"),
                org.junit.jupiter.params.provider.Arguments.of("a new disappearing message", true,
                        insert("n5", T0 + 30_002, "gone soon", "expireTimer=3600")),
                org.junit.jupiter.params.provider.Arguments.of("a row deleted", true, "DELETE FROM messages WHERE id = 'f3'"),
                org.junit.jupiter.params.provider.Arguments.of("a row deleted before its twin", true,
                        "DELETE FROM messages WHERE id = 'b6'"),
                org.junit.jupiter.params.provider.Arguments.of("a quoted disappearing message deleted", true,
                        "DELETE FROM messages WHERE id = 'x1'"),
                org.junit.jupiter.params.provider.Arguments.of("a sent time changed", false,
                        "UPDATE messages SET sent_at = " + (T0 + 20_000) + " WHERE id = 'f7'"));
    }

    /**
     * A changed conversation is merged from its changed rows alone (the archived lines of the others kept as they
     * are) when the source can tell which rows may read differently: the result is byte for byte that of reading
     * every conversation whole. Rows another row's change reaches (a quote that now resolves, an id numbered anew
     * by a twin inserted before it) are among those read; a deleted row or a changed sent time makes the run read
     * the conversation whole.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("patchCases")
    void aConversationMergedFromItsChangedRowsIsAsIfReadWhole(String kind, boolean patched, String sql)
            throws Exception {
        Path profile = SignalProfiles.build(patchSpec(), tmp.resolve("profile"));
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, backup(profile, a).code());
        ConversationEntry bobBefore = entryOf(ArchiveReader.open(a), BOB);
        List<Message> was = ArchiveReader.open(a).messages(bobBefore).toList();
        assertNotNull(row(was, "q2").quote().messageId(), "the quote resolves while the quoted message is there");
        assertTrue(row(was, "b7").id().endsWith("/2"), row(was, "b7").id());
        BackupCommandTest.copyTree(a, b);
        assertTrue(SignalProfiles.execute(profile, SignalProfiles.keyOf(profile), sql) > 0, kind);
        Cli.Result ra = backup(profile, a);
        assertEquals(0, ra.code(), ra.err());
        assertTrue(ra.out().contains("1 read and merged, 2 unchanged"), kind + ": " + ra.out());
        assertEquals(patched, ra.out().contains("1 of them merged from their changed rows alone"), kind + ": " + ra.out());
        assertSameAsReadWhole(kind, profile, a, b, ra);
        ConversationEntry bob = entryOf(ArchiveReader.open(a), BOB);
        List<Message> ms = ArchiveReader.open(a).messages(bob).toList();
        if (kind.contains("a quote was waiting")) {
            assertNotNull(row(ms, "q1").quote().messageId(), "the quote resolves now: " + row(ms, "q1"));
        }
        if (kind.contains("a twin")) {
            assertTrue(row(ms, "b6").id().endsWith("/2"), "the older row is numbered anew: " + row(ms, "b6").id());
        }
        if (kind.contains("its twin")) {
            assertTrue(!row(ms, "b7").id().endsWith("/2"), "the twin is numbered anew: " + row(ms, "b7").id());
        }
        if (kind.contains("quoted disappearing")) {
            assertEquals(null, row(ms, "q2").quote().messageId(), "the quote no longer resolves: " + row(ms, "q2"));
        }
    }

    /**
     * Backs {@code profile} up into {@code b} (a copy of {@code a} before its last run) reading every conversation
     * whole, without the copy or fingerprints, and checks that {@code a}, brought up to date from its changed rows
     * ({@code ra}), is the same: every file byte for byte, the entries, counts, manifest counts with notes, and the
     * summary's counts; and that it verifies.
     */
    private static void assertSameAsReadWhole(String kind, Path profile, Path a, Path b, Cli.Result ra)
            throws Exception {
        assertSameAsReadWhole(kind, profile, a, b, ra, 3);
    }

    /** {@link #assertSameAsReadWhole} for a profile with {@code conversations} conversations. */
    private static void assertSameAsReadWhole(String kind, Path profile, Path a, Path b, Cli.Result ra,
                                              int conversations) throws Exception {
        forgetFingerprints(b);
        Cli.Result rb = Cli.run("backup", profile.toString(), "--archive", b.toString(), "--no-mirror");
        assertEquals(0, rb.code(), rb.err());
        assertTrue(rb.out().contains(conversations + " read and merged, 0 unchanged"), rb.out());
        Map<String, byte[]> fa = BackupCommandTest.comparable(a);
        Map<String, byte[]> fb = BackupCommandTest.comparable(b);
        fa.keySet().removeIf(f -> f.startsWith(".chat-archive.mirror/"));
        assertEquals(fa.keySet(), fb.keySet(), kind);
        for (String f : fa.keySet()) {
            if (!f.equals("archive.json") && !f.equals("manifest.json")) {
                assertArrayEquals(fa.get(f), fb.get(f), kind + ": " + f);
            }
        }
        assertEquals(ArchiveReader.open(b).info().conversations(), ArchiveReader.open(a).info().conversations(), kind);
        assertEquals(ArchiveReader.open(b).info().counts(), ArchiveReader.open(a).info().counts(), kind);
        // The manifest's counts too, with its notes: the attachment never downloaded is noted by both runs.
        com.fasterxml.jackson.databind.JsonNode ca = org.chatarchive.model.store.CanonicalJson.mapper()
                .readTree(fa.get("manifest.json")).get("counts");
        assertEquals(org.chatarchive.model.store.CanonicalJson.mapper().readTree(fb.get("manifest.json")).get("counts"),
                ca, kind);
        assertTrue(ca.path("notes").toString().contains("1 not downloaded"), kind + ": " + ca);
        for (String line : List.of("Backup run ", "Disappearing messages: ")) {
            assertEquals(lineOf(rb.out(), line), lineOf(ra.out(), line), kind + ": the same counts");
        }
        assertEquals(0, Cli.run("verify", a.toString()).code(), kind);
    }

    /**
     * A message that moves to another conversation (as when Signal merges two conversations of one person) is gone
     * from the first one's source rows: its archived copy there is marked gone, as a whole reading marks it, and it
     * is added to the other. Found from the copy's pages: the row's conversation before the change is read from
     * the copy's previous state.
     */
    @Test
    void aMessageMovedToAnotherConversationIsGoneFromTheFirst() throws Exception {
        Path profile = SignalProfiles.build(patchSpec(), tmp.resolve("profile"));
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, backup(profile, a).code());
        BackupCommandTest.copyTree(a, b);
        assertEquals(1, SignalProfiles.execute(profile, SignalProfiles.keyOf(profile),
                "UPDATE messages SET conversationId = 'c-carol' WHERE id = 'f3'"));
        Cli.Result ra = backup(profile, a);
        assertEquals(0, ra.code(), ra.err());
        assertTrue(ra.out().contains("2 read and merged, 1 unchanged"), ra.out());
        assertSameAsReadWhole("moved", profile, a, b, ra);
        ArchiveReader archive = ArchiveReader.open(a);
        ConversationEntry bob = entryOf(archive, BOB);
        ConversationEntry carol = entryOf(archive, CAROL);
        Message inBob = row(archive.messages(bob).toList(), "f3");
        assertEquals(2, inBob.archive().goneFromSourceRun(), "marked gone where it was: " + inBob);
        Message inCarol = row(archive.messages(carol).toList(), "f3");
        assertEquals(null, inCarol.archive() == null ? null : inCarol.archive().goneFromSourceRun(),
                "there where it is now: " + inCarol);
    }

    /**
     * A message too long for its page (its JSON over 4 KB, so its conversation is stored in an overflow page) moves
     * to a conversation whose id is as long as the first's: only its overflow pages change, not its leaf. The page
     * map is brought up to date by visiting the changed pages and those above them, the leaf among them, so the
     * message's conversation before the change is read from that leaf and the copy's overflow pages as they were:
     * both conversations are found changed from the pages, and the message is marked gone in the first
     * conversation as a whole reading marks it.
     */
    @Test
    void aLongMessageMovedWithOnlyItsOverflowPagesChanged() throws Exception {
        SignalProfileSpec spec = patchSpec();
        spec.privateChat("c-cat", "Cat Carter", "+15555550104", "dddddddd-0000-4000-8000-000000000004");
        spec.incoming("c-cat", "t1", T0 + 50_000, "hello", "dddddddd-0000-4000-8000-000000000004", Map.of());
        // the JSON, stored before conversationId, long enough that conversationId lands in an overflow page
        spec.incoming("c-bob", "long", T0 + 40_000, "a long one", BOB, Map.of("preview", List.of(Map.of(
                "url", "https://example.com/", "title", "t", "description", "long ".repeat(1_200)))));
        Path profile = SignalProfiles.build(spec, tmp.resolve("profile"));
        String key = SignalProfiles.keyOf(profile);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, backup(profile, a).code());
        BackupCommandTest.copyTree(a, b);
        assertTrue(SignalProfiles.execute(profile, key,
                "UPDATE messages SET conversationId = 'c-cat' WHERE id = 'long'") > 0);
        Cli.Result ra = backup(profile, a);
        assertEquals(0, ra.code(), ra.err());
        assertTrue(ra.out().contains("2 read and merged, 2 unchanged"), ra.out());
        assertTrue(ra.out().contains("2 of 4 conversations with changed rows"), ra.out());
        assertSameAsReadWhole("moved long", profile, a, b, ra, 4);
        ArchiveReader archive = ArchiveReader.open(a);
        ConversationEntry bob = entryOf(archive, BOB);
        assertEquals(2, row(archive.messages(bob).toList(), "long").archive().goneFromSourceRun());
    }

    /**
     * Without the plaintext copy (--no-mirror, which also deletes one) the runs give the same archive files; only
     * archive.json differs, by the source state a run with the copy records.
     */
    @Test
    void withoutTheCopyTheArchiveIsTheSame() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        String key = SignalProfiles.keyOf(profile);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, backup(profile, a).code());
        assertEquals(0, backup(profile, b).code());
        assertTrue(Files.isRegularFile(b.resolve(".chat-archive.mirror/db.sqlite")));
        SignalProfiles.execute(profile, key, "UPDATE messages SET body = 'changed' WHERE id = 'k1'");
        Cli.Result ra = backup(profile, a);
        Cli.Result rb = Cli.run("backup", profile.toString(), "--archive", b.toString(), "--no-mirror");
        assertEquals(0, rb.code(), rb.err());
        assertTrue(ra.out().contains("Changes found from "), ra.out());
        assertTrue(!rb.out().contains("Changes found from "), rb.out());
        assertTrue(!Files.exists(b.resolve(".chat-archive.mirror")), "--no-mirror deletes the copy");
        Map<String, byte[]> fa = BackupCommandTest.comparable(a);
        Map<String, byte[]> fb = BackupCommandTest.comparable(b);
        fa.keySet().removeIf(f -> f.startsWith(".chat-archive.mirror/"));
        BackupCommandTest.assertSameFiles(fa, fb, "archive.json", "manifest.json");
        assertEquals(ArchiveReader.open(a).info().conversations(), ArchiveReader.open(b).info().conversations());
        assertEquals(0, Cli.run("verify", a.toString()).code());
        assertEquals(0, Cli.run("verify", b.toString()).code());
    }

    /**
     * The files a run lists in the manifest (from a walk of the archive started when the run took the lock) are
     * those the archive holds after it, with their hashes as read again: those the run wrote, the HTML site's pages
     * it kept and a file it never wrote, and none of the copy it deleted meanwhile (--no-mirror) or of its logs.
     */
    @Test
    void theManifestListsWhatTheArchiveHoldsAfterTheRun() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        Path archive = tmp.resolve("archive");
        assertEquals(0, backup(profile, archive).code());
        assertEquals(0, Cli.run("render", archive.toString(), "--format", "html", "-q").code());
        Files.writeString(archive.resolve("notes.txt"), "kept by the user");
        SignalProfiles.execute(profile, SignalProfiles.keyOf(profile),
                "UPDATE messages SET body = 'changed' WHERE id = 'k1'");
        Cli.Result r = Cli.run("backup", profile.toString(), "--archive", archive.toString(), "--no-mirror");
        assertEquals(0, r.code(), r.err());
        assertTrue(!Files.exists(archive.resolve(".chat-archive.mirror")));
        List<org.chatarchive.model.store.FileHashes> listed =
                org.chatarchive.model.store.Manifest.read(archive).files();
        assertEquals(org.chatarchive.model.store.Manifest.hashFiles(archive), listed);
        assertTrue(listed.stream().anyMatch(f -> f.path().equals("notes.txt")));
        assertTrue(listed.stream().anyMatch(f -> f.path().startsWith("html/")));
        assertTrue(listed.stream().noneMatch(f -> f.path().startsWith(".chat-archive") || f.path().startsWith("logs/")));
    }

    /**
     * The manifest records the source files' SHA-256 (as read, not carried); their MD5 only with --source-md5 (an
     * export records both).
     */
    @Test
    void sourceFilesAreHashedWithSha256AndWithMd5OnRequest() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, backup(profile, a).code());
        assertEquals(0, Cli.run("backup", profile.toString(), "--archive", b.toString(), "--source-md5").code());
        Path db = profile.resolve("sql/db.sqlite");
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(db)));
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(Files.readAllBytes(db)));
        org.chatarchive.model.store.FileHashes inA = org.chatarchive.model.store.Manifest.read(a).sources().get(0)
                .files().stream().filter(f -> f.path().equals("sql/db.sqlite")).findFirst().orElseThrow();
        org.chatarchive.model.store.FileHashes inB = org.chatarchive.model.store.Manifest.read(b).sources().get(0)
                .files().stream().filter(f -> f.path().equals("sql/db.sqlite")).findFirst().orElseThrow();
        assertEquals(sha256, inA.sha256());
        assertEquals(null, inA.md5());
        assertEquals(sha256, inB.sha256());
        assertEquals(md5, inB.md5());
        assertEquals(0, Cli.run("verify", a.toString()).code());
    }

    /**
     * Runs killed at points spread over a run that changes the plaintext copy, and while the copy is being
     * changed: after each kill (and the recovery the next run makes) the archive is exactly as before or as after
     * the run, verify passes, and a complete run after it gives exactly the archive of runs never interrupted,
     * whatever state the kill left the copy in.
     */
    @Test
    void aKilledRunLeavesTheArchiveWholeAndTheCopyUsable() throws Exception {
        SignalProfileSpec spec = spec();
        for (int i = 0; i < 1500; i++) {
            spec.incoming(i % 2 == 0 ? "c-bob" : "c-carol", "m" + i, T0 + 10_000 + i, "message " + i + " "
                    + "w".repeat(200));
        }
        Path profile = SignalProfiles.build(spec, tmp.resolve("profile"));
        String key = SignalProfiles.keyOf(profile);
        Path pristine = tmp.resolve("pristine");
        assertEquals(0, backup(profile, pristine).code());
        assertTrue(Files.isRegularFile(pristine.resolve(".chat-archive.mirror/state.properties")));
        Map<String, byte[]> before = BackupCommandTest.comparable(pristine);
        StringBuilder sql = new StringBuilder("UPDATE messages SET body = 'changed' WHERE id = 'k1';");
        for (int i = 0; i < 300; i++) {
            sql.append(" INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp, received_at, json)"
                    + " VALUES ('n").append(i).append("', 'c-bob', 'incoming', 'new ").append(i).append("', ")
                    .append(T0 + 50_000 + i).append(", ").append(T0 + 50_000 + i).append(", ")
                    .append(T0 + 50_000 + i).append(", '{}');");
        }
        SignalProfiles.execute(profile, key, sql.toString());
        // References: one run after the change, and a second one after that (the source then unchanged).
        Path once = tmp.resolve("once");
        BackupCommandTest.copyTree(pristine, once);
        long t0 = System.nanoTime();
        assertEquals(0, backupProcess(profile, once).waitFor());
        long runMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, byte[]> after = BackupCommandTest.comparable(once);
        assertTrue(!BackupCommandTest.same(before, after));
        assertEquals(0, backupProcess(profile, once).waitFor());
        Map<String, byte[]> afterTwice = BackupCommandTest.comparable(once);
        // And the run as it goes when the copy cannot tell what changed since the archive's state (as after a kill
        // that changed the copy): every fingerprint computed. The same files; archive.json records fingerprints
        // where the other records the changed conversations' marks (and so the manifest's hashes of it differ).
        Path full = tmp.resolve("full");
        BackupCommandTest.copyTree(pristine, full);
        org.chatarchive.model.store.PrivateFiles.deleteTree(full.resolve(".chat-archive.mirror"));
        assertEquals(0, backupProcess(profile, full).waitFor());
        Map<String, byte[]> afterFull = BackupCommandTest.comparable(full);
        BackupCommandTest.assertSameFiles(after, afterFull, "archive.json", "manifest.json");
        assertTrue(!java.util.Arrays.equals(after.get("archive.json"), afterFull.get("archive.json")));

        Path archive = tmp.resolve("archive");
        Path state = archive.resolve(".chat-archive.mirror/state.properties");
        List<Long> delays = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(runMs * (2 * i + 1) / 10);
        }
        delays.add(-1L); // as soon as the copy's state file is gone: the copy is being changed
        delays.add(-2L); // as soon as the commit marker is there
        delays.add(-3L); // 1 ms after it
        Path marker = archive.resolve(org.chatarchive.model.store.ArchiveUpdate.TXN)
                .resolve(org.chatarchive.model.store.ArchiveUpdate.COMMITTED);
        List<String> log = new java.util.ArrayList<>();
        int sawBefore = 0;
        int sawAfter = 0;
        for (int i = 0; i < delays.size(); i++) {
            BackupCommandTest.PrivateCopy.reset(pristine, archive);
            Process p = backupProcess(profile, archive);
            long delay = delays.get(i);
            if (delay >= 0) {
                Thread.sleep(delay);
            } else if (delay == -1) {
                long deadline = System.nanoTime() + runMs * 3_000_000L;
                while (Files.exists(state) && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
            } else {
                long deadline = System.nanoTime() + runMs * 3_000_000L;
                while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                Thread.sleep(-delay - 2);
            }
            p.destroyForcibly();
            p.waitFor();
            boolean copyWhole = Files.exists(state);
            boolean finishing = Files.exists(marker);
            try (org.chatarchive.model.store.ArchiveUpdate recover = org.chatarchive.model.store.ArchiveUpdate.begin(archive)) {
                recover.recovered();
            }
            Map<String, byte[]> now = BackupCommandTest.comparable(archive);
            boolean isBefore = BackupCommandTest.same(before, now);
            boolean isAfter = BackupCommandTest.same(after, now);
            log.add((delay >= 0 ? delay + " ms" : delay == -1 ? "copy changing" : "COMMITTED+" + (-delay - 2) + " ms")
                    + ": " + (isBefore ? "before" : isAfter ? "after" : "MIXED") + (copyWhole ? "" : ", copy not whole")
                    + (finishing ? ", rolled forward" : ""));
            assertTrue(isBefore || isAfter, "kill " + i + ": " + log);
            assertTrue(org.chatarchive.model.store.ManifestCheck.of(archive).ok(), "kill " + i + ": " + log);
            sawBefore += isBefore ? 1 : 0;
            sawAfter += isAfter ? 1 : 0;
            // A complete run now gives what runs never interrupted give: with the copy's changed pages when the copy
            // is whole and of the archive's source state, else with every fingerprint computed.
            boolean copyOfArchiveState = copyWhole && generation(state).equals(
                    sourceState(archive));
            assertEquals(0, backupProcess(profile, archive).waitFor(), "kill " + i);
            Map<String, byte[]> want = !isBefore ? afterTwice : copyOfArchiveState ? after : afterFull;
            Map<String, byte[]> got = BackupCommandTest.comparable(archive);
            assertTrue(BackupCommandTest.same(want, got),
                    "kill " + i + ": the run after it differs from an uninterrupted one: " + log + "; differing: "
                    + BackupCommandTest.differing(want, got));
        }
        System.out.println("kill loop with the plaintext copy (reference run " + runMs + " ms): " + log);
        assertTrue(sawBefore > 0, "a kill landed before the commit: " + log);
        assertTrue(sawAfter > 0, "a kill landed after the commit marker: " + log);
        assertTrue(log.stream().anyMatch(l -> l.contains("copy not whole")),
                "a kill landed while the copy was being changed: " + log);
    }

    /** The generation the copy's state file records. */
    private static String generation(Path state) throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(state)) {
            p.load(r);
        }
        return p.getProperty("generation", "");
    }

    private static Process backupProcess(Path profile, Path archive) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "backup", profile.toString(),
                "--archive", archive.toString(), "-q")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void aRenamedContactMakesTheRunReadEveryConversation() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        Path archive = tmp.resolve("archive");
        assertEquals(0, backup(profile, archive).code());
        SignalProfiles.execute(profile, SignalProfiles.keyOf(profile), "UPDATE conversations SET profileName = 'Robert',"
                + " profileFullName = 'Robert Builder', json = json_set(json, '$.profileName', 'Robert') WHERE id = 'c-bob'");
        Cli.Result r = backup(profile, archive);
        assertTrue(r.out().contains("Conversations: 3 read and merged, 0 unchanged"), r.out());
        assertEquals(0, Cli.run("verify", archive.toString()).code());
    }

    @Test
    void theSearchIndexIsUpdatedForTheChangedConversationOnly() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        Path archive = tmp.resolve("archive");
        assertEquals(0, backup(profile, archive).code());
        assertEquals(0, Cli.run("index", archive.toString(), "-q").code());
        assertTrue(Cli.run("search", archive.toString(), "zeppelin").out().contains("0 hits"));
        SignalProfiles.execute(profile, SignalProfiles.keyOf(profile), "INSERT INTO messages (id, conversationId, type,"
                + " body, sent_at, timestamp, received_at, json) VALUES ('b9', 'c-bob', 'incoming', 'the zeppelin is"
                + " here', " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", '{}')");
        Cli.Result r = backup(profile, archive);
        assertTrue(r.out().contains("Search index: 5 messages in 1 changed conversations indexed, 0 removed,"
                + " 2 unchanged."), r.out());
        Cli.Result hit = Cli.run("search", archive.toString(), "zeppelin");
        assertTrue(hit.out().contains("1 hit"), hit.out());
        // A run with nothing new leaves the index as it is.
        Cli.Result again = backup(profile, archive);
        assertTrue(again.out().contains("Search index: up to date (3 conversations)."), again.out());
    }

    @Test
    void theHtmlSiteIsRenderedAgainForTheChangedConversationOnly() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        Path archive = tmp.resolve("archive");
        assertEquals(0, backup(profile, archive).code());
        Cli.Result rendered = Cli.run("render", archive.toString(), "--format", "html",
                "--zone", "Europe/Berlin", "--page-size", "2", "-q");
        assertEquals(0, rendered.code(), rendered.err());
        Path html = archive.resolve("html");
        Map<String, Object> inodes = new TreeMap<>();
        Map<String, byte[]> bytes = new TreeMap<>();
        try (java.util.stream.Stream<Path> all = Files.walk(html)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                inodes.put(html.relativize(p).toString(), Files.getAttribute(p, "unix:ino"));
                bytes.put(html.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        SignalProfiles.execute(profile, SignalProfiles.keyOf(profile), "INSERT INTO messages (id, conversationId, type,"
                + " body, sent_at, timestamp, received_at, json) VALUES ('b9', 'c-bob', 'incoming', 'the zeppelin is"
                + " here', " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", '{}')");
        Files.createDirectories(archive.resolve("rsmf")); // a render the backup does not update: it says so
        Cli.Result r = backup(profile, archive);
        assertTrue(r.out().contains("HTML site: 1 of 3 conversations rendered again"), r.out());
        assertTrue(r.out().contains("rsmf/ still show the archive as of their last render"), r.out());
        String bobDir = entryOf(ArchiveReader.open(archive), BOB).messagesFile()
                .replace("conversations/", "").replace(".jsonl", "");
        assertTrue(Files.readString(html.resolve(bobDir).resolve("p-3.html")).contains("zeppelin"),
                "Bob's new page has the new message");
        for (String f : inodes.keySet()) {
            Path p = html.resolve(f);
            if (f.startsWith(bobDir) || f.equals("index.html") || f.equals("pages.json")) {
                continue;
            }
            assertEquals(inodes.get(f), Files.getAttribute(p, "unix:ino"), f + " was kept, not rewritten");
            assertArrayEquals(bytes.get(f), Files.readAllBytes(p), f);
        }
        assertTrue(!java.util.Arrays.equals(bytes.get("index.html"), Files.readAllBytes(html.resolve("index.html"))));
        assertEquals(0, Cli.run("verify", archive.toString()).code(), "the manifest lists the new pages");
        // The updated site is the site a whole render of the same archive gives, byte for byte.
        Path whole = tmp.resolve("whole");
        BackupCommandTest.copyTree(archive, whole);
        assertEquals(0, Cli.run("render", whole.toString(), "--format", "html", "--zone", "Europe/Berlin",
                "--page-size", "2", "-q").code());
        Map<String, byte[]> a = tree(html);
        Map<String, byte[]> b = tree(whole.resolve("html"));
        BackupCommandTest.assertSameFiles(a, b);
    }

    @Test
    void aSiteThatCannotBeRenderedIsLeftAsItWasAndTheArchiveStillCommits() throws Exception {
        Path profile = SignalProfiles.build(spec(), tmp.resolve("profile"));
        Path archive = tmp.resolve("archive");
        assertEquals(0, backup(profile, archive).code());
        assertEquals(0, Cli.run("render", archive.toString(), "--format", "html", "--zone", "Europe/Berlin",
                "--page-size", "2", "-q").code());
        Map<String, byte[]> site = tree(archive.resolve("html"));
        // A conversation the run keeps, whose last line the site update reads for the index page, is damaged.
        ConversationEntry kept = ArchiveReader.open(archive).info().conversations().stream()
                .filter(e -> !e.conversation().id().contains(BOB)).findFirst().orElseThrow();
        Files.writeString(archive.resolve(kept.messagesFile()), "{not a message\n",
                java.nio.file.StandardOpenOption.APPEND);
        SignalProfiles.execute(profile, SignalProfiles.keyOf(profile), "INSERT INTO messages (id, conversationId, type,"
                + " body, sent_at, timestamp, received_at, json) VALUES ('b9', 'c-bob', 'incoming', 'the zeppelin is"
                + " here', " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", '{}')");
        Cli.Result r = backup(profile, archive);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Warning: the HTML site was not brought up to date")
                && r.out().contains("chat-archive render " + archive + " --format html"), r.out());
        ArchiveReader after = ArchiveReader.open(archive);
        ConversationEntry bob = entryOf(after, BOB);
        try (java.util.stream.Stream<Message> ms = after.messages(bob)) {
            assertTrue(ms.anyMatch(m -> "the zeppelin is here".equals(m.body())), "the archive committed");
        }
        Map<String, byte[]> now = tree(archive.resolve("html"));
        BackupCommandTest.assertSameFiles(site, now);
        assertTrue(!Files.exists(archive.resolve(org.chatarchive.model.store.ArchiveUpdate.TXN)));
        Cli.Result verify = Cli.run("verify", archive.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
    }

    static Map<String, byte[]> tree(Path root) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** Removes {@code extra.backup.fingerprints} from archive.json, as an archive made before they existed. */
    static void forgetFingerprints(Path archive) throws Exception {
        Path f = archive.resolve("archive.json");
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.chatarchive.model.store.CanonicalJson.mapper().readTree(f.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("extra").path("backup")).remove(BackupJob.FINGERPRINTS);
        Files.write(f, org.chatarchive.model.store.CanonicalJson.prettyBytes(root));
    }

    /** The entry of the conversation whose id names {@code person} (an ACI). */
    static ConversationEntry entryOf(ArchiveReader archive, String person) {
        return archive.info().conversations().stream()
                .filter(e -> e.conversation().id().contains(person)).findFirst().orElseThrow();
    }

    static Cli.Result backup(Path profile, Path archive) {
        return Cli.run("backup", profile.toString(), "--archive", archive.toString());
    }
}
