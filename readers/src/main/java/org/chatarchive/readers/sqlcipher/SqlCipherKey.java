package org.chatarchive.readers.sqlcipher;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A SQLCipher key: either a raw 32-byte key (SQLCipher's {@code x'...'} form, which Signal uses: the bytes are the
 * AES key) or a passphrase (stretched with PBKDF2 and the file's salt). Immutable; {@link #toString()} never shows
 * key material.
 */
public final class SqlCipherKey {

    private static final Pattern BLOB_LITERAL = Pattern.compile("[xX]'([0-9a-fA-F]{64})'");
    private static final Pattern BARE_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final byte[] raw;
    private final byte[] passphrase;

    private SqlCipherKey(byte[] raw, byte[] passphrase) {
        this.raw = raw;
        this.passphrase = passphrase;
    }

    /** The raw-key mode Signal uses: {@code key32} is the AES-256 key itself. */
    public static SqlCipherKey raw(byte[] key32) {
        Objects.requireNonNull(key32, "key32");
        if (key32.length != 32) {
            throw new IllegalArgumentException("a raw SQLCipher key has 32 bytes, not " + key32.length);
        }
        return new SqlCipherKey(key32.clone(), null);
    }

    /** Passphrase mode: the key is PBKDF2 of the passphrase's UTF-8 bytes with the file's salt. */
    public static SqlCipherKey passphrase(char[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new IllegalArgumentException("the passphrase is empty");
        }
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(secret));
            byte[] bytes = new byte[bb.remaining()];
            bb.get(bytes);
            if (bb.hasArray()) {
                Arrays.fill(bb.array(), (byte) 0);
            }
            return new SqlCipherKey(null, bytes);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the passphrase is not valid Unicode text");
        }
    }

    /** {@code x'<64 hex>'} or 64 bare hex characters give a raw key; anything else is a passphrase. */
    public static SqlCipherKey parse(String s) {
        Objects.requireNonNull(s, "s");
        String t = s.strip();
        var m = BLOB_LITERAL.matcher(t);
        if (m.matches()) {
            return new SqlCipherKey(hex(m.group(1)), null);
        }
        if (BARE_HEX.matcher(t).matches()) {
            return new SqlCipherKey(hex(t), null);
        }
        return passphrase(s.toCharArray());
    }

    /** Whether this is a raw key (no PBKDF2). */
    public boolean isRaw() {
        return raw != null;
    }

    /** The 32-byte AES key for a file with this salt; the caller zeroes it after use. */
    byte[] encryptionKey(byte[] salt, CipherFormat format) {
        if (raw != null) {
            return raw.clone();
        }
        return Pbkdf2.derive(format.kdfAlgorithm(), passphrase, salt, format.kdfIterations(), 32);
    }

    private static byte[] hex(String h) {
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((Character.digit(h.charAt(2 * i), 16) << 4) | Character.digit(h.charAt(2 * i + 1), 16));
        }
        return out;
    }

    @Override
    public String toString() {
        return raw != null ? "SqlCipherKey[raw, 32 bytes]" : "SqlCipherKey[passphrase]";
    }
}
