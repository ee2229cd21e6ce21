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

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
    }
}
