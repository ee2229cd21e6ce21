package org.chatarchive.readers.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.readers.keys.KeyBackend.SecretKind;

/** Each key store backend: the command it runs and how it reads the tool's answer (see {@link FakeRunner}). */
class KeyBackendTest {

    static final String PW = "dGVzdHRlc3R0ZXN0dGVzdA==";

    @Test
    void secretToolLooksUpByApplication() throws Exception {
        FakeRunner run = new FakeRunner().answer("secret-tool", 0, PW + "\n", "");
        SecretServiceBackend b = new SecretServiceBackend("Signal Beta", run);
        assertArrayEquals(PW.getBytes(StandardCharsets.US_ASCII), b.secret(), "trailing newline removed, not decoded");
        assertEquals(List.of(List.of("secret-tool", "lookup", "application", "Signal Beta")), run.calls);
        assertEquals(SecretKind.PASSWORD, b.kind());
    }

    @Test
    void secretToolWithNothingSaysWhatToDo() {
        SourceException e = assertThrows(SourceException.class,
                () -> new SecretServiceBackend("Signal", new FakeRunner().answer("secret-tool", 1, "", "")).secret());
        assertEquals(SourceException.Kind.KEY_UNAVAILABLE, e.kind());
        assertEquals("The GNOME keyring (secret-tool) has no 'Signal Safe Storage' secret for application Signal;"
                + " unlock the keyring and run again, or pass the keyring secret with --safe-storage-password, or the"
                + " database key with --key.", e.getMessage());

        SourceException missing = assertThrows(SourceException.class,
                () -> new SecretServiceBackend("Signal", new FakeRunner().missing("secret-tool")).secret());
        assertTrue(missing.getMessage().contains("secret-tool is not installed")
                && missing.getMessage().contains("libsecret-tools"), missing.getMessage());
    }

    @Test
    void kwalletReadsChromiumSafeStorage() throws Exception {
        FakeRunner run = new FakeRunner().answer("kwallet-query", 0, PW + "\n", "");
        KWalletBackend b = new KWalletBackend("kwallet6", "kdewallet", run);
        assertArrayEquals(PW.getBytes(StandardCharsets.US_ASCII), b.secret());
        assertEquals(List.of(List.of("kwallet-query", "--read-password", "Chromium Safe Storage", "--folder",
                "Chromium Keys", "kdewallet")), run.calls);
        assertEquals("kwallet6 (kwallet-query)", b.label());

        SourceException e = assertThrows(SourceException.class, () -> new KWalletBackend("kwallet5", "kdewallet",
                new FakeRunner().answer("kwallet-query", 1, "",
                        "Failed to read entry Chromium Safe Storage value from the kdewallet wallet.")).secret());
        assertTrue(e.getMessage().startsWith("KDE Wallet (kwallet-query) has no 'Chromium Safe Storage' entry")
                && e.getMessage().contains("Failed to read entry") && e.getMessage().contains("--safe-storage-password"),
                e.getMessage());
    }

    @Test
    void keychainAsksForTheSignalSafeStorageService() throws Exception {
        FakeRunner run = new FakeRunner().answer("security", 0, PW + "\n", "");
        assertArrayEquals(PW.getBytes(StandardCharsets.US_ASCII), new KeychainBackend("Signal", run).secret());
        assertEquals(List.of(List.of("security", "find-generic-password", "-w", "-s", "Signal Safe Storage")), run.calls);
        assertEquals("Signal Beta Safe Storage", new KeychainBackend("Signal Beta", run).service());

        SourceException none = assertThrows(SourceException.class, () -> new KeychainBackend("Signal",
                new FakeRunner().answer("security", 44, "",
                        "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain."))
                .secret());
        assertTrue(none.getMessage().contains("has no 'Signal Safe Storage' item"), none.getMessage());
        SourceException denied = assertThrows(SourceException.class, () -> new KeychainBackend("Signal",
                new FakeRunner().answer("security", 51, "", "User interaction is not allowed.")).secret());
        assertTrue(denied.getMessage().contains("User interaction is not allowed")
                && denied.getMessage().contains("allow access"), denied.getMessage());
    }

    @Test
    void dpapiUnwrapsLocalStateThroughPowerShell(@TempDir Path dir) throws Exception {
        byte[] dpapiBlob = {1, 0, 0, 0, (byte) 0xd0, (byte) 0x8c, (byte) 0x9d, (byte) 0xdf, 1, 21};
        byte[] withPrefix = new byte[5 + dpapiBlob.length];
        System.arraycopy("DPAPI".getBytes(StandardCharsets.US_ASCII), 0, withPrefix, 0, 5);
        System.arraycopy(dpapiBlob, 0, withPrefix, 5, dpapiBlob.length);
        Files.writeString(dir.resolve("Local State"), "{\"os_crypt\":{\"encrypted_key\":\""
                + Base64.getEncoder().encodeToString(withPrefix) + "\"}}");
        byte[] aes = SafeStorageTest.windowsKey();
        FakeRunner run = new FakeRunner().answer("powershell.exe", 0, Base64.getEncoder().encodeToString(aes) + "\r\n", "");
        DpapiBackend b = new DpapiBackend(dir, run);
        assertArrayEquals(aes, b.secret());
        assertEquals(SecretKind.AES_KEY, b.kind());
        List<String> cmd = run.calls.get(0);
        assertEquals(List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-Command"), cmd.subList(0, 4));
        assertTrue(cmd.get(4).contains("[Security.Cryptography.ProtectedData]::Unprotect([Convert]::FromBase64String('"
                + Base64.getEncoder().encodeToString(dpapiBlob) + "')"), "the DPAPI prefix is stripped: " + cmd.get(4));

        SourceException wrongUser = assertThrows(SourceException.class, () -> new DpapiBackend(dir,
                new FakeRunner().answer("powershell.exe", 1, "", "Exception calling \"Unprotect\": The data is invalid.")).secret());
        assertTrue(wrongUser.getMessage().contains("The data is invalid")
                && wrongUser.getMessage().contains("as the Windows user"), wrongUser.getMessage());

        Files.writeString(dir.resolve("Local State"), "{\"os_crypt\":{}}");
        SourceException noKey = assertThrows(SourceException.class, () -> new DpapiBackend(dir, run).secret());
        assertTrue(noKey.getMessage().contains("no DPAPI-wrapped os_crypt.encrypted_key"), noKey.getMessage());
    }

    @Test
    void manualSecretIsUsedAsGivenOrAsABase64WindowsKey() throws Exception {
        assertArrayEquals(PW.getBytes(StandardCharsets.UTF_8),
                new ManualSecret(PW, "--safe-storage-password", SecretKind.PASSWORD).secret());
        byte[] aes = SafeStorageTest.windowsKey();
        assertArrayEquals(aes, new ManualSecret(Base64.getEncoder().encodeToString(aes), "--safe-storage-password",
                SecretKind.AES_KEY).secret());
        SourceException e = assertThrows(SourceException.class,
                () -> new ManualSecret(PW, "--safe-storage-password", SecretKind.AES_KEY).secret());
        assertTrue(e.getMessage().contains("base64 of the 32-byte key"), e.getMessage());
    }
}
