package org.chatarchive.readers.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.chatarchive.readers.keys.SafeStorageException.Reason;

/**
 * Decrypts Electron {@code safeStorage} blobs, the way Chromium's {@code os_crypt} does, into the 64-character
 * hex database key that Signal Desktop wraps in {@code config.json}'s {@code encryptedKey}.
 *
 * <ul>
 *   <li>Linux {@code v10}: AES-128-CBC, key = PBKDF2-HMAC-SHA1("peanuts", "saltysalt", 1, 16).</li>
 *   <li>Linux {@code v11}: the same with the keyring secret as password.</li>
 *   <li>macOS {@code v10}: the same with the Keychain secret and 1003 iterations.</li>
 *   <li>Windows {@code v10}: nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16), 32-byte key from DPAPI.</li>
 * </ul>
 * CBC uses an IV of 16 spaces and PKCS#7. When CBC decryption fails, Chromium retries with the key derived
 * from the empty password (crbug 40055416); so does this class. Pure functions: nothing here touches a keyring.
 */
public final class SafeStorage {

    /** Length of a wrapped 64-character key on Linux and macOS: prefix + 80 bytes of CBC. */
    public static final int CBC_KEY_BLOB_LENGTH = 3 + 80;
    /** Length of a wrapped 64-character key on Windows: prefix + nonce + 64 + tag. */
    public static final int GCM_KEY_BLOB_LENGTH = 3 + 12 + 64 + 16;

    static final byte[] SALT = "saltysalt".getBytes(StandardCharsets.US_ASCII);
    static final byte[] IV = "                ".getBytes(StandardCharsets.US_ASCII);
    static final int LINUX_ITERATIONS = 1;
    static final int MACOS_ITERATIONS = 1003;
    static final String LINUX_V10_PASSWORD = "peanuts";

    private SafeStorage() {
    }

    /** The blob's version prefix ("v10", "v11"), or null when it does not start with "v" and two digits. */
    public static String prefix(byte[] blob) {
        if (blob.length < 3 || blob[0] != 'v' || !Character.isDigit(blob[1]) || !Character.isDigit(blob[2])) {
            return null;
        }
        return new String(blob, 0, 3, StandardCharsets.US_ASCII);
    }

    /** True when the blob has the shape of a Windows AES-GCM blob rather than a Linux/macOS CBC one. */
    public static boolean looksLikeWindows(byte[] blob) {
        return "v10".equals(prefix(blob)) && (blob.length - 3) % 16 != 0 && blob.length >= 3 + 12 + 16;
    }

    /**
     * Checks prefix and length before any secret is asked for, so a damaged config.json is reported as such and
     * no keyring prompt is shown for nothing.
     */
    public static void checkShape(byte[] blob) throws SafeStorageException {
        String p = prefix(blob);
        if (p == null) {
            throw new SafeStorageException(Reason.UNSUPPORTED, "it does not start with a safeStorage version"
                    + " prefix (v10 or v11), so it is not an Electron safeStorage blob this reader knows");
        }
        if (!p.equals("v10") && !p.equals("v11")) {
            throw new SafeStorageException(Reason.UNSUPPORTED, "it uses safeStorage format " + p
                    + ", which this reader does not support (only v10 and v11)");
        }
        if (looksLikeWindows(blob)) {
            return;
        }
        if (blob.length <= 3 || (blob.length - 3) % 16 != 0) {
            throw new SafeStorageException(Reason.MALFORMED, "it is " + blob.length + " bytes long, which is"
                    + " neither " + CBC_KEY_BLOB_LENGTH + " (Linux, macOS) nor " + GCM_KEY_BLOB_LENGTH + " (Windows)");
        }
    }

    /** Linux {@code v10} (fixed password "peanuts") or {@code v11} ({@code keyringSecret}, needed only for v11). */
    public static String decryptLinux(byte[] blob, byte[] keyringSecret) throws SafeStorageException {
        checkShape(blob);
        String p = prefix(blob);
        if (looksLikeWindows(blob)) {
            throw new SafeStorageException(Reason.MALFORMED, "it has the shape of a Windows (AES-GCM) blob, not a"
                    + " Linux one");
        }
        byte[] password;
        if (p.equals("v10")) {
            password = LINUX_V10_PASSWORD.getBytes(StandardCharsets.US_ASCII);
        } else if (keyringSecret == null) {
            throw new IllegalArgumentException("a v11 blob needs the keyring secret");
        } else {
            password = keyringSecret;
        }
        byte[] key = cbcKey(password, LINUX_ITERATIONS);
        return cbcWithEmptyRetry(blob, key);
    }

