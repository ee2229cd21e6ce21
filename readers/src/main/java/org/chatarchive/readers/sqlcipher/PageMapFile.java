package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The binary form of a {@link PageMap}: a magic string, then varints (rowids as zigzag deltas), then a CRC-32 of
 * everything before it. Fields are written in a fixed order, so equal maps give equal bytes.
 */
final class PageMapFile {

    private static final byte[] MAGIC = "chat-archive page map 2\n".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int KINDS = PageMap.Kind.values().length;

    private PageMapFile() {
    }

    static void write(PageMap m, OutputStream out) throws IOException {
        Out o = new Out();
        o.bytes(MAGIC);
        o.varint(VERSION);
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
        for (int pg = 1; pg <= m.pageCount(); pg++) {
            int kind = m.kinds[pg];
            o.varint(kind);
            o.varint(m.trees[pg] + 1L);
            if (kind == PageMap.Kind.TABLE_LEAF.ordinal()) {
                long[] r = m.rowids[pg];
                o.varint(r.length);
                long last = 0;
                for (long x : r) {
                    o.signed(x - last);
                    last = x;
                }
                o.fixed64s(m.cellHashes[pg]);
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
        }
        CRC32 crc = new CRC32();
        crc.update(o.buf(), 0, o.size());
        long c = crc.getValue();
        o.bytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        out.write(o.buf(), 0, o.size());
    }

    static PageMap read(InputStream input) throws IOException {
        byte[] all = input.readAllBytes();
        if (all.length < MAGIC.length + 4 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("Not a page map: it does not start with the page map signature.");
        }
        int end = all.length - 4;
        CRC32 crc = new CRC32();
        crc.update(all, 0, end);
        if (crc.getValue() != BTreePage.u32(all, end)) {
            throw new IOException("The page map is damaged or truncated (its checksum does not match).");
        }
        In in = new In(all, MAGIC.length, end);
        long version = in.varint();
        if (version != VERSION) {
            throw new IOException("The page map is of format version " + version + "; this version reads "
                    + VERSION + ".");
        }
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
        if (pageCount > end - in.pos) {
            throw new IOException("The page map is damaged: it claims " + pageCount + " pages.");
        }
        int n = pageCount + 1;
        byte[] kinds = new byte[n];
        int[] trees = new int[n];
        long[][] rowids = new long[n][];
        long[][] cellHashes = new long[n][];
        long[][] chains = new long[n][];
        int[] next = new int[n];
        long[] overflowRowid = new long[n];
        Arrays.fill(overflowRowid, Long.MIN_VALUE);
        trees[0] = -1;
        for (int pg = 1; pg <= pageCount; pg++) {
            int kind = in.intVarint(KINDS - 1);
            kinds[pg] = (byte) kind;
            trees[pg] = in.intVarint(nTrees) - 1;
            if (kind == PageMap.Kind.TABLE_LEAF.ordinal()) {
                long[] r = new long[in.intVarint(end - in.pos)];
                long last = 0;
                for (int i = 0; i < r.length; i++) {
                    last += in.signed();
                    r[i] = last;
                }
                rowids[pg] = r;
                long[] h = new long[r.length];
                in.fixed64s(h);
                cellHashes[pg] = h;
            }
            if (kind >= PageMap.Kind.TABLE_INTERIOR.ordinal() && kind <= PageMap.Kind.INDEX_LEAF.ordinal()) {
                int c = in.intVarint((end - in.pos) / 3);
                if (c > 0) {
                    long[] ch = new long[3 * c];
                    for (int i = 0; i < ch.length; i++) {
                        ch[i] = in.varint();
                    }
                    chains[pg] = ch;
                }
            }
            if (kind == PageMap.Kind.OVERFLOW.ordinal()) {
                next[pg] = (int) in.varint();
                if (in.intVarint(1) == 1) {
                    overflowRowid[pg] = in.signed();
                }
            }
        }
        if (in.pos != end) {
            throw new IOException("The page map is damaged: " + (end - in.pos) + " bytes follow its last page.");
        }
        return new PageMap(pageSize, pageCount, header, kinds, trees, rowids, cellHashes, chains, next, overflowRowid, names,
                tables, schema, schemaRowids, schemaPages);
    }

    /** A byte buffer with SQLite-independent LEB128 varints. */
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
        private final int end;
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
