package org.chatarchive.readers.sqlcipher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecryptedDatabaseTest {

    private static final SqlCipherKey KEY = SqlCipherKey.parse(Fixtures.KEY_HEX);

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    private static Path small;
    private static JsonNode smallInfo;
    private static Path walDb;
    private static JsonNode walInfo;

    @BeforeAll
    static void buildSharedFixtures() {
        small = shared.resolve("small.sqlite");
        smallInfo = Fixtures.makeDb(small, 300, 400);
        walDb = shared.resolve("wal.sqlite");
        walInfo = Fixtures.makeDb(walDb, 200, 300, "--wal-uncheckpointed", "7");
    }

    // --- content -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} rows of {1} bytes")
    @CsvSource({"40, 100", "2500, 2000", "16000, 2000"})
    void decryptsDatabasesOfSeveralSizes(int rows, int rowBytes) throws Exception {
        Path db = tmp.resolve("db.sqlite");
        JsonNode info = Fixtures.makeDb(db, rows, rowBytes);
        try (DecryptedDatabase d = DecryptedDatabase.open(db, KEY, OpenOptions.defaults())) {
            assertContent(d.connection(), info);
            assertEquals(4096, d.pageSize());
            assertEquals(info.get("fileBytes").asLong() / 4096, d.pageCount());
            assertEquals(0, d.walFramesApplied());
            assertEquals(1234, d.userVersion());
            assertFalse(d.wasPlaintext());
            assertEquals(Fixtures.sha256(db), d.sourceSha256());
            assertEquals(List.of(), d.warnings());
        }
    }

    @Test
    void connectionAnswersSchemaQueriesAndIsReadOnly() throws Exception {
        try (DecryptedDatabase d = DecryptedDatabase.open(small, KEY, OpenOptions.defaults())) {
            Connection c = d.connection();
            assertEquals("t", queryString(c, "SELECT name FROM sqlite_master WHERE type = 'table'"));
            assertEquals(1234L, queryLong(c, "PRAGMA user_version"));
            assertEquals(80L, queryLong(c, "SELECT 80")); // sanity
            assertEquals("ok", queryString(c, "PRAGMA quick_check"));
            assertThrows(SQLException.class, () -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO t(id, body) VALUES (-1, 'x')");
                }
            });
        }
    }

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {1024, 8192, 16384})
    void detectsOtherPageSizes(int pageSize) throws Exception {
        Path db = tmp.resolve("db.sqlite");
        JsonNode info = Fixtures.makeDb(db, 300, 500, "--page-size", Integer.toString(pageSize));
        assertEquals(Integer.toString(pageSize), info.get("pageSize").asText());
        try (DecryptedDatabase d = DecryptedDatabase.open(db, KEY, OpenOptions.defaults())) {
            assertEquals(pageSize, d.pageSize());
            assertContent(d.connection(), info);
            assertTrue(d.warnings().stream().anyMatch(w -> w.contains("page size " + pageSize)), d.warnings().toString());
        }
    }

    @Test
    void readsSqlCipher3Databases() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        JsonNode info = Fixtures.makeDb(db, 200, 300, "--cipher-compat", "3");
        assertEquals("1024", info.get("pageSize").asText());
        try (DecryptedDatabase d = DecryptedDatabase.open(db, KEY, OpenOptions.defaults())) {
            assertEquals(1024, d.pageSize());
            assertContent(d.connection(), info);
            assertTrue(d.warnings().stream().anyMatch(w -> w.contains("SQLCipher 3")), d.warnings().toString());
        }
    }

    @Test
    void passphraseMode() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        String pass = "correct horse 🐎 battery";
        JsonNode info = Fixtures.makeDb(db, 100, 300, "--passphrase", pass);
        try (DecryptedDatabase d = DecryptedDatabase.open(db, SqlCipherKey.passphrase(pass.toCharArray()),
                OpenOptions.defaults())) {
            assertContent(d.connection(), info);
        }
        SourceException e = assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(db, SqlCipherKey.parse("correct horse battery"), OpenOptions.defaults()));
        assertEquals(Kind.WRONG_KEY, e.kind());
    }

    @Test
    void plaintextSqliteIsOpenedAsIs() throws Exception {
        Path db = tmp.resolve("plain.sqlite");
        try (Connection c = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("PRAGMA user_version = 77");
            st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)");
            st.execute("INSERT INTO t(body) SELECT 'row ' || value FROM generate_series(1, 500)");
        } catch (SQLException e) {
            // generate_series may be missing from some builds; fall back to a recursive CTE
            try (Connection c = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + db);
                    Statement st = c.createStatement()) {
                st.execute("INSERT INTO t(body) WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n"
                        + " WHERE v < 500) SELECT 'row ' || v FROM n");
            }
        }
        Files.deleteIfExists(Path.of(db + "-shm"));
        try (DecryptedDatabase d = DecryptedDatabase.open(db, KEY, OpenOptions.defaults())) {
            assertTrue(d.wasPlaintext());
            assertEquals(77, d.userVersion());
            assertEquals(500L, queryLong(d.connection(), "SELECT count(*) FROM t"));
            assertEquals(Fixtures.sha256(db), d.sourceSha256());
        }
    }

    // --- WAL -----------------------------------------------------------------------------------------------

    @Test
    void appliesUncheckpointedWalFrames() throws Exception {
        assertTrue(walInfo.get("walBytes").asLong() > 0);
        try (DecryptedDatabase d = DecryptedDatabase.open(walDb, KEY, OpenOptions.defaults())) {
            assertEquals(207, walInfo.get("rows").asInt());
            assertContent(d.connection(), walInfo);
            assertTrue(d.walFramesApplied() >= 7, "frames " + d.walFramesApplied());
            assertEquals(List.of(), d.warnings());
            assertEquals(Fixtures.sha256(walDb), d.sourceSha256());
            assertTrue(d.pageCount() >= Files.size(walDb) / 4096);
        }
    }

    @Test
    void ignoresGarbageAfterTheLastCommitFrame() throws Exception {
        Path db = copyWithWal(walDb);
        byte[] junk = new byte[4096 + 24 + 1000];
        new Random(7).nextBytes(junk);
        Files.write(Path.of(db + "-wal"), junk, java.nio.file.StandardOpenOption.APPEND);
        try (DecryptedDatabase d = DecryptedDatabase.open(db, KEY, OpenOptions.defaults())) {
            assertContent(d.connection(), walInfo);
            assertTrue(d.warnings().stream().anyMatch(w -> w.startsWith("Ignored 1 WAL frame(s) and 1000 trailing")),
                    d.warnings().toString());
        }
    }

    @Test
    void aTornLastFrameDropsOnlyTheLastTransaction() throws Exception {
        Path db = copyWithWal(walDb);
        Path wal = Path.of(db + "-wal");
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        try (DecryptedDatabase d = DecryptedDatabase.open(db, KEY, OpenOptions.defaults())) {
            assertEquals(206L, queryLong(d.connection(), "SELECT count(*) FROM t"));
            assertEquals(206L, queryLong(d.connection(), "SELECT max(id) FROM t"));
            assertTrue(d.warnings().stream().anyMatch(w -> w.startsWith("Ignored ")), d.warnings().toString());
        }
    }

    @Test
    void aDamagedCommittedWalFrameIsReported() throws Exception {
        Path db = copyWithWal(walDb);
        Path wal = Path.of(db + "-wal");
        byte[] w = Files.readAllBytes(wal);
        int frameSize = 24 + 4096;
        int frames = (w.length - 32) / frameSize;
        int last = frames - 1;
        int pgno = java.nio.ByteBuffer.wrap(w, 32 + last * frameSize, 4).getInt();
        w[32 + last * frameSize + 24 + 100] ^= 0x01;
        rewriteWalChecksums(w, 4096);
        Files.write(wal, w);
        SourceException e = assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(db, KEY, OpenOptions.defaults()));
        assertEquals(Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("WAL frame " + frames + " (page " + pgno + ")"), e.getMessage());
    }

    @Test
    void sourceFilesAreLeftUntouched() throws Exception {
        Path db = copyWithWal(walDb);
        Path wal = Path.of(db + "-wal");
        FileTime old = FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(db, old);
        Files.setLastModifiedTime(wal, old);
        String dbSha = Fixtures.sha256(db);
        String walSha = Fixtures.sha256(wal);
        try (DecryptedDatabase d = DecryptedDatabase.open(db, KEY, OpenOptions.defaults())) {
            queryLong(d.connection(), "SELECT count(*) FROM t");
        }
        assertEquals(dbSha, Fixtures.sha256(db));
        assertEquals(walSha, Fixtures.sha256(wal));
        assertEquals(old, Files.getLastModifiedTime(db));
        assertEquals(old, Files.getLastModifiedTime(wal));
        assertFalse(Files.exists(Path.of(db + "-shm")));
        assertFalse(Files.exists(Path.of(db + "-journal")));
        try (var s = Files.list(db.getParent())) {
            assertEquals(2, s.count());
        }
    }

    // --- errors --------------------------------------------------------------------------------------------

    @Test
    void wrongKeyIsReportedWithoutKeyMaterial() {
        SourceException e = assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(small, SqlCipherKey.parse(Fixtures.OTHER_KEY_HEX), OpenOptions.defaults()));
        assertEquals(Kind.WRONG_KEY, e.kind());
        assertEquals("The key does not decrypt this database (HMAC check failed on page 1). Check --key, or the"
                + " profile's config.json.", e.getMessage());
        assertFalse(e.getMessage().contains(Fixtures.OTHER_KEY_HEX.substring(0, 8)));
        assertFalse(e.getMessage().contains(Fixtures.KEY_HEX.substring(0, 8)));
    }

    @Test
    void aFlippedByteNamesItsPage() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        Files.copy(small, db);
        long pages = Files.size(db) / 4096;
        assertTrue(pages >= 20, "pages " + pages);
        int page = 17;
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            long at = (page - 1) * 4096L + 1234;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        SourceException e = assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(db, KEY, OpenOptions.defaults()));
        assertEquals(Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().startsWith("Page 17 of db.sqlite is damaged (HMAC check failed)"), e.getMessage());
    }

    @Test
    void theLockBytePageIsNotEncryptedAndReadsAsZeros() throws Exception {
        // SQLite never writes the page holding the lock byte (at 1 GiB), so SQLCipher leaves it all zeros with no
        // HMAC; a database past 1 GiB has such a page. Here the lock byte is moved onto page 17 of a small
        // database whose page 17 is zeroed the way a real lock-byte page is.
        Path db = tmp.resolve("db.sqlite");
        Files.copy(small, db);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek(16 * 4096L);
            f.write(new byte[4096]);
        }
        long saved = DecryptedDatabase.lockByteOffset;
        try {
            DecryptedDatabase.lockByteOffset = 16 * 4096L;
            assertEquals(Files.size(db) / 4096, DecryptedDatabase.decryptOnly(db, KEY, OpenOptions.defaults()));
            DecryptedDatabase.lockByteOffset = 15 * 4096L; // the rule covers that one page only
            SourceException e = assertThrows(SourceException.class,
                    () -> DecryptedDatabase.decryptOnly(db, KEY, OpenOptions.defaults()));
            assertTrue(e.getMessage().startsWith("Page 17 of db.sqlite is damaged"), e.getMessage());
        } finally {
            DecryptedDatabase.lockByteOffset = saved;
        }
    }

    @Test
    void aTruncatedFileNamesItsLastPage() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        Files.copy(small, db);
        long size = Files.size(db);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(size - 1000);
        }
        SourceException e = assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(db, KEY, OpenOptions.defaults()));
        assertEquals(Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("truncated: its last page (page " + size / 4096 + ") has only 3096 of 4096"),
                e.getMessage());
    }

    @Test
    void emptyShortAndMissingFilesAreNotSources() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.sqlite"));
        assertEquals(Kind.NOT_A_SOURCE, assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(empty, KEY, OpenOptions.defaults())).kind());
        Path shortFile = Files.write(tmp.resolve("short.sqlite"), new byte[100]);
        SourceException e = assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(shortFile, KEY, OpenOptions.defaults()));
        assertEquals(Kind.NOT_A_SOURCE, e.kind());
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        assertEquals(Kind.NOT_A_SOURCE, assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(tmp.resolve("missing.sqlite"), KEY, OpenOptions.defaults())).kind());
    }

    // --- large databases, temp dir, progress ---------------------------------------------------------------

    @Test
    void tooLargeForMemoryWithoutTempDirAsksForOne() {
        SourceException e = assertThrows(SourceException.class, () -> DecryptedDatabase.open(small, KEY,
                OpenOptions.defaults().withMaxInMemoryBytes(4096)));
        assertEquals(Kind.IO, e.kind());
        assertTrue(e.getMessage().contains("re-run with --temp-dir DIR to write the plaintext database"),
                e.getMessage());
    }

    @Test
    void tempDirPathWritesAPrivateFileAndDeletesIt() throws Exception {
        Path parent = Files.createDirectory(tmp.resolve("scratch"));
        for (OpenOptions o : List.of(OpenOptions.defaults().withTempDir(parent).forceTempFile(),
                OpenOptions.defaults().withTempDir(parent).withMaxInMemoryBytes(4096))) {
            Path file;
            try (DecryptedDatabase d = DecryptedDatabase.open(walDb, KEY, o)) {
                assertContent(d.connection(), walInfo);
                List<Path> dirs;
                try (var s = Files.list(parent)) {
                    dirs = s.toList();
                }
                assertEquals(1, dirs.size());
                Path dir = dirs.get(0);
                file = dir.resolve("plaintext.sqlite");
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                byte[] head = new byte[16];
                try (var in = Files.newInputStream(file)) {
                    assertEquals(16, in.read(head));
                }
                assertArrayEquals(PageCodec.SQLITE_HEADER, head);
                assertTrue(d.warnings().stream().anyMatch(w -> w.startsWith("plaintext database written to " + file)
                        && w.endsWith("; it is deleted when the run ends")), d.warnings().toString());
            }
            assertFalse(Files.exists(file));
            try (var s = Files.list(parent)) {
                assertEquals(0, s.count());
            }
        }
    }

    @Test
    void failuresLeaveNoTempFilesBehind() throws Exception {
        Path parent = Files.createDirectory(tmp.resolve("scratch"));
        Path db = tmp.resolve("db.sqlite");
        Files.copy(small, db);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek(5 * 4096 + 10);
            int b = f.read();
            // read() moved past it: flip this byte, not the next one (which may already hold b ^ 0x55)
            f.seek(5 * 4096 + 10);
            f.write(0x55 ^ b);
        }
        assertThrows(SourceException.class,
                () -> DecryptedDatabase.open(db, KEY, OpenOptions.defaults().withTempDir(parent).forceTempFile()));
        try (var s = Files.list(parent)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void progressIsReportedUpToTheTotal() throws Exception {
        List<long[]> updates = new ArrayList<>();
        try (DecryptedDatabase d = DecryptedDatabase.open(small, KEY,
                OpenOptions.defaults().withProgress((done, total) -> updates.add(new long[] {done, total})))) {
            assertFalse(updates.isEmpty());
            long[] last = updates.get(updates.size() - 1);
            assertEquals(d.pageCount(), last[0]);
            assertEquals(d.pageCount(), last[1]);
            for (int i = 1; i < updates.size(); i++) {
                assertTrue(updates.get(i)[0] >= updates.get(i - 1)[0]);
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private Path copyWithWal(Path src) throws Exception {
        Path db = tmp.resolve("db.sqlite");
        Files.copy(src, db, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(src + "-wal"), Path.of(db + "-wal"), StandardCopyOption.REPLACE_EXISTING);
        return db;
    }

    /** Recomputes every frame's cumulative checksum, so a changed page keeps a valid WAL structure. */
    private static void rewriteWalChecksums(byte[] w, int pageSize) {
        var bb = java.nio.ByteBuffer.wrap(w);
        boolean bigEndian = (bb.getInt(0) & 1) == 1;
        int[] sum = {bb.getInt(24), bb.getInt(28)};
        int frameSize = 24 + pageSize;
        for (int off = 32; off + frameSize <= w.length; off += frameSize) {
            WalIndex.checksum(w, off, 8, bigEndian, sum);
            WalIndex.checksum(w, off + 24, pageSize, bigEndian, sum);
            bb.putInt(off + 16, sum[0]);
            bb.putInt(off + 20, sum[1]);
        }
    }

    private static void assertContent(Connection c, JsonNode info) throws SQLException {
        assertEquals(info.get("rows").asLong(), queryLong(c, "SELECT count(*) FROM t"));
        assertEquals(info.get("sumId").asLong(), queryLong(c, "SELECT sum(id) FROM t"));
        assertEquals(info.get("sumBodyLength").asLong(), queryLong(c, "SELECT sum(length(body)) FROM t"));
        assertEquals(info.get("sumBlobLength").asLong(), queryLong(c, "SELECT sum(length(blob)) FROM t"));
        assertEquals(info.get("lastBody").asText(), queryString(c, "SELECT body FROM t ORDER BY id DESC LIMIT 1"));
        assertEquals(info.get("lastBlobHex").asText(),
                queryString(c, "SELECT hex(blob) FROM t ORDER BY id DESC LIMIT 1"));
        assertEquals(info.get("userVersion").asLong(), queryLong(c, "PRAGMA user_version"));
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
