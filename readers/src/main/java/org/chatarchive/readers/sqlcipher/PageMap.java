package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.function.LongPredicate;

/**
 * What every page of one plaintext SQLite database state is: its role (b-tree page, overflow, freelist, ...),
 * the b-tree it belongs to, and for table leaves the rowids of its cells. Built by walking the file from its
 * roots ({@link #full}), or from the previous state's map and the set of changed pages ({@link #update}), which
 * reads only interior pages, freelist trunks and changed pages. Comparing two maps tells which rows may have
 * changed ({@link #touchedRows}) and which were removed ({@link #removedRows}).
 *
 * <p>Immutable. Page numbers run from 1 to {@link #pageCount()}; the per-page methods throw
 * IllegalArgumentException for any other.
 */
final class PageMap {

    /**
     * The role of a page. UNUSED pages are reached from nothing (a leaked page); index b-trees include those of
     * WITHOUT ROWID tables. PTRMAP pages exist with auto-vacuum; LOCK_BYTE is the page holding file offset 1 GiB,
     * which SQLite never uses.
     */
    enum Kind { UNUSED, TABLE_INTERIOR, TABLE_LEAF, INDEX_INTERIOR, INDEX_LEAF, OVERFLOW, FREE_TRUNK, FREE_LEAF,
        PTRMAP, LOCK_BYTE }

    /** One row of sqlite_master. {@code rootPage} is 0 for views, triggers and virtual tables. */
    record SchemaEntry(String type, String name, String tableName, long rootPage, String sql) {
    }

    /** One row of a table: its rowid and its record's values. */
    record Row(long rowid, Object[] values) {
    }

    private static final Kind[] KINDS = Kind.values();

    private final int pageSize;
    private final int pageCount;
    private final byte[] header;
    final byte[] kinds;
    final int[] trees;
    /**
     * Rowids of each table leaf held as an array, else null: a map read from its file holds them in
     * {@link #rowBytes} instead, read when asked for ({@link #rowidsAt}).
     */
    final long[][] rowids;
    /**
     * A 64-bit digest of each cell of each table leaf, as stored on the page (payload size, the payload's bytes on
     * the page, the first overflow page), parallel to {@link #rowids} (and held where they are). A row whose cell
     * digest and overflow pages are unchanged is unchanged.
     */
    final long[][] cellHashes;
    /**
     * The bytes of the file the map was read from, where the rowids and cell digests of the leaves that
     * {@link #rowAt} names are (a run reads those of a few pages only, so the others are not made into arrays);
     * null when every leaf's are arrays.
     */
    final byte[] rowBytes;
    /** Per page, 1 + the offset in {@link #rowBytes} of its rowids and cell digests ({@link PageMapFile}), else 0. */
    final int[] rowAt;
    /** Overflowing cells of each b-tree page as triples (cell index, first overflow page, overflow page count). */
    final long[][] chains;
    /** The next page of each overflow page that is not the last of its chain, else 0. */
    final int[] next;
    final long[] overflowRowid;
    /**
     * The page that points to each page, else 0: a b-tree page's parent (0 for a root, which the schema names), the
     * b-tree page of the cell an overflow chain starts from, or the overflow page before; the trunk of a freelist
     * leaf, the trunk before a freelist trunk (0 for the first). Null in a map read from the first format, which did
     * not record it; {@link #update} then walks the whole file.
     */
    final int[] parents;
    final List<String> treeNames;
    final List<String> treeTables;
    private final List<SchemaEntry> schema;
    final long[] schemaRowids;
    /** The overflow pages of sqlite_master, kept whole so that the schema can be read again without them. */
    final TreeMap<Integer, byte[]> schemaPages;

    PageMap(int pageSize, int pageCount, byte[] header, byte[] kinds, int[] trees, long[][] rowids,
            long[][] cellHashes, byte[] rowBytes, int[] rowAt, long[][] chains,
            int[] next, long[] overflowRowid, int[] parents, List<String> treeNames, List<String> treeTables,
            List<SchemaEntry> schema, long[] schemaRowids, TreeMap<Integer, byte[]> schemaPages) {
        this.pageSize = pageSize;
        this.pageCount = pageCount;
        this.header = header;
        this.kinds = kinds;
        this.trees = trees;
        this.rowids = rowids;
        this.cellHashes = cellHashes;
        this.rowBytes = rowBytes;
        this.rowAt = rowAt;
        this.chains = chains;
        this.next = next;
        this.overflowRowid = overflowRowid;
        this.parents = parents;
        this.treeNames = List.copyOf(treeNames);
        this.treeTables = List.copyOf(treeTables);
        this.schema = List.copyOf(schema);
        this.schemaRowids = schemaRowids;
        this.schemaPages = schemaPages;
    }

