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
                PageMap walked = null;
                try {
                    walked = PageMap.update(before, new ImagePages(bad, pageSize), pageSize, pages, changed);
                } catch (IOException expected) {
                    ioe = true;
                }
                // From the changed page and those above it: the same map, or the same failure.
                PageMap fromChanged = null;
                try {
                    fromChanged = PageMap.update(before, new ImagePages(bad, pageSize), new ImagePages(good, pageSize),
                            pageSize, pages, PageMapUpdateTest.bits(changed, pages)).map();
                } catch (IOException expected) {
                    assertTrue(walked == null, "the whole walk found no damage: " + expected.getMessage());
                }
                if (walked != null) {
                    org.junit.jupiter.api.Assertions.assertEquals(walked, fromChanged);
                }
                return ioe;
            }, () -> "round with damage on page " + (page + 1));
            failures += failed ? 1 : 0;
        }
        assertTrue(failures > 50, "damage was found " + failures + " times in 400");
    }

    /**
     * A changed interior page whose child pointer now names a leaf of another table, below an unchanged interior
     * page: nothing above that leaf changed, so a walk from the changed pages alone would not see it reached twice. The update
     * must not keep that map, and reports what the whole walk reports.
     */
    @Test
    void aChangedPageThatPointsIntoAnUnchangedSubtreeIsReportedAsAWholeWalkReportsIt() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        PageMapFixtures.makeRich(db, 1024, false, 23);
        try (Connection c = PageMapFixtures.open(db); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER messages_ai");
        }
        byte[] a = Files.readAllBytes(db);
        PageMap before = PageMapFixtures.wholeMap(a, 1024);
        try (Connection c = PageMapFixtures.open(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO messages (conversationId, body, json, sent_at)"
                    + " SELECT conversationId, body, json, sent_at + 1 FROM messages WHERE id > 1400");
        }
        byte[] b = Files.readAllBytes(db);
        LongPredicate changedTest = PageMapFixtures.changedPages(a, b, 1024);
        long pages = b.length / 1024;
        PageMap after = PageMap.full(new ImagePages(b, 1024), 1024, pages);
        int interior = 0;
        int leaf = 0;
        for (int pg = 2; pg <= after.pageCount() && (interior == 0 || leaf == 0); pg++) {
            if (!"messages".equals(after.tree(pg))) {
                continue;
            }
            if (interior == 0 && after.kind(pg) == PageMap.Kind.TABLE_INTERIOR && changedTest.test(pg)) {
                interior = pg;
            }
        }
        for (int pg = 2; pg <= before.pageCount() && leaf == 0; pg++) {
            // a table leaf of another table, below an unchanged interior page
            if (before.kind(pg) == PageMap.Kind.TABLE_LEAF && !"messages".equals(before.tree(pg))
                    && before.parents[pg] != 0 && !changedTest.test(pg) && !changedTest.test(before.parents[pg])) {
                leaf = pg;
            }
        }
        assertTrue(interior > 0 && leaf > 0, "a changed interior page " + interior + " and a leaf " + leaf);
        int at = (interior - 1) * 1024;
        int cell = ((b[at + 12] & 0xff) << 8) | (b[at + 13] & 0xff); // the first cell: its left child comes first
        b[at + cell] = (byte) (leaf >>> 24);
        b[at + cell + 1] = (byte) (leaf >>> 16);
        b[at + cell + 2] = (byte) (leaf >>> 8);
        b[at + cell + 3] = (byte) leaf;
        IOException whole = assertThrows(IOException.class,
                () -> PageMap.update(before, new ImagePages(b, 1024), 1024, pages, changedTest));
        IOException fromChanged = assertThrows(IOException.class,
                () -> PageMap.update(before, new ImagePages(b, 1024), new ImagePages(a, 1024), 1024, pages,
                        PageMapUpdateTest.bits(changedTest, pages)));
        org.junit.jupiter.api.Assertions.assertEquals(whole.getMessage(), fromChanged.getMessage());
        assertTrue(whole.getMessage().contains("reached again"), whole.getMessage());
    }

    @Test
    void updateReportsADamagedChangedLeaf() throws Exception {
        Path db = tmp.resolve("db.sqlite");
        PageMapFixtures.makeRich(db, 4096, false, 22);
        byte[] a = Files.readAllBytes(db);
        PageMap before = PageMapFixtures.wholeMap(a, 4096);
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
