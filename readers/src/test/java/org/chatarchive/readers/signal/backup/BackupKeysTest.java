package org.chatarchive.readers.signal.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Known-answer vectors of libsignal's key tests (signal-backup-v2 facts §2.4), and libsignal itself as oracle. */
class BackupKeysTest {

    static final HexFormat HEX = HexFormat.of();
    static final String AEP = "dtjs858asj6tv0jzsqrsmj0ubp335pisj98e9ssnss8myoc08drhtcktyawvx45l";
    static final UUID ACI = UUID.fromString("659aa5f4-a28d-fcc1-1ea1-b997537a3d95");

    @Test
    void keyChainMatchesLibsignalVectors() {
        byte[] backupKey = BackupKeys.backupKey(AEP);
        assertEquals("ea26a2ddb5dba5ef9e34e1b8dea1f5ae7f255306a6d2d883e542306eaa9fe985", HEX.formatHex(backupKey));
        byte[] id = BackupKeys.backupId(backupKey, ACI);
        assertEquals("8a624fbc45379043f39f1391cddc5fe8", HEX.formatHex(id));
        BackupKeys.MessageBackupKey legacy = BackupKeys.messageBackupKey(backupKey, id);
        assertEquals("f425e22a607c529717e1e1b29f9fe139f9d1c7e7d01e371c7753c544a3026649", HEX.formatHex(legacy.hmacKey()));
        assertEquals("e143f4ad5668d8bfed2f88562f0693f53bda2c0e55c9d71730f30e24695fd6df", HEX.formatHex(legacy.aesKey()));
        BackupKeys.MessageBackupKey token = BackupKeys.messageBackupKey(backupKey, id,
                HEX.parseHex("69207061737320746865206b6e69666520746f207468652061786f6c6f746c21"));
        assertEquals("20e6ab57b87e051f3e695e953cf8a261dd307e4f92ae2921673f1d397e07887b", HEX.formatHex(token.hmacKey()));
        assertEquals("602af6ecfc09d695a8d58da9f18225e967979c5e03543ca0224a03cca3d9735e", HEX.formatHex(token.aesKey()));
        assertEquals("68a14417a1167e55fdb17b24fb223b34752ba4d2bb6294c991acaebf4ec90472",
                HEX.formatHex(BackupKeys.localMetadataKey(backupKey)));
    }

    @Test
    void encryptedVectorKeysMatch() {
        byte[] backupKey = BackupKeys.backupKey("m".repeat(64));
        assertEquals("2afc757bc8e86cc317848227ab79c41298d6b0688c5f40960c600966512bd736", HEX.formatHex(backupKey));
        byte[] id = BackupKeys.backupId(backupKey, UUID.fromString("11111111-1111-1111-1111-111111111111"));
        assertEquals("687b4288aab129fd7dcb3941aa3c7e39", HEX.formatHex(id));
        BackupKeys.MessageBackupKey legacy = BackupKeys.messageBackupKey(backupKey, id);
        assertEquals("bfb00e1f5fb1db5e59fef8f9b11deb32cf75a7344a0b909f9ebbb3c0a31461a7", HEX.formatHex(legacy.hmacKey()));
        assertEquals("0127f5d81d408be7a96de0217db1b03f3d5be252f5654470d476d39249269d40", HEX.formatHex(legacy.aesKey()));
        BackupKeys.MessageBackupKey token = BackupKeys.messageBackupKey(backupKey, id,
                repeat((byte) 0xAB, 32));
        assertEquals("2eab8fb5febbf4260ecc384187d6b2888f79761a4175c2b944c2396b3636fb26", HEX.formatHex(token.hmacKey()));
        assertEquals("e7a2e4554a85a0cf31efaff560fb7870bcb0bf6bafaae13289e0139215ffcb80", HEX.formatHex(token.aesKey()));
    }

    @Test
    void agreesWithLibsignalOnAnotherKey() throws Exception {
        String aep = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01";
        JsonNode k = Oracle.keys(aep, BackupFixture.OWNER.toString());
        byte[] backupKey = BackupKeys.backupKey(aep);
        assertEquals(k.path("backupKey").asText(), HEX.formatHex(backupKey));
        assertEquals(k.path("localMetadataKey").asText(), HEX.formatHex(BackupKeys.localMetadataKey(backupKey)));
        byte[] id = BackupKeys.backupId(backupKey, BackupFixture.OWNER);
        assertEquals(k.path("backupId").asText(), HEX.formatHex(id));
        assertEquals(k.path("hmacKey").asText(), HEX.formatHex(BackupKeys.messageBackupKey(backupKey, id).hmacKey()));
    }

    @Test
    void recoveryKeyDisplayFormIsAccepted() {
        String display = "DTJS 858A SJ6T V=JZ SQRS MJ=U BP33 5PIS J98E 9SSN SS8M Y#C=-8DRH TCKT YAWV X45L";
        assertEquals(AEP, BackupKeys.parseRecoveryKey(display));
        assertEquals(AEP, BackupKeys.parseRecoveryKey(AEP.toUpperCase()));
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> BackupKeys.parseRecoveryKey(AEP.substring(1)));
        assertEquals("A recovery key has 64 letters and digits; this one has 63.", shortKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BackupKeys.parseRecoveryKey(AEP.replace('d', '!')));
    }

    @Test
    void backupIdDecryptsWithTwelveAndSixteenByteIvs() throws Exception {
        byte[] key = BackupKeys.localMetadataKey(BackupKeys.backupKey(AEP));
        byte[] id = HEX.parseHex("8a624fbc45379043f39f1391cddc5fe8");
        for (int ivLength : new int[] {12, 16}) {
            byte[] iv = BackupFixture.filled(ivLength, 0x21);
            byte[] enc = LocalBackupWriter.ctr(key, iv, id);
            assertArrayEquals(id, BackupKeys.decryptBackupId(key, iv, enc), "iv length " + ivLength);
        }
    }

    private static byte[] repeat(byte b, int n) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, b);
        return out;
    }
}