    /**
     * Maps every page of the state in {@code src} by walking sqlite_master, every b-tree it names, their overflow
     * chains and the freelist; pointer-map and lock-byte pages follow from the sizes. Throws an IOException naming
     * the page and the tree when a page is damaged.
     */
    static PageMap full(PageSource src, int pageSize, long pageCount) throws IOException {
        return PageWalker.walk(null, src, pageSize, pageCount, pg -> true);
    }

    /**
     * The map of the state in {@code src}, given the previous state's map and the pages that {@code changed}
     * (their bytes differ, or they are beyond the previous state's end). Reads only interior pages, freelist
     * trunks and changed pages; what an unchanged leaf or overflow page holds is taken from {@code previous}.
     */
    static PageMap update(PageMap previous, PageSource src, int pageSize, long pageCount, LongPredicate changed)
            throws IOException {
        Objects.requireNonNull(previous, "previous");
        return PageWalker.walk(previous, src, pageSize, pageCount,
                pg -> pg > previous.pageCount || changed.test(pg));
    }

    /** A map made from the previous state's, the pages where the two may differ, and whether it was made by
     *  visiting only the changed pages and those above them. */
    record Update(PageMap map, BitSet differing, boolean incremental) {
    }

    /**
     * The map of the state in {@code src}, given the previous state's map, its pages ({@code before}, read only
     * for what a changed page pointed to) and the pages that {@code changed} (pages past the previous state's end
     * count as changed); and the pages where it may differ from {@code previous}, a superset of {@link #differing}'s.
     * Visits only the changed pages and the pages above them in {@code previous} when that can be shown to give the
     * map a whole walk gives (see {@link PageWalker#walkChanged}); else walks as {@link #update(PageMap,
     * PageSource, int, long, LongPredicate)} does, which also reports damage.
     */
    static Update update(PageMap previous, PageSource src, PageSource before, int pageSize, long pageCount,
                         BitSet changed) throws IOException {
        try {
            PageWalker.Changed c = PageWalker.walkChanged(previous, src, before, pageSize, pageCount, changed);
            if (c != null) {
                return new Update(c.map(), c.differing(), true);
            }
        } catch (IOException | RuntimeException e) {
            // walked whole below, which says what is damaged
        }
        long previousPages = previous.pageCount;
        PageMap map = update(previous, src, pageSize, pageCount,
                pg -> pg > previousPages || pg <= Integer.MAX_VALUE && changed.get((int) pg));
        return new Update(map, differing(previous, map, changed), false);
    }

    long pageCount() {
        return pageCount;
    }

    int pageSize() {
        return pageSize;
    }

    /** The first 100 bytes of page 1. */
    byte[] header() {
        return header.clone();
    }

    Kind kind(long pgno) {
        return KINDS[kinds[index(pgno)]];
    }

    /** The sqlite_master name of the b-tree that page {@code pgno} belongs to ("sqlite_master" for the schema
     *  tree), or null. */
    String tree(long pgno) {
        int t = trees[index(pgno)];
        return t < 0 ? null : treeNames.get(t);
    }

    /** The table of the page's b-tree (an index's table), or null. */
    String table(long pgno) {
        int t = trees[index(pgno)];
        return t < 0 ? null : treeTables.get(t);
    }

    /** The rowids of the cells of a table leaf, in page order; empty for any other page. */
    long[] rowids(long pgno) {
        long[] r = rowidsAt(index(pgno));
        return r == null ? new long[0] : r.clone();
    }

    /**
     * The rowids and the cell digests of table leaf {@code pg} (not to be changed), read from {@link #rowBytes} once
     * for both when the map holds them there; {null, null} for any other page.
     */
    long[][] rowsAt(int pg) {
        if (rowids[pg] != null || rowAt == null || rowAt[pg] == 0) {
            return new long[][] {rowids[pg], cellHashes[pg]};
        }
        return PageMapFile.rows(rowBytes, rowAt[pg] - 1);
    }

