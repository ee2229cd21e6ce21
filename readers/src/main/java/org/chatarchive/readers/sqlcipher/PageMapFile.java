package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The binary form of a {@link PageMap}: a magic string, then varints (rowids as zigzag deltas), then a CRC-32 of
 * everything before it. Fields are written in a fixed order, so equal maps give equal bytes. A delta form holds the
 * sizes, header and schema and the entries of some pages only, to be read over another map ({@link #readDelta}).
 */
final class PageMapFile {

    private static final byte[] MAGIC = "chat-archive page map 2\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELTA_MAGIC = "chat-archive page map delta 1\n".getBytes(StandardCharsets.US_ASCII);
    /** 2: each page's entry ends with its parent ({@link PageMap#parents}); 1 (still read) had none. */
    private static final int VERSION = 2;
    private static final int KINDS = PageMap.Kind.values().length;

    private PageMapFile() {
    }

    static void write(PageMap m, OutputStream out) throws IOException {
        write(m, out, VERSION);
    }

    /** {@link #write} in format {@code version}: 1 leaves the parents out (as earlier versions wrote it). */
    static void write(PageMap m, OutputStream out, int version) throws IOException {
        if (version != 1) {
            requireParents(m);
        }
        Out o = new Out();
        o.bytes(MAGIC);
        writeHead(o, m, version);
        for (int pg = 1; pg <= m.pageCount(); pg++) {
            writePage(o, m, pg, version);
        }
        finish(o, out);
    }

    /**
     * Writes {@code m} as a delta of another map ({@link #readDelta}): its sizes, header and schema whole, and the
     * entries of the pages in {@code pages} alone. Every page where {@code m} differs from the map the delta is
     * applied to must be among them, and so must every page past that map's last.
     */
    static void writeDelta(PageMap m, BitSet pages, OutputStream out) throws IOException {
        requireParents(m);
        Out o = new Out();
        o.bytes(DELTA_MAGIC);
        writeHead(o, m, VERSION);
        o.varint(pages.get(1, (int) m.pageCount() + 1).cardinality());
        int last = 0;
        for (int pg = pages.nextSetBit(1); pg >= 0 && pg <= m.pageCount(); pg = pages.nextSetBit(pg + 1)) {
            o.varint(pg - last);
            last = pg;
            writePage(o, m, pg, VERSION);
        }
        finish(o, out);
    }

    /** Only maps with parents are written: one without would be read back as having parents it lacks. */
    private static void requireParents(PageMap m) {
        if (m.parents == null) {
            throw new IllegalStateException("A page map read from the first format is not written again; map the"
                    + " database anew (update) first.");
        }
    }

    private static void finish(Out o, OutputStream out) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(o.buf(), 0, o.size());
        long c = crc.getValue();
        o.bytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        out.write(o.buf(), 0, o.size());
    }

    private static void writeHead(Out o, PageMap m, int version) {
        o.varint(version);
        o.varint(m.pageSize());
        o.varint(m.pageCount());
        o.bytes(m.header());
        o.varint(m.treeNames.size());
        for (int t = 0; t < m.treeNames.size(); t++) {
            o.string(m.treeNames.get(t));
            o.string(m.treeTables.get(t));
        }
        List<PageMap.SchemaEntry> schema = m.schema();
        o.varint(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            PageMap.SchemaEntry e = schema.get(i);
            o.signed(m.schemaRowids[i]);
            o.string(e.type());
            o.string(e.name());
            o.string(e.tableName());
            o.varint(e.rootPage());
            o.string(e.sql());
        }
        o.varint(m.schemaPages.size());
        for (Map.Entry<Integer, byte[]> e : m.schemaPages.entrySet()) {
            o.varint(e.getKey());
            o.bytes(e.getValue());
        }
    }

    /** One page's entry: everything the map says of it (what is not written is the default). */
    private static void writePage(Out o, PageMap m, int pg, int version) {
        int kind = m.kinds[pg];
        o.varint(kind);
        o.varint(m.trees[pg] + 1L);
        if (kind == PageMap.Kind.TABLE_LEAF.ordinal()) {
            long[][] rows = m.rowsAt(pg);
            long[] r = rows[0];
            o.varint(r.length);
            long last = 0;
            for (long x : r) {
                o.signed(x - last);
                last = x;
            }
            o.fixed64s(rows[1]);
        }
        long[] ch = m.chains[pg];
        if (kind >= PageMap.Kind.TABLE_INTERIOR.ordinal() && kind <= PageMap.Kind.INDEX_LEAF.ordinal()) {
            o.varint(ch == null ? 0 : ch.length / 3);
            if (ch != null) {
                for (long x : ch) {
                    o.varint(x);
                }
            }
        }
        if (kind == PageMap.Kind.OVERFLOW.ordinal()) {
            o.varint(Integer.toUnsignedLong(m.next[pg]));
            long r = m.overflowRowid[pg];
            o.varint(r == Long.MIN_VALUE ? 0 : 1);
            if (r != Long.MIN_VALUE) {
                o.signed(r);
            }
        }
        if (version >= 2) {
            o.varint(Integer.toUnsignedLong(m.parents[pg]));
        }
    }

    static PageMap read(InputStream input) throws IOException {
        return read(input.readAllBytes());
    }

    /** The map in {@code all}, which it keeps (its leaves' rows are read from there when asked for): not to change. */
    static PageMap read(byte[] all) throws IOException {
        In in = open(all, MAGIC, "page map");
        Head h = readHead(in);
        if (h.pageCount > in.end - in.pos) {
            throw new IOException("The page map is damaged: it claims " + h.pageCount + " pages.");
        }
        Pages p = new Pages(h.pageCount, h.version >= 2);
        p.rowBytes = all; // each leaf's rowids and digests are read from here when asked for
        for (int pg = 1; pg <= h.pageCount; pg++) {
            readPage(in, p, pg, h, true);
        }
        if (in.pos != in.end) {
            throw new IOException("The page map is damaged: " + (in.end - in.pos) + " bytes follow its last page.");
        }
        return p.map(h);
    }

    /** A map read from a delta ({@link #writeDelta}) and the pages the delta holds. */
    record Delta(PageMap map, BitSet pages) {
    }

    /**
     * The map a delta ({@link #writeDelta}) describes when applied to {@code base}: the base's entries for the
     * pages the delta does not hold. An IOException when the bytes are damaged, not a delta, of another page
     * size, or do not cover the pages past the base's last.
     */
    static Delta readDelta(PageMap base, InputStream input) throws IOException {
        byte[] all = input.readAllBytes();
        In in = open(all, DELTA_MAGIC, "page map delta");
        Head h = readHead(in);
        if (h.pageSize != base.pageSize()) {
            throw new IOException("The page map delta is of " + h.pageSize + "-byte pages, its base of "
                    + base.pageSize() + "-byte pages.");
        }
        boolean withParents = h.version >= 2;
        if (withParents != (base.parents != null)) {
            throw new IOException("The page map delta is of format version " + h.version + ", its base of the "
                    + (withParents ? "first" : "second") + "; a delta is written over a map of its own version.");
        }
        Pages p = new Pages(h.pageCount, withParents);
        int common = (int) Math.min(base.pageCount(), h.pageCount);
        System.arraycopy(base.kinds, 1, p.kinds, 1, common);
        System.arraycopy(base.trees, 1, p.trees, 1, common);
        System.arraycopy(base.rowids, 1, p.rowids, 1, common);
        System.arraycopy(base.cellHashes, 1, p.cellHashes, 1, common);
        if (base.rowAt != null) {
            p.rowBytes = base.rowBytes; // the delta's own pages are read whole (readPage: not from these bytes)
            p.rowAt = new int[h.pageCount + 1];
            System.arraycopy(base.rowAt, 1, p.rowAt, 1, common);
        }
        System.arraycopy(base.chains, 1, p.chains, 1, common);
        System.arraycopy(base.next, 1, p.next, 1, common);
        System.arraycopy(base.overflowRowid, 1, p.overflowRowid, 1, common);
        if (withParents) {
            System.arraycopy(base.parents, 1, p.parents, 1, common);
        }
        int n = in.intVarint(h.pageCount);
        BitSet pages = new BitSet(h.pageCount + 1);
        int pg = 0;
        for (int i = 0; i < n; i++) {
            pg += in.intVarint(h.pageCount);
            if (pg < 1 || pg > h.pageCount || pages.get(pg)) {
                throw new IOException("The page map delta is damaged: page " + pg + " is out of order.");
            }
            pages.set(pg);
            p.clear(pg);
            readPage(in, p, pg, h, false);
        }
        if (in.pos != in.end) {
            throw new IOException("The page map delta is damaged: " + (in.end - in.pos) + " bytes follow its last"
                    + " page.");
        }
        if (h.pageCount > common && pages.nextClearBit(common + 1) <= h.pageCount) {
            throw new IOException("The page map delta does not hold page " + pages.nextClearBit(common + 1)
                    + ", past the last of its base.");
        }
        return new Delta(p.map(h), pages);
    }

    private static In open(byte[] all, byte[] magic, String what) throws IOException {
        if (all.length < magic.length + 4 || !Arrays.equals(all, 0, magic.length, magic, 0, magic.length)) {
            throw new IOException("Not a " + what + ": it does not start with the " + what + " signature.");
        }
        int end = all.length - 4;
        CRC32 crc = new CRC32();
        crc.update(all, 0, end);
        if (crc.getValue() != BTreePage.u32(all, end)) {
            throw new IOException("The " + what + " is damaged or truncated (its checksum does not match).");
        }
        return new In(all, magic.length, end);
    }

    /** What a map file holds before its pages. */
    private record Head(int version, int pageSize, int pageCount, byte[] header, List<String> names, List<String> tables,
                        List<PageMap.SchemaEntry> schema, long[] schemaRowids, TreeMap<Integer, byte[]> schemaPages) {
        int trees() {
            return names.size();
        }
    }

    private static Head readHead(In in) throws IOException {
        long version = in.varint();
        if (version < 1 || version > VERSION) {
            throw new IOException("The page map is of format version " + version + "; this version reads 1 to "
                    + VERSION + ".");
        }
        int end = in.end;
        int pageSize = in.intVarint(65536);
        int pageCount = in.intVarint(Integer.MAX_VALUE - 1);
        byte[] header = in.bytes(100);
        int nTrees = in.intVarint(end);
        List<String> names = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (int t = 0; t < nTrees; t++) {
            names.add(in.string());
            tables.add(in.string());
        }
        int nSchema = in.intVarint(end);
        List<PageMap.SchemaEntry> schema = new ArrayList<>();
        long[] schemaRowids = new long[nSchema];
        for (int i = 0; i < nSchema; i++) {
            schemaRowids[i] = in.signed();
            schema.add(new PageMap.SchemaEntry(in.string(), in.string(), in.string(), in.varint(), in.string()));
        }
        int nPages = in.intVarint(end);
        TreeMap<Integer, byte[]> schemaPages = new TreeMap<>();
        for (int i = 0; i < nPages; i++) {
            schemaPages.put(in.intVarint(pageCount), in.bytes(pageSize));
        }
        return new Head((int) version, pageSize, pageCount, header, names, tables, schema, schemaRowids, schemaPages);
    }

    /** The per-page arrays of a map being read. */
    private static final class Pages {
        final byte[] kinds;
        final int[] trees;
        final long[][] rowids;
        final long[][] cellHashes;
        final long[][] chains;
        final int[] next;
        final long[] overflowRowid;
        final int[] parents;
        byte[] rowBytes;
        int[] rowAt;

        Pages(int pageCount, boolean withParents) {
            int n = pageCount + 1;
            kinds = new byte[n];
            trees = new int[n];
            rowids = new long[n][];
            cellHashes = new long[n][];
            chains = new long[n][];
            next = new int[n];
            overflowRowid = new long[n];
            Arrays.fill(overflowRowid, Long.MIN_VALUE);
            parents = withParents ? new int[n] : null;
            trees[0] = -1;
        }

        /** Back to the defaults, before a page's entry is read over what the base said. */
        void clear(int pg) {
            kinds[pg] = 0;
            trees[pg] = 0;
            rowids[pg] = null;
            cellHashes[pg] = null;
            chains[pg] = null;
            next[pg] = 0;
            overflowRowid[pg] = Long.MIN_VALUE;
            if (parents != null) {
                parents[pg] = 0;
            }
            if (rowAt != null) {
                rowAt[pg] = 0;
            }
        }

        PageMap map(Head h) {
            return new PageMap(h.pageSize, h.pageCount, h.header, kinds, trees, rowids, cellHashes, rowBytes, rowAt,
                    chains, next, overflowRowid, parents, h.names, h.tables, h.schema, h.schemaRowids, h.schemaPages);
        }
    }

    /**
     * Reads page {@code pg}'s entry; with {@code lazy}, a table leaf's rowids and digests are checked and skipped,
     * their place noted ({@link PageMap#rowAt}), and read when asked for ({@link #rows}).
     */
    private static void readPage(In in, Pages p, int pg, Head head, boolean lazy) throws IOException {
        int nTrees = head.trees();
        int end = in.end;
        int kind = in.intVarint(KINDS - 1);
        p.kinds[pg] = (byte) kind;
        p.trees[pg] = in.intVarint(nTrees) - 1;
        if (kind == PageMap.Kind.TABLE_LEAF.ordinal() && lazy) {
            if (p.rowAt == null) {
                p.rowAt = new int[p.kinds.length];
            }
            p.rowAt[pg] = in.pos + 1;
            int n = in.intVarint(end - in.pos);
            for (int i = 0; i < n; i++) {
                in.varint();
            }
            in.skip(8L * n, "a cell digest");
        } else if (kind == PageMap.Kind.TABLE_LEAF.ordinal()) {
            long[][] rows = readRows(in);
            p.rowids[pg] = rows[0];
            p.cellHashes[pg] = rows[1];
        }
        if (kind >= PageMap.Kind.TABLE_INTERIOR.ordinal() && kind <= PageMap.Kind.INDEX_LEAF.ordinal()) {
            int c = in.intVarint((end - in.pos) / 3);
            if (c > 0) {
                long[] ch = new long[3 * c];
                for (int i = 0; i < ch.length; i++) {
                    ch[i] = in.varint();
                }
                p.chains[pg] = ch;
            }
        }
        if (kind == PageMap.Kind.OVERFLOW.ordinal()) {
            p.next[pg] = (int) in.varint();
            if (in.intVarint(1) == 1) {
                p.overflowRowid[pg] = in.signed();
            }
        }
        if (p.parents != null) {
            p.parents[pg] = in.intVarint(head.pageCount);
        }
    }

    /**
     * The rowids and cell digests of a table leaf whose entry's rows start at {@code offset} of {@code bytes} (the
     * whole file, read and checked by {@link #read}).
     */
    static long[][] rows(byte[] bytes, int offset) {
        try {
            return readRows(new In(bytes, offset, bytes.length - 4));
        } catch (IOException e) {
            throw new IllegalStateException("a page map entry read once no longer reads", e);
        }
    }

    /** A table leaf's rowids (zigzag deltas) and cell digests, as {@link #writePage} writes them. */
    private static long[][] readRows(In in) throws IOException {
        long[] r = new long[in.intVarint(in.end - in.pos)];
        long last = 0;
        for (int i = 0; i < r.length; i++) {
            last += in.signed();
            r[i] = last;
        }
        long[] h = new long[r.length];
        in.fixed64s(h);
        return new long[][] {r, h};
    }

    /** A growing byte buffer (unsynchronized, unlike ByteArrayOutputStream) with LEB128 varints. */
    private static final class Out {
        private byte[] buf = new byte[1 << 16];
        private int count;

        byte[] buf() {
            return buf;
        }

        int size() {
            return count;
        }

        private void room(int n) {
            if (count + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
            }
        }

        void write(int b) {
            room(1);
            buf[count++] = (byte) b;
        }

        void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void varint(long v) {
            room(10);
            while ((v & ~0x7fL) != 0) {
                buf[count++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[count++] = (byte) v;
        }

        void signed(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        /** Each value as 8 bytes, most significant first, copied in bulk. */
        void fixed64s(long[] v) {
            room(8 * v.length);
            ByteBuffer.wrap(buf, count, 8 * v.length).asLongBuffer().put(v);
            count += 8 * v.length;
        }

        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1L);
            bytes(b);
        }
    }

    private static final class In {
        private final byte[] b;
        final int end;
        int pos;

        In(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IOException("The page map is damaged: it ends inside a number.");
                }
                int x = b[pos++] & 0xff;
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("The page map is damaged: a number is too long.");
        }

        int intVarint(long max) throws IOException {
            long v = varint();
            if (v < 0 || v > max) {
                throw new IOException("The page map is damaged: " + v + " is out of range here.");
            }
            return (int) v;
        }

        long signed() throws IOException {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        /** Fills {@code out} with values written by {@link Out#fixed64s}. */
        void fixed64s(long[] out) throws IOException {
            if ((end - pos) / 8 < out.length) {
                throw new IOException("The page map is damaged: it ends inside a cell digest.");
            }
            ByteBuffer.wrap(b, pos, 8 * out.length).asLongBuffer().get(out);
            pos += 8 * out.length;
        }

        void skip(long n, String what) throws IOException {
            if (n > end - pos) {
                throw new IOException("The page map is damaged: it ends inside " + what + ".");
            }
            pos += (int) n;
        }

        byte[] bytes(int n) throws IOException {
            if (n > end - pos) {
                throw new IOException("The page map is damaged: it ends early.");
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        String string() throws IOException {
            int n = intVarint(end - pos + 1L);
            return n == 0 ? null : new String(bytes(n - 1), StandardCharsets.UTF_8);
        }
    }
}
