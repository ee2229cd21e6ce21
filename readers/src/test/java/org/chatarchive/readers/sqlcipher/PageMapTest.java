package org.chatarchive.readers.sqlcipher;

import static org.chatarchive.readers.sqlcipher.PageMapFixtures.dbstat;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.filePages;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.makeRich;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.open;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.queryLong;
import static org.chatarchive.readers.sqlcipher.PageMapFixtures.queryLongs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.chatarchive.readers.sqlcipher.PageMap.Kind;
import org.chatarchive.readers.sqlcipher.PageMapFixtures.ImagePages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteConnection;

class PageMapTest {

    private static final Set<Kind> BTREE = EnumSet.of(Kind.TABLE_INTERIOR, Kind.TABLE_LEAF, Kind.INDEX_INTERIOR,
            Kind.INDEX_LEAF, Kind.OVERFLOW);

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static Path rich;
    private static byte[] richImage;

    @BeforeAll
    static void buildRich() throws Exception {
        rich = shared.resolve("rich.sqlite");
        makeRich(rich, 4096, false, 1);
        richImage = Files.readAllBytes(rich);
    }

    // --- full() against SQLite's own dbstat ------------------------------------------------------------------

    @ParameterizedTest(name = "page size {0}, auto-vacuum {1}")
    @CsvSource({"4096, false", "1024, false", "4096, true", "1024, true", "65536, false"})
    void fullAgreesWithDbstatOnEveryPage(int pageSize, boolean autoVacuum) throws Exception {
        Path db = tmp.resolve("rich.sqlite");
        makeRich(db, pageSize, autoVacuum, 7);
        PageMap map;
        try (FileChannel ch = FileChannel.open(db)) {
            map = PageMap.full(filePages(ch, pageSize), pageSize, Files.size(db) / pageSize);
        }
        try (Connection c = open(db)) {
            assertAgreesWithSqlite(map, c);
            long free = count(map, Kind.FREE_TRUNK) + count(map, Kind.FREE_LEAF);
            assertEquals(!autoVacuum, free > 0, "the fixture has a freelist unless auto-vacuum truncated it");
            assertEquals(queryLong(c, "PRAGMA freelist_count"), free);
            assertEquals(autoVacuum, count(map, Kind.PTRMAP) > 0);
            if (autoVacuum) {
                assertEquals(Kind.PTRMAP, map.kind(2));
            }
            assertEquals(0, count(map, Kind.UNUSED));
            assertTrue(map.schema().stream().anyMatch(e -> e.name().equals("wide")));
            if (pageSize < 8192) {
                assertTrue(firstPage(map, Kind.OVERFLOW, "sqlite_master") > 1, "the long view spills");
            }
        }
    }

    @Test
    void lockBytePageIsFoundFromThePageSize() throws Exception {
        // A 1 GiB database of 64 KiB pages: the page holding byte 0x40000000 is page 16385. Pages beyond the real
        // file read as zeros and belong to nothing.
        Path db = tmp.resolve("big-pages.sqlite");
        makeRich(db, 65536, false, 2);
        ImagePages real = new ImagePages(Files.readAllBytes(db), 65536);
        PageSource src = pg -> pg <= real.pageCount() ? real.page(pg) : new byte[65536];
        PageMap map = PageMap.full(src, 65536, 16400);
        assertEquals(Kind.LOCK_BYTE, map.kind(16385));
        assertEquals(Kind.UNUSED, map.kind(16384));
        assertEquals(Kind.UNUSED, map.kind(16386));
        assertNull(map.tree(16385));
    }

    @Test
    void refusesAPageSizeOtherThanTheHeadersAndAForeignFile() throws Exception {
        ImagePages pages = new ImagePages(richImage, 4096);
        assertThrows(IOException.class, () -> PageMap.full(pages, 1024, pages.pageCount()));
        assertThrows(IOException.class, () -> PageMap.full(pg -> new byte[4096], 4096, 10));
        assertThrows(IOException.class, () -> PageMap.full(pg -> new byte[100], 4096, 10));
        assertThrows(IOException.class, () -> PageMap.full(pages, 4096, pages.pageCount() - 1));
    }

