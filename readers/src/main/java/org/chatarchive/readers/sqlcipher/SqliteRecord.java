package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Decodes SQLite records (a header of serial types, then the values) into Java values. */
final class SqliteRecord {

    private SqliteRecord() {
    }

    /** The text encoding named at header offset 56: 1 (or 0, an empty database) UTF-8, 2 UTF-16le, 3 UTF-16be. */
    static Charset charset(int encoding) throws IOException {
        return switch (encoding) {
            case 0, 1 -> StandardCharsets.UTF_8;
            case 2 -> StandardCharsets.UTF_16LE;
            case 3 -> StandardCharsets.UTF_16BE;
            default -> throw new IOException("The database header names text encoding " + encoding
                    + ", which SQLite does not define.");
        };
    }

    /**
     * The values of record {@code p}: Long, Double, String, byte[] or null, in column order. {@code where} names
     * the record in error messages.
     */
    static Object[] decode(byte[] p, Charset text, String where) throws IOException {
        int[] pos = {0};
        long headerSize = varint(p, pos, p.length, where);
        if (headerSize < pos[0] || headerSize > p.length) {
            throw new IOException(where + " has a record header of " + headerSize + " bytes in a " + p.length
                    + "-byte record.");
        }
        int hdrEnd = (int) headerSize;
        long[] types = new long[8];
        int n = 0;
        while (pos[0] < hdrEnd) {
            if (n == types.length) {
                types = Arrays.copyOf(types, n * 2);
            }
            types[n++] = varint(p, pos, hdrEnd, where);
        }
        Object[] values = new Object[n];
        int at = hdrEnd;
        for (int i = 0; i < n; i++) {
            long t = types[i];
            int len = (int) Math.min(Integer.MAX_VALUE, size(t, where));
            if (at + (long) len > p.length) {
                throw new IOException(where + ": column " + i + " runs past the end of its record.");
            }
            values[i] = value(p, at, len, t, text);
            at += len;
        }
        return values;
    }

    private static long size(long t, String where) throws IOException {
        if (t >= 12) {
            return (t - 12) / 2;
        }
        return switch ((int) t) {
            case 0, 8, 9 -> 0;
            case 1 -> 1;
            case 2 -> 2;
            case 3 -> 3;
            case 4 -> 4;
            case 5 -> 6;
            case 6, 7 -> 8;
            default -> throw new IOException(where + " uses reserved serial type " + t + ".");
        };
    }

    private static Object value(byte[] p, int at, int len, long t, Charset text) {
        if (t == 0) {
            return null;
        }
        if (t == 8) {
            return 0L;
        }
        if (t == 9) {
            return 1L;
        }
        if (t <= 7) {
            long v = p[at]; // sign-extended first byte
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (p[at + i] & 0xff);
            }
            if (t == 7) {
                return Double.longBitsToDouble(v);
            }
            return v;
        }
        if ((t & 1) == 0) {
            return Arrays.copyOfRange(p, at, at + len);
        }
        return new String(p, at, len, text);
    }

    private static long varint(byte[] b, int[] pos, int limit, String where) throws IOException {
        long v = BTreePage.varint(b, pos, limit);
        if (pos[0] < 0) {
            throw new IOException(where + " has a record header that runs past its end.");
        }
        return v;
    }
}
