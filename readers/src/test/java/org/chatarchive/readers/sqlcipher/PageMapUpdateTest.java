package org.chatarchive.readers.sqlcipher;

import static org.chatarchive.readers.sqlcipher.PageMapFixtures.makeRich;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.open;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.queryLong;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.queryLongs;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.wholeMap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;

import org.chatarchive.readers.sqlcipher.PageMap.Kind;
import org.chatarchive.readers.sqlcipher.PageMapFixtures.ImagePages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageMapUpdateTest {

    private static final Set<Kind> NOT_TO_READ = EnumSet.of(Kind.TABLE_LEAF, Kind.INDEX_LEAF, Kind.OVERFLOW);

    @TempDir
    Path tmp;

    /** What the SQL of a step did, per table: rows it wrote (inserted or updated) and rows it deleted. */
    private static final class Expected {
        final Map<String, Set<Long>> written = new TreeMap<>();
        final Map<String, Set<Long>> deleted = new TreeMap<>();

        void wrote(String table, List<Long> rowids) {
            written.computeIfAbsent(table, k -> new TreeSet<>()).addAll(rowids);
        }

        void deleted(String table, List<Long> rowids) {
            deleted.computeIfAbsent(table, k -> new TreeSet<>()).addAll(rowids);
        }
    }

    @ParameterizedTest(name = "page size {0}, auto-vacuum {1}")
    @CsvSource({"4096, false", "1024, false", "4096, true", "1024, true"})
    void updateAfterMixedChangesEqualsFullAndReadsNoUnchangedLeaf(int pageSize, boolean autoVacuum)
            throws Exception {
        Path db = tmp.resolve("db.sqlite");
        makeRich(db, pageSize, autoVacuum, 11);
        byte[] a = Files.readAllBytes(db);
        Expected ex = new Expected();
        Random r = new Random(5);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            // The trigger has the largest rowid of sqlite_master, which the new table takes over: only the index's
            // row is gone for good.
            ex.deleted("sqlite_master", queryLongs(c, "SELECT rowid FROM sqlite_master WHERE name = 'messages_body'"));
            s.execute("DROP TRIGGER messages_ai"); // keeps FTS5's own bookkeeping out of the expected rows
            s.execute("DROP INDEX messages_body");
            c.setAutoCommit(false);
            List<Long> grown = queryLongs(c, "SELECT id FROM messages WHERE id % 7 = 3 AND id < 900");
            s.execute("UPDATE messages SET body = body || printf('%.*c', 300, 'x') WHERE id % 7 = 3 AND id < 900");
            ex.wrote("messages", grown);
            List<Long> gone = queryLongs(c, "SELECT id FROM messages WHERE id % 11 = 4 OR id BETWEEN 1000 AND 1100");
            s.execute("DELETE FROM messages WHERE id % 11 = 4 OR id BETWEEN 1000 AND 1100");
            ex.deleted("messages", gone);
            List<Long> plainGone = queryLongs(c, "SELECT rowid FROM plain WHERE a BETWEEN 200 AND 260");
            s.execute("DELETE FROM plain WHERE a BETWEEN 200 AND 260");
            ex.deleted("plain", plainGone);
            long before = queryLong(c, "SELECT max(id) FROM messages");
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO messages (conversationId, body, json, sent_at) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 150; i++) {
                    p.setString(1, "conv-" + r.nextInt(40));
                    p.setString(2, PageMapFixtures.text(r, i % 20 == 0 ? 7000 : 80));
                    p.setString(3, "{}");
                    p.setLong(4, 10_000_000L + i);
                    p.executeUpdate();
                }
            }
            ex.wrote("messages", queryLongs(c, "SELECT id FROM messages WHERE id > " + before));
            ex.deleted("sessions", queryLongs(c, "SELECT rowid FROM sessions WHERE id = 'session-3'"));
            s.execute("DELETE FROM sessions WHERE id = 'session-3'");
            ex.wrote("conversations", queryLongs(c, "SELECT rowid FROM conversations WHERE id = 'conv-1'"));
            s.execute("UPDATE conversations SET json = printf('%.*c', 9000, 'y') WHERE id = 'conv-1'");
            s.execute("DELETE FROM items WHERE id LIKE 'item-1%'");
            s.execute("CREATE TABLE added (x TEXT)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO added VALUES (?)")) {
                for (int i = 0; i < 60; i++) {
                    p.setString(1, PageMapFixtures.text(r, i % 10 == 0 ? 5000 : 40));
                    p.executeUpdate();
                }
            }
            ex.wrote("added", queryLongs(c, "SELECT rowid FROM added"));
            ex.wrote("sqlite_master", queryLongs(c, "SELECT rowid FROM sqlite_master WHERE name = 'added'"));
            c.commit();
        }
        byte[] b = Files.readAllBytes(db);
        check(tmp, a, b, pageSize, ex);
        assertTrue(unchangedLeaves(a, b, pageSize) > 20, "the guard was put to work");
    }

    /** Pages of {@code b} that are leaf or overflow pages in {@code a} with the same bytes. */
    private static long unchangedLeaves(byte[] a, byte[] b, int pageSize) throws IOException {
        PageMap mapA = wholeMap(a, pageSize);
        LongPredicate changed = PageMapFixtures.changedPages(a, b, pageSize);
        long n = 0;
        for (long pg = 1; pg <= Math.min(mapA.pageCount(), b.length / pageSize); pg++) {
            n += !changed.test(pg) && NOT_TO_READ.contains(mapA.kind(pg)) ? 1 : 0;
        }
        return n;
    }

    @Test
    void sameSizeUpdateInsideAnOverflowingValueTouchesOnlyItsOverflowPage() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        makeRich(db, 4096, false, 3);
        long rowid;
        byte[] value;
        try (Connection c = open(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rowid, c FROM plain WHERE length(c) = 9000 LIMIT 1")) {
            rowid = rs.getLong(1);
            value = rs.getBytes(2);
        }
        byte[] a = Files.readAllBytes(db);
        value[8500] ^= 0x55;
        try (Connection c = open(db);
                PreparedStatement p = c.prepareStatement("UPDATE plain SET c = ? WHERE rowid = ?")) {
            p.setBytes(1, value);
            p.setLong(2, rowid);
            assertEquals(1, p.executeUpdate());
        }
        byte[] b = Files.readAllBytes(db);
        PageMap before = wholeMap(a, 4096);
        LongPredicate changed = PageMapFixtures.changedPages(a, b, 4096);
        List<String> changedPages = new ArrayList<>();
        for (long pg = 1; pg <= before.pageCount(); pg++) {
            if (changed.test(pg)) {
                changedPages.add(pg + ":" + before.kind(pg) + ":" + before.tree(pg));
            }
        }
        assertTrue(changedPages.stream().noneMatch(x -> x.contains("LEAF") && !x.startsWith("1:")),
                "no leaf but page 1 (the header's change counter) was written: " + changedPages);
        assertTrue(changedPages.stream().anyMatch(x -> x.endsWith("OVERFLOW:plain")), changedPages.toString());
        Expected ex = new Expected();
        ex.wrote("plain", List.of(rowid));
        Map<String, long[]> touched = check(tmp, a, b, 4096, ex);
        assertArrayEquals(new long[] {rowid}, touched.get("plain"));
    }

    /**
     * A table of small rows (a hundred to a page): changing one row and adding one touches only those two, not
     * every row of the pages they are on, because each cell's digest is compared with the previous map's.
     */
    @Test
    void onlyRowsWhoseCellsDifferAreTouched() throws Exception {
        Path db = tmp.resolve("small-rows.sqlite");
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE r (conversationId TEXT, emoji TEXT, n INTEGER)");
            for (int i = 0; i < 400; i++) {
                s.execute("INSERT INTO r VALUES ('c" + (i % 37) + "', 'x', " + i + ")");
            }
        }
        byte[] a = Files.readAllBytes(db);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE r SET emoji = 'y' WHERE rowid = 17"));
            s.execute("INSERT INTO r VALUES ('c5', 'z', 400)");
        }
        byte[] b = Files.readAllBytes(db);
        PageMap before = wholeMap(a, 4096);
        LongPredicate changed = PageMapFixtures.changedPages(a, b, 4096);
        PageMap after = PageMap.update(before, new ImagePages(b, 4096), 4096, b.length / 4096, changed);
        assertEquals(wholeMap(b, 4096), after);
        long onChangedLeaves = 0;
        for (long pg = 1; pg <= after.pageCount(); pg++) {
            if (changed.test(pg) && after.kind(pg) == Kind.TABLE_LEAF) {
                onChangedLeaves += after.rowids(pg).length;
            }
        }
        assertTrue(onChangedLeaves > 50, "the changed leaves hold many rows: " + onChangedLeaves);
        assertArrayEquals(new long[] {17, 401}, PageMap.touchedRows(before, after, changed).get("r"));
        assertEquals(null, PageMap.removedRows(before, after, changed).get("r"));
    }

    @Test
    void renamedTableAndSchemaRowThatOverflowsAreMappedWithoutReadingUnchangedPages() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        Random r = new Random(9);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size = 1024");
            s.execute("CREATE TABLE t1 (x)");
            for (int i = 0; i < 200; i++) {
                s.execute("INSERT INTO t1 VALUES ('" + PageMapFixtures.text(r, 100) + "')");
            }
            s.execute("CREATE VIEW v AS SELECT '" + PageMapFixtures.text(r, 3000) + "' AS f");
        }
        byte[] a = Files.readAllBytes(db);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE t1 RENAME TO renamed");
            s.execute("CREATE TABLE t2 (y)");
        }
        byte[] b = Files.readAllBytes(db);
        PageMap before = wholeMap(a, 1024);
        LongPredicate changed = PageMapFixtures.changedPages(a, b, 1024);
        // The view's schema row sits on page 1, which the rename rewrites, while its overflow pages stay: update()
        // must parse that row again without reading them.
        assertEquals(Kind.TABLE_LEAF, before.kind(1));
        assertTrue(changed.test(1));
        long schemaOverflow = 0;
        for (long pg = 1; pg <= before.pageCount(); pg++) {
            if (before.kind(pg) == Kind.OVERFLOW && "sqlite_master".equals(before.tree(pg))) {
                assertFalse(changed.test(pg), "page " + pg);
                schemaOverflow++;
            }
        }
        assertTrue(schemaOverflow >= 2);
        Map<String, long[]> touched = check(tmp, a, b, 1024, new Expected());
        assertEquals(200, touched.get("renamed").length, "a renamed table's rows are all new under its new name");
        assertEquals(200, PageMap.removedRows(before, wholeMap(b, 1024),
                changed).get("t1").length);
    }

    @Test
    void updateAfterVacuumEqualsFull() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        makeRich(db, 4096, false, 4);
        byte[] a = Files.readAllBytes(db);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("VACUUM");
        }
        byte[] b = Files.readAllBytes(db);
        assertTrue(b.length < a.length);
        check(tmp, a, b, 4096, new Expected());
    }

    @Test
    void updateOfAnUpdateEqualsFull() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        makeRich(db, 1024, false, 6);
        byte[] a = Files.readAllBytes(db);
        PageMap mapA = wholeMap(a, 1024);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("DELETE FROM messages WHERE id % 3 = 0");
        }
        byte[] b = Files.readAllBytes(db);
        PageMap mapB = PageMap.update(mapA, guarded(b, 1024, mapA, PageMapFixtures.changedPages(a, b, 1024)),
                1024, b.length / 1024, PageMapFixtures.changedPages(a, b, 1024));
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("UPDATE messages SET body = upper(body) WHERE id % 3 = 1");
            s.execute("INSERT INTO sessions VALUES ('late', zeroblob(20000))");
        }
        byte[] c2 = Files.readAllBytes(db);
        LongPredicate changed = PageMapFixtures.changedPages(b, c2, 1024);
        PageMap mapC = PageMap.update(mapB, guarded(c2, 1024, mapB, changed), 1024, c2.length / 1024, changed);
        assertEquals(wholeMap(c2, 1024), mapC);
        // A delta over the first map gathers the pages of both changes, as runs add theirs to it.
        java.util.BitSet pages = PageMap.differing(mapA, mapB, PageMapFixtures.changedPages(a, b, 1024));
        pages.or(PageMap.differing(mapB, mapC, changed));
        assertEquals(mapC, overBase(mapA, mapC, pages));
        // Without the second change's pages, it is not the map of the third state.
        PageMap partial;
        try {
            partial = overBase(mapA, mapC, PageMap.differing(mapA, mapB, PageMapFixtures.changedPages(a, b, 1024)));
        } catch (IOException e) {
            partial = null; // it lacks pages past the first map's last
        }
        assertTrue(!mapC.equals(partial));
    }

    /** The pages 1..{@code last} for which {@code changed} holds. */
    static BitSet bits(LongPredicate changed, long last) {
        BitSet out = new BitSet();
        for (int pg = 1; pg <= last; pg++) {
            if (changed.test(pg)) {
                out.set(pg);
            }
        }
        return out;
    }

    /**
     * Forty rounds of the changes a messaging app makes (new rows small and large, rows grown, shrunk, rewritten
     * at the same size, deleted one by one and in ranges, a table emptied and filled again), each mapped from the
     * map of the round before, read back from its file or delta as a run would: every map is the map a whole walk
     * gives, nearly every one is made from the changed pages alone, and those rounds read no page but the changed
     * ones and those above them.
     */
    @ParameterizedTest(name = "page size {0}")
    @CsvSource({"4096", "1024"})
    void chainedUpdatesFromChangedPagesEqualWholeWalks(int pageSize) throws Exception {
        Path db = tmp.resolve("chain.sqlite");
        makeRich(db, pageSize, false, 21);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER messages_ai"); // the full-text rows of reused ids would collide
        }
        Random r = new Random(pageSize);
        byte[] a = Files.readAllBytes(db);
        PageMap map = wholeMap(a, pageSize);
        PageMap base = map;
        BitSet sinceBase = new BitSet();
        int incremental = 0;
        int rounds = 40;
        for (int round = 0; round < rounds; round++) {
            try (Connection c = open(db); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                long max = queryLong(c, "SELECT max(id) FROM messages");
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO messages (conversationId, body, json, sent_at) VALUES (?, ?, ?, ?)")) {
                    for (int i = 0, n = r.nextInt(60); i < n; i++) {
                        p.setString(1, "conv-" + r.nextInt(40));
                        p.setString(2, PageMapFixtures.text(r, r.nextInt(10) == 0 ? 3000 + r.nextInt(9000)
                                : 10 + r.nextInt(300)));
                        p.setString(3, "{\"round\":" + round + "}");
                        p.setLong(4, 50_000_000L + round * 1000L + i);
                        p.executeUpdate();
                    }
                }
                switch (round % 5) {
                    case 0 -> s.execute("DELETE FROM messages WHERE id BETWEEN " + (max - 400 + r.nextInt(200))
                            + " AND " + (max - 150));
                    case 1 -> s.execute("UPDATE messages SET body = body || printf('%.*c', " + (200 + r.nextInt(5000))
                            + ", 'g') WHERE id % 13 = " + r.nextInt(13));
                    case 2 -> s.execute("UPDATE messages SET body = substr(body, 1, 5) WHERE id % 11 = "
                            + r.nextInt(11));
                    case 3 -> s.execute("UPDATE plain SET c = randomblob(length(c)) WHERE a % 17 = " + r.nextInt(17));
                    default -> {
                        s.execute("DELETE FROM sessions");
                        for (int i = 0; i < 20; i++) {
                            s.execute("INSERT INTO sessions VALUES ('s" + round + "-" + i + "', randomblob("
                                    + (100 + r.nextInt(4000)) + "))");
                        }
                    }
                }
                s.execute("DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY random() LIMIT "
                        + r.nextInt(20) + ")");
                c.commit();
            }
            byte[] b = Files.readAllBytes(db);
            int pages = b.length / pageSize;
            LongPredicate changedTest = PageMapFixtures.changedPages(a, b, pageSize);
            BitSet changed = bits(changedTest, Math.max(map.pageCount(), pages));
            BitSet read = new BitSet();
            ImagePages now = new ImagePages(b, pageSize);
            PageMap.Update u = PageMap.update(map, pg -> {
                read.set((int) pg);
                return now.page(pg);
            }, new ImagePages(a, pageSize), pageSize, pages, changed);
            PageMap full = PageMap.full(now, pageSize, pages);
            assertEquals(full, u.map(), "round " + round);
            BitSet missing = PageMap.differing(map, full, changed);
            missing.andNot(u.differing());
            assertTrue(missing.isEmpty(), "round " + round + ": differing pages not named: " + missing);
            if (u.incremental()) {
                incremental++;
                // Only changed pages, pages above one in the previous map, the schema's pages, freelist trunks,
                // and pages whose role changed (a freed page reused with the bytes it had): far fewer than all.
                BitSet expected = (BitSet) changed.clone();
                for (int pg = changed.nextSetBit(1); pg >= 0 && pg <= map.pageCount(); pg = changed.nextSetBit(pg + 1)) {
                    for (int q = map.parents[pg]; q != 0 && map.kinds[pg] != Kind.FREE_LEAF.ordinal()
                            && map.kinds[pg] != Kind.FREE_TRUNK.ordinal(); q = map.parents[q]) {
                        expected.set(q);
                    }
                }
                for (int pg = 1; pg <= map.pageCount(); pg++) {
                    if (map.kinds[pg] == Kind.FREE_TRUNK.ordinal() || "sqlite_master".equals(map.tree(pg))
                            || pg <= full.pageCount() && map.kinds[pg] != full.kinds[pg]) {
                        expected.set(pg);
                    }
                }
                BitSet extra = (BitSet) read.clone();
                extra.andNot(expected);
                assertTrue(extra.isEmpty(), "round " + round + ": pages read beyond the changed ones and those"
                        + " above them: " + extra);
                assertTrue(read.cardinality() < pages / 2, "round " + round + ": " + read.cardinality()
                        + " pages read of " + pages);
            }
            // As a run keeps it: a delta over the map last written whole, or whole again.
            sinceBase.or(u.differing());
            PageMap kept;
            if (sinceBase.cardinality() <= pages / 8) {
                kept = overBase(base, u.map(), sinceBase);
            } else {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                u.map().write(out);
                kept = PageMap.read(new java.io.ByteArrayInputStream(out.toByteArray()));
                base = kept;
                sinceBase = new BitSet();
            }
            assertEquals(full, kept, "round " + round + ", read back");
            map = kept;
            a = b;
        }
        assertTrue(incremental >= rounds - 2, incremental + " of " + rounds + " rounds made from the changed pages");
    }

    /**
     * A map of the first format (a copy kept by an earlier version) has no parents: it is read, the update walks
     * every b-tree once and gives the map with its parents, and no delta is read over it.
     */
    @Test
    void aMapOfTheFirstFormatIsReadAndUpdatedByAWholeWalk() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        makeRich(db, 4096, false, 8);
        byte[] a = Files.readAllBytes(db);
        PageMap mapA = wholeMap(a, 4096);
        java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
        PageMapFile.write(mapA, first, 1);
        PageMap old = PageMap.read(new java.io.ByteArrayInputStream(first.toByteArray()));
        assertEquals(null, old.parents);
        assertArrayEquals(mapA.kinds, old.kinds);
        assertEquals(mapA.schema(), old.schema());
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("UPDATE messages SET body = 'short' WHERE id % 9 = 2");
        }
        byte[] b = Files.readAllBytes(db);
        LongPredicate changed = PageMapFixtures.changedPages(a, b, 4096);
        PageMap.Update u = PageMap.update(old, new ImagePages(b, 4096), new ImagePages(a, 4096), 4096,
                b.length / 4096, bits(changed, b.length / 4096));
        assertFalse(u.incremental());
        assertEquals(wholeMap(b, 4096), u.map());
        java.io.ByteArrayOutputStream delta = new java.io.ByteArrayOutputStream();
        PageMapFile.writeDelta(u.map(), u.differing(), delta);
        assertThrows(IOException.class,
                () -> PageMapFile.readDelta(old, new java.io.ByteArrayInputStream(delta.toByteArray())));
        assertThrows(IllegalStateException.class, () -> old.write(new java.io.ByteArrayOutputStream()));
    }

    /** Whether the two maps say the same of page {@code pg} (both have it). */
    private static boolean sameEntry(PageMap x, PageMap y, int pg) {
        return x.kinds[pg] == y.kinds[pg] && x.trees[pg] == y.trees[pg] && Arrays.equals(x.rowids[pg], y.rowids[pg])
                && Arrays.equals(x.cellHashes[pg], y.cellHashes[pg]) && Arrays.equals(x.chains[pg], y.chains[pg])
                && x.next[pg] == y.next[pg] && x.overflowRowid[pg] == y.overflowRowid[pg];
    }

    /** {@code map} written as a delta holding {@code pages} and read back over {@code base}. */
    private static PageMap overBase(PageMap base, PageMap map, java.util.BitSet pages) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PageMapFile.writeDelta(map, pages, out);
        PageMapFile.Delta d = PageMapFile.readDelta(base, new java.io.ByteArrayInputStream(out.toByteArray()));
        java.util.BitSet held = (java.util.BitSet) pages.clone();
        held.clear(0);
        if (held.length() > (int) map.pageCount() + 1) {
            held.clear((int) map.pageCount() + 1, held.length());
        }
        assertEquals(held, d.pages());
        return d.map();
    }

    /**
     * Maps {@code b} from {@code full(a)} with a source that refuses unchanged leaf and overflow pages, checks
     * the result against {@code full(b)} page by page, and the touched and removed rows against what the SQL did.
     */
    private static Map<String, long[]> check(Path tmp, byte[] a, byte[] b, int pageSize, Expected ex)
            throws Exception {
        PageMap mapA = wholeMap(a, pageSize);
        LongPredicate changed = PageMapFixtures.changedPages(a, b, pageSize);
        PageMap updated = PageMap.update(mapA, guarded(b, pageSize, mapA, changed), pageSize, b.length / pageSize,
                changed);
        PageMap full = wholeMap(b, pageSize);
        assertEquals(full.pageCount(), updated.pageCount());
        for (long pg = 1; pg <= full.pageCount(); pg++) {
            String where = "page " + pg;
            assertEquals(full.kind(pg), updated.kind(pg), where);
            assertEquals(full.tree(pg), updated.tree(pg), where);
            assertEquals(full.table(pg), updated.table(pg), where);
            assertArrayEquals(full.rowids(pg), updated.rowids(pg), where);
            assertEquals(full.overflowRowid(pg), updated.overflowRowid(pg), where);
        }
        assertEquals(full.schema(), updated.schema());
        assertEquals(full, updated);
        // The pages the row comparisons visit: every page whose bytes, role or b-tree differ, or that one map lacks.
        java.util.BitSet differing = PageMap.differing(mapA, updated, changed);
        for (int pg = 1; pg <= Math.max(mapA.pageCount(), updated.pageCount()); pg++) {
            boolean both = pg <= mapA.pageCount() && pg <= updated.pageCount();
            if (!both || changed.test(pg) || !sameEntry(mapA, updated, pg)) {
                assertTrue(differing.get(pg), "page " + pg + " is among the differing pages");
            }
        }
        // Written as a delta of the first map, holding the differing pages alone, it reads back as the new map.
        assertEquals(updated, overBase(mapA, updated, differing));
        // Made from the changed pages and those above them (or, when that cannot be shown right, as above), it is
        // the same map, and names every page where it differs.
        PageMap.Update u = PageMap.update(mapA, guarded(b, pageSize, mapA, changed), new ImagePages(a, pageSize),
                pageSize, b.length / pageSize, bits(changed, Math.max(mapA.pageCount(), b.length / pageSize)));
        assertEquals(full, u.map());
        BitSet missing = (BitSet) differing.clone();
        missing.andNot(u.differing());
        assertTrue(missing.isEmpty(), "pages the update does not name as differing: " + missing);

        // The oracle: every row of every rowid table in both states, as SQLite reads them.
        Map<String, Map<Long, String>> rowsA = allRows(tmp.resolve("a.sqlite"), a);
        Map<String, Map<Long, String>> rowsB = allRows(tmp.resolve("b.sqlite"), b);
        Map<String, List<Long>> differ = new TreeMap<>();
        Map<String, List<Long>> gone = new TreeMap<>();
        for (String table : union(rowsA.keySet(), rowsB.keySet())) {
            Map<Long, String> ra = rowsA.getOrDefault(table, Map.of());
            Map<Long, String> rb = rowsB.getOrDefault(table, Map.of());
            for (long rowid : union(ra.keySet(), rb.keySet())) {
                if (!java.util.Objects.equals(ra.get(rowid), rb.get(rowid))) {
                    differ.computeIfAbsent(table, k -> new ArrayList<>()).add(rowid);
                }
                if (ra.containsKey(rowid) && !rb.containsKey(rowid)) {
                    gone.computeIfAbsent(table, k -> new ArrayList<>()).add(rowid);
                }
            }
        }
        Map<String, long[]> touched = PageMap.touchedRows(mapA, updated, changed);
        for (Map.Entry<String, List<Long>> e : differ.entrySet()) {
            assertContains(touched, e.getKey(), new TreeSet<>(e.getValue()));
        }
        for (Map.Entry<String, Set<Long>> e : ex.written.entrySet()) {
            assertContains(touched, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Set<Long>> e : ex.deleted.entrySet()) {
            assertContains(touched, e.getKey(), e.getValue());
        }
        Map<String, long[]> removed = PageMap.removedRows(mapA, updated, changed);
        Map<String, List<Long>> removedLists = new TreeMap<>();
        removed.forEach((k, v) -> removedLists.put(k, Arrays.stream(v).boxed().toList()));
        assertEquals(gone, removedLists);
        ex.deleted.forEach((k, v) -> assertTrue(gone.getOrDefault(k, List.of()).containsAll(v), k));
        return touched;
    }

    /** Each rowid table's rows (sqlite_master included), rowid to the row's values as text. */
    private static Map<String, Map<Long, String>> allRows(Path file, byte[] image) throws Exception {
        Files.write(file, image);
        Map<String, Map<Long, String>> out = new TreeMap<>();
        try (Connection c = open(file)) {
            List<String> tables = PageMapTest.queryStrings(c, "SELECT name FROM pragma_table_list"
                    + " WHERE type = 'table' AND NOT wr AND schema = 'main' AND name != 'sqlite_temp_master'");
            for (String t : tables) {
                Map<Long, String> rows = new TreeMap<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT rowid, * FROM \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        Object[] v = new Object[n - 1];
                        for (int i = 0; i < n - 1; i++) {
                            v[i] = rs.getObject(i + 2);
                        }
                        rows.put(rs.getLong(1), Arrays.deepToString(v));
                    }
                }
                out.put(t.equals("sqlite_schema") ? "sqlite_master" : t, rows);
            }
        }
        Files.delete(file);
        return out;
    }

    private static <T extends Comparable<T>> Set<T> union(Set<T> x, Set<T> y) {
        Set<T> u = new TreeSet<>(x);
        u.addAll(y);
        return u;
    }

    private static void assertContains(Map<String, long[]> rows, String table, Set<Long> expected) {
        long[] got = rows.getOrDefault(table, new long[0]);
        for (long r : expected) {
            assertTrue(Arrays.binarySearch(got, r) >= 0, "row " + r + " of " + table + " is reported as touched");
        }
    }

    /** Pages of {@code image} that throws when asked for a page that is unchanged and a leaf or overflow page. */
    private static PageSource guarded(byte[] image, int pageSize, PageMap previous, LongPredicate changed) {
        ImagePages pages = new ImagePages(image, pageSize);
        return pg -> {
            boolean known = pg <= previous.pageCount() && !changed.test(pg);
            assertFalse(known && NOT_TO_READ.contains(previous.kind(pg)),
                    "update() read unchanged page " + pg + " (" + (known ? previous.kind(pg) : "") + ")");
            return pages.page(pg);
        };
    }
}
