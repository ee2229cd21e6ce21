package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signal Desktop's version-2 file encryption: the published test vector, padding sizes, and tampering. */
class AttachmentCipherTest {

    static final HexFormat HEX = HexFormat.of();
    static final String VECTOR_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";

    @TempDir
    Path tmp;

    /** Encrypts as Signal Desktop does (zero padding to logPadSize, then AES-CBC/PKCS7, then HMAC). */
    static byte[] encrypt(byte[] plain, byte[] key, byte[] iv) throws Exception {
        byte[] padded = new byte[(int) Math.max(plain.length, AttachmentCipher.logPadSize(plain.length))];
        System.arraycopy(plain, 0, padded, 0, plain.length);
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 32, "AES"), new IvParameterSpec(iv));
        byte[] ct = c.doFinal(padded);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, 32, 32, "HmacSHA256"));
        mac.update(iv);
        byte[] tag = mac.doFinal(ct);
        byte[] out = new byte[16 + ct.length + 32];
        System.arraycopy(iv, 0, out, 0, 16);
        System.arraycopy(ct, 0, out, 16, ct.length);
        System.arraycopy(tag, 0, out, 16 + ct.length, 32);
        return out;
    }

    static String sha256(byte[] b) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] vectorIv() {
        byte[] iv = new byte[16];
        for (int i = 0; i < 16; i++) {
            iv[i] = (byte) i;
        }
        return iv;
    }

    @Test
    void logPadSizeMatchesSignal() {
        assertEquals(541, AttachmentCipher.logPadSize(0));
        assertEquals(541, AttachmentCipher.logPadSize(1));
        assertEquals(541, AttachmentCipher.logPadSize(14));
        assertEquals(568, AttachmentCipher.logPadSize(542));
        assertEquals(1020, AttachmentCipher.logPadSize(1000));
        assertEquals(10110, AttachmentCipher.logPadSize(10000));
        assertEquals(127826, AttachmentCipher.logPadSize(123456));
        assertEquals(1093831, AttachmentCipher.logPadSize(1048576));
        assertEquals(592, AttachmentCipher.encryptedLength(14));
    }

    @Test
    void publishedVectorEncryptsAndDecrypts() throws Exception {
        byte[] key = Base64.getDecoder().decode(VECTOR_KEY);
        byte[] plain = "Hello, Signal!".getBytes(StandardCharsets.UTF_8);
        byte[] file = encrypt(plain, key, vectorIv());
        assertEquals(592, file.length);
        assertEquals("f0e4e2da6b9d2cad02d9ba8d7750acda1b0a694d491576f429e957eb77d582d4", sha256(file));
        assertEquals("5a3974748d6a5a4dcec5ffa28ec26fd7aed7f44564f257691d3eee4feb9df4f6",
                HEX.formatHex(file, 16, 48));
        assertEquals("891a01b2607540ec43f5275431e13dc21eac0d6ab8d0a8b51db116013e49c683",
                HEX.formatHex(file, file.length - 32, file.length));
        String hash = "4632aa35a0d307af7dbec8ac9d7ef6fa597208277ddf47f56116357f9b2cd2a1";
        assertEquals(hash, sha256(plain));

        Path f = tmp.resolve("vector");
        Files.write(f, file);
        try (InputStream in = AttachmentCipher.open(f, key, 14, hash)) {
            assertArrayEquals(plain, in.readAllBytes());
        }
    }

    @Test
    void largeFileRoundTripsAcrossChunks() throws Exception {
        byte[] key = new byte[64];
        new Random(7).nextBytes(key);
        byte[] plain = new byte[300_001];
        new Random(8).nextBytes(plain);
        Path f = tmp.resolve("large");
        Files.write(f, encrypt(plain, key, vectorIv()));
        assertEquals(AttachmentCipher.encryptedLength(plain.length), Files.size(f));
        try (InputStream in = AttachmentCipher.open(f, key, plain.length, sha256(plain))) {
            assertArrayEquals(plain, in.readAllBytes());
        }
    }

    @Test
    void aFlippedByteFailsTheMacBeforeAnyPlaintext() throws Exception {
        byte[] key = Base64.getDecoder().decode(VECTOR_KEY);
        byte[] file = encrypt("Hello, Signal!".getBytes(StandardCharsets.UTF_8), key, vectorIv());
        file[100] ^= 1;
        Path f = tmp.resolve("bad");
        Files.write(f, file);
        AttachmentCipher.IntegrityException e = assertThrows(AttachmentCipher.IntegrityException.class,
                () -> AttachmentCipher.open(f, key, 14, null));
        assertEquals(true, e.getMessage().contains("MAC"));
    }

    @Test
    void aWrongKeyFailsTheMac() throws Exception {
        byte[] key = Base64.getDecoder().decode(VECTOR_KEY);
        Path f = tmp.resolve("k");
        Files.write(f, encrypt(new byte[10], key, vectorIv()));
        byte[] other = key.clone();
        other[40] ^= 1;
        assertThrows(AttachmentCipher.IntegrityException.class, () -> AttachmentCipher.open(f, other, 10, null));
    }

    @Test
    void aHashMismatchFailsAtTheEndOfTheStream() throws Exception {
        byte[] key = Base64.getDecoder().decode(VECTOR_KEY);
        Path f = tmp.resolve("h");
        Files.write(f, encrypt("Hello, Signal!".getBytes(StandardCharsets.UTF_8), key, vectorIv()));
        try (InputStream in = AttachmentCipher.open(f, key, 14, "00".repeat(32))) {
            assertThrows(AttachmentCipher.IntegrityException.class, in::readAllBytes);
        }
    }

    @Test
    void aSizeBeyondTheFileIsRefused() throws Exception {
        byte[] key = Base64.getDecoder().decode(VECTOR_KEY);
        Path f = tmp.resolve("s");
        Files.write(f, encrypt(new byte[14], key, vectorIv()));
        assertThrows(AttachmentCipher.IntegrityException.class, () -> AttachmentCipher.open(f, key, 5000, null));
        Files.write(f, new byte[20]);
        assertThrows(AttachmentCipher.IntegrityException.class, () -> AttachmentCipher.open(f, key, 1, null));
    }

    /** Throughput of MAC check plus decryption, printed for the record (no threshold: machines differ). */
    @Test
    void throughput() throws Exception {
        byte[] key = new byte[64];
        new Random(1).nextBytes(key);
        byte[] plain = new byte[8 << 20];
        new Random(2).nextBytes(plain);
        Path f = tmp.resolve("big");
        Files.write(f, encrypt(plain, key, vectorIv()));
        String hash = sha256(plain);
        double best = 0;
        for (int round = 0; round < 5; round++) {
            long t = System.nanoTime();
            try (InputStream in = AttachmentCipher.open(f, key, plain.length, hash)) {
                assertEquals(plain.length, in.transferTo(java.io.OutputStream.nullOutputStream()));
            }
            best = Math.max(best, plain.length / 1e6 / ((System.nanoTime() - t) / 1e9));
        }
        System.out.printf(java.util.Locale.ROOT, "attachment decryption (MAC + AES-CBC + SHA-256): %.0f MB/s%n", best);
    }
}