    /** The rowids of table leaf {@code pg} (not to be changed), else null. */
    long[] rowidsAt(int pg) {
        return rowsAt(pg)[0];
    }

    /** The rowid of the table row that overflow page {@code pgno} holds part of, else Long.MIN_VALUE. */
    long overflowRowid(long pgno) {
        return overflowRowid[index(pgno)];
    }

    /** The rows of sqlite_master in rowid order. */
    List<SchemaEntry> schema() {
        return schema;
    }

    private int index(long pgno) {
        if (pgno < 1 || pgno > pageCount) {
            throw new IllegalArgumentException("Page " + pgno + " is outside this " + pageCount + "-page database.");
        }
        return (int) pgno;
    }

    /**
     * The pages where two maps of successive states can say different things: pages that {@code changed}, pages
     * only one map has, and pages whose role, b-tree number, owning row or parent differs; every page when the maps number
     * their b-trees differently (a changed schema). Found by comparing the maps' arrays in bulk, so that what follows
     * visits only these pages.
     */
    static BitSet differing(PageMap previous, PageMap current, BitSet changed) {
        int common = Math.min(previous.pageCount, current.pageCount);
        int last = Math.max(previous.pageCount, current.pageCount);
        BitSet out = new BitSet(last + 1);
        if (!previous.treeTables.equals(current.treeTables)) {
            out.set(1, last + 1);
            return out;
        }
        out.or(changed);
        out.clear(0);
        out.set(common + 1, last + 1);
        mark(common, out, f -> Arrays.mismatch(previous.kinds, f, common + 1, current.kinds, f, common + 1));
        mark(common, out, f -> Arrays.mismatch(previous.trees, f, common + 1, current.trees, f, common + 1));
        // the owner of an overflow page comes from the cell that points to it, not from the page's own bytes
        mark(common, out, f -> Arrays.mismatch(previous.overflowRowid, f, common + 1, current.overflowRowid, f,
                common + 1));
        if (previous.parents != null && current.parents != null) {
            mark(common, out, f -> Arrays.mismatch(previous.parents, f, common + 1, current.parents, f, common + 1));
        }
        return out;
    }

    /**
     * Sets in {@code out} every page of {@code 1..common} where two arrays differ, {@code mismatchFrom} giving the
     * offset of the first difference from a page on (as {@link Arrays#mismatch}: -1 for none).
     */
    private static void mark(int common, BitSet out, IntUnaryOperator mismatchFrom) {
        for (int from = 1; from <= common; ) {
            int i = mismatchFrom.applyAsInt(from);
            if (i < 0) {
                return;
            }
            out.set(from + i);
            from += i + 1;
        }
    }

    /** {@link #differing} for a predicate of changed pages (every page is asked). */
    static BitSet differing(PageMap previous, PageMap current, LongPredicate changed) {
        BitSet c = new BitSet();
        for (int pg = 1; pg <= Math.max(previous.pageCount, current.pageCount); pg++) {
            if (changed.test(pg)) {
                c.set(pg);
            }
        }
        return differing(previous, current, c);
    }

    /**
     * Rows that differ between {@code previous} and {@code current}, per table: of the rows on table leaves that
     * changed or were not leaves of the same table before (a renamed table's rows are all new under its new
     * name) and of those that were on pages that changed or stopped being leaves of their table, the rows that are
     * new, gone, or whose cell differs ({@link #cellHashes}); and the rowid of each changed overflow page of a
     * table. Sorted, without repeats. WITHOUT ROWID tables have no rowids and are not reported: their changed
     * pages are those whose {@link #tree} names them.
     */
    static Map<String, long[]> touchedRows(PageMap previous, PageMap current, LongPredicate changed) {
        return touchedRows(previous, current, changed, differing(previous, current, changed));
    }

