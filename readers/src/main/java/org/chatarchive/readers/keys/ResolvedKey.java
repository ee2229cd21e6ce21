package org.chatarchive.readers.keys;

import java.util.Arrays;

/**
 * A database key and where it came from.
 *
 * @param key    the 32-byte SQLCipher key; the holder zeroes it when done ({@link #wipe()})
 * @param source where it came from, for the archive's source info, e.g.
 *               {@code config.json encryptedKey via gnome_libsecret (secret-tool)}; never the key
 */
public record ResolvedKey(byte[] key, String source) {

    /** Zeroes the key bytes. */
    public void wipe() {
        Arrays.fill(key, (byte) 0);
    }

    /** The key as 64 lowercase hex characters (for {@code chat-archive key}; never for logs). */
    public String hex() {
        return java.util.HexFormat.of().formatHex(key);
    }

    @Override
    public String toString() {
        return "ResolvedKey[source=" + source + "]";
    }
}
