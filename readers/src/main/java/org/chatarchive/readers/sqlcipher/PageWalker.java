package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final List<String> treeNames = new ArrayList<>();
    private final List<String> treeTables = new ArrayList<>();
    private final TreeMap<Integer, byte[]> schemaPages = new TreeMap<>();
    private final TreeMap<Long, PageMap.SchemaEntry> schema = new TreeMap<>();

    private PageWalker(PageMap prev, PageSource src, int pageSize, long pageCount, LongPredicate changed)
            throws IOException {
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
        return new PageMap(pageSize, w.pageCount, w.header, w.kinds, w.trees, w.rowids, w.cellHashes, w.chains, w.next,
                w.overflowRowid, w.treeNames, w.treeTables, entries, schemaRowids, w.schemaPages);
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
        String name = describeTree(t);
        int family = t == 0 ? TABLES : 0;
        int[] stack = new int[64];
        int depth = 0;
        stack[depth++] = root;
        while (depth > 0) {
            int pg = stack[--depth];
            claim(pg, t, name);
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
                }
                stack[depth++] = p.right;
                for (int i = p.cells - 1; i >= 0; i--) {
                    stack[depth++] = p.left[i];
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
        rowids[pg] = prev.rowids[pg];
        cellHashes[pg] = prev.cellHashes[pg];
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
        for (long i = 0; i < count; i++) {
            if (kinds[pg] != UNUSED) {
                throw BTreePage.damaged(pg, name, "it is reached again as an overflow page from page " + from
                        + " (a cycle, or a page " + owner(pg) + ")");
            }
            kinds[pg] = OVERFLOW;
            trees[pg] = t;
            overflowRowid[pg] = owner;
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
                pg = (int) nx;
            }
        }
    }

    private void walkFreelist() throws IOException {
        long trunk = BTreePage.u32(header, 32);
        long expected = BTreePage.u32(header, 36);
        long seen = 0;
        while (trunk != 0) {
            if (trunk > pageCount) {
                throw new IOException("The freelist continues at trunk page " + trunk + " of a " + pageCount
                        + "-page database.");
            }
            int pg = (int) trunk;
            if (kinds[pg] != UNUSED) {
                throw BTreePage.damaged(pg, "freelist", "it is reached as a freelist trunk but is a page "
                        + owner(pg));
            }
            kinds[pg] = FREE_TRUNK;
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
                if (kinds[(int) leaf] != UNUSED) {
                    throw BTreePage.damaged(pg, "freelist", "it lists page " + leaf + " as free, but that is a page "
                            + owner((int) leaf));
                }
                kinds[(int) leaf] = FREE_LEAF;
            }
            seen += 1 + n;
            trunk = BTreePage.u32(b, 0);
        }
        if (seen != expected) {
            throw new IOException("The freelist holds " + seen + " pages but the database header counts "
                    + expected + ".");
        }
    }

    private void claim(int pg, int t, String name) throws IOException {
        if (pg < 1 || pg > pageCount) {
            throw new IOException("The " + name + " b-tree starts at page " + pg + " of a " + pageCount
                    + "-page database.");
        }
        if (kinds[pg] != UNUSED) {
            throw BTreePage.damaged(pg, name, "it is reached again as a b-tree page (a cycle, or a page "
                    + owner(pg) + ")");
        }
        trees[pg] = t;
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