    /** {@link #touchedRows}, visiting only the pages of {@code differing} (from {@link #differing}). */
    static Map<String, long[]> touchedRows(PageMap previous, PageMap current, LongPredicate changed,
                                           BitSet differing) {
        Map<String, HashMap<Long, Long>> before = new TreeMap<>();
        for (int pg = differing.nextSetBit(1); pg >= 0 && pg <= previous.pageCount; pg = differing.nextSetBit(pg + 1)) {
            if (leafToCompare(previous, current, pg, changed)) {
                HashMap<Long, Long> m = before.computeIfAbsent(previous.table(pg), k -> new HashMap<>());
                long[][] rows = previous.rowsAt(pg);
                long[] r = rows[0];
                long[] h = rows[1];
                for (int i = 0; i < r.length; i++) {
                    m.put(r[i], h[i]);
                }
            }
        }
        Map<String, LongList> out = new TreeMap<>();
        Map<String, HashSet<Long>> seen = new TreeMap<>();
        for (int pg = differing.nextSetBit(1); pg >= 0 && pg <= current.pageCount; pg = differing.nextSetBit(pg + 1)) {
            boolean written = pg > previous.pageCount || changed.test(pg);
            if (current.kinds[pg] == Kind.TABLE_LEAF.ordinal() && (written || !sameLeaf(current, previous, pg))) {
                String table = current.table(pg);
                HashMap<Long, Long> was = before.getOrDefault(table, new HashMap<>());
                HashSet<Long> here = seen.computeIfAbsent(table, k -> new HashSet<>());
                long[][] rows = current.rowsAt(pg);
                long[] r = rows[0];
                long[] hashes = rows[1];
                LongList list = out.computeIfAbsent(table, k -> new LongList());
                for (int i = 0; i < r.length; i++) {
                    here.add(r[i]);
                    Long h = was.get(r[i]);
                    if (h == null || h != hashes[i]) {
                        list.add(r[i]);
                    }
                }
            } else if (written && current.kinds[pg] == Kind.OVERFLOW.ordinal()
                    && current.overflowRowid[pg] != Long.MIN_VALUE) {
                add(out, current.table(pg), new long[] {current.overflowRowid[pg]});
            }
        }
        // rows that were on a changed page and are on no changed page now: removed
        before.forEach((table, was) -> {
            HashSet<Long> here = seen.getOrDefault(table, new HashSet<>());
            LongList list = out.computeIfAbsent(table, k -> new LongList());
            for (Long r : was.keySet()) {
                if (!here.contains(r)) {
                    list.add(r);
                }
            }
        });
        return finish(out, null);
    }

    /**
     * Rows present in {@code previous} and absent from {@code current}, per table. Exact: a row leaves a page only
     * when that page is written or stops being a leaf of its table, and a row that moves lands on a written page.
     */
    static Map<String, long[]> removedRows(PageMap previous, PageMap current, LongPredicate changed) {
        return removedRows(previous, current, changed, differing(previous, current, changed));
    }

    /** {@link #removedRows}, visiting only the pages of {@code differing} (from {@link #differing}). */
    static Map<String, long[]> removedRows(PageMap previous, PageMap current, LongPredicate changed,
                                           BitSet differing) {
        Map<String, LongList> before = new TreeMap<>();
        for (int pg = differing.nextSetBit(1); pg >= 0 && pg <= previous.pageCount; pg = differing.nextSetBit(pg + 1)) {
            if (leafToCompare(previous, current, pg, changed)) {
                add(before, previous.table(pg), previous.rowidsAt(pg));
            }
        }
        Map<String, LongList> now = new TreeMap<>();
        for (int pg = differing.nextSetBit(1); pg >= 0 && pg <= current.pageCount; pg = differing.nextSetBit(pg + 1)) {
            if (leafToCompare(current, previous, pg, changed)) {
                add(now, current.table(pg), current.rowidsAt(pg));
            }
        }
        return finish(before, now);
    }

    /**
     * Whether {@code pg} is a table leaf of {@code map} whose rows are to be compared: it changed, or it is not a
     * leaf of the same table in {@code other}.
     */
    private static boolean leafToCompare(PageMap map, PageMap other, int pg, LongPredicate changed) {
        return map.kinds[pg] == Kind.TABLE_LEAF.ordinal() && (changed.test(pg) || !sameLeaf(map, other, pg));
    }

    /** Whether {@code pg} is also a table leaf of the same table in {@code other}. */
    private static boolean sameLeaf(PageMap map, PageMap other, int pg) {
        return pg <= other.pageCount && other.kinds[pg] == Kind.TABLE_LEAF.ordinal()
                && Objects.equals(map.table(pg), other.table(pg));
    }

    private static void add(Map<String, LongList> out, String table, long[] values) {
        out.computeIfAbsent(table, k -> new LongList()).addAll(values);
    }

