package org.chatarchive.readers.sqlcipher;

import java.io.IOException;

/**
 * The cells of one b-tree page, checked against the page bounds: child page numbers, rowids, payload sizes and
 * where each payload starts, how much of it is on the page and which overflow page holds the rest.
 */
final class BTreePage {

    static final int INDEX_INTERIOR = 2;
    static final int TABLE_INTERIOR = 5;
    static final int INDEX_LEAF = 10;
    static final int TABLE_LEAF = 13;

    final int type;
    final int cells;
    /** Left child of each cell (interior pages), else null. */
    final int[] left;
    /** Right-most child (interior pages), else 0. */
    final int right;
    /** Rowid of each cell (table pages), else null. */
    final long[] rowid;
    /** Payload size, start of the payload on the page, bytes of it on the page, first overflow page (0 when none). */
    final long[] payloadSize;
    final int[] payloadStart;
    final int[] local;
    final int[] overflow;

    private BTreePage(int type, int cells, int[] left, int right, long[] rowid, long[] payloadSize,
            int[] payloadStart, int[] local, int[] overflow) {
        this.type = type;
        this.cells = cells;
        this.left = left;
        this.right = right;
        this.rowid = rowid;
        this.payloadSize = payloadSize;
        this.payloadStart = payloadStart;
        this.local = local;
        this.overflow = overflow;
    }

    static boolean isTable(int type) {
        return type == TABLE_INTERIOR || type == TABLE_LEAF;
    }

    static boolean isLeaf(int type) {
        return type == TABLE_LEAF || type == INDEX_LEAF;
    }

    /**
     * Parses page {@code pgno} ({@code b}, usable size {@code usable}). Child and overflow page numbers are
     * checked to lie in {@code [1, pageCount]}. Throws an IOException that names the page and {@code tree}.
     */
    static BTreePage parse(byte[] b, long pgno, int usable, long pageCount, String tree) throws IOException {
        int off = pgno == 1 ? 100 : 0;
        int type = b[off] & 0xff;
        if (type != INDEX_INTERIOR && type != TABLE_INTERIOR && type != INDEX_LEAF && type != TABLE_LEAF) {
            throw damaged(pgno, tree, "its page type byte is " + type + ", not a b-tree page type");
        }
        boolean interior = !isLeaf(type);
        int cells = u16(b, off + 3);
        int ptrs = off + (interior ? 12 : 8);
        if (ptrs + 2L * cells > usable) {
            throw damaged(pgno, tree, "its " + cells + " cell pointers do not fit in the page");
        }
        int right = 0;
        if (interior) {
            right = child(u32(b, off + 8), pgno, pageCount, tree);
        }
        int[] left = interior ? new int[cells] : null;
        long[] rowid = isTable(type) ? new long[cells] : null;
        boolean payload = type != TABLE_INTERIOR;
        long[] payloadSize = payload ? new long[cells] : null;
        int[] payloadStart = payload ? new int[cells] : null;
        int[] local = payload ? new int[cells] : null;
        int[] overflow = payload ? new int[cells] : null;
        int[] pos = new int[1];
        for (int i = 0; i < cells; i++) {
            int p = u16(b, ptrs + 2 * i);
            if (p < ptrs + 2 * cells || p >= usable) {
                throw damaged(pgno, tree, "cell " + i + " points to offset " + p + ", outside the cell area");
            }
            pos[0] = p;
            if (interior) {
                if (p + 4 > usable) {
                    throw damaged(pgno, tree, "cell " + i + " runs past the end of the page");
                }
                left[i] = child(u32(b, p), pgno, pageCount, tree);
                pos[0] = p + 4;
            }
            if (type == TABLE_INTERIOR) {
                rowid[i] = varint(b, pos, usable, pgno, tree);
                continue;
            }
            long size = varint(b, pos, usable, pgno, tree);
            if (size < 0) {
                throw damaged(pgno, tree, "cell " + i + " has a negative payload size");
            }
            if (type == TABLE_LEAF) {
                rowid[i] = varint(b, pos, usable, pgno, tree);
            }
            int loc = localSize(size, usable, type == TABLE_LEAF);
            int start = pos[0];
            boolean spills = loc < size;
            if ((long) start + loc + (spills ? 4 : 0) > usable) {
                throw damaged(pgno, tree, "the payload of cell " + i + " runs past the end of the page");
            }
            payloadSize[i] = size;
            payloadStart[i] = start;
            local[i] = loc;
            if (spills) {
                long first = u32(b, start + loc);
                if (first < 1 || first > pageCount) {
                    throw damaged(pgno, tree, "cell " + i + " names overflow page " + first + " of a "
                            + pageCount + "-page database");
                }
                overflow[i] = (int) first;
            }
        }
        return new BTreePage(type, cells, left, right, rowid, payloadSize, payloadStart, local, overflow);
    }

    /** Bytes of a payload of {@code size} bytes kept on a table leaf ({@code tableLeaf}) or index page. */
    static int localSize(long size, int usable, boolean tableLeaf) {
        int max = tableLeaf ? usable - 35 : ((usable - 12) * 64 / 255) - 23;
        int min = ((usable - 12) * 32 / 255) - 23;
        if (size <= max) {
            return (int) size;
        }
        long k = min + ((size - min) % (usable - 4));
        return (int) (k <= max ? k : min);
    }

    /** Overflow pages holding the part of a payload of {@code size} bytes that is not on its b-tree page. */
    static long overflowPages(long size, int local, int usable) {
        long rest = size - local;
        return rest <= 0 ? 0 : rest / (usable - 4) + (rest % (usable - 4) == 0 ? 0 : 1);
    }

    static IOException damaged(long pgno, String tree, String what) {
        return new IOException("Page " + pgno + (tree == null ? "" : " (" + tree + ")") + " is damaged: " + what + ".");
    }

    private static int child(long c, long pgno, long pageCount, String tree) throws IOException {
        if (c < 1 || c > pageCount) {
            throw damaged(pgno, tree, "it names child page " + c + " of a " + pageCount + "-page database");
        }
        return (int) c;
    }

    /** SQLite varint at {@code pos[0]}, not read past {@code limit}; advances {@code pos[0]}. */
    static long varint(byte[] b, int[] pos, int limit, long pgno, String tree) throws IOException {
        long v = varint(b, pos, limit);
        if (pos[0] < 0) {
            throw damaged(pgno, tree, "a varint runs past the end of its cell");
        }
        return v;
    }

    /**
     * SQLite varint at {@code pos[0]}, not read past {@code limit}; advances {@code pos[0]}, or sets it to -1 when
     * the varint would run past {@code limit} (the caller says what that means).
     */
    static long varint(byte[] b, int[] pos, int limit) {
        int p = pos[0];
        long v = 0;
        for (int i = 0; i < 9; i++) {
            if (p >= limit) {
                pos[0] = -1;
                return 0;
            }
            int x = b[p++] & 0xff;
            if (i == 8) {
                v = (v << 8) | x;
                break;
            }
            v = (v << 7) | (x & 0x7f);
            if ((x & 0x80) == 0) {
                break;
            }
        }
        pos[0] = p;
        return v;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff);
    }
}
