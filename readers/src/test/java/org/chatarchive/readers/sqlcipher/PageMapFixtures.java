package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongPredicate;

/** Real SQLite databases for the page map tests, made with sqlite-jdbc, and page sources over their bytes. */
final class PageMapFixtures {

    private PageMapFixtures() {
    }

    /** Pages of a database image held in memory. */
    record ImagePages(byte[] image, int pageSize) implements PageSource {
        @Override
        public byte[] page(long pgno) throws IOException {
            long off = (pgno - 1) * pageSize;
            if (pgno < 1 || off + pageSize > image.length) {
                throw new IOException("No page " + pgno + " in a " + image.length / pageSize + "-page image");
            }
            byte[] b = new byte[pageSize];
            System.arraycopy(image, (int) off, b, 0, pageSize);
            return b;
        }

        long pageCount() {
            return image.length / pageSize;
        }
    }

    /** The map of a whole database image, walked from its roots ({@link PageMap#full}). */
    static PageMap wholeMap(byte[] image, int pageSize) throws IOException {
        return PageMap.full(new ImagePages(image, pageSize), pageSize, image.length / pageSize);
    }

    /** Pages read from a file through a FileChannel. */
    static PageSource filePages(java.nio.channels.FileChannel ch, int pageSize) {
        return pgno -> {
            ByteBuffer buf = ByteBuffer.allocate(pageSize);
            long pos = (pgno - 1) * pageSize;
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    throw new IOException("Page " + pgno + " is beyond the end of the file");
                }
            }
            return buf.array();
        };
    }

    static Connection open(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    /** Pages whose bytes differ between two images, or that lie beyond the first. */
    static LongPredicate changedPages(byte[] a, byte[] b, int pageSize) {
        return pg -> {
            long off = (pg - 1) * pageSize;
            if (off + pageSize > a.length || off + pageSize > b.length) {
                return true;
            }
            return !java.util.Arrays.equals(a, (int) off, (int) off + pageSize, b, (int) off, (int) off + pageSize);
        };
    }

    static String text(Random r, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    static byte[] blob(Random r, int len) {
        byte[] b = new byte[len];
        r.nextBytes(b);
        return b;
    }

    /**
     * A database shaped like Signal's: text and integer keys, generated columns, several indexes (one over large
     * text, so that index cells overflow), a WITHOUT ROWID table, an FTS5 table, views and triggers, rows with
     * values spanning several overflow pages, a schema row that overflows, and deleted rows so that the freelist is
     * not empty.
     */
    static void makeRich(Path db, int pageSize, boolean autoVacuum, long seed) throws SQLException {
        Random r = new Random(seed);
        try (Connection c = open(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size = " + pageSize);
            s.execute("PRAGMA auto_vacuum = " + (autoVacuum ? "FULL" : "NONE"));
            s.execute("CREATE TABLE conversations (id TEXT PRIMARY KEY, name TEXT, json TEXT, active_at INTEGER)");
            s.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, conversationId TEXT, body TEXT, json TEXT,"
                    + " sent_at INTEGER, hasBody INTEGER GENERATED ALWAYS AS (body IS NOT NULL) VIRTUAL,"
                    + " bodyLength INTEGER GENERATED ALWAYS AS (length(body)) STORED)");
            s.execute("CREATE INDEX messages_conversation ON messages (conversationId, sent_at)");
            s.execute("CREATE INDEX messages_body ON messages (body)");
            s.execute("CREATE INDEX conversations_active ON conversations (active_at) WHERE active_at IS NOT NULL");
            s.execute("CREATE TABLE items (id TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID");
            s.execute("CREATE TABLE plain (a, b, c)");
            s.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, data BLOB)");
            s.execute("CREATE VIRTUAL TABLE messages_fts USING fts5 (body)");
            s.execute("CREATE VIEW recent AS SELECT * FROM messages WHERE sent_at > 100");
            // A schema row too long for its page: sqlite_master gets overflow pages of its own.
            s.execute("CREATE VIEW wide AS SELECT '" + text(new Random(seed), 6000) + "' AS filler");
            s.execute("CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN"
                    + " INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body); END");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO conversations VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 40; i++) {
                    p.setString(1, "conv-" + i);
                    p.setString(2, text(r, 5 + r.nextInt(20)));
                    p.setString(3, text(r, i % 7 == 0 ? 3000 + r.nextInt(9000) : 50 + r.nextInt(300)));
                    if (i % 3 == 0) {
                        p.setNull(4, java.sql.Types.INTEGER);
                    } else {
                        p.setLong(4, r.nextLong());
                    }
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO messages (conversationId, body, json, sent_at) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 1500; i++) {
                    p.setString(1, "conv-" + r.nextInt(40));
                    p.setString(2, i % 50 == 0 ? text(r, 1500 + r.nextInt(5000)) : text(r, 10 + r.nextInt(200)));
                    p.setString(3, i % 97 == 0 ? text(r, 5000 + r.nextInt(20000)) : "{\"i\":" + i + "}");
                    p.setLong(4, i * 1000L + r.nextInt(1000));
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                for (int i = 0; i < 300; i++) {
                    p.setString(1, "item-" + i + "-" + text(r, i % 40 == 0 ? 2500 : 10));
                    p.setBytes(2, blob(r, i % 30 == 0 ? 6000 : 20 + r.nextInt(100)));
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO plain VALUES (?, ?, ?)")) {
                for (int i = 0; i < 700; i++) {
                    p.setLong(1, i);
                    p.setDouble(2, r.nextDouble());
                    p.setBytes(3, blob(r, i % 100 == 0 ? 9000 : 30));
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO sessions VALUES (?, ?)")) {
                for (int i = 0; i < 30; i++) {
                    p.setString(1, "session-" + i);
                    p.setBytes(2, blob(r, 200 + r.nextInt(3000)));
                    p.executeUpdate();
                }
            }
            c.commit();
            s.execute("DELETE FROM messages WHERE id % 5 = 0 OR id BETWEEN 300 AND 500");
            s.execute("DELETE FROM plain WHERE a % 3 = 1");
            c.commit();
        }
    }

    /** {@code SELECT name, pageno, pagetype FROM dbstat}: page number to {name, pagetype}. */
    static Map<Long, String[]> dbstat(Connection c) throws SQLException {
        Map<Long, String[]> out = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, pageno, pagetype FROM dbstat")) {
            while (rs.next()) {
                out.put(rs.getLong(2), new String[] {rs.getString(1), rs.getString(3)});
            }
        }
        return out;
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.getLong(1);
        }
    }

    static List<Long> queryLongs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
