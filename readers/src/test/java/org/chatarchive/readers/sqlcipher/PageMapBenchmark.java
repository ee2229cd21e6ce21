package org.chatarchive.readers.sqlcipher;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Cost of {@link PageMap#full} and {@link PageMap#update} on a large plain SQLite database (not a test). Makes
 * {@code DB_FILE} with sqlite-jdbc when it does not exist (ROWS rows of about 400 bytes of text, with an index),
 * maps it, changes a few thousand rows, and maps the new state both ways.
 *
 * <pre>java ... PageMapBenchmark DB_FILE [ROWS]</pre>
 */
public final class PageMapBenchmark {

    private PageMapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: PageMapBenchmark DB_FILE [ROWS]");
            System.exit(2);
        }
        Path db = Path.of(args[0]);
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Random r = new Random(1);
        if (!Files.exists(db)) {
            try (Connection c = PageMapFixtures.open(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE messages (id TEXT PRIMARY KEY, conversationId TEXT, body TEXT,"
                        + " sent_at INTEGER)");
                s.execute("CREATE INDEX messages_conversation ON messages (conversationId, sent_at)");
                c.setAutoCommit(false);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO messages VALUES (?, ?, ?, ?)")) {
                    for (int i = 0; i < rows; i++) {
                        p.setString(1, "m-" + i);
                        p.setString(2, "conv-" + r.nextInt(500));
                        p.setString(3, PageMapFixtures.text(r, 300 + r.nextInt(200)));
                        p.setLong(4, 1_600_000_000_000L + i * 1000L);
                        p.executeUpdate();
                    }
                }
                c.commit();
            }
        }
        int pageSize = 4096;
        byte[] a = Files.readAllBytes(db);
        long pagesA = a.length / pageSize;
        System.out.printf(Locale.ROOT, "database: %d bytes, %d pages of %d; JVM %s%n", a.length, pagesA, pageSize,
                Runtime.version());

        PageMap mapA = null;
        for (int round = 0; round < 3; round++) {
            AtomicLong reads = new AtomicLong();
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(db)) {
                PageSource file = PageMapFixtures.filePages(ch, pageSize);
                mapA = PageMap.full(pg -> {
                    reads.incrementAndGet();
                    return file.page(pg);
                }, pageSize, pagesA);
            }
            System.out.printf(Locale.ROOT, "full():   %7.1f ms, %d pages read%n", (System.nanoTime() - t0) / 1e6,
                    reads.get());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long t1 = System.nanoTime();
        mapA.write(out);
        System.out.printf(Locale.ROOT, "write():  %7.1f ms, %d bytes%n", (System.nanoTime() - t1) / 1e6, out.size());

        try (Connection c = PageMapFixtures.open(db); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO messages VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 1000; i++) {
                    p.setString(1, "new-" + i);
                    p.setString(2, "conv-" + r.nextInt(500));
                    p.setString(3, PageMapFixtures.text(r, 400));
                    p.setLong(4, 1_700_000_000_000L + i);
                    p.executeUpdate();
                }
            }
            s.execute("UPDATE messages SET body = body || ' (edited)' WHERE rowid % 400 = 7");
            s.execute("DELETE FROM messages WHERE rowid % 1000 = 3");
            c.commit();
        }
        byte[] b = Files.readAllBytes(db);
        long pagesB = b.length / pageSize;
        long t2 = System.nanoTime();
        LongPredicate changed = PageMapFixtures.changedPages(a, b, pageSize);
        long nChanged = 0;
        for (long pg = 1; pg <= pagesB; pg++) {
            nChanged += changed.test(pg) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "changed pages: %d of %d (found by comparing in %.1f ms)%n", nChanged, pagesB,
                (System.nanoTime() - t2) / 1e6);
        for (int round = 0; round < 3; round++) {
            AtomicLong reads = new AtomicLong();
            long t3 = System.nanoTime();
            PageMap mapB;
            try (FileChannel ch = FileChannel.open(db)) {
                PageSource file = PageMapFixtures.filePages(ch, pageSize);
                mapB = PageMap.update(mapA, pg -> {
                    reads.incrementAndGet();
                    return file.page(pg);
                }, pageSize, pagesB, changed);
            }
            long t4 = System.nanoTime();
            Map<String, long[]> touched = PageMap.touchedRows(mapA, mapB, changed);
            Map<String, long[]> removed = PageMap.removedRows(mapA, mapB, changed);
            long t5 = System.nanoTime();
            System.out.printf(Locale.ROOT, "update(): %7.1f ms, %d pages read; touchedRows+removedRows %.1f ms"
                            + " (%d touched, %d removed messages)%n", (t4 - t3) / 1e6, reads.get(), (t5 - t4) / 1e6,
                    touched.getOrDefault("messages", new long[0]).length,
                    removed.getOrDefault("messages", new long[0]).length);
        }
    }
}
