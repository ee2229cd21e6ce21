package org.chatarchive.readers.sqlcipher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies and decrypts SQLCipher pages of one database. Not thread-safe: it reuses one {@link Mac} and one
 * {@link Cipher}.
 *
 * <p>Layout of an encrypted page of size P with reserve R: ciphertext {@code [o, P-R)} (o = 16 on page 1, where
 * the salt sits, else 0), IV {@code [P-R, P-R+16)}, HMAC {@code [P-R+16, P-R+16+h)} over
 * {@code page[o, P-R+16) || LE32(pgno)}.
 */
final class PageCodec {

    static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final CipherFormat format;
    private final int pageSize;
    private final int reserve;
    private final int hmacSize;
    private final Mac mac;
    private final Cipher cipher;
    private final SecretKeySpec aesKey;
    private final byte[] macOut;
    private final byte[] pgnoLe = new byte[4];

    PageCodec(CipherFormat format, byte[] encKey, byte[] hmacKey) {
        this.format = format;
        this.pageSize = format.pageSize();
        this.reserve = format.reserve();
        this.hmacSize = format.hmacSize();
        try {
            this.mac = Mac.getInstance(format.hmacAlgorithm());
            this.mac.init(new SecretKeySpec(hmacKey, format.hmacAlgorithm()));
            this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
            this.aesKey = new SecretKeySpec(encKey, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC or " + format.hmacAlgorithm() + " is not available", e);
        }
        this.macOut = new byte[mac.getMacLength()];
    }

    private PageCodec(PageCodec o) {
        this.format = o.format;
        this.pageSize = o.pageSize;
        this.reserve = o.reserve;
        this.hmacSize = o.hmacSize;
        try {
            this.mac = (Mac) o.mac.clone();
            this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
        } catch (CloneNotSupportedException | GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC or " + format.hmacAlgorithm() + " cannot be copied", e);
        }
        this.aesKey = o.aesKey;
        this.macOut = new byte[mac.getMacLength()];
    }

    /** A codec with the same keys for another thread (this one is not thread-safe). */
    PageCodec copy() {
        return new PageCodec(this);
    }

    /** Derives the keys for {@code format} from {@code key} and the file salt. */
    static PageCodec create(CipherFormat format, SqlCipherKey key, byte[] salt) {
        byte[] encKey = key.encryptionKey(salt, format);
        try {
            return create(format, encKey, salt);
        } finally {
            Arrays.fill(encKey, (byte) 0);
        }
    }

    static PageCodec create(CipherFormat format, byte[] encKey, byte[] salt) {
        byte[] hmacKey = format.hmacKey(encKey, salt);
        try {
            return new PageCodec(format, encKey, hmacKey);
        } finally {
            Arrays.fill(hmacKey, (byte) 0);
        }
    }

    CipherFormat format() {
        return format;
    }

    int pageSize() {
        return pageSize;
    }

    /** Checks the HMAC of the encrypted page {@code src[off, off+P)} in constant time. */
    boolean verify(byte[] src, int off, long pgno) {
        int o = pgno == 1 ? CipherFormat.SALT_SIZE : 0;
        int macEnd = pageSize - reserve + CipherFormat.IV_SIZE;
        mac.update(src, off + o, macEnd - o);
        int p = (int) pgno;
        pgnoLe[0] = (byte) p;
        pgnoLe[1] = (byte) (p >>> 8);
        pgnoLe[2] = (byte) (p >>> 16);
        pgnoLe[3] = (byte) (p >>> 24);
        mac.update(pgnoLe, 0, 4);
        try {
            mac.doFinal(macOut, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        int diff = 0;
        int at = off + macEnd;
        for (int i = 0; i < hmacSize; i++) {
            diff |= macOut[i] ^ src[at + i];
        }
        return diff == 0;
    }

    /**
     * Verifies the encrypted page {@code src[off, off+P)} and decrypts it into {@code dst[dstOff, dstOff+P)}:
     * page 1 gets the SQLite header back, reserve bytes are zeroed. Returns false (and writes nothing) when the
     * HMAC does not match.
     */
    boolean decrypt(byte[] src, int off, long pgno, byte[] dst, int dstOff) {
        if (!verify(src, off, pgno)) {
            return false;
        }
        int o = pgno == 1 ? CipherFormat.SALT_SIZE : 0;
        int ctEnd = pageSize - reserve;
        try {
            cipher.init(Cipher.DECRYPT_MODE, aesKey, new IvParameterSpec(src, off + ctEnd, CipherFormat.IV_SIZE));
            cipher.doFinal(src, off + o, ctEnd - o, dst, dstOff + o);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC decryption failed", e);
        }
        if (o != 0) {
            System.arraycopy(SQLITE_HEADER, 0, dst, dstOff, SQLITE_HEADER.length);
        }
        Arrays.fill(dst, dstOff + ctEnd, dstOff + pageSize, (byte) 0);
        return true;
    }
}
