package org.chatarchive.readers.signal.backup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key chain of Signal backups (all HKDF-SHA256): recovery key ("account entropy pool", AEP) → backup key →
 * backup id and message backup key (HMAC key ‖ AES key); and the local metadata key that unlocks the backup id
 * stored in a local snapshot's {@code metadata}. Key material is never logged or written.
 */
public final class BackupKeys {

    static final byte[] INFO_BACKUP_KEY = ascii("20240801_SIGNAL_BACKUP_KEY");
    static final byte[] INFO_BACKUP_ID = ascii("20241024_SIGNAL_BACKUP_ID:");
    static final byte[] INFO_MESSAGE_KEY = ascii("20241007_SIGNAL_BACKUP_ENCRYPT_MESSAGE_BACKUP:");
    static final byte[] INFO_MESSAGE_KEY_FORWARD_SECRECY = ascii("20250708_SIGNAL_BACKUP_ENCRYPT_MESSAGE_BACKUP:");
    static final byte[] INFO_LOCAL_METADATA = ascii("20241011_SIGNAL_LOCAL_BACKUP_METADATA_KEY");

    /** The two keys of an encrypted backup stream. */
    public record MessageBackupKey(byte[] hmacKey, byte[] aesKey) {
    }

    private BackupKeys() {
    }

    /**
     * Reads a recovery key as typed or pasted: 64 letters and digits, in any case, with any spaces or dashes of the
     * display form, and with the display form's {@code #} for {@code o} and {@code =} for {@code 0}.
     *
     * @throws IllegalArgumentException when 64 characters of {@code [0-9a-z]} do not remain
     */
    public static String parseRecoveryKey(String typed) {
        if (typed == null) {
            throw new IllegalArgumentException("No recovery key was given.");
        }
        StringBuilder sb = new StringBuilder(64);
        for (char c : typed.toCharArray()) {
            char d = c == '#' ? 'o' : c == '=' ? '0' : Character.toLowerCase(c);
            if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z')) {
                sb.append(d);
            } else if (!(Character.isWhitespace(c) || c == '-')) {
                throw new IllegalArgumentException("The recovery key may hold only letters and digits (with spaces or"
                        + " dashes between groups); found '" + c + "'.");
            }
        }
        if (sb.length() != 64) {
            throw new IllegalArgumentException("A recovery key has 64 letters and digits; this one has "
                    + sb.length() + ".");
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** The 32-byte backup key of a parsed recovery key. */
    public static byte[] backupKey(String recoveryKey) {
        return Hkdf.derive(null, recoveryKey.getBytes(StandardCharsets.US_ASCII), INFO_BACKUP_KEY, 32);
    }

    /** The 16-byte backup id of an account, from its backup key and ACI. */
    public static byte[] backupId(byte[] backupKey, UUID aci) {
        return Hkdf.derive(null, backupKey, concat(INFO_BACKUP_ID, uuidBytes(aci)), 16);
    }

    /** The keys of a backup made without a forward-secrecy token (local backups, and remote ones before 2025). */
    public static MessageBackupKey messageBackupKey(byte[] backupKey, byte[] backupId) {
        return split(Hkdf.derive(null, backupKey, concat(INFO_MESSAGE_KEY, backupId), 64));
    }

    /** The keys of a remote backup salted with a 32-byte forward-secrecy token. */
    public static MessageBackupKey messageBackupKey(byte[] backupKey, byte[] backupId, byte[] forwardSecrecyToken) {
        return split(Hkdf.derive(forwardSecrecyToken, backupKey, concat(INFO_MESSAGE_KEY_FORWARD_SECRECY, backupId),
                64));
    }

    /** The key that encrypts the backup id in a local snapshot's {@code metadata}. */
    public static byte[] localMetadataKey(byte[] backupKey) {
        return Hkdf.derive(null, backupKey, INFO_LOCAL_METADATA, 32);
    }

    /**
     * Decrypts the backup id stored in a local snapshot's {@code metadata}: AES-256-CTR with a 12-byte iv
     * (Android: nonce ‖ 32-bit counter from 0) or a 16-byte iv (Desktop: the whole initial counter block).
     */
    public static byte[] decryptBackupId(byte[] metadataKey, byte[] iv, byte[] encryptedId) {
        if (iv.length != 12 && iv.length != 16) {
            throw new IllegalArgumentException("the backup id's iv has " + iv.length + " bytes, not 12 or 16");
        }
        byte[] counter = Arrays.copyOf(iv, 16);
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(metadataKey, "AES"),
                    new javax.crypto.spec.IvParameterSpec(counter));
            return c.doFinal(encryptedId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] uuidBytes(UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
    }

    private static MessageBackupKey split(byte[] k) {
        return new MessageBackupKey(Arrays.copyOfRange(k, 0, 32), Arrays.copyOfRange(k, 32, 64));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** HKDF-SHA256 (RFC 5869) on the JDK's HMAC. */
    static final class Hkdf {
        private Hkdf() {
        }

        static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
                byte[] prk = mac.doFinal(ikm);
                mac.init(new SecretKeySpec(prk, "HmacSHA256"));
                byte[] out = new byte[length];
                byte[] t = new byte[0];
                int done = 0;
                for (int i = 1; done < length; i++) {
                    mac.update(t);
                    mac.update(info);
                    mac.update((byte) i);
                    t = mac.doFinal();
                    int n = Math.min(t.length, length - done);
                    System.arraycopy(t, 0, out, done, n);
                    done += n;
                }
                return out;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
