package org.chatarchive.readers.sqlcipher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.source.SourceException;

/**
 * The tags of a plaintext copy's source read on several threads ({@link DecryptedDatabase#parallelTagPages}) give
 * what one thread gives: the same changed pages, the same copy and the same rows, with pages in WAL frames (some
 * past the end of the file), and with damaged pages, of which the first in page order is the one reported.
 */
class MirrorTagScanTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final long T0 = 1_710_000_000_000L;
    static final Set<String> TABLES = Set.of("messages", "conversations", "message_attachments", "reactions",
            "edited_messages", "callsHistory", "stickers");

    @TempDir
    static Path tmp;
    /** The state the copy was made of (the WAL's messages deleted and checkpointed). */
    static Path before;
    /** The state read against the copy: more messages, the last ones in WAL frames. */
    static Path after;
    static String key;

    @BeforeAll
    static void build() throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        for (int i = 0; i < 300; i++) {
            spec.incoming("c-bob", "b" + i, T0 + i, "message " + i + " " + "x".repeat(300 + i % 7 * 100));
        }
        spec.walUncheckpointed(40);
        after = SignalProfiles.build(spec, tmp.resolve("after"));
        key = SignalProfiles.keyOf(after);
        before = tmp.resolve("before");
        copyTree(after, before);
        StringBuilder gone = new StringBuilder();
        for (int i = 260; i < 300; i++) {
            gone.append(gone.length() == 0 ? "'" : ", '").append("b").append(i).append('\'');
        }
        SignalProfiles.execute(before, key, "DELETE FROM messages WHERE id IN (" + gone + ");"
                + " UPDATE messages SET body = 'changed' WHERE id IN ('b3', 'b150')");
        assertTrue(Files.exists(Path.of(db(after) + "-wal")), "the later state has WAL frames");
    }

    static Path db(Path profile) {
        return profile.resolve("sql").resolve("db.sqlite");
    }

    static void copyTree(Path from, Path to) throws Exception {
        org.chatarchive.fixtures.Trees.copy(from, to);
    }

    /** A copy made of {@link #before}, in a folder of its own. */
    static Path copyOfBefore(String name) throws Exception {
        Path mirror = tmp.resolve(name);
        try (DecryptedDatabase d = open(db(before), mirror)) {
            assertTrue(d.mirrorUse().isPresent() && !d.mirrorUse().get().incremental());
        }
        return mirror;
    }

    static DecryptedDatabase open(Path db, Path mirror) throws SourceException {
        return DecryptedDatabase.open(db, SqlCipherKey.parse(key), OpenOptions.defaults()
                .withMirror(new OpenOptions.Mirror(mirror, TABLES, Set.of("items"), Map.of("messages", List.of("conversationId")))));
    }

    /** What a reading through the copy found and gives, and the copy's files after it. */
    static Map<String, Object> readThrough(Path db, Path mirror, long parallelFrom) throws Exception {
        long saved = DecryptedDatabase.parallelTagPages;
        int savedWorkers = DecryptedDatabase.tagWorkers;
        Map<String, Object> out = new TreeMap<>();
        DecryptedDatabase.parallelTagPages = parallelFrom;
        DecryptedDatabase.tagWorkers = 3; // several, whatever the machine's cores
        try (DecryptedDatabase d = open(db, mirror)) {
            DecryptedDatabase.MirrorUse use = d.mirrorUse().orElseThrow();
            assertTrue(use.incremental(), "read through the copy");
            out.put("changedPages", use.changedPages());
            out.put("generation", use.generation());
            out.put("keptPages", use.keptPages());
            out.put("touchedRows", text(use.touchedRows()));
            out.put("removedRows", text(use.removedRows()));
            Map<String, String> removed = new TreeMap<>();
            use.removedValues().forEach((t, rows) -> {
                Map<Long, String> values = new TreeMap<>();
                rows.forEach((rowid, v) -> values.put(rowid, java.util.Arrays.toString(v)));
                removed.put(t, values.toString());
            });
            out.put("removedValues", removed.toString());
            out.put("walFrames", d.walFramesApplied());
            StringBuilder rows = new StringBuilder();
            for (Map.Entry<String, List<Object[]>> e : new TreeMap<>(d.mirrorRows()).entrySet()) {
                rows.append(e.getKey()).append(Arrays.deepToString(e.getValue().toArray()));
            }
            out.put("mirrorRows", rows.toString());
            StringBuilder messages = new StringBuilder();
            try (Statement st = d.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT rowid, id, body, json FROM messages ORDER BY rowid")) {
                while (rs.next()) {
                    messages.append(rs.getLong(1)).append(rs.getString(2)).append(rs.getString(3))
                            .append(rs.getString(4)).append('\n');
                }
            }
            out.put("messages", messages.toString());
        } finally {
            DecryptedDatabase.parallelTagPages = saved;
            DecryptedDatabase.tagWorkers = savedWorkers;
        }
        try (Stream<Path> files = Files.list(mirror)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                out.put("file " + f.getFileName(), Arrays.toString(Files.readAllBytes(f)));
            }
        }
        return out;
    }

    static String text(Map<String, long[]> m) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(m).forEach((k, v) -> sb.append(k).append(Arrays.toString(v)));
        return sb.toString();
    }

    @Test
    void tagsReadOnSeveralThreadsFindTheSameChangesAsOnOne() throws Exception {
        Map<String, Object> one = readThrough(db(after), copyOfBefore("one"), Long.MAX_VALUE);
        Map<String, Object> several = readThrough(db(after), copyOfBefore("several"), 0);
        assertTrue((Long) one.get("changedPages") > 0, one.get("changedPages").toString());
        assertTrue((Integer) one.get("walFrames") > 0);
        assertEquals(one.keySet(), several.keySet());
        for (String k : one.keySet()) {
            assertEquals(one.get(k), several.get(k), k);
        }
        // The same again from the copy now of this state: nothing changed.
        Map<String, Object> again = readThrough(db(after), tmp.resolve("several"), 0);
        assertEquals(0L, again.get("changedPages"));
        assertEquals(one.get("messages"), again.get("messages"));
    }

    @Test
    void theFirstDamagedPageIsReportedAsOnOneThread() throws Exception {
        Path damaged = tmp.resolve("damaged");
        copyTree(after, damaged);
        long pages = Files.size(db(damaged)) / 4096;
        assertTrue(pages > 20, "pages " + pages);
        // A flipped byte in every page but the first: each page read because its tag changed fails its check.
        try (RandomAccessFile f = new RandomAccessFile(db(damaged).toFile(), "rw")) {
            for (long p = 2; p <= pages; p++) {
                long at = (p - 1) * 4096 + 100;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x20);
            }
        }
        String[] messages = new String[2];
        long[] modes = {Long.MAX_VALUE, 0};
        for (int i = 0; i < 2; i++) {
            long saved = DecryptedDatabase.parallelTagPages;
            int savedWorkers = DecryptedDatabase.tagWorkers;
            DecryptedDatabase.parallelTagPages = modes[i];
            DecryptedDatabase.tagWorkers = 3;
            Path mirror = copyOfBefore("damaged-" + i);
            try {
                SourceException e = assertThrows(SourceException.class, () -> open(db(damaged), mirror).close());
                assertEquals(SourceException.Kind.CORRUPT, e.kind());
                messages[i] = e.getMessage();
            } finally {
                DecryptedDatabase.parallelTagPages = saved;
                DecryptedDatabase.tagWorkers = savedWorkers;
            }
        }
        assertTrue(messages[0].matches("Page \\d+ of db.sqlite is damaged \\(HMAC check failed\\).*"), messages[0]);
        assertEquals(messages[0], messages[1]);
    }
}
