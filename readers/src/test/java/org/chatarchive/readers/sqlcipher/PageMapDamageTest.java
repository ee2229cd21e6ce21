package org.chatarchive.readers.sqlcipher;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.function.LongPredicate;

import org.chatarchive.readers.sqlcipher.PageMapFixtures.ImagePages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Damaged databases: every failure is an IOException, never another exception or an endless walk. */
class PageMapDamageTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "page size {0}, auto-vacuum {1}")
    @CsvSource({"4096, false", "1024, true"})
    void randomDamageGivesAMapOrAnIOException(int pageSize, boolean autoVacuum) throws Exception {
        Path db = tmp.resolve("db.sqlite");
        PageMapFixtures.makeRich(db, pageSize, autoVacuum, 21);
        byte[] good = Files.readAllBytes(db);
        long pages = good.length / pageSize;
        PageMap before = PageMap.full(new ImagePages(good, pageSize), pageSize, pages);
        Random r = new Random(pageSize);
        int failures = 0;
        for (int round = 0; round < Integer.getInteger("pagemap.fuzz.rounds", 400); round++) {
            byte[] bad = good.clone();
            int page = r.nextInt((int) pages);
            int flips = 1 + r.nextInt(4);
            for (int f = 0; f < flips; f++) {
                // Mostly the page header and cell pointers, where damage matters most; sometimes anywhere.
                int at = r.nextBoolean() ? r.nextInt(Math.min(pageSize, 140)) : r.nextInt(pageSize);
                bad[page * pageSize + at] = (byte) r.nextInt(256);
            }
            LongPredicate changed = PageMapFixtures.changedPages(good, bad, pageSize);
            boolean failed = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                boolean ioe = false;
                try {
                    PageMap map = PageMap.full(new ImagePages(bad, pageSize), pageSize, pages);
                    for (PageMap.SchemaEntry e : map.schema()) {
                        if (e.type().equals("table") && e.rootPage() > 0 && !e.name().equals("items")
                                && !e.name().endsWith("_idx") && !e.name().endsWith("_config")) {
                            PageMap.rows(new ImagePages(bad, pageSize), map, e.name());
                        }
                    }
                } catch (IOException expected) {
                    ioe = true;
                } catch (IllegalArgumentException expected) {
                    // rows() of a table whose name or root page the damage changed
                }
                try {
                    PageMap.update(before, new ImagePages(bad, pageSize), pageSize, pages, changed);
                } catch (IOException expected) {
                    ioe = true;
                }
                return ioe;
            }, () -> "round with damage on page " + (page + 1));
            failures += failed ? 1 : 0;
        }
        assertTrue(failures > 50, "damage was found " + failures + " times in 400");
    }

    @Test
    void updateReportsADamagedChangedLeaf() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        PageMapFixtures.makeRich(db, 4096, false, 22);
        byte[] a = Files.readAllBytes(db);
        PageMap before = PageMap.full(new ImagePages(a, 4096), 4096, a.length / 4096);
        try (Connection c = PageMapFixtures.open(db); Statement s = c.createStatement()) {
            s.execute("UPDATE messages SET body = 'changed' WHERE id = 7");
        }
        byte[] b = Files.readAllBytes(db);
        long leaf = 0;
        for (long pg = 1; pg <= before.pageCount() && leaf == 0; pg++) {
            if ("messages".equals(before.tree(pg)) && before.kind(pg) == PageMap.Kind.TABLE_LEAF
                    && java.util.Arrays.stream(before.rowids(pg)).anyMatch(x -> x == 7)) {
                leaf = pg;
            }
        }
        b[(int) ((leaf - 1) * 4096)] = 1;
        LongPredicate changed = PageMapFixtures.changedPages(a, b, 4096);
        long damaged = leaf;
        IOException e = assertThrows(IOException.class,
                () -> PageMap.update(before, new ImagePages(b, 4096), 4096, b.length / 4096, changed));
        assertTrue(e.getMessage().contains("Page " + damaged + " (messages)"), e.getMessage());
    }
}
