package org.chatarchive.readers.sqlcipher;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.chatarchive.model.source.SourceException;

/**
 * The committed content of a write-ahead log, found the way SQLite recovers a WAL: frames are read while their
 * salts match the header and the running checksum matches; everything up to the last commit frame counts.
 * Only headers are read here; page images are read (and verified) when they are used.
 */
final class WalIndex {

    static final int HEADER_SIZE = 32;
    static final int FRAME_HEADER_SIZE = 24;
    private static final int MAGIC_LE = 0x377f0682;
    private static final int MAGIC_BE = 0x377f0683;
    private static final int VERSION = 3007000;
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final int pageSize;
    private final Map<Long, Integer> frameOfPage;
    private final int committedFrames;
    private final long dbSizePages;

    private WalIndex(Path path, int pageSize, Map<Long, Integer> frameOfPage, int committedFrames, long dbSizePages) {
        this.path = path;
        this.pageSize = pageSize;
        this.frameOfPage = frameOfPage;
        this.committedFrames = committedFrames;
        this.dbSizePages = dbSizePages;
    }

    /**
     * Reads the WAL at {@code wal}, if present and non-empty. Returns null when there is nothing to apply; adds a
     * warning for an unusable header or for frames after the last commit.
     */
    static WalIndex read(Path wal, int pageSize, List<String> warnings) throws SourceException {
        String name = String.valueOf(wal.getFileName());
        try {
            if (!Files.isRegularFile(wal) || Files.size(wal) == 0) {
                return null;
            }
            long size = Files.size(wal);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(wal), 1 << 20)) {
                byte[] hdr = in.readNBytes(HEADER_SIZE);
                if (hdr.length < HEADER_SIZE) {
                    warnings.add(name + " is shorter than a WAL header and was ignored.");
                    return null;
                }
                int magic = (int) INT_BE.get(hdr, 0);
                if (magic != MAGIC_LE && magic != MAGIC_BE) {
                    warnings.add(name + " does not start with a WAL header and was ignored.");
                    return null;
                }
                boolean bigEndian = magic == MAGIC_BE;
                int[] sum = new int[2];
                checksum(hdr, 0, 24, bigEndian, sum);
                if ((int) INT_BE.get(hdr, 4) != VERSION
                        || sum[0] != (int) INT_BE.get(hdr, 24) || sum[1] != (int) INT_BE.get(hdr, 28)) {
                    warnings.add(name + " has a damaged header and was ignored, as SQLite would.");
                    return null;
                }
                int walPageSize = (int) INT_BE.get(hdr, 8);
                if (walPageSize != pageSize) {
                    throw new SourceException(SourceException.Kind.CORRUPT, name + " uses page size " + walPageSize
                            + " but its database uses " + pageSize + "; copy the database and its -wal again together.");
                }
                int salt1 = (int) INT_BE.get(hdr, 16);
                int salt2 = (int) INT_BE.get(hdr, 20);
                int frameSize = FRAME_HEADER_SIZE + pageSize;
                long slots = (size - HEADER_SIZE) / frameSize;
                byte[] frame = new byte[frameSize];
                Map<Long, Integer> pending = new HashMap<>();
                Map<Long, Integer> committed = new HashMap<>();
                int lastCommit = -1;
                long dbSize = 0;
                for (int i = 0; i < slots; i++) {
                    if (in.readNBytes(frame, 0, frameSize) < frameSize) {
                        break;
                    }
                    long pgno = Integer.toUnsignedLong((int) INT_BE.get(frame, 0));
                    int commit = (int) INT_BE.get(frame, 4);
                    if (pgno == 0 || (int) INT_BE.get(frame, 8) != salt1 || (int) INT_BE.get(frame, 12) != salt2) {
                        break;
                    }
                    checksum(frame, 0, 8, bigEndian, sum);
                    checksum(frame, FRAME_HEADER_SIZE, pageSize, bigEndian, sum);
                    if (sum[0] != (int) INT_BE.get(frame, 16) || sum[1] != (int) INT_BE.get(frame, 20)) {
                        break;
                    }
                    pending.put(pgno, i);
                    if (commit != 0) {
                        committed.putAll(pending);
                        pending.clear();
                        lastCommit = i;
                        dbSize = Integer.toUnsignedLong(commit);
                    }
                }
                long ignored = slots - (lastCommit + 1);
                long partial = (size - HEADER_SIZE) % frameSize;
                if (ignored > 0 || partial > 0) {
                    warnings.add("Ignored " + ignored + " WAL frame(s)" + (partial > 0 ? " and " + partial
                            + " trailing byte(s)" : "") + " after the last commit in " + name
                            + " (an unfinished transaction, or leftovers from an earlier checkpoint).");
                }
                if (lastCommit < 0) {
                    return null;
                }
                return new WalIndex(wal, pageSize, committed, lastCommit + 1, dbSize);
            }
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.IO, "Could not read " + name + " (" + e.getMessage()
                    + "); check that the file is readable.", e);
        }
    }

    /** SQLite's WAL checksum, continued from {@code sum}. {@code len} is a multiple of 8. */
    static void checksum(byte[] b, int off, int len, boolean bigEndian, int[] sum) {
        int s1 = sum[0];
        int s2 = sum[1];
        VarHandle vh = bigEndian ? INT_BE : INT_LE;
        for (int i = off, end = off + len; i < end; i += 8) {
            s1 += (int) vh.get(b, i) + s2;
            s2 += (int) vh.get(b, i + 4) + s1;
        }
        sum[0] = s1;
        sum[1] = s2;
    }

    Path path() {
        return path;
    }

    /** The frame (0-based) holding the committed image of {@code pgno}, or -1. */
    int frameOf(long pgno) {
        Integer f = frameOfPage.get(pgno);
        return f == null ? -1 : f;
    }

    /** File offset of the page image in frame {@code frame}. */
    long pageOffset(int frame) {
        return HEADER_SIZE + (long) frame * (FRAME_HEADER_SIZE + pageSize) + FRAME_HEADER_SIZE;
    }

    int committedFrames() {
        return committedFrames;
    }

    long dbSizePages() {
        return dbSizePages;
    }
}
