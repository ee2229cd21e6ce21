package org.chatarchive.readers.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import org.chatarchive.readers.keys.SafeStorageException.Reason;

/** Electron safeStorage decryption against the test vectors of the format notes (§2.6). */
class SafeStorageTest {

    /** The plaintext of every vector: the ASCII hex of bytes 00..1f. */
    static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final byte[] KEYRING_PASSWORD = "dGVzdHRlc3R0ZXN0dGVzdA==".getBytes(StandardCharsets.US_ASCII);

    static final String LINUX_V11 = "763131bcf26715ccada871af1640ddae7382770e105feff19e3ebaf28c9f89a920a5c137812298af"
            + "57a4d889be811e62a76220630c7c854a137af7788cdc5c2cb6d47994820b040d9cfad3698b0864babbd32b";
    static final String LINUX_V10 = "763130d44787e6131f0ea6c2c16580f01c47ac4aee5346f71e87d651fc8085c3b25fe0086373b47b"
            + "d4caecdd812b2f27516bdbc5e032d430b8cacf1e170145914c8c3ea811a9b6f4b715267b469e5caea838c2";
    static final String MACOS = "763130052931ab33c11bffcbd585280bf56c4a369659a43f83af7aa4e114137032a6bef630dd2618cdf6"
            + "7ff4f62613d617c8f57d39629c6f62e2a4b43c8a58c89be3b0a5e22ef0cec43a0f63e0b0de47560602";
    static final String WINDOWS = "763130000102030405060708090a0b7732e62af5d7f228bd75a7be81df485ab3eeb70dc01a6f1e0804d"
            + "5e12d0c30d430209fcd9ef323ab45904ed8b9b1190fdf6151b46bb792b80ef41b7d2986c488f1f1d0c1da9ee991c60ff1bbdb65"
            + "5585";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static byte[] windowsKey() {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) i;
        }
        return k;
    }

    @Test
    void derivedKeysMatchChromiumsConstants() {
        assertEquals("fd621fe5a2b402539dfa147ca9272778",
                HexFormat.of().formatHex(SafeStorage.cbcKey("peanuts".getBytes(StandardCharsets.US_ASCII), 1)));
        assertEquals("d0d0ec9c7d77d43ac54187fa4818d17f", HexFormat.of().formatHex(SafeStorage.cbcKey(new byte[0], 1)),
                "kEmptyKey: the JDK's HMAC refuses an empty key, so this checks the zero-block substitute");
        assertEquals("ff824fe70d79aea8118e6974fb18906e", HexFormat.of().formatHex(SafeStorage.cbcKey(KEYRING_PASSWORD, 1)));
        assertEquals("c6f96d3352f87804fdfa6e846feb33b4",
                HexFormat.of().formatHex(SafeStorage.cbcKey(KEYRING_PASSWORD, 1003)));
    }

    @Test
    void linuxV11WithTheKeyringPassword() throws Exception {
        assertEquals(166, LINUX_V11.length());
        assertEquals(KEY, SafeStorage.decryptLinux(hex(LINUX_V11), KEYRING_PASSWORD));
    }

    @Test
    void linuxV10NeedsNoSecret() throws Exception {
        assertEquals(KEY, SafeStorage.decryptLinux(hex(LINUX_V10), null));
    }

    @Test
    void macOsUses1003Iterations() throws Exception {
        assertEquals(KEY, SafeStorage.decryptMac(hex(MACOS), KEYRING_PASSWORD));
        // The same secret with Linux's single iteration does not open it.
        SafeStorageException e = assertThrows(SafeStorageException.class,
                () -> SafeStorage.decryptLinux(hex(MACOS), null));
        assertTrue(e.reason() == Reason.DECRYPT_FAILED || e.reason() == Reason.NOT_A_KEY, e.getMessage());
    }

    @Test
    void windowsAesGcm() throws Exception {
        byte[] blob = hex(WINDOWS);
        assertEquals(SafeStorage.GCM_KEY_BLOB_LENGTH, blob.length);
        assertTrue(SafeStorage.looksLikeWindows(blob));
        assertEquals(KEY, SafeStorage.decryptWindows(blob, windowsKey()));

        byte[] wrongKey = windowsKey();
        wrongKey[31] ^= 1;
        SafeStorageException e = assertThrows(SafeStorageException.class, () -> SafeStorage.decryptWindows(blob, wrongKey));
        assertEquals(Reason.DECRYPT_FAILED, e.reason());
        assertTrue(e.getMessage().contains("authentication tag"), e.getMessage());

        byte[] tampered = hex(WINDOWS);
        tampered[40] ^= 1;
        assertEquals(Reason.DECRYPT_FAILED, assertThrows(SafeStorageException.class,
                () -> SafeStorage.decryptWindows(tampered, windowsKey())).reason());
    }

    @Test
    void retriesWithTheEmptyPasswordKeyLikeChromium() throws Exception {
        byte[] blob = SafeStorage.encryptCbc("v11", SafeStorage.cbcKey(new byte[0], 1),
                KEY.getBytes(StandardCharsets.US_ASCII));
        assertEquals(SafeStorage.CBC_KEY_BLOB_LENGTH, blob.length);
        // Any keyring password: the first attempt fails on padding or content, the empty-key retry opens it.
        assertEquals(KEY, SafeStorage.decryptLinux(blob, KEYRING_PASSWORD));
        byte[] v10 = SafeStorage.encryptCbc("v10", SafeStorage.cbcKey(new byte[0], 1),
                KEY.getBytes(StandardCharsets.US_ASCII));
        assertEquals(KEY, SafeStorage.decryptLinux(v10, null));
    }

    @Test
    void wrongKeyringPasswordIsADecryptionFailure() {
        SafeStorageException e = assertThrows(SafeStorageException.class,
                () -> SafeStorage.decryptLinux(hex(LINUX_V11), "not the password".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.reason() == Reason.DECRYPT_FAILED || e.reason() == Reason.NOT_A_KEY, e.reason().toString());
    }

    @Test
    void corruptBlobWithBadPaddingIsNamed() {
        byte[] blob = hex(LINUX_V11);
        blob[blob.length - 1] ^= 0x55; // the last block decrypts to garbage: its padding is wrong
        SafeStorageException e = assertThrows(SafeStorageException.class,
                () -> SafeStorage.decryptLinux(blob, KEYRING_PASSWORD));
        assertEquals(Reason.DECRYPT_FAILED, e.reason());
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
    }

    @Test
    void plaintextThatIsNotAKeyIsRefused() {
        byte[] blob = SafeStorage.encryptCbc("v10", SafeStorage.cbcKey("peanuts".getBytes(StandardCharsets.US_ASCII), 1),
                "z".repeat(64).getBytes(StandardCharsets.US_ASCII));
        SafeStorageException e = assertThrows(SafeStorageException.class, () -> SafeStorage.decryptLinux(blob, null));
        assertEquals(Reason.NOT_A_KEY, e.reason());
        assertTrue(e.getMessage().contains("64 hex"), e.getMessage());
    }

    @Test
    void unknownPrefixIsUnsupported() {
        byte[] v12 = hex(LINUX_V11);
        v12[2] = '2';
        SafeStorageException e = assertThrows(SafeStorageException.class, () -> SafeStorage.decryptLinux(v12, KEYRING_PASSWORD));
        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("v12") && e.getMessage().contains("does not support"), e.getMessage());

        SafeStorageException dpapi = assertThrows(SafeStorageException.class,
                () -> SafeStorage.checkShape(new byte[] {1, 0, 0, 0, (byte) 0xd0, (byte) 0x8c}));
        assertEquals(Reason.UNSUPPORTED, dpapi.reason());
    }

    @Test
    void truncatedBlobIsMalformed() {
        byte[] blob = java.util.Arrays.copyOf(hex(LINUX_V11), 50);
        SafeStorageException e = assertThrows(SafeStorageException.class, () -> SafeStorage.checkShape(blob));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("50 bytes"), e.getMessage());
        assertEquals(Reason.MALFORMED, assertThrows(SafeStorageException.class,
                () -> SafeStorage.decryptWindows(hex(LINUX_V10), windowsKey())).reason());
    }
}