    private static Map<String, long[]> finish(Map<String, LongList> in, Map<String, LongList> minus) {
        Map<String, long[]> out = new TreeMap<>();
        for (Map.Entry<String, LongList> e : in.entrySet()) {
            long[] v = e.getValue().sortedDistinct();
            LongList m = minus == null ? null : minus.get(e.getKey());
            if (m != null) {
                long[] drop = m.sortedDistinct();
                v = Arrays.stream(v).filter(x -> Arrays.binarySearch(drop, x) < 0).toArray();
            }
            if (v.length > 0) {
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    /**
     * Every row of table {@code table}, read from {@code src} (the state {@code map} describes) in rowid order.
     * Values are Long, Double, String, byte[] or null in record order; an INTEGER PRIMARY KEY column is stored
     * as NULL (its value is the rowid), and an integral value in a REAL column may be stored as an integer (SQLite
     * does so to save space and converts it back when reading). Meant for small tables: all rows are held in
     * memory.
     */
    static List<Row> rows(PageSource src, PageMap map, String table) throws IOException {
        int t = map.treeNames.indexOf(table);
        if (t < 0 || !table.equals(map.treeTables.get(t))) {
            throw new IllegalArgumentException("The database has no table named " + table + " with a b-tree.");
        }
        int usable = map.pageSize - (map.header[20] & 0xff);
        var text = SqliteRecord.charset((int) BTreePage.u32(map.header, 56));
        List<Row> rows = new ArrayList<>();
        for (int pg = 1; pg <= map.pageCount; pg++) {
            if (map.trees[pg] != t) {
                continue;
            }
            if (map.kinds[pg] == Kind.INDEX_LEAF.ordinal() || map.kinds[pg] == Kind.INDEX_INTERIOR.ordinal()) {
                throw new IllegalArgumentException(table + " is a WITHOUT ROWID table; its rows have no rowids.");
            }
            if (map.kinds[pg] != Kind.TABLE_LEAF.ordinal()) {
                continue;
            }
            byte[] b = src.page(pg);
            BTreePage p = BTreePage.parse(b, pg, usable, map.pageCount, table);
            if (p.type != BTreePage.TABLE_LEAF) {
                throw BTreePage.damaged(pg, table, "it is no longer a table leaf; the map is of another state");
            }
            for (int i = 0; i < p.cells; i++) {
                byte[] payload = payload(b, p, i, usable, map.pageCount, src, pg, table);
                rows.add(new Row(p.rowid[i], SqliteRecord.decode(payload, text,
                        "Row " + p.rowid[i] + " of " + table + " (page " + pg + ")")));
            }
        }
        rows.sort(Comparator.comparingLong(Row::rowid));
        return rows;
    }

    /**
     * The records (values in record order) of the rows of {@code table} with the given rowids, read from the table
     * leaves of {@code map} that hold them, pages from {@code src}; rowids the map does not have are left out.
     */
    static Map<Long, Object[]> rowsOf(PageSource src, PageMap map, String table, long[] rowids) throws IOException {
        BitSet every = new BitSet(map.pageCount + 1);
        every.set(1, map.pageCount + 1);
        return rowsOf(src, map, table, rowids, every);
    }

    /** The rowids on the leaves of table {@code table} among {@code pages}. */
    static Set<Long> rowidsOn(PageMap map, String table, BitSet pages) {
        Set<Long> out = new HashSet<>();
        for (int pg = pages.nextSetBit(1); pg >= 0 && pg <= map.pageCount; pg = pages.nextSetBit(pg + 1)) {
            if (map.kinds[pg] == Kind.TABLE_LEAF.ordinal() && table.equals(map.table(pg))) {
                for (long r : map.rowidsAt(pg)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** {@link #rowsOf}, looking only at the pages in {@code pages} (e.g. from {@link #differing}). */
    static Map<Long, Object[]> rowsOf(PageSource src, PageMap map, String table, long[] rowids, BitSet pages)
            throws IOException {
        long[] wanted = rowids.clone();
        Arrays.sort(wanted);
        int usable = map.pageSize - (map.header[20] & 0xff);
        var text = SqliteRecord.charset((int) BTreePage.u32(map.header, 56));
        Map<Long, Object[]> out = new TreeMap<>();
        for (int pg = pages.nextSetBit(1); pg >= 0 && pg <= map.pageCount; pg = pages.nextSetBit(pg + 1)) {
            if (map.kinds[pg] != Kind.TABLE_LEAF.ordinal() || !table.equals(map.table(pg))) {
                continue;
            }
            long[] here = map.rowidsAt(pg);
            boolean any = false;
            for (long r : here) {
                if (Arrays.binarySearch(wanted, r) >= 0) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                continue;
            }
            byte[] b = src.page(pg);
            BTreePage p = BTreePage.parse(b, pg, usable, map.pageCount, table);
            for (int i = 0; i < p.cells; i++) {
                if (Arrays.binarySearch(wanted, p.rowid[i]) >= 0) {
                    byte[] payload = payload(b, p, i, usable, map.pageCount, src, pg, table);
                    out.put(p.rowid[i], SqliteRecord.decode(payload, text,
                            "Row " + p.rowid[i] + " of " + table + " (page " + pg + ")"));
                }
            }
        }
        return out;
    }

    /** The whole payload of cell {@code i} of page {@code pgno}, its overflow pages read from {@code pages}. */
    static byte[] payload(byte[] b, BTreePage p, int i, int usable, long pageCount, PageSource pages, long pgno,
            String tree) throws IOException {
        long size = p.payloadSize[i];
        if (size > Integer.MAX_VALUE - 16) {
            throw BTreePage.damaged(pgno, tree, "cell " + i + " claims a payload of " + size + " bytes");
        }
        byte[] out = new byte[(int) size];
        System.arraycopy(b, p.payloadStart[i], out, 0, p.local[i]);
        int at = p.local[i];
        long pg = p.overflow[i];
        long left = BTreePage.overflowPages(size, p.local[i], usable);
        while (at < size) {
            if (left-- <= 0 || pg < 1 || pg > pageCount) {
                throw BTreePage.damaged(pgno, tree, "the overflow chain of cell " + i + " ends early or leaves the"
                        + " database (at page " + pg + ")");
            }
            byte[] o = pages.page(pg);
            int n = (int) Math.min(usable - 4, size - at);
            if (o == null || o.length < 4 + n) {
                throw BTreePage.damaged(pgno, tree, "overflow page " + pg + " of cell " + i + " is missing");
            }
            System.arraycopy(o, 4, out, at, n);
            at += n;
            pg = BTreePage.u32(o, 0);
        }
        return out;
    }

    /** Writes this map in a compact binary form; the same map always gives the same bytes. */
    void write(OutputStream out) throws IOException {
        PageMapFile.write(this, out);
    }

    /** Reads a map written by {@link #write}; an IOException when the bytes are damaged or not a page map. */
    static PageMap read(InputStream in) throws IOException {
        return PageMapFile.read(in);
    }

    /** {@link #read(InputStream)} of a file's bytes, kept by the map: not to change afterwards. */
    static PageMap read(byte[] bytes) throws IOException {
        return PageMapFile.read(bytes);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PageMap m)) {
            return false;
        }
        if (pageSize != m.pageSize || pageCount != m.pageCount || !Arrays.equals(header, m.header)
                || !Arrays.equals(kinds, m.kinds) || !Arrays.equals(trees, m.trees)
                || !Arrays.deepEquals(chains, m.chains)
                || !Arrays.equals(next, m.next) || !Arrays.equals(overflowRowid, m.overflowRowid)
                || !Arrays.equals(parents, m.parents)
                || !treeNames.equals(m.treeNames) || !treeTables.equals(m.treeTables) || !schema.equals(m.schema)
                || !Arrays.equals(schemaRowids, m.schemaRowids)
                || !schemaPages.keySet().equals(m.schemaPages.keySet())) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> e : schemaPages.entrySet()) {
            if (!Arrays.equals(e.getValue(), m.schemaPages.get(e.getKey()))) {
                return false;
            }
        }
        for (int pg = 1; pg <= pageCount; pg++) {
            if (!Arrays.deepEquals(rowsAt(pg), m.rowsAt(pg))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pageSize, pageCount, Arrays.hashCode(kinds), Arrays.hashCode(trees), schema);
    }

    @Override
    public String toString() {
        return "PageMap[" + pageCount + " pages of " + pageSize + " bytes, " + (treeNames.size()) + " b-trees]";
    }

    /** A growable list of longs. */
    private static final class LongList {
        private long[] a = new long[16];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void addAll(long[] v) {
            if (n + v.length > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + v.length));
            }
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        long[] sortedDistinct() {
            long[] s = Arrays.copyOf(a, n);
            Arrays.sort(s);
            return Arrays.stream(s).distinct().toArray();
        }
    }
}
