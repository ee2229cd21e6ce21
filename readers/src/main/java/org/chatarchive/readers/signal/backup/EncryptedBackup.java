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
import java.util.zip.GZIPInputStream;

import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted backup container: {@code IV(16) ‖ AES-256-CBC(gzip(frames) ‖ zero padding) ‖ HMAC-SHA256(IV ‖
 * ciphertext)}, optionally preceded (remote backups since 2025) by {@code "SBACKUP\x01" ‖ varint ‖ metadata}, which
 * the MAC does not cover. The MAC is checked over the whole file before anything is decrypted.
 */
final class EncryptedBackup {

    static final byte[] REMOTE_MAGIC = {'S', 'B', 'A', 'C', 'K', 'U', 'P', 1};
    static final int MAC_LENGTH = 32;
    static final int IV_LENGTH = 16;

    /** The MAC did not match: a wrong key, or a damaged or incomplete file. */
    static final class BadMacException extends IOException {
        BadMacException(String message) {
            super(message);
        }
    }

    private EncryptedBackup() {
    }

    /** Whether the file starts with the header of a remote backup that needs a key held by Signal's servers. */
    static boolean hasRemoteHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(REMOTE_MAGIC.length);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // fill
            }
            return !head.hasRemaining() && Arrays.equals(head.array(), REMOTE_MAGIC);
        }
    }

    /**
     * Checks the HMAC of the whole file, in constant time.
     *
     * @throws BadMacException when it does not match, or the file is too short to hold one
     */
    static void verify(Path file, byte[] hmacKey) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < IV_LENGTH + 16 + MAC_LENGTH) {
                throw new BadMacException("it is too short (" + size + " bytes) to be an encrypted backup");
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long left = size - MAC_LENGTH;
            while (left > 0) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException("the file shrank while it was read");
                }
                buf.flip();
                mac.update(buf);
                left -= n;
            }
            ByteBuffer expected = ByteBuffer.allocate(MAC_LENGTH);
            while (expected.hasRemaining() && ch.read(expected) >= 0) {
                // fill
            }
            if (!MessageDigest.isEqual(mac.doFinal(), expected.array())) {
                throw new BadMacException("its HMAC does not match");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decrypted, decompressed frame stream of a file whose MAC was checked. */
    static InputStream open(Path file, byte[] aesKey) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer iv = ByteBuffer.allocate(IV_LENGTH);
            while (iv.hasRemaining() && ch.read(iv) >= 0) {
                // fill
            }
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv.array()));
            InputStream body = new BoundedInputStream(Channels.newInputStream(ch), size - IV_LENGTH - MAC_LENGTH);
            InputStream plain = new CipherInputStream(new BufferedInputStream(body, 1 << 16), c);
            return new BufferedInputStream(new GZIPInputStream(plain, 1 << 16), 1 << 16);
        } catch (GeneralSecurityException e) {
            ch.close();
            throw new IllegalStateException(e);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads at most {@code limit} bytes of another stream. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
