package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * Builds a {@link PageMap} by walking the database from its roots: the schema tree on page 1, every table and
 * index tree it names, the overflow chains of their cells and the freelist. Given the previous state's map,
 * unchanged leaf and overflow pages are not read: what they hold is taken from that map, since a page with the
 * same bytes parses the same way.
 *
 * <p>{@link #walkChanged} goes further: it visits only the changed pages and the pages above them in the previous
 * map ({@link PageMap#parents}); below an unchanged page with no changed page under it, everything is as it was.
 * It checks that every page that left its place was found again elsewhere, and gives up (null) when it cannot
 * tell, so that the caller walks everything.
 */
final class PageWalker {

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final long LOCK_BYTE_OFFSET = 0x4000_0000L;
    private static final byte UNUSED = (byte) PageMap.Kind.UNUSED.ordinal();
    private static final byte TABLE_INTERIOR = (byte) PageMap.Kind.TABLE_INTERIOR.ordinal();
    private static final byte TABLE_LEAF = (byte) PageMap.Kind.TABLE_LEAF.ordinal();
    private static final byte INDEX_INTERIOR = (byte) PageMap.Kind.INDEX_INTERIOR.ordinal();
    private static final byte INDEX_LEAF = (byte) PageMap.Kind.INDEX_LEAF.ordinal();
    private static final byte OVERFLOW = (byte) PageMap.Kind.OVERFLOW.ordinal();
    private static final byte FREE_TRUNK = (byte) PageMap.Kind.FREE_TRUNK.ordinal();
    private static final byte FREE_LEAF = (byte) PageMap.Kind.FREE_LEAF.ordinal();
    private static final byte PTRMAP = (byte) PageMap.Kind.PTRMAP.ordinal();
    private static final byte LOCK_BYTE = (byte) PageMap.Kind.LOCK_BYTE.ordinal();
    private static final int TABLES = 1;
    private static final int INDEXES = 2;

    private final PageSource src;
    private final PageMap prev;
    private final LongPredicate changed;
    private final int pageSize;
    private final int pageCount;
    private byte[] page1;
    private byte[] header;
    private int usable;
    private Charset text;
    private Map<Long, PageMap.SchemaEntry> prevSchema;

    private final byte[] kinds;
    private final int[] trees;
    private final long[][] rowids;
    private final long[][] cellHashes;
    private final long[][] chains;
    private final int[] next;
    private final long[] overflowRowid;
    private final int[] parents;
    /** Where the previous map holds the rows of the leaves not visited (incremental walk only). */
    private final byte[] rowBytes;
    private final int[] rowAt;
    private final List<String> treeNames = new ArrayList<>();
    private final List<String> treeTables = new ArrayList<>();
    private final TreeMap<Integer, byte[]> schemaPages = new TreeMap<>();
    private final TreeMap<Long, PageMap.SchemaEntry> schema = new TreeMap<>();

    // Only for walkChanged: the previous state's pages, and what the walk found.
    private final boolean incremental;
    private final PageSource before;
    /** Changed pages and every page above one in the previous map: the only b-tree pages visited. */
    private BitSet above;
    /** Pages reached by the walk: visited, or kept with what is below them. */
    private BitSet reached;
    /** Pages visited (their entries made anew). */
    private BitSet visited;
    /** Pages reached somewhere other than where the previous map had them (or not there at all). */
    private BitSet moved;
    /** Pages that the previous map had below a page whose bytes or role changed: each must be reached again. */
    private BitSet vacated;

    private PageWalker(PageMap prev, PageSource src, int pageSize, long pageCount, LongPredicate changed)
            throws IOException {
        this(prev, src, null, pageSize, pageCount, changed, false);
    }

    private PageWalker(PageMap prev, PageSource src, PageSource before, int pageSize, long pageCount,
                       LongPredicate changed, boolean incremental) throws IOException {
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new IOException("Page size " + pageSize + " is not a SQLite page size.");
        }
        if (pageCount < 1 || pageCount >= Integer.MAX_VALUE) {
            throw new IOException("A database of " + pageCount + " pages cannot be mapped.");
        }
        if (prev != null && prev.pageSize() != pageSize) {
            throw new IOException("The previous map is of " + prev.pageSize() + "-byte pages, this database has "
                    + pageSize + "-byte pages; map it with full().");
        }
        this.src = src;
        this.prev = prev;
        this.before = before;
        this.incremental = incremental;
        this.changed = changed;
        this.pageSize = pageSize;
        this.pageCount = (int) pageCount;
        int n = this.pageCount + 1;
        this.kinds = new byte[n];
        this.trees = new int[n];
        Arrays.fill(trees, -1);
        this.rowids = new long[n][];
        this.cellHashes = new long[n][];
        this.chains = new long[n][];
        this.next = new int[n];
        this.overflowRowid = new long[n];
        Arrays.fill(overflowRowid, Long.MIN_VALUE);
        this.parents = new int[n];
        this.rowBytes = incremental ? prev.rowBytes : null;
        this.rowAt = incremental && prev.rowAt != null ? new int[n] : null;
        if (incremental) {
            // Everything as the previous map has it; the walk makes anew the entries of the pages it visits.
            int common = (int) Math.min(n, prev.pageCount() + 1);
            System.arraycopy(prev.kinds, 0, kinds, 0, common);
            System.arraycopy(prev.trees, 0, trees, 0, common);
            System.arraycopy(prev.rowids, 0, rowids, 0, common);
            System.arraycopy(prev.cellHashes, 0, cellHashes, 0, common);
            System.arraycopy(prev.chains, 0, chains, 0, common);
            System.arraycopy(prev.next, 0, next, 0, common);
            System.arraycopy(prev.overflowRowid, 0, overflowRowid, 0, common);
            System.arraycopy(prev.parents, 0, parents, 0, common);
            if (rowAt != null) {
                System.arraycopy(prev.rowAt, 0, rowAt, 0, common);
            }
        }
    }

    /** The map of the state in {@code src}; with {@code prev}, pages for which {@code changed} is false and that
     *  {@code prev} knows as leaf or overflow pages are not read. */
    static PageMap walk(PageMap prev, PageSource src, int pageSize, long pageCount, LongPredicate changed)
            throws IOException {
        PageWalker w = new PageWalker(prev, src, pageSize, pageCount, changed);
        w.readHeader();
        w.markFixedPages();
        w.treeNames.add("sqlite_master");
        w.treeTables.add("sqlite_master");
        w.walkTree(0, 1);
        List<PageMap.SchemaEntry> entries = new ArrayList<>(w.schema.values());
        long[] schemaRowids = w.schema.keySet().stream().mapToLong(Long::longValue).toArray();
        for (PageMap.SchemaEntry e : entries) {
            if (e.rootPage() > 0) {
                if (e.rootPage() > w.pageCount) {
                    throw new IOException("The schema gives " + e.type() + " " + e.name() + " root page "
                            + e.rootPage() + " in a " + w.pageCount + "-page database.");
                }
                w.treeNames.add(e.name());
                w.treeTables.add(e.tableName());
                w.walkTree(w.treeNames.size() - 1, (int) e.rootPage());
            }
        }
        w.walkFreelist();
        return w.map(entries, schemaRowids);
    }

    private PageMap map(List<PageMap.SchemaEntry> entries, long[] schemaRowids) {
        return new PageMap(pageSize, pageCount, header, kinds, trees, rowids, cellHashes, rowBytes, rowAt, chains,
                next, overflowRowid, parents, treeNames, treeTables, entries, schemaRowids, schemaPages);
    }

    /** A map made by {@link #walkChanged}, and the pages where it may differ from the previous one. */
    record Changed(PageMap map, BitSet differing) {
    }

    /**
     * The map of the state in {@code src}, made from the previous state's map {@code prev} by visiting only the
     * pages in {@code changed} (their bytes differ; pages past the previous map's last count as changed), the pages
     * above them in {@code prev}, and what they point to; {@code before} gives the previous state's pages, for
     * what changed pages pointed to. Null when this cannot be done, or cannot be shown to give what a whole walk
     * gives: {@code prev} has no parents, the database shrank, has auto-vacuum pointer maps or another schema, or
     * some page that left its place was not found again (a leaked page, or damage, which a whole walk reports).
     */
    static Changed walkChanged(PageMap prev, PageSource src, PageSource before, int pageSize, long pageCount,
                               BitSet changed) throws IOException {
        if (prev.parents == null || prev.pageSize() != pageSize || pageCount < prev.pageCount()
                || pageCount >= Integer.MAX_VALUE) {
            return null;
        }
        long previousPages = prev.pageCount();
        PageWalker w = new PageWalker(prev, src, before, pageSize, pageCount,
                pg -> pg > previousPages || changed.get((int) pg), true);
        return w.walkChanged(changed);
    }

    private Changed walkChanged(BitSet changedPages) throws IOException {
        readHeader();
        byte[] was = prev.header();
        if (BTreePage.u32(header, 52) != 0 || BTreePage.u32(was, 52) != 0 || was[20] != header[20]
                || BTreePage.u32(was, 56) != BTreePage.u32(header, 56)) {
            return null; // pointer maps, or another reserved size or text encoding
        }
        markFixedPages();
        reached = new BitSet(pageCount + 1);
        visited = new BitSet(pageCount + 1);
        moved = new BitSet(pageCount + 1);
        vacated = new BitSet(pageCount + 1);
        above = new BitSet(pageCount + 1);
        int previousPages = (int) prev.pageCount();
        for (int c = changedPages.nextSetBit(1); c >= 0 && c <= previousPages; c = changedPages.nextSetBit(c + 1)) {
            for (int q = c; q != 0 && !above.get(q); q = prev.parents[q]) {
                above.set(q);
                if (!isTreePage(prev.kinds[q])) {
                    break; // a freelist or unused page: nothing above it is visited for it
                }
            }
        }
        treeNames.add("sqlite_master");
        treeTables.add("sqlite_master");
        walkTree(0, 1, false); // the schema, all of it (a few pages): its rows are needed whole
        List<PageMap.SchemaEntry> entries = new ArrayList<>(schema.values());
        long[] schemaRowids = schema.keySet().stream().mapToLong(Long::longValue).toArray();
        if (!entries.equals(prev.schema()) || !Arrays.equals(schemaRowids, prev.schemaRowids)) {
            return null; // b-trees may be numbered differently
        }
        for (PageMap.SchemaEntry e : entries) {
            if (e.rootPage() > 0) {
                if (e.rootPage() > pageCount) {
                    return null;
                }
                treeNames.add(e.name());
                treeTables.add(e.tableName());
                walkTree(treeNames.size() - 1, (int) e.rootPage(), true);
            }
        }
        walkFreelistAgain();
        // What visited pages pointed to before, where their bytes or role changed, must have been found again.
        for (int x = visited.nextSetBit(1); x >= 0 && x <= previousPages; x = visited.nextSetBit(x + 1)) {
            if (changed.test(x) || prev.kinds[x] != kinds[x] || prev.trees[x] != trees[x]) {
                vacate(x);
            }
        }
        if (vacated.length() > pageCount + 1) {
            return null;
        }
        BitSet lost = (BitSet) vacated.clone();
        lost.andNot(reached);
        if (!lost.isEmpty()) {
            return null; // a page that left its place is nowhere now (leaked, or damage): walk everything
        }
        for (int y = moved.nextSetBit(1); y >= 0 && y <= previousPages; y = moved.nextSetBit(y + 1)) {
            if (prev.kinds[y] != UNUSED && !vacated.get(y)) {
                return null; // reached here, but nothing it was under before let go of it
            }
        }
        BitSet differing = (BitSet) visited.clone();
        differing.or(moved);
        differing.or(changedPages);
        differing.clear(0);
        if (pageCount > previousPages) {
            differing.set(previousPages + 1, pageCount + 1);
        }
        if (differing.length() > pageCount + 1) {
            differing.clear(pageCount + 1, differing.length());
        }
        return new Changed(map(entries, schemaRowids), differing);
    }

    private static boolean isTreePage(byte k) {
        return k == TABLE_INTERIOR || k == TABLE_LEAF || k == INDEX_INTERIOR || k == INDEX_LEAF || k == OVERFLOW;
    }

    /** Marks as vacated what page {@code x} pointed to in the previous state (its children, overflow chains). */
    private void vacate(int x) throws IOException {
        byte k = prev.kinds[x];
        if (k == TABLE_INTERIOR || k == INDEX_INTERIOR) {
            byte[] b = changed.test(x) ? before.page(x) : read(x);
            if (b == null || b.length != pageSize) {
                throw new IOException("Page " + x + " of the previous state could not be read.");
            }
            BTreePage p = BTreePage.parse(b, x, usable, prev.pageCount(), describeTree(Math.max(0, prev.trees[x])));
            for (int i = 0; i < p.cells; i++) {
                vacated.set(p.left[i]);
            }
            vacated.set(p.right);
        }
        if (k == TABLE_INTERIOR || k == INDEX_INTERIOR || k == TABLE_LEAF || k == INDEX_LEAF) {
            long[] ch = prev.chains[x];
            for (int j = 0; ch != null && j < ch.length; j += 3) {
                vacated.set((int) ch[j + 1]);
            }
        } else if (k == OVERFLOW && prev.next[x] != 0) {
            vacated.set(prev.next[x]);
        }
    }

    /**
     * Incremental walk: page {@code pg} of b-tree {@code t} reached from {@code parent}. Returns true when the page,
     * with everything below it, is as the previous map has it (unchanged, nothing changed below it, the same b-tree);
     * else clears its entry for the walk to make anew.
     */
    private boolean enter(int pg, int parent, int t, String name, boolean prune, int family) throws IOException {
        if (pg < 1 || pg > pageCount) {
            throw new IOException("The " + name + " b-tree reaches page " + pg + " of a " + pageCount
                    + "-page database.");
        }
        if (reached.get(pg) || kinds[pg] == LOCK_BYTE || kinds[pg] == PTRMAP) {
            throw BTreePage.damaged(pg, name, "it is reached again as a b-tree page");
        }
        reached.set(pg);
        byte k = pg <= prev.pageCount() ? prev.kinds[pg] : UNUSED;
        boolean sameTree = pg <= prev.pageCount() && prev.trees[pg] == t
                && (family == TABLES ? k == TABLE_INTERIOR || k == TABLE_LEAF
                : family == INDEXES ? k == INDEX_INTERIOR || k == INDEX_LEAF
                : k == TABLE_INTERIOR || k == TABLE_LEAF || k == INDEX_INTERIOR || k == INDEX_LEAF);
        if (!sameTree || prev.parents[pg] != parent) {
            moved.set(pg);
        }
        if (prune && sameTree && !above.get(pg)) {
            parents[pg] = parent;
            return true;
        }
        visited.set(pg);
        clear(pg);
        return false;
    }

    /** Incremental walk: page {@code pg} reached as an overflow or freelist page; its entry is made anew. */
    private void enterOther(int pg, int parent, byte kind, String name) throws IOException {
        if (reached.get(pg) || kinds[pg] == LOCK_BYTE || kinds[pg] == PTRMAP) {
            throw BTreePage.damaged(pg, name, "it is reached again as a page of another kind");
        }
        reached.set(pg);
        visited.set(pg);
        boolean same = pg <= prev.pageCount() && prev.kinds[pg] == kind && prev.parents[pg] == parent;
        if (!same) {
            moved.set(pg);
        }
        clear(pg);
    }

    private void clear(int pg) {
        kinds[pg] = UNUSED;
        trees[pg] = -1;
        rowids[pg] = null;
        cellHashes[pg] = null;
        if (rowAt != null) {
            rowAt[pg] = 0;
        }
        chains[pg] = null;
        next[pg] = 0;
        overflowRowid[pg] = Long.MIN_VALUE;
        parents[pg] = 0;
    }

    private boolean reusable(int pg) {
        return prev != null && pg <= prev.pageCount() && !changed.test(pg);
    }

    private byte[] read(int pg) throws IOException {
        if (pg == 1 && page1 != null) {
            return page1;
        }
        byte[] b = src.page(pg);
        if (b == null || b.length != pageSize) {
            throw new IOException("Page " + pg + " was read as " + (b == null ? "nothing" : b.length + " bytes")
                    + ", not a " + pageSize + "-byte page.");
        }
        return b;
    }

    private void readHeader() throws IOException {
        if (reusable(1) && prev.kinds[1] == TABLE_LEAF) {
            header = prev.header();
        } else {
            page1 = read(1);
            header = Arrays.copyOf(page1, 100);
        }
        if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("Page 1 does not start with the SQLite header; the page source is not a plaintext"
                    + " SQLite database.");
        }
        int size = BTreePage.u16(header, 16);
        if ((size == 1 ? 65536 : size) != pageSize) {
            throw new IOException("The database header gives page size " + size + ", not " + pageSize + ".");
        }
        usable = pageSize - (header[20] & 0xff);
        if (usable < 480) {
            throw new IOException("The database header reserves " + (header[20] & 0xff) + " bytes of each "
                    + pageSize + "-byte page, leaving fewer than SQLite's minimum of 480.");
        }
        text = SqliteRecord.charset((int) BTreePage.u32(header, 56));
        if (prev != null) {
            prevSchema = new HashMap<>();
            List<PageMap.SchemaEntry> s = prev.schema();
            for (int i = 0; i < s.size(); i++) {
                prevSchema.put(prev.schemaRowids[i], s.get(i));
            }
        }
    }

    /** The lock-byte page and, with auto-vacuum, the pointer-map pages: their place follows from the sizes. */
    private void markFixedPages() {
        long lock = LOCK_BYTE_OFFSET / pageSize + 1;
        if (lock <= pageCount) {
            kinds[(int) lock] = LOCK_BYTE;
        }
        if (BTreePage.u32(header, 52) != 0) {
            long step = usable / 5 + 1;
            for (long pg = 2; pg <= pageCount; pg += step) {
                long p = pg == lock ? pg + 1 : pg;
                if (p <= pageCount) {
                    kinds[(int) p] = PTRMAP;
                }
            }
        }
    }

    private void walkTree(int t, int root) throws IOException {
        walkTree(t, root, false);
    }

    /** Walks b-tree {@code t} from {@code root}; incrementally, {@code prune} keeps unchanged subtrees as they were. */
    private void walkTree(int t, int root, boolean prune) throws IOException {
        String name = describeTree(t);
        int family = t == 0 ? TABLES : 0;
        int[] stack = new int[64];
        int[] from = new int[64];
        int depth = 0;
        stack[depth] = root;
        from[depth++] = 0;
        while (depth > 0) {
            int pg = stack[--depth];
            int parent = from[depth];
            if (incremental) {
                if (enter(pg, parent, t, name, prune, family)) {
                    if (family == 0) {
                        family = prev.kinds[pg] == TABLE_INTERIOR || prev.kinds[pg] == TABLE_LEAF ? TABLES : INDEXES;
                    }
                    continue;
                }
            } else {
                claim(pg, name);
            }
            trees[pg] = t;
            parents[pg] = parent;
            if (reuseLeaf(pg, t, family)) {
                family = prev.kinds[pg] == TABLE_LEAF ? TABLES : INDEXES;
                continue;
            }
            byte[] b = read(pg);
            BTreePage p = BTreePage.parse(b, pg, usable, pageCount, name);
            int f = BTreePage.isTable(p.type) ? TABLES : INDEXES;
            if (family == 0) {
                family = f;
            } else if (family != f) {
                throw BTreePage.damaged(pg, name, "it is " + (f == TABLES ? "a table" : "an index")
                        + " page in " + (family == TABLES ? "a table" : "an index") + " b-tree");
            }
            kinds[pg] = switch (p.type) {
                case BTreePage.TABLE_INTERIOR -> TABLE_INTERIOR;
                case BTreePage.TABLE_LEAF -> TABLE_LEAF;
                case BTreePage.INDEX_INTERIOR -> INDEX_INTERIOR;
                default -> INDEX_LEAF;
            };
            if (!BTreePage.isLeaf(p.type)) {
                if (depth + p.cells + 1 > stack.length) {
                    stack = Arrays.copyOf(stack, Math.max(stack.length * 2, depth + p.cells + 1));
                    from = Arrays.copyOf(from, stack.length);
                }
                stack[depth] = p.right;
                from[depth++] = pg;
                for (int i = p.cells - 1; i >= 0; i--) {
                    stack[depth] = p.left[i];
                    from[depth++] = pg;
                }
            }
            if (p.type == BTreePage.TABLE_LEAF) {
                rowids[pg] = p.rowid;
                cellHashes[pg] = cellHashes(b, p);
            }
            if (p.type == BTreePage.TABLE_INTERIOR) {
                continue;
            }
            long[] ch = new long[0];
            int n = 0;
            for (int i = 0; i < p.cells; i++) {
                if (p.overflow[i] != 0) {
                    long count = BTreePage.overflowPages(p.payloadSize[i], p.local[i], usable);
                    if (count > pageCount) {
                        throw BTreePage.damaged(pg, name, "cell " + i + " claims a payload of "
                                + p.payloadSize[i] + " bytes, more than the database holds");
                    }
                    if (n + 3 > ch.length) {
                        ch = Arrays.copyOf(ch, Math.max(6, ch.length * 2));
                    }
                    ch[n++] = i;
                    ch[n++] = p.overflow[i];
                    ch[n++] = count;
                }
            }
            if (n > 0) {
                chains[pg] = Arrays.copyOf(ch, n);
                walkChains(pg, t, name);
            }
            if (t == 0 && p.type == BTreePage.TABLE_LEAF) {
                for (int i = 0; i < p.cells; i++) {
                    byte[] payload = PageMap.payload(b, p, i, usable, pageCount, q -> schemaPages.get((int) q), pg,
                            name);
                    schema.put(p.rowid[i], schemaEntry(SqliteRecord.decode(payload, text,
                            "Row " + p.rowid[i] + " of sqlite_master (page " + pg + ")"), p.rowid[i], pg));
                }
            }
        }
    }

    private MessageDigest digest;

    /** The {@link PageMap#cellHashes} of table leaf {@code p} (page bytes {@code b}). */
    private long[] cellHashes(byte[] b, BTreePage p) {
        if (digest == null) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        long[] out = new long[p.cells];
        byte[] n = new byte[12];
        for (int i = 0; i < p.cells; i++) {
            ByteBuffer.wrap(n).putLong(p.payloadSize[i]).putInt(p.overflow[i]);
            digest.update(n);
            digest.update(b, p.payloadStart[i], p.local[i]);
            out[i] = ByteBuffer.wrap(digest.digest()).getLong();
        }
        return out;
    }

    /** Takes an unchanged leaf from the previous map, with its overflow chains; false when it must be read. */
    private boolean reuseLeaf(int pg, int t, int family) throws IOException {
        if (!reusable(pg)) {
            return false;
        }
        byte k = prev.kinds[pg];
        boolean leaf = (k == TABLE_LEAF && family != INDEXES) || (k == INDEX_LEAF && family != TABLES);
        if (!leaf || (t == 0) != (prev.trees[pg] == 0)) {
            return false;
        }
        kinds[pg] = k;
        long[][] rows = prev.rowsAt(pg);
        rowids[pg] = rows[0];
        cellHashes[pg] = rows[1];
        if (rowAt != null) {
            rowAt[pg] = 0;
        }
        chains[pg] = prev.chains[pg];
        if (chains[pg] != null) {
            walkChains(pg, t, describeTree(t));
        }
        if (t == 0) {
            for (long r : rowids[pg]) {
                PageMap.SchemaEntry e = prevSchema.get(r);
                if (e == null) {
                    throw new IOException("The previous map lacks schema row " + r + " of page " + pg
                            + "; map this database with full().");
                }
                schema.put(r, e);
            }
        }
        return true;
    }

    private void walkChains(int pg, int t, String name) throws IOException {
        long[] ch = chains[pg];
        for (int j = 0; j < ch.length; j += 3) {
            long owner = rowids[pg] != null ? rowids[pg][(int) ch[j]] : Long.MIN_VALUE;
            walkChain(pg, (int) ch[j + 1], ch[j + 2], t, name, owner);
        }
    }

    private void walkChain(int from, int head, long count, int t, String name, long owner) throws IOException {
        if (head < 1 || head > pageCount) {
            throw BTreePage.damaged(from, name, "an overflow chain starts at page " + head + " of a " + pageCount
                    + "-page database");
        }
        int pg = head;
        int parent = from;
        for (long i = 0; i < count; i++) {
            if (incremental) {
                enterOther(pg, parent, OVERFLOW, name);
            } else if (kinds[pg] != UNUSED) {
                throw BTreePage.damaged(pg, name, "it is reached again as an overflow page from page " + from
                        + " (a cycle, or a page " + owner(pg) + ")");
            }
            kinds[pg] = OVERFLOW;
            trees[pg] = t;
            overflowRowid[pg] = owner;
            parents[pg] = parent;
            boolean last = i == count - 1;
            long nx = 0;
            boolean known = reusable(pg) && prev.kinds[pg] == OVERFLOW;
            if (t == 0) {
                byte[] b = known && prev.schemaPages.containsKey(pg) ? prev.schemaPages.get(pg) : read(pg);
                schemaPages.put(pg, b);
                nx = BTreePage.u32(b, 0);
            } else if (!last) {
                nx = known && prev.next[pg] != 0 ? Integer.toUnsignedLong(prev.next[pg]) : BTreePage.u32(read(pg), 0);
            }
            if (!last) {
                if (nx < 1 || nx > pageCount) {
                    throw BTreePage.damaged(pg, name, "its overflow chain continues at page " + nx + " of a "
                            + pageCount + "-page database");
                }
                next[pg] = (int) nx;
                parent = pg;
                pg = (int) nx;
            }
        }
    }

    private void walkFreelist() throws IOException {
        long trunk = BTreePage.u32(header, 32);
        long expected = BTreePage.u32(header, 36);
        long seen = 0;
        int previousTrunk = 0;
        while (trunk != 0) {
            if (trunk > pageCount) {
                throw new IOException("The freelist continues at trunk page " + trunk + " of a " + pageCount
                        + "-page database.");
            }
            int pg = (int) trunk;
            if (incremental) {
                enterOther(pg, previousTrunk, FREE_TRUNK, "freelist");
            } else if (kinds[pg] != UNUSED) {
                throw BTreePage.damaged(pg, "freelist", "it is reached as a freelist trunk but is a page "
                        + owner(pg));
            }
            kinds[pg] = FREE_TRUNK;
            parents[pg] = previousTrunk;
            byte[] b = read(pg);
            long n = BTreePage.u32(b, 4);
            if (n > (usable - 8) / 4) {
                throw BTreePage.damaged(pg, "freelist", "the trunk lists " + n + " leaves");
            }
            for (int j = 0; j < n; j++) {
                long leaf = BTreePage.u32(b, 8 + 4 * j);
                if (leaf < 1 || leaf > pageCount) {
                    throw BTreePage.damaged(pg, "freelist", "it lists leaf page " + leaf + " of a " + pageCount
                            + "-page database");
                }
                if (incremental) {
                    enterOther((int) leaf, pg, FREE_LEAF, "freelist");
                } else if (kinds[(int) leaf] != UNUSED) {
                    throw BTreePage.damaged(pg, "freelist", "it lists page " + leaf + " as free, but that is a page "
                            + owner((int) leaf));
                }
                kinds[(int) leaf] = FREE_LEAF;
                parents[(int) leaf] = pg;
            }
            seen += 1 + n;
            previousTrunk = pg;
            trunk = BTreePage.u32(b, 0);
        }
        if (seen != expected) {
            throw new IOException("The freelist holds " + seen + " pages but the database header counts "
                    + expected + ".");
        }
    }

    /**
     * Incremental walk: the freelist, walked again when it changed (its first trunk or count, or a trunk page); its
     * pages before are then vacated. Unchanged, its pages keep their entries.
     */
    private void walkFreelistAgain() throws IOException {
        byte[] was = prev.header();
        boolean same = BTreePage.u32(was, 32) == BTreePage.u32(header, 32)
                && BTreePage.u32(was, 36) == BTreePage.u32(header, 36);
        BitSet free = new BitSet();
        long trunk = BTreePage.u32(was, 32);
        while (trunk != 0) {
            if (trunk > prev.pageCount() || free.get((int) trunk)) {
                throw new IOException("The previous freelist continues at page " + trunk + ".");
            }
            int pg = (int) trunk;
            same &= !changed.test(pg);
            byte[] b = changed.test(pg) ? before.page(pg) : read(pg);
            if (b == null || b.length != pageSize) {
                throw new IOException("Trunk page " + pg + " of the previous freelist could not be read.");
            }
            free.set(pg);
            long n = BTreePage.u32(b, 4);
            if (n > (usable - 8) / 4) {
                throw new IOException("Trunk page " + pg + " of the previous freelist lists " + n + " leaves.");
            }
            for (int j = 0; j < n; j++) {
                long leaf = BTreePage.u32(b, 8 + 4 * j);
                if (leaf < 1 || leaf > prev.pageCount()) {
                    throw new IOException("The previous freelist lists page " + leaf + ".");
                }
                free.set((int) leaf);
            }
            trunk = BTreePage.u32(b, 0);
        }
        if (same) {
            reached.or(free);
            return;
        }
        vacated.or(free);
        walkFreelist();
    }

    private void claim(int pg, String name) throws IOException {
        if (pg < 1 || pg > pageCount) {
            throw new IOException("The " + name + " b-tree starts at page " + pg + " of a " + pageCount
                    + "-page database.");
        }
        if (kinds[pg] != UNUSED) {
            throw BTreePage.damaged(pg, name, "it is reached again as a b-tree page (a cycle, or a page "
                    + owner(pg) + ")");
        }
    }

    private String owner(int pg) {
        String k = PageMap.Kind.values()[kinds[pg]].name().toLowerCase(java.util.Locale.ROOT);
        return "already mapped as " + k + (trees[pg] >= 0 ? " of " + describeTree(trees[pg]) : "");
    }

    private String describeTree(int t) {
        return t == 0 ? "sqlite_master" : treeNames.get(t);
    }

    private PageMap.SchemaEntry schemaEntry(Object[] v, long rowid, int pg) throws IOException {
        if (v.length < 5) {
            throw BTreePage.damaged(pg, "sqlite_master", "row " + rowid + " has " + v.length + " columns, not 5");
        }
        long root = v[3] instanceof Long l ? l : 0;
        return new PageMap.SchemaEntry(str(v[0]), str(v[1]), str(v[2]), root, str(v[4]));
    }

    private static String str(Object o) {
        return o == null ? null : o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : o.toString();
    }
}
