package org.chatarchive.readers.signal.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Message;
import org.chatarchive.model.source.SourceException;

/**
 * Encrypted local folder backups made by the test encryptor, each checked by libsignal's validator (with the key
 * derived from the backup id recovered from {@code metadata}) before the reader is tested on it.
 */
class SignalLocalBackupReaderTest {

    static final String AEP = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01";
    static final String DISPLAY = "ABCD EFGH IJKL MN#P QRST UVWX YZ=1 2345 6789 ABCD EFGH IJKL MN#P QRST UVWX YZ=1";

    static LocalBackupWriter.Written backup(Path root, String snapshot, int ivLength) throws Exception {
        LocalBackupWriter.Written w = LocalBackupWriter.write(BackupFixture.standard(), root, snapshot, AEP,
                BackupFixture.OWNER, ivLength);
        HexFormat hex = HexFormat.of();
        JsonNode v = Oracle.validateEncrypted(w.main(), hex.formatHex(w.backupKey()), hex.formatHex(w.backupId()));
        assertTrue(v.path("ok").asBoolean(), v.toString());
        return w;
    }

    @Test
    void readsTheNewestSnapshotWithTheDisplayFormOfTheRecoveryKey(@TempDir Path root) throws Exception {
        backup(root, "signal-backup-2026-01-01-10-00-00", 16);
        LocalBackupWriter.Written newest = backup(root, "signal-backup-2026-01-02-10-00-00", 12);
        Files.createDirectories(root.resolve("signal-backup-2026-01-03-10-00-00-tmp"));
        assertTrue(SignalBackupReader.looksLike(root));
        try (SignalBackupReader r = SignalBackupReader.open(root, new SignalBackupReader.Options(DISPLAY, null,
                null))) {
            assertEquals("signal-local-backup", r.info().type());
            assertEquals("signal-backup-2026-01-02-10-00-00", r.info().extra().get("snapshot"));
            assertEquals("recovery key", r.info().keySource());
            assertEquals(3, r.info().extra().get("mediaExpected"), "photo, long text, sticker; the voice note has no file");
            assertEquals(0, r.info().extra().get("mediaAbsent"));
            // Binary frames keep fields this schema does not name; they are counted by number, never fatal.
            @SuppressWarnings("unchecked")
            Map<String, Long> unknown = (Map<String, Long>) r.info().extra().get("unknownFields");
            assertEquals(Map.of("frame.account.accountSettings#23", 1L, "frame.account.accountSettings#24", 1L,
                    "frame.account.accountSettings#28", 1L, "frame.account.accountSettings#29", 1L), unknown);
            Map<String, List<Message>> all = SignalExportReaderTest.read(r);
            assertEquals(r.messageCountHint(), all.values().stream().mapToLong(List::size).sum());
            List<Message> alice = all.get("signal-direct:" + BackupFixture.ALICE);
            assertEquals("See you at 8", alice.get(2).body());
            assertEquals(2, alice.get(2).edits().size());
            assertTrue(alice.get(5).body().endsWith(" the end"), "the long text is decrypted from files/");
            Attachment photo = alice.get(3).attachments().get(0);
            assertNull(photo.availability());
            try (InputStream in = r.openAttachment(photo)) {
                assertArrayEquals("not really a JPEG, but bytes all the same".getBytes(), in.readAllBytes(),
                        "decrypted, MAC-checked and cut to the plaintext size");
            }
            assertEquals(Availability.FILE_MISSING, alice.get(4).attachments().get(0).availability());
        }
        assertTrue(Files.isRegularFile(newest.main()));
    }

