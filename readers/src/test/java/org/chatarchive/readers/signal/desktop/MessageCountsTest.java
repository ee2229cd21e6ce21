package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Conversation;

/**
 * The messages rows by conversation and story flag, kept beside the plaintext copy and brought up to date from the
 * rows that changed since: what the reader lists and excludes is what a reading that counts every row gives, for
 * each kind of change that moves a row between conversations, stories and the orphan collection; a count file
 * it cannot trust (damaged, of another state) is counted again.
 */
class MessageCountsTest {

    static final long T0 = ChangeFingerprintsTest.T0;

    @TempDir
    static Path tmp;
    static Path base;

    @BeforeAll
    static void build() throws Exception {
        SignalProfileSpec spec = ChangeFingerprintsTest.threeChats();
        spec.incoming("c-bob", "b1", T0, "are you there?");
        spec.outgoing("c-bob", "b2", T0 + 1_000, "yes");
        spec.message(Map.of("conversationId", "c-bob", "id", "st1", "type", "story", "sent_at", T0 + 1_500,
                "body", "my story"));
        spec.incoming("c-carol", "k1", T0 + 2_000, "lunch?");
        spec.outgoing("c-carol", "k2", T0 + 3_000, "sure");
        spec.outgoing("c-self", "s1", T0 + 4_000, "note to self");
        base = SignalProfiles.build(spec, tmp.resolve("base"));
        // A message whose conversation row is gone: the orphan collection.
        SignalProfiles.execute(base, SignalProfiles.keyOf(base), "INSERT INTO messages (id, conversationId, type,"
                + " body, sent_at, timestamp, received_at, json) VALUES ('o1', 'c-nobody', 'incoming', 'from a"
                + " conversation that is gone', " + (T0 + 5_000) + ", " + (T0 + 5_000) + ", " + (T0 + 5_000) + ", '{}')");
    }

    record Listing(List<Conversation> conversations, Map<String, Long> excluded, long rows) {
        static Listing of(SignalDesktopReader r) {
            return new Listing(r.conversations(), r.excluded(), r.messageCountHint());
        }
    }

