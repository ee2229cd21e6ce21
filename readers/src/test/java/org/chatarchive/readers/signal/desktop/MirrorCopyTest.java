package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;

/**
 * The plaintext copy a backup keeps of a Signal Desktop database: it holds the message tables but none of the
 * key-holding ones (not even their old pages), is readable by its owner only, and is made anew when it is not
 * whole or belongs to another database.
 */
class MirrorCopyTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final long T0 = 1_710_000_000_000L;
    static final String ITEM_SECRET = "PRIVATE-IDENTITY-KEY-0f1e2d3c";
    static final String SESSION_SECRET = "RATCHET-SESSION-STATE-9a8b7c6d";

    @TempDir
    Path tmp;

    Path profile() {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        spec.incoming("c-bob", "b1", T0, "are you there?");
        spec.outgoing("c-bob", "b2", T0 + 1_000, "yes, on my way");
        spec.item("identityKeyMap", Map.of(OWN, Map.of("privKey", ITEM_SECRET, "pubKey", "public")));
        Path p = SignalProfiles.build(spec, tmp.resolve("profile"));
        // Signal keeps its sessions in a table of their own; a large one spills into overflow pages.
        SignalProfiles.execute(p, SignalProfiles.keyOf(p), "CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY,"
                + " conversationId TEXT, json TEXT); INSERT INTO sessions VALUES ('s1', 'c-bob', '"
                + (SESSION_SECRET + " ").repeat(600) + "')");
        return p;
    }

    /** What a first run with a copy gives the next: the source state it read, and its fingerprints. */
    record FirstRun(String baseline, Map<String, String> fingerprints) {
    }

    /** A first run with a copy in {@code mirror}: makes the copy and computes every fingerprint. */
    static FirstRun firstRun(Path profile, Path mirror) throws Exception {
        try (SignalDesktopReader r = open(profile, mirror, null, Map.of())) {
            return new FirstRun(r.baseline(), r.conversationFingerprints());
        }
    }

    static SignalDesktopReader open(Path profile, Path mirror, String baseline, Map<String, String> previous)
            throws Exception {
        return SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults()
                .withIncremental(new SignalDesktopReader.Incremental(mirror, baseline, previous)));
    }

    static boolean contains(Path dir, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                byte[] b = Files.readAllBytes(f);
                outer:
                for (int i = 0; i + needle.length <= b.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (b[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void theCopyHoldsTheMessagesButNoKeysAndOnlyItsOwnerCanReadIt() throws Exception {
        Path p = profile();
        String key = SignalProfiles.keyOf(p);
        Path mirror = tmp.resolve("mirror");
        String baseline;
        Map<String, String> fps;
        try (SignalDesktopReader r = open(p, mirror, null, Map.of())) {
            baseline = r.baseline();
            fps = r.conversationFingerprints();
            assertEquals("signal:" + OWN, r.ownerId());
        }
        assertNotNull(baseline);
        assertTrue(contains(mirror, "are you there?"), "the messages are in the copy");
        assertTrue(!contains(mirror, ITEM_SECRET), "no item holding a key is in the copy");
        assertTrue(!contains(mirror, SESSION_SECRET), "no session is in the copy");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mirror)));
        try (Stream<Path> files = Files.list(mirror)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }

        // Signal writes new keys and sessions and a message: only the message reaches the copy; the owner, read
        // from the source's pages of the key table the copy leaves out, is still known.
        SignalProfiles.execute(p, key, "UPDATE items SET json = json_set(json, '$.value.x', '" + ITEM_SECRET
                + "-2') WHERE id = 'identityKeyMap'; INSERT INTO sessions VALUES ('s2', 'c-bob', '"
                + (SESSION_SECRET + "-2 ").repeat(600) + "'); DELETE FROM sessions WHERE id = 's1';"
                + " INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp, received_at, json)"
                + " VALUES ('b9', 'c-bob', 'incoming', 'one more', " + (T0 + 9_000) + ", " + (T0 + 9_000) + ", "
                + (T0 + 9_000) + ", '{}')");
        try (SignalDesktopReader r = open(p, mirror, baseline, fps)) {
            assertEquals("signal:" + OWN, r.ownerId());
            r.conversationFingerprints();
            assertNotNull(r.changeNote(), "the changes were found from the changed pages");
            assertNotEquals(baseline, r.baseline());
        }
        assertTrue(contains(mirror, "one more"));
        assertTrue(!contains(mirror, ITEM_SECRET), "no item holding a key is in the copy");
        assertTrue(!contains(mirror, SESSION_SECRET), "no session, old or new, is in the copy");
    }

    @Test
    void aCopyThatIsNotWholeOrOfAnotherDatabaseIsMadeAnew() throws Exception {
        Path p = profile();
        Path mirror = tmp.resolve("mirror");
        FirstRun first = firstRun(p, mirror);
        String baseline = first.baseline();
        Map<String, String> fps = first.fingerprints();
        // As a run interrupted while changing the copy leaves it: without its state file.
        Files.delete(mirror.resolve("state.properties"));
        try (SignalDesktopReader r = open(p, mirror, baseline, fps)) {
            assertEquals(fps, r.conversationFingerprints());
            assertTrue(String.valueOf(r.changeNote()).startsWith("Kept a private plaintext copy"),
                    "no copy to compare with: every fingerprint computed, and the copy made anew: " + r.changeNote());
            assertEquals(baseline, r.baseline(), "the same source state, made anew");
        }
        assertTrue(Files.isRegularFile(mirror.resolve("state.properties")));
        // Another database (another salt) in the same folder: not mistaken for the copy's.
        SignalProfileSpec other = SignalProfileSpec.owner(OWN, "+15555550100");
        other.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        other.incoming("c-bob", "b1", T0, "are you there?");
        Path q = SignalProfiles.build(other, tmp.resolve("other"));
        try (SignalDesktopReader r = open(q, mirror, baseline, fps)) {
            r.conversationFingerprints();
            assertTrue(String.valueOf(r.changeNote()).startsWith("Kept a private plaintext copy"), r.changeNote());
            assertNotEquals(baseline, r.baseline());
        }
    }

    /** SQLite opens the copy by URI: a folder name with spaces, percent signs, hashes and question marks works. */
    @Test
    void aCopyInAFolderWithAnUnusualNameIsRead() throws Exception {
        Path p = profile();
        Path mirror = tmp.resolve("a copy #1 ?x=%20 [é]");
        String baseline;
        Map<String, String> fps;
        try (SignalDesktopReader r = open(p, mirror, null, Map.of())) {
            fps = r.conversationFingerprints();
            baseline = r.baseline();
            assertEquals(1, r.conversations().size());
        }
        SignalProfiles.execute(p, SignalProfiles.keyOf(p), "UPDATE messages SET body = 'changed' WHERE id = 'b1'");
        try (SignalDesktopReader r = open(p, mirror, baseline, fps)) {
            r.conversationFingerprints();
            assertTrue(String.valueOf(r.changeNote()).startsWith("Changes found from "), r.changeNote());
            java.util.List<org.chatarchive.model.Message> ms = new java.util.ArrayList<>();
            r.messages(r.conversations().get(0), ms::add);
            assertTrue(ms.stream().anyMatch(m -> "changed".equals(m.body())), ms.toString());
        }
    }

    /** A copy that cannot be written (here its database file is a folder) does not stop the reading. */
    @Test
    void aCopyThatCannotBeWrittenIsDoneWithout() throws Exception {
        Path p = profile();
        Path mirror = tmp.resolve("mirror");
        Files.createDirectories(mirror.resolve("db.sqlite"));
        Map<String, String> whole;
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            whole = r.conversationFingerprints();
        }
        try (SignalDesktopReader r = open(p, mirror, null, Map.of())) {
            assertEquals(whole, r.conversationFingerprints());
            assertEquals(null, r.baseline(), "no copy, no source state");
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("plaintext copy")), r.warnings().toString());
        }
    }
}
