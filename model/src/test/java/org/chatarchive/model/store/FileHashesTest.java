package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHashesTest {

    @TempDir
    Path dir;

    @Test
    void aLargeFileHashedOnTwoThreadsGivesTheSameDigestsAsOnePass() throws Exception {
        // Past the size where SHA-256 and MD5 run on two threads, and not a multiple of the 1 MiB buffer.
        Path f = dir.resolve("large.bin");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        long size = (64L << 20) + 12_345;
        Random r = new Random(7);
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = size; left > 0; ) {
                r.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
                md5.update(block, 0, n);
                left -= n;
            }
        }
        FileHashes h = FileHashes.ofSource(f, "large.bin");
        assertEquals(size, h.size());
        String sha256 = HexFormat.of().formatHex(sha.digest());
        assertEquals(sha256, h.sha256());
        assertEquals(HexFormat.of().formatHex(md5.digest()), h.md5());
        assertEquals(sha256, FileHashes.sha256OfSource(f));
        assertEquals(h, FileHashes.of(f, "large.bin"));
    }

    @Test
    void aSmallFileGivesTheKnownDigests() throws IOException {
        Path f = dir.resolve("abc.txt");
        Files.writeString(f, "abc");
        FileHashes h = FileHashes.of(f, "abc.txt");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", h.sha256());
        assertEquals("900150983cd24fb0d6963f7d28e17f72", h.md5());
        assertEquals(3, h.size());
    }

    @Test
    void aSourceFileIsHashedAgainOnceItIsWritten() throws Exception {
        Path f = dir.resolve("db.sqlite");
        Files.writeString(f, "first");
        FileHashes a = FileHashes.ofSource(f, "sql/db.sqlite");
        FileHashes again = FileHashes.ofSource(f, "other/name");
        assertEquals(a.sha256(), again.sha256());
        assertEquals("other/name", again.path(), "the remembered hashes take the caller's name");
        // Same size, written again: the status-change time moves, so the remembered hashes no longer apply.
        Thread.sleep(5);
        Files.writeString(f, "secnd");
        FileHashes b = FileHashes.ofSource(f, "sql/db.sqlite");
        assertNotEquals(a.sha256(), b.sha256());
        assertEquals(b.sha256(), FileHashes.sha256OfSource(f));
        assertEquals(FileHashes.of(f, "sql/db.sqlite"), b);
    }
}