    static Stream<Arguments> changes() {
        String insert = "INSERT INTO messages (id, conversationId, type, body, sent_at, timestamp, received_at, json)"
                + " VALUES ";
        return Stream.of(
                Arguments.of("no change", "UPDATE messages SET schemaVersion = 1 WHERE id = 'none'", false),
                Arguments.of("new message", insert + "('b9', 'c-bob', 'incoming', 'one more', " + (T0 + 9_000) + ", "
                        + (T0 + 9_000) + ", " + (T0 + 9_000) + ", '{}')", true),
                Arguments.of("new story", insert + "('st2', 'c-carol', 'story', 'a story', " + (T0 + 9_000) + ", "
                        + (T0 + 9_000) + ", " + (T0 + 9_000) + ", '{}')", true),
                Arguments.of("message became a story", "UPDATE messages SET type = 'story' WHERE id = 'b2'", true),
                Arguments.of("story deleted", "DELETE FROM messages WHERE id = 'st1'", true),
                Arguments.of("message deleted", "DELETE FROM messages WHERE id = 'b1'", true),
                Arguments.of("a conversation emptied", "DELETE FROM messages WHERE conversationId = 'c-carol'", true),
                Arguments.of("message moved", "UPDATE messages SET conversationId = 'c-carol' WHERE id = 'b1'", true),
                Arguments.of("message orphaned", "UPDATE messages SET conversationId = 'c-gone' WHERE id = 's1'", true),
                Arguments.of("orphan deleted", "DELETE FROM messages WHERE id = 'o1'", true),
                Arguments.of("a new conversation's first message", "UPDATE messages SET conversationId = 'c-self'"
                        + " WHERE id = 'o1'", true),
                Arguments.of("many", insert + String.join(", ", java.util.stream.IntStream.range(0, 300)
                        .mapToObj(i -> "('n" + i + "', '" + (i % 3 == 0 ? "c-bob" : "c-carol") + "', '"
                                + (i % 7 == 0 ? "story" : "incoming") + "', 'text " + "x".repeat(i % 50) + "', "
                                + (T0 + 10_000 + i) + ", " + (T0 + 10_000 + i) + ", " + (T0 + 10_000 + i) + ", '{}')")
                        .toList()) + "; DELETE FROM messages WHERE id IN ('b2', 'k1')", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void theCountsKeptWithTheCopyAreThoseOfACountOfEveryRow(String kind, String sql, boolean changes)
            throws Exception {
        Path p = tmp.resolve("p-" + kind.replace(' ', '-'));
        org.chatarchive.fixtures.Trees.copy(base, p);
        Path mirror = tmp.resolve("m-" + kind.replace(' ', '-'));
        String baseline;
        try (SignalDesktopReader r = open(p, mirror, null)) {
            baseline = r.baseline();
            assertTrue(!r.countsFromCopy(), "the first run has no counts to start from");
        }
        assertTrue(Files.isRegularFile(mirror.resolve(MessageCounts.FILE)), "the counts were kept");
        assertEquals(changes, SignalProfiles.execute(p, SignalProfiles.keyOf(p), sql) > 0, kind);
        Listing whole;
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            whole = Listing.of(r);
        }
        try (SignalDesktopReader r = open(p, mirror, baseline)) {
            assertTrue(r.countsFromCopy(), kind + ": counted from the kept counts and the changed rows");
            assertEquals(whole, Listing.of(r), kind);
        }
        // And once more, with nothing changed since: the counts the last run kept.
        try (SignalDesktopReader r = open(p, mirror, baseline)) {
            assertTrue(r.countsFromCopy(), kind);
            assertEquals(whole, Listing.of(r), kind + ", again");
        }
    }

    @Test
    void aCountFileItCannotTrustIsCountedAgain() throws Exception {
        Path p = tmp.resolve("untrusted");
        org.chatarchive.fixtures.Trees.copy(base, p);
        Path mirror = tmp.resolve("m-untrusted");
        String baseline;
        try (SignalDesktopReader r = open(p, mirror, null)) {
            baseline = r.baseline();
        }
        Path file = mirror.resolve(MessageCounts.FILE);
        byte[] kept = Files.readAllBytes(file);
        SignalProfiles.execute(p, SignalProfiles.keyOf(p), "DELETE FROM messages WHERE id = 'b1'");
        Listing whole;
        try (SignalDesktopReader r = SignalDesktopReader.open(p, SignalDesktopReader.Options.defaults())) {
            whole = Listing.of(r);
        }
        for (String damage : List.of("a count changed", "cut short", "another state")) {
            Path m = tmp.resolve("m-" + damage.replace(' ', '-'));
            org.chatarchive.fixtures.Trees.copy(mirror, m);
            byte[] b = kept.clone();
            switch (damage) {
                case "a count changed" -> b[b.length - 9] ^= 1; // the last group's count, not the sum after it
                case "cut short" -> b = java.util.Arrays.copyOf(b, b.length - 3);
                default -> b[12] ^= 1; // a character of the state's name
            }
            Files.write(m.resolve(MessageCounts.FILE), b);
            try (SignalDesktopReader r = open(p, m, baseline)) {
                assertTrue(!r.countsFromCopy(), damage + ": counted again");
                assertEquals(whole, Listing.of(r), damage);
            }
            assertTrue(!java.util.Arrays.equals(b, Files.readAllBytes(m.resolve(MessageCounts.FILE))),
                    damage + ": written anew");
        }
    }

    private static SignalDesktopReader open(Path profile, Path mirror, String baseline) throws Exception {
        return SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults()
                .withIncremental(new SignalDesktopReader.Incremental(mirror, baseline, Map.of())));
    }
}
