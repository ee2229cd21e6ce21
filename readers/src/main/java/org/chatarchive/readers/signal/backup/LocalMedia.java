package org.chatarchive.readers.signal.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Media of local folder backups and plaintext exports.
 *
 * <p>Names: {@code mediaName = hex(SHA-256(plaintextHash ‖ localKey))}, stored at {@code files/<first two>/<name>}
 * (plaintext exports add an extension). Bodies in a local backup: {@code IV(16) ‖ AES-256-CBC(localKey[0,32)) ‖
 * HMAC-SHA256(localKey[32,64), IV ‖ ciphertext)}, the plaintext zero-padded before encryption, so it is cut to
 * {@code LocatorInfo.size}. That body is byte for byte Signal Desktop's "version 2" at-rest attachment format: once
 * the Desktop reader's attachment cipher is merged, this class and it can share one implementation (only the key
 * source and the truncation differ).
 */
final class LocalMedia {

    private LocalMedia() {
    }

    /** The file name (no extension) of a media file, or null when the pointer lacks the hash or the local key. */
    static String mediaName(byte[] plaintextHash, byte[] localKey) {
        if (plaintextHash == null || plaintextHash.length == 0 || localKey == null || localKey.length == 0) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(plaintextHash);
            sha.update(localKey);
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks the MAC of an encrypted media file, then returns its plaintext cut to {@code size} bytes.
     *
     * @throws EncryptedBackup.BadMacException when the MAC does not match (wrong key or damaged file)
     */
    static InputStream open(Path file, byte[] localKey, long size) throws IOException {
        if (localKey.length != 64) {
            throw new IOException("the media key has " + localKey.length + " bytes, not 64");
        }
        byte[] aesKey = Arrays.copyOfRange(localKey, 0, 32);
        byte[] macKey = Arrays.copyOfRange(localKey, 32, 64);
        EncryptedBackup.verify(file, macKey);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long total = ch.size();
            ByteBuffer iv = ByteBuffer.allocate(16);
            while (iv.hasRemaining() && ch.read(iv) >= 0) {
                // fill
            }
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv.array()));
            InputStream body = new EncryptedBackup.BoundedInputStream(Channels.newInputStream(ch),
                    total - 16 - EncryptedBackup.MAC_LENGTH);
            InputStream plain = new CipherInputStream(new BufferedInputStream(body, 1 << 16), c);
            return new EncryptedBackup.BoundedInputStream(plain, size);
        } catch (GeneralSecurityException e) {
            ch.close();
            throw new IllegalStateException(e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
