package org.chatarchive.readers.signal.desktop;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.chatarchive.model.source.UnreadableAttachmentException;

/**
 * Signal Desktop's encryption of files at rest ("version 2"): {@code IV ‖ AES-256-CBC(plaintext ‖ zero padding)
 * ‖ HMAC-SHA256(macKey, IV ‖ ciphertext)} with a 64-byte local key split into an AES key and a MAC key.
 *
 * <p>The MAC is checked over the whole file before any plaintext is produced; the plaintext is then streamed,
 * cut to the recorded size, and checked against the recorded SHA-256 at its end. Nothing is buffered beyond a
 * block, and nothing is written anywhere but to the caller.
 */
public final class AttachmentCipher {

    static final int IV_LENGTH = 16;
    static final int MAC_LENGTH = 32;
    static final int KEY_LENGTH = 64;

    private AttachmentCipher() {
    }

    /** The file's bytes could not be authenticated or decrypted, or did not match the recorded hash. */
    public static final class IntegrityException extends UnreadableAttachmentException {
        public IntegrityException(String message) {
            super(message);
        }
    }

    /**
     * Signal's padded size for {@code size} plaintext bytes: {@code max(541, floor(1.05^ceil(log_1.05(size))))}.
     */
    public static long logPadSize(long size) {
        if (size <= 0) {
            return 541;
        }
        return Math.max(541, (long) Math.floor(Math.pow(1.05, Math.ceil(Math.log(size) / Math.log(1.05)))));
    }

    /** The length of the encrypted file Signal writes for {@code size} plaintext bytes. */
    public static long encryptedLength(long size) {
        long padded = Math.max(size, logPadSize(size));
        return IV_LENGTH + (padded / 16 + 1) * 16 + MAC_LENGTH;
    }

    /**
     * Opens {@code file} and returns its plaintext as a stream, after checking the MAC over the whole file.
     *
     * @param localKey      the 64-byte local key (AES key then MAC key); not kept
     * @param size          the plaintext size; the stream ends there
     * @param plaintextHash lower-case hex SHA-256 of the plaintext, or null to skip the check; a mismatch makes
     *                      the stream's last read throw {@link IntegrityException}
     * @throws IntegrityException when the file is too short or the MAC does not match
     */
    public static InputStream open(Path file, byte[] localKey, long size, String plaintextHash) throws IOException {
        if (localKey == null || localKey.length != KEY_LENGTH) {
            throw new IntegrityException("the file's key is not 64 bytes");
        }
        if (size < 0) {
            throw new IntegrityException("the file's recorded size is negative");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long length = ch.size();
            long cipherLength = length - IV_LENGTH - MAC_LENGTH;
            if (cipherLength < 16 || cipherLength % 16 != 0) {
                throw new IntegrityException("the file is " + length + " bytes, not an encrypted attachment");
            }
            SecretKeySpec aes = new SecretKeySpec(localKey, 0, 32, "AES");
            SecretKeySpec macKey = new SecretKeySpec(localKey, 32, 32, "HmacSHA256");
            byte[] iv = new byte[IV_LENGTH];
            byte[] expectedMac = new byte[MAC_LENGTH];
            readFully(ch, iv, 0);
            readFully(ch, expectedMac, length - MAC_LENGTH);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            mac.update(iv);
            InputStream body = bounded(Channels.newInputStream(ch.position(IV_LENGTH)), cipherLength);
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = body.read(buf)) > 0; ) {
                mac.update(buf, 0, n);
            }
            if (!MessageDigest.isEqual(mac.doFinal(), expectedMac)) {
                throw new IntegrityException("the file's MAC does not match its key (damaged or replaced file)");
            }
            if (size > cipherLength) {
                throw new IntegrityException("the recorded size " + size + " is larger than the file holds");
            }
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, aes, new IvParameterSpec(iv));
            InputStream plain = new Decrypting(bounded(Channels.newInputStream(ch.position(IV_LENGTH)),
                    cipherLength), cipher);
            return new Checked(plain, ch, size, plaintextHash);
        } catch (GeneralSecurityException e) {
            ch.close();
            throw new IntegrityException("the file could not be decrypted (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void readFully(FileChannel ch, byte[] into, long at) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(into);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IntegrityException("the file ended early");
            }
        }
    }

    /** A stream of at most {@code limit} bytes of {@code in}, not closing it. */
    private static InputStream bounded(InputStream in, long limit) {
        return new FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public void close() {
                // the channel is closed by its owner
            }
        };
    }

    /** Decrypts in large chunks (the JDK's CipherInputStream works in 512-byte steps). */
    private static final class Decrypting extends InputStream {
        private final InputStream in;
        private final Cipher cipher;
        private final byte[] inBuf = new byte[64 * 1024];
        private byte[] out = new byte[0];
        private int pos;
        private int end;
        private boolean eof;

        Decrypting(InputStream in, Cipher cipher) {
            this.in = in;
            this.cipher = cipher;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == end) {
                if (eof) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(out, pos, b, off, n);
            pos += n;
            return n;
        }

        private void fill() throws IOException {
            int n = in.read(inBuf);
            try {
                if (n < 0) {
                    eof = true;
                    out = cipher.doFinal();
                } else {
                    out = cipher.update(inBuf, 0, n);
                    if (out == null) {
                        out = new byte[0];
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IntegrityException("the file could not be decrypted (" + e.getMessage() + ")");
            }
            pos = 0;
            end = out.length;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The plaintext cut to its recorded size, with its hash checked when the size is reached. */
    private static final class Checked extends InputStream {
        private final InputStream in;
        private final FileChannel channel;
        private final MessageDigest digest;
        private final String expectedHash;
        private long left;
        private boolean done;

        Checked(InputStream in, FileChannel channel, long size, String expectedHash) {
            this.in = in;
            this.channel = channel;
            this.left = size;
            this.expectedHash = expectedHash;
            try {
                this.digest = expectedHash == null ? null : MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0) {
                finish();
                return -1;
            }
            int n;
            try {
                n = in.read(b, off, (int) Math.min(len, left));
            } catch (IOException e) {
                // CipherInputStream reports bad padding as an IOException
                throw new IntegrityException("the file could not be decrypted (" + e.getMessage() + ")");
            }
            if (n < 0) {
                throw new IntegrityException("the file holds fewer bytes than its recorded size");
            }
            if (digest != null) {
                digest.update(b, off, n);
            }
            left -= n;
            return n;
        }

        private void finish() throws IOException {
            if (done) {
                return;
            }
            done = true;
            if (digest != null) {
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equalsIgnoreCase(expectedHash)) {
                    throw new IntegrityException("the decrypted bytes do not match the recorded SHA-256");
                }
            }
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } catch (IOException ignored) {
                // CipherInputStream may complain about the unread padding; the plaintext was already checked
            } finally {
                channel.close();
            }
        }
    }

    /** Zeroes a key copy once it is no longer needed. */
    static void wipe(byte[] key) {
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
    }
}