    @Test
    void fullAgreesWithDbstatOnADatabaseWithReservedBytes() throws Exception {
        // Signal's own SQLCipher build leaves 80 reserved bytes per page; the plaintext image keeps that header.
        Path db = tmp.resolve("cipher.sqlite");
        Fixtures.makeDb(db, 300, 5000);
        try (DecryptedDatabase d = DecryptedDatabase.open(db, SqlCipherKey.parse(Fixtures.KEY_HEX),
                OpenOptions.defaults())) {
            byte[] image = d.connection().unwrap(SQLiteConnection.class).serialize("main");
            assertEquals(80, image[20] & 0xff);
            ImagePages pages = new ImagePages(image, d.pageSize());
            PageMap map = PageMap.full(pages, d.pageSize(), pages.pageCount());
            assertAgreesWithSqlite(map, d.connection());
            assertTrue(count(map, Kind.OVERFLOW) > 0);
            assertRowsMatchSelect(map, pages, d.connection(), "t");
        }
    }

    @Test
    void schemaIsSqliteMasterInRowidOrder() throws Exception {
        PageMap map = richMap();
        List<String> names = map.schema().stream().map(PageMap.SchemaEntry::name).toList();
        assertTrue(names.contains("messages_fts"));
        PageMap.SchemaEntry fts = map.schema().get(names.indexOf("messages_fts"));
        assertEquals(0, fts.rootPage());
        assertEquals("table", fts.type());
        assertTrue(names.contains("messages_fts_data"), "FTS5 shadow tables are ordinary tables");
        assertEquals("messages", map.schema().get(names.indexOf("messages_body")).tableName());
        assertNull(map.schema().get(names.indexOf("sqlite_autoindex_conversations_1")).sql());
    }

    // --- rowids and rows ------------------------------------------------------------------------------------

    @Test
    void rowidsOfEveryTableMatchSelect() throws Exception {
        PageMap map = richMap();
        try (Connection c = open(rich)) {
            Set<String> withoutRowid = new HashSet<>(queryStrings(c, "SELECT name FROM pragma_table_list WHERE wr"));
            int tables = 0;
            for (PageMap.SchemaEntry e : map.schema()) {
                if (e.type().equals("table") && e.rootPage() > 0 && !withoutRowid.contains(e.name())) {
                    assertEquals(queryLongs(c, "SELECT rowid FROM \"" + e.name() + "\" ORDER BY rowid"),
                            rowidsInTreeOrder(map, e.name()), e.name());
                    tables++;
                }
            }
            assertTrue(tables >= 7, "tables checked: " + tables);
            assertEquals(queryLongs(c, "SELECT rowid FROM sqlite_master ORDER BY rowid"),
                    rowidsInTreeOrder(map, "sqlite_master"));
        }
    }

