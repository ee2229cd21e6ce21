package org.chatarchive.model.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
        FileHashes h = shared("all", file, () -> {
            if (Files.size(file) < SPLIT_AT) {
                return of(file, relative);
            }
            // SHA-256 (shared with sha256OfSource) on a second thread while this one does MD5, the slower of the
            // two, which cannot be split: about as long as MD5 alone. Each reads the file (the second read comes
            // from the page cache).
            CompletableFuture<String> sha = sha256OfSourceInBackground(file);
            MessageDigest md5 = md5Digest();
            long size = digest(file, md5);
            String sha256 = join(sha);
            if (size != Files.size(file)) {
                throw new IOException(file.getFileName() + " changed size while it was being hashed");
            }
            return new FileHashes(relative, size, sha256, HexFormat.of().formatHex(md5.digest()));
        });
        return new FileHashes(relative, h.size(), h.sha256(), h.md5());
    }

    /**
     * The SHA-256 of a source file, shared as {@link #ofSource} is: a reader that only needs the SHA-256 does not wait
     * for the MD5, which takes twice as long.
     */
    public static String sha256OfSource(Path file) throws IOException {
        return shared("sha256", file, () -> {
            MessageDigest sha = ArchiveLayout.sha256();
            digest(file, sha);
            return HexFormat.of().formatHex(sha.digest());
        });
    }

    /**
     * {@link #sha256OfSource} on a daemon thread of its own; the future fails with what that call throws.
     */
    public static CompletableFuture<String> sha256OfSourceInBackground(Path file) {
        CompletableFuture<String> sha = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                sha.complete(sha256OfSource(file));
            } catch (IOException | RuntimeException e) {
                sha.completeExceptionally(e);
            }
        }, "sha256-" + file.getFileName());
        t.setDaemon(true);
        t.start();
        return sha;
    }

    /** Files this large are hashed by two threads at once (SHA-256 beside MD5). */
    private static final long SPLIT_AT = 64L << 20;

    /** What is being or was hashed, by kind and file stamp; a handful of files per run. */
    private static final Map<String, CompletableFuture<Object>> SOURCES =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Object>> e) {
                    return size() > 32;
                }
            };

    private interface Hashing<T> {
        T run() throws IOException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T shared(String kind, Path file, Hashing<T> hashing) throws IOException {
        String stamp = stamp(file);
        if (stamp == null) {
            return hashing.run();
        }
        String key = kind + "\0" + stamp;
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> other;
        synchronized (SOURCES) {
            other = SOURCES.putIfAbsent(key, mine);
        }
        if (other != null) {
            try {
                return (T) other.join();
            } catch (CompletionException e) {
                // the other reader failed: read it here, and report whatever this read finds
                return hashing.run();
            }
        }
        try {
            T result = hashing.run();
            mine.complete(result);
            if (!stamp.equals(stamp(file))) {
                forget(key);
            }
            return result;
        } catch (IOException | RuntimeException e) {
            forget(key);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static void forget(String key) {
        synchronized (SOURCES) {
            SOURCES.remove(key);
        }
    }

    private static String stamp(Path file) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev");
            return file.toRealPath() + "\0" + a.get("size") + " " + a.get("lastModifiedTime") + " " + a.get("ctime")
                    + " " + a.get("ino") + " " + a.get("dev");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String join(CompletableFuture<String> f) throws IOException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** Feeds the whole of {@code file} to {@code d}; returns the bytes read. */
    private static long digest(Path file, MessageDigest d) throws IOException {
        long size = 0;
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            for (int n; (n = ch.read(buf)) >= 0; ) {
                size += n;
                buf.flip();
                d.update(buf);
                buf.clear();
            }
        }
        return size;
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    }
}