    @Test
    void readsANamedSnapshot(@TempDir Path root) throws Exception {
        backup(root, "signal-backup-2026-01-01-10-00-00", 16);
        backup(root, "signal-backup-2026-01-02-10-00-00", 12);
        try (SignalBackupReader r = SignalBackupReader.open(root, new SignalBackupReader.Options(AEP,
                "signal-backup-2026-01-01-10-00-00", null))) {
            assertEquals("signal-backup-2026-01-01-10-00-00", r.info().extra().get("snapshot"));
        }
        SourceException e = assertThrows(SourceException.class, () -> SignalBackupReader.open(root,
                new SignalBackupReader.Options(AEP, "signal-backup-1999-01-01-00-00-00", null)));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, e.kind());
    }

    @Test
    void aWrongRecoveryKeyIsOneLineNamingTheHmac(@TempDir Path root) throws Exception {
        backup(root, "signal-backup-2026-01-02-10-00-00", 12);
        String wrong = "z".repeat(64);
        SourceException e = assertThrows(SourceException.class, () -> SignalBackupReader.open(root,
                new SignalBackupReader.Options(wrong, null, null)));
        assertEquals(SourceException.Kind.WRONG_KEY, e.kind());
        assertTrue(e.getMessage().contains("HMAC check"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        SourceException none = assertThrows(SourceException.class, () -> SignalBackupReader.open(root, null));
        assertEquals(SourceException.Kind.KEY_UNAVAILABLE, none.kind());
    }

    @Test
    void aDamagedMainFailsTheHmacBeforeAnythingIsDecrypted(@TempDir Path root) throws Exception {
        LocalBackupWriter.Written w = backup(root, "signal-backup-2026-01-02-10-00-00", 12);
        byte[] b = Files.readAllBytes(w.main());
        b[40] ^= 1;
        Files.write(w.main(), b);
        SourceException e = assertThrows(SourceException.class, () -> SignalBackupReader.open(root,
                new SignalBackupReader.Options(AEP, null, null)));
        assertTrue(e.getMessage().contains("HMAC check"), e.getMessage());
    }

    @Test
    void aTruncatedFrameStreamNamesTheFrame(@TempDir Path root) throws Exception {
        // A stream cut inside a frame, correctly encrypted and MACed: only the frame parser can notice.
        BackupFixture f = BackupFixture.standard();
        LocalBackupWriter.Written w = LocalBackupWriter.write(f, root, "signal-backup-2026-01-02-10-00-00", AEP,
                BackupFixture.OWNER, 12);
        byte[] plain = f.binproto();
        byte[] cut = java.util.Arrays.copyOf(plain, plain.length - 10);
        BackupKeys.MessageBackupKey k = BackupKeys.messageBackupKey(w.backupKey(), w.backupId());
        Files.write(w.main(), LocalBackupWriter.encrypt(LocalBackupWriter.gzipPadded(cut), k.aesKey(), k.hmacKey(),
                BackupFixture.filled(16, 3)));
        SourceException e = assertThrows(SourceException.class, () -> SignalBackupReader.open(root,
                new SignalBackupReader.Options(AEP, null, null)));
        assertEquals(SourceException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("at frame " + f.frames.size()), e.getMessage());
    }

    @Test
    void reportsMediaTheSnapshotExpectsButTheFolderLacks(@TempDir Path root) throws Exception {
        backup(root, "signal-backup-2026-01-02-10-00-00", 12);
        BackupFixture.MediaFile photo = BackupFixture.standard().media.values().iterator().next();
        Files.delete(root.resolve("files").resolve(photo.mediaName().substring(0, 2)).resolve(photo.mediaName()));
        try (SignalBackupReader r = SignalBackupReader.open(root, new SignalBackupReader.Options(AEP, null, null))) {
            assertEquals(1, r.info().extra().get("mediaAbsent"));
            assertTrue(r.warnings().stream().anyMatch(s -> s.contains(photo.mediaName())), r.warnings().toString());
        }
    }

    @Test
    void aRemoteBackupFileGetsAPlainMessage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("backup.bin");
        byte[] body = new byte[200];
        System.arraycopy(EncryptedBackup.REMOTE_MAGIC, 0, body, 0, 8);
        Files.write(file, body);
        assertTrue(SignalBackupReader.looksLike(file));
        SourceException e = assertThrows(SourceException.class, () -> SignalBackupReader.open(file, null));
        assertEquals(SourceException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("cannot be opened offline"), e.getMessage());
    }
}