    @Test
    void overflowPagesNameTheRowTheyHold() throws Exception {
        PageMap map = richMap();
        try (Connection c = open(rich)) {
            Set<Long> spilling = new TreeSet<>(queryLongs(c, "SELECT rowid FROM plain WHERE length(c) > 4000"));
            Set<Long> owners = new TreeSet<>();
            int pages = 0;
            for (long pg = 1; pg <= map.pageCount(); pg++) {
                if (map.kind(pg) == Kind.OVERFLOW && "plain".equals(map.tree(pg))) {
                    owners.add(map.overflowRowid(pg));
                    pages++;
                }
                if (map.kind(pg) == Kind.OVERFLOW && "messages_body".equals(map.tree(pg))) {
                    assertEquals(Long.MIN_VALUE, map.overflowRowid(pg), "index overflow has no rowid");
                    assertEquals("messages", map.table(pg));
                }
            }
            assertEquals(spilling, owners);
            assertEquals(2 * spilling.size(), pages, "9000 bytes keep 816 on the leaf and spill over 2 pages");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UTF-8", "UTF-16le", "UTF-16be"})
    void rowsMatchSelectForEveryValueType(String encoding) throws Exception {
        Path db = tmp.resolve("kinds.sqlite");
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA encoding = '" + encoding + "'");
            s.execute("CREATE TABLE kinds (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n)");
            long[] ints = {0, 1, -1, 127, -128, 255, 32767, -32768, 8388607, -8388608, 2147483647L, -2147483648L,
                    140737488355327L, -140737488355328L, Long.MAX_VALUE, Long.MIN_VALUE, 2, 12345678901L};
            try (PreparedStatement p = c.prepareStatement("INSERT INTO kinds (i, r, t, b, n) VALUES (?, ?, ?, ?, ?)")) {
                for (int k = 0; k < ints.length; k++) {
                    p.setLong(1, ints[k]);
                    p.setDouble(2, k == 0 ? -0.0 : k * Math.PI);
                    p.setString(3, k % 3 == 0 ? "héllo wörld ✓ 😀 " + k : k == 7
                            ? PageMapFixtures.text(new java.util.Random(3), 12000) : "t" + k);
                    p.setBytes(4, k == 5 ? PageMapFixtures.blob(new java.util.Random(4), 9000) : new byte[k]);
                    if (k % 2 == 0) {
                        p.setNull(5, java.sql.Types.NULL);
                    } else {
                        p.setString(5, "mixed");
                    }
                    p.executeUpdate();
                }
            }
            s.execute("INSERT INTO kinds (id, i, r, t, b, n) VALUES (1000, NULL, NULL, NULL, NULL, 1.5)");
        }
        try (Connection c = open(db); FileChannel ch = FileChannel.open(db)) {
            PageSource src = filePages(ch, 4096);
            PageMap map = PageMap.full(src, 4096, Files.size(db) / 4096);
            assertRowsMatchSelect(map, src, c, "kinds");
        }
    }

    @Test
    void rowsRefusesWithoutRowidTablesAndUnknownNames() throws Exception {
        PageMap map = richMap();
        ImagePages src = new ImagePages(richImage, 4096);
        assertThrows(IllegalArgumentException.class, () -> PageMap.rows(src, map, "items"));
        assertThrows(IllegalArgumentException.class, () -> PageMap.rows(src, map, "messages_body"));
        assertThrows(IllegalArgumentException.class, () -> PageMap.rows(src, map, "nothing"));
    }

    // --- write / read ---------------------------------------------------------------------------------------

    @Test
    void writeAndReadRoundTripWithIdenticalBytes() throws Exception {
        PageMap map = richMap();
        byte[] one = written(map);
        byte[] two = written(map);
        assertArrayEquals(one, two);
        PageMap back = PageMap.read(new ByteArrayInputStream(one));
        assertEquals(map, back);
        assertArrayEquals(one, written(back));
        assertTrue(one.length < richImage.length / 20, "compact: " + one.length + " bytes");
    }

    @Test
    void readRejectsDamagedTruncatedAndForeignFiles() throws Exception {
        byte[] good = written(richMap());
        IOException truncated = assertThrows(IOException.class,
                () -> PageMap.read(new ByteArrayInputStream(Arrays.copyOf(good, good.length / 2))));
        assertTrue(truncated.getMessage().contains("page map"), truncated.getMessage());
        byte[] flipped = good.clone();
        flipped[flipped.length / 3] ^= 1;
        assertThrows(IOException.class, () -> PageMap.read(new ByteArrayInputStream(flipped)));
        assertThrows(IOException.class, () -> PageMap.read(new ByteArrayInputStream(richImage)));
        assertThrows(IOException.class, () -> PageMap.read(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void deltaReadsBackOverItsBaseAndRejectsDamage() throws Exception {
        PageMap map = richMap();
        java.util.BitSet some = new java.util.BitSet();
        some.set(1);
        some.set(2, (int) Math.min(9, map.pageCount() + 1));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        PageMapFile.writeDelta(map, some, out);
        byte[] delta = out.toByteArray();
        assertTrue(delta.length < written(map).length, delta.length + " bytes");
        PageMapFile.Delta d = PageMapFile.readDelta(map, new ByteArrayInputStream(delta));
        assertEquals(map, d.map());
        assertEquals(some, d.pages());
        // a delta is not a map, nor a map a delta
        assertThrows(IOException.class, () -> PageMap.read(new ByteArrayInputStream(delta)));
        assertThrows(IOException.class, () -> PageMapFile.readDelta(map, new ByteArrayInputStream(written(map))));
        byte[] flipped = delta.clone();
        flipped[flipped.length / 2] ^= 1;
        IOException damaged = assertThrows(IOException.class,
                () -> PageMapFile.readDelta(map, new ByteArrayInputStream(flipped)));
        assertTrue(damaged.getMessage().contains("page map delta"), damaged.getMessage());
        assertThrows(IOException.class, () -> PageMapFile.readDelta(map,
                new ByteArrayInputStream(Arrays.copyOf(delta, delta.length - 1))));
    }

    // --- damaged pages --------------------------------------------------------------------------------------

    @Test
    void damagedLeafTypeByteIsReportedWithItsPageAndTree() throws Exception {
        PageMap map = richMap();
        long leaf = firstPage(map, Kind.TABLE_LEAF, "messages");
        byte[] bad = richImage.clone();
        bad[(int) ((leaf - 1) * 4096)] = 7;
        IOException e = assertThrows(IOException.class, () -> fullOf(bad));
        assertTrue(e.getMessage().contains("Page " + leaf + " (messages)"), e.getMessage());
    }

    @Test
    void overflowChainPointingToItselfIsReported() throws Exception {
        PageMap map = richMap();
        long pg = 0;
        for (long p = 1; p <= map.pageCount() && pg == 0; p++) {
            if (map.kind(p) == Kind.OVERFLOW && "plain".equals(map.tree(p)) && map.next[(int) p] != 0) {
                pg = p;
            }
        }
        assertNotEquals(0, pg);
        byte[] bad = richImage.clone();
        int off = (int) ((pg - 1) * 4096);
        bad[off] = (byte) (pg >>> 24);
        bad[off + 1] = (byte) (pg >>> 16);
        bad[off + 2] = (byte) (pg >>> 8);
        bad[off + 3] = (byte) pg;
        IOException e = assertThrows(IOException.class, () -> fullOf(bad));
        assertTrue(e.getMessage().contains("Page " + pg + " (plain)"), e.getMessage());
    }

    @Test
    void childBeyondTheEndAndCellPointerOutsideThePageAreReported() throws Exception {
        PageMap map = richMap();
        long interior = firstPage(map, Kind.TABLE_INTERIOR, "messages");
        byte[] bad = richImage.clone();
        int off = (int) ((interior - 1) * 4096);
        bad[off + 8] = 0x7f; // right-most child
        IOException e = assertThrows(IOException.class, () -> fullOf(bad));
        assertTrue(e.getMessage().contains("Page " + interior + " (messages)"), e.getMessage());

        long index = firstPage(map, Kind.INDEX_LEAF, "messages_conversation");
        byte[] bad2 = richImage.clone();
        int off2 = (int) ((index - 1) * 4096);
        bad2[off2 + 8] = (byte) 0xff; // first cell pointer
        bad2[off2 + 9] = (byte) 0xf0;
        IOException e2 = assertThrows(IOException.class, () -> fullOf(bad2));
        assertTrue(e2.getMessage().contains("Page " + index + " (messages_conversation)"), e2.getMessage());

        byte[] bad3 = richImage.clone();
        bad3[off2 + 3] = (byte) 0xff; // cell count far beyond the page
        IOException e3 = assertThrows(IOException.class, () -> fullOf(bad3));
        assertTrue(e3.getMessage().contains("Page " + index), e3.getMessage());
    }

    @Test
    void interiorPageThatPointsToItsAncestorIsReported() throws Exception {
        PageMap map = richMap();
        long interior = firstPage(map, Kind.TABLE_INTERIOR, "messages");
        byte[] bad = richImage.clone();
        int off = (int) ((interior - 1) * 4096);
        bad[off + 8] = (byte) (interior >>> 24);
        bad[off + 9] = (byte) (interior >>> 16);
        bad[off + 10] = (byte) (interior >>> 8);
        bad[off + 11] = (byte) interior;
        IOException e = assertThrows(IOException.class, () -> fullOf(bad));
        assertTrue(e.getMessage().contains("Page " + interior), e.getMessage());
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static PageMap richMap() throws IOException {
        return fullOf(richImage);
    }

    private static PageMap fullOf(byte[] image) throws IOException {
        ImagePages pages = new ImagePages(image, 4096);
        return PageMap.full(pages, 4096, pages.pageCount());
    }

    private static byte[] written(PageMap map) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        map.write(out);
        return out.toByteArray();
    }

    private static long count(PageMap map, Kind kind) {
        long n = 0;
        for (long pg = 1; pg <= map.pageCount(); pg++) {
            n += map.kind(pg) == kind ? 1 : 0;
        }
        return n;
    }

    private static long firstPage(PageMap map, Kind kind, String tree) {
        for (long pg = 1; pg <= map.pageCount(); pg++) {
            if (map.kind(pg) == kind && tree.equals(map.tree(pg))) {
                return pg;
            }
        }
        throw new AssertionError("no " + kind + " page of " + tree);
    }

    /** Every page against dbstat: its tree and kind; pages that dbstat does not list are not b-tree pages. */
    static void assertAgreesWithSqlite(PageMap map, Connection c) throws Exception {
        List<PageMap.SchemaEntry> schema = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master ORDER BY rowid")) {
            while (rs.next()) {
                schema.add(new PageMap.SchemaEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5)));
            }
        }
        assertEquals(schema, map.schema());
        Set<String> indexTrees = new HashSet<>(queryStrings(c, "SELECT name FROM sqlite_master WHERE type = 'index'"));
        indexTrees.addAll(queryStrings(c, "SELECT name FROM pragma_table_list WHERE wr"));
        Map<Long, String[]> stat = dbstat(c);
        assertEquals(queryLong(c, "PRAGMA page_count"), map.pageCount());
        long btreePages = 0;
        for (long pg = 1; pg <= map.pageCount(); pg++) {
            String[] s = stat.get(pg);
            Kind k = map.kind(pg);
            if (s == null) {
                assertTrue(!BTREE.contains(k), "page " + pg + " is " + k + " but dbstat does not list it");
                assertNull(map.tree(pg));
                continue;
            }
            btreePages++;
            String name = s[0].equals("sqlite_schema") ? "sqlite_master" : s[0];
            assertEquals(name, map.tree(pg), "tree of page " + pg);
            boolean index = indexTrees.contains(name);
            Kind expected = switch (s[1]) {
                case "internal" -> index ? Kind.INDEX_INTERIOR : Kind.TABLE_INTERIOR;
                case "leaf" -> index ? Kind.INDEX_LEAF : Kind.TABLE_LEAF;
                case "overflow" -> Kind.OVERFLOW;
                default -> throw new AssertionError(s[1]);
            };
            assertEquals(expected, k, "kind of page " + pg + " (" + name + ")");
        }
        assertEquals(stat.size(), btreePages);
    }

    private static List<Long> rowidsInTreeOrder(PageMap map, String tree) {
        List<long[]> leaves = new ArrayList<>();
        for (long pg = 1; pg <= map.pageCount(); pg++) {
            if (map.kind(pg) == Kind.TABLE_LEAF && tree.equals(map.tree(pg))) {
                long[] r = map.rowids(pg);
                for (int i = 1; i < r.length; i++) {
                    assertTrue(r[i - 1] < r[i], "rowids ascend on page " + pg);
                }
                if (r.length > 0) {
                    leaves.add(r);
                }
            }
        }
        leaves.sort(Comparator.comparingLong(r -> r[0]));
        List<Long> out = new ArrayList<>();
        leaves.forEach(r -> Arrays.stream(r).forEach(out::add));
        return out;
    }

    static void assertRowsMatchSelect(PageMap map, PageSource src, Connection c, String table) throws Exception {
        List<PageMap.Row> rows = PageMap.rows(src, map, table);
        boolean intKey = queryLong(c, "SELECT count(*) FROM pragma_table_info('" + table
                + "') WHERE pk = 1 AND upper(type) = 'INTEGER'") == 1;
        int n = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rowid, * FROM \"" + table + "\" ORDER BY rowid")) {
            int cols = rs.getMetaData().getColumnCount() - 1;
            while (rs.next()) {
                PageMap.Row row = rows.get(n++);
                assertEquals(rs.getLong(1), row.rowid());
                assertEquals(cols, row.values().length, "columns of row " + row.rowid());
                for (int i = 0; i < cols; i++) {
                    Object expected = rs.getObject(i + 2);
                    Object actual = row.values()[i];
                    String where = "row " + row.rowid() + " column " + i;
                    if (i == 0 && intKey) {
                        assertNull(actual, where);
                    } else if (expected instanceof byte[] b) {
                        assertArrayEquals(b, (byte[]) actual, where);
                    } else if (expected instanceof Double d && actual instanceof Long l) {
                        assertEquals(d, l.doubleValue(), where + " (an integral REAL is stored as an integer)");
                    } else if (expected instanceof Integer || expected instanceof Long) {
                        assertInstanceOf(Long.class, actual, where);
                        assertEquals(((Number) expected).longValue(), actual, where);
                    } else {
                        assertEquals(expected, actual, where);
                    }
                }
            }
        }
        assertEquals(n, rows.size());
    }

    static List<String> queryStrings(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
