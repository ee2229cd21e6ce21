package org.chatarchive.model.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Size, SHA-256 (the integrity hash) and MD5 (what review platforms and load files expect) of one file, read once.
 *
 * @param path   the file's path relative to its root, {@code /}-separated
 * @param size   bytes
 * @param sha256 lower-case hex
 * @param md5    lower-case hex
 */
public record FileHashes(String path, long size, String sha256, String md5) {

    /** Hashes {@code bytes}, the content of the file {@code relative}. */
    public static FileHashes of(String relative, byte[] bytes) {
        return of(relative, bytes, HexFormat.of().formatHex(ArchiveLayout.sha256().digest(bytes)));
    }

    /** Hashes {@code bytes}, the content of the file {@code relative}, whose SHA-256 is already known. */
    public static FileHashes of(String relative, byte[] bytes, String sha256) {
        return new FileHashes(relative, bytes.length, sha256, HexFormat.of().formatHex(md5Digest().digest(bytes)));
    }

    /** Hashes {@code file} and names it {@code relative}. */
    public static FileHashes of(Path file, String relative) throws IOException {
        if (Files.size(file) >= SPLIT_AT) {
            return split(file, relative);
        }
        MessageDigest sha = ArchiveLayout.sha256();
        MessageDigest md5 = md5Digest();
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                md5.update(buf, 0, n);
                size += n;
            }
        }
        return new FileHashes(relative, size, HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest()));
    }

    /**
     * Hashes a source file, at most once per process while it stays untouched: when two parts of one run need the
     * same source file's hashes (the manifest's list of source files, and the database decoder's SHA-256 of what it
     * read), the second waits for the first instead of reading gigabytes again. A file counts as the same while its
     * path, size, modification time, status-change time and inode are; the status-change time is set by the system
     * on every write and cannot be set back by a program. Where the file system does not tell those, or the file
     * changed while it was hashed, nothing is remembered. Never use this to check files (verify re-reads them).
     */
    public static FileHashes ofSource(Path file, String relative) throws IOException {
        String before = stamp(file);
        if (before == null) {
            return of(file, relative);
        }
        java.util.concurrent.CompletableFuture<FileHashes> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<FileHashes> shared;
        synchronized (SOURCES) {
            shared = SOURCES.putIfAbsent(before, mine);
        }
        if (shared != null) {
            try {
                FileHashes h = shared.join();
                return new FileHashes(relative, h.size(), h.sha256(), h.md5());
            } catch (java.util.concurrent.CompletionException e) {
                // the other reader failed; read it here, and report whatever this read finds
            }
        }
        try {
            FileHashes h = of(file, relative);
            mine.complete(h);
            if (!before.equals(stamp(file))) {
                forget(before);
            }
            return h;
        } catch (IOException | RuntimeException e) {
            forget(before);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** Files this large are hashed by two threads at once (SHA-256 beside MD5), each reading the file. */
    private static final long SPLIT_AT = 64L << 20;

    /** Source file stamp → its hashes; a handful of files per run. */
    private static final java.util.Map<String, java.util.concurrent.CompletableFuture<FileHashes>> SOURCES =
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, java.util.concurrent.CompletableFuture<FileHashes>> e) {
                    return size() > 32;
                }
            };

    private static void forget(String stamp) {
        synchronized (SOURCES) {
            SOURCES.remove(stamp);
        }
    }

    private static String stamp(Path file) throws IOException {
        try {
            java.util.Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev");
            return file.toRealPath() + "\0" + a.get("size") + " " + a.get("lastModifiedTime") + " " + a.get("ctime")
                    + " " + a.get("ino") + " " + a.get("dev");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * SHA-256 and MD5 of a large file on two threads: this one reads the file once and updates MD5 (the slower of the
     * two, which cannot be split), a second updates SHA-256 from the same buffers, so the file takes about as long
     * as MD5 alone and is read once.
     */
    private static FileHashes split(Path file, String relative) throws IOException {
        MessageDigest sha = ArchiveLayout.sha256();
        MessageDigest md5 = md5Digest();
        java.util.concurrent.BlockingQueue<java.nio.ByteBuffer> free = new java.util.concurrent.ArrayBlockingQueue<>(4);
        java.util.concurrent.BlockingQueue<java.nio.ByteBuffer> full = new java.util.concurrent.ArrayBlockingQueue<>(4);
        for (int i = 0; i < 4; i++) {
            free.add(java.nio.ByteBuffer.allocateDirect(1 << 20));
        }
        java.nio.ByteBuffer end = java.nio.ByteBuffer.allocate(0);
        java.util.concurrent.CompletableFuture<Void> shaDone = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                for (java.nio.ByteBuffer b; (b = full.take()) != end; ) {
                    sha.update(b);
                    b.clear();
                    free.put(b);
                }
                shaDone.complete(null);
            } catch (InterruptedException | RuntimeException e) {
                shaDone.completeExceptionally(e);
            }
        }, "sha256-" + file.getFileName());
        t.setDaemon(true);
        t.start();
        long size = 0;
        boolean read = false;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            for (int n = 0; n >= 0; ) {
                java.nio.ByteBuffer b = free.take();
                while (b.hasRemaining() && (n = ch.read(b)) >= 0) {
                    size += n;
                }
                b.flip();
                md5.update(b.duplicate());
                full.put(b);
            }
            full.put(end);
            read = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing " + file.getFileName(), e);
        } finally {
            if (!read) {
                // stops the SHA-256 thread: what it has not hashed yet no longer matters
                full.clear();
                full.offer(end);
            }
        }
        shaDone.join();
        return new FileHashes(relative, size, HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest()));
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    }
}
