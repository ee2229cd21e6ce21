package org.chatarchive.readers.signal.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.google.protobuf.ByteString;

import org.chatarchive.readers.signal.backup.proto.LocalBackup;

/**
 * The test encryptor: lays a fixture out as a Signal local folder backup ({@code SignalBackups/files/xx/<name>},
 * {@code signal-backup-<time>/{metadata,main,files}}), encrypted as the facts document describes (§2.3, §2.5, §2.6).
 * libsignal's validator is the check that it is right.
 */
final class LocalBackupWriter {

    /** Keys of one written snapshot, for the oracle. */
    record Written(Path main, byte[] backupKey, byte[] backupId) {
    }

    private LocalBackupWriter() {
    }

    static Written write(BackupFixture f, Path root, String snapshot, String aep, java.util.UUID aci, int ivLength)
            throws IOException {
        byte[] backupKey = BackupKeys.backupKey(aep);
        byte[] backupId = BackupKeys.backupId(backupKey, aci);
        Path snap = Files.createDirectories(root.resolve(snapshot));
        byte[] iv = BackupFixture.filled(ivLength, 0x31);
        Files.write(snap.resolve("metadata"), LocalBackup.Metadata.newBuilder().setVersion(1).setBackupId(LocalBackup.Metadata.EncryptedBackupId.newBuilder()
                        .setIv(ByteString.copyFrom(iv))
                        .setEncryptedId(ByteString.copyFrom(ctr(BackupKeys.localMetadataKey(backupKey), iv, backupId))))
                .build().toByteArray());
        BackupKeys.MessageBackupKey keys = BackupKeys.messageBackupKey(backupKey, backupId);
        Files.write(snap.resolve("main"), encrypt(gzipPadded(f.binproto()), keys.aesKey(), keys.hmacKey(),
                BackupFixture.filled(16, 0x49)));
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (BackupFixture.MediaFile m : f.media.values()) {
            LocalBackup.FilesFrame.newBuilder().setMediaName(m.mediaName()).build().writeDelimitedTo(list);
            Path file = Files.createDirectories(root.resolve("files").resolve(m.mediaName().substring(0, 2)))
                    .resolve(m.mediaName());
            byte[] padded = Arrays.copyOf(m.plaintext(), paddedSize(m.plaintext().length));
            Files.write(file, encrypt(padded, Arrays.copyOfRange(m.localKey(), 0, 32),
                    Arrays.copyOfRange(m.localKey(), 32, 64), BackupFixture.filled(16, 0x51)));
        }
        Files.write(snap.resolve("files"), list.toByteArray());
        return new Written(snap.resolve("main"), backupKey, backupId);
    }

    /** gzip of the stream, zero-padded to Signal's 1.05-bucket size (at least 541 bytes). */
    static byte[] gzipPadded(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        byte[] z = out.toByteArray();
        return Arrays.copyOf(z, paddedSize(z.length));
    }

    static int paddedSize(int n) {
        if (n <= 1) {
            return 541;
        }
        int size = (int) Math.floor(Math.pow(1.05, Math.ceil(Math.log(n) / Math.log(1.05))));
        return Math.max(541, Math.max(size, n));
    }

    /** IV ‖ AES-256-CBC/PKCS#7 ‖ HMAC-SHA256(IV ‖ ciphertext). */
    static byte[] encrypt(byte[] plain, byte[] aesKey, byte[] macKey, byte[] iv) {
        try {
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            byte[] ct = c.doFinal(plain);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            mac.update(iv);
            byte[] tag = mac.doFinal(ct);
            byte[] out = Arrays.copyOf(iv, iv.length + ct.length + tag.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            System.arraycopy(tag, 0, out, iv.length + ct.length, tag.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AES-256-CTR as Signal writes the backup id: a 12-byte nonce with a 32-bit counter from 0, or a 16-byte iv. */
    static byte[] ctr(byte[] key, byte[] iv, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(iv, 16)));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