    /** macOS {@code v10} with the Keychain's "Signal Safe Storage" secret. */
    public static String decryptMac(byte[] blob, byte[] keychainSecret) throws SafeStorageException {
        checkShape(blob);
        if (!"v10".equals(prefix(blob)) || looksLikeWindows(blob)) {
            throw new SafeStorageException(Reason.MALFORMED, "it is not a macOS blob (those start with v10 and"
                    + " are " + CBC_KEY_BLOB_LENGTH + " bytes for a database key)");
        }
        return cbcWithEmptyRetry(blob, cbcKey(keychainSecret, MACOS_ITERATIONS));
    }

    /** Windows {@code v10}: {@code aesKey} is the 32-byte key DPAPI unwraps from Local State. */
    public static String decryptWindows(byte[] blob, byte[] aesKey) throws SafeStorageException {
        checkShape(blob);
        if (!looksLikeWindows(blob)) {
            throw new SafeStorageException(Reason.MALFORMED, "it is not a Windows blob (those are v10 ‖ 12-byte"
                    + " nonce ‖ AES-GCM ciphertext ‖ 16-byte tag, " + GCM_KEY_BLOB_LENGTH + " bytes for a database key)");
        }
        if (aesKey.length != 32) {
            throw new IllegalArgumentException("the Windows safeStorage key is 32 bytes, not " + aesKey.length);
        }
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, blob, 3, 12));
            plain = c.doFinal(blob, 15, blob.length - 15);
        } catch (AEADBadTagException e) {
            throw new SafeStorageException(Reason.DECRYPT_FAILED, "its AES-GCM authentication tag does not match");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
        return asKey(plain);
    }

    /** PBKDF2-HMAC-SHA1(password, "saltysalt", iterations, 16): the AES-128 key of the CBC formats. */
    public static byte[] cbcKey(byte[] password, int iterations) {
        return pbkdf2Sha1(password, SALT, iterations, 16);
    }

    /** Encrypts like Chromium's CBC formats; used by tests to build blobs with chosen keys. */
    public static byte[] encryptCbc(String prefix, byte[] aesKey, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(IV));
            byte[] ct = c.doFinal(plaintext);
            byte[] out = new byte[3 + ct.length];
            System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, out, 0, 3);
            System.arraycopy(ct, 0, out, 3, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is not available in this JVM", e);
        }
    }

    private static String cbcWithEmptyRetry(byte[] blob, byte[] key) throws SafeStorageException {
        try {
            return asKey(cbc(blob, key));
        } catch (SafeStorageException first) {
            byte[] emptyKey = cbcKey(new byte[0], LINUX_ITERATIONS);
            try {
                return asKey(cbc(blob, emptyKey));
            } catch (SafeStorageException retry) {
                throw first;
            }
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] cbc(byte[] blob, byte[] key) throws SafeStorageException {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(IV));
            return c.doFinal(blob, 3, blob.length - 3);
        } catch (BadPaddingException e) {
            throw new SafeStorageException(Reason.DECRYPT_FAILED, "its AES-CBC padding is wrong after decryption");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is not available in this JVM", e);
        }
    }

    private static String asKey(byte[] plain) throws SafeStorageException {
        try {
            if (plain.length != 64) {
                throw new SafeStorageException(Reason.NOT_A_KEY, "it decrypted to " + plain.length
                        + " bytes, not the 64 hex characters of a database key");
            }
            for (byte b : plain) {
                if (Character.digit(b, 16) < 0) {
                    throw new SafeStorageException(Reason.NOT_A_KEY, "it decrypted to something that is not"
                            + " 64 hex characters, so not a database key");
                }
            }
            return new String(plain, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** PBKDF2-HMAC-SHA1 over raw password bytes (the empty password included, for Chromium's retry). */
    static byte[] pbkdf2Sha1(byte[] password, byte[] salt, int iterations, int length) {
        return org.chatarchive.readers.sqlcipher.Pbkdf2.derive("HmacSHA1", password, salt, iterations, length);
    }

    /** Hex-decodes {@code encryptedKey}; null when it is not hex. */
    public static byte[] fromHex(String hex) {
        try {
            return HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
