package org.chatarchive.readers.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.chatarchive.model.source.SourceException;

/** The order in which a profile's key is looked for, and what each failure says. */
class SignalKeyResolverTest {

    static final String KEY = SafeStorageTest.KEY;
    static final String PW = "dGVzdHRlc3R0ZXN0dGVzdA==";
    static final Path DIR = Path.of("profiles", "Signal");

    static JsonNode config(Map<String, String> fields) {
        return new ObjectMapper().valueToTree(fields);
    }

    static ResolvedKey resolve(Platform os, FakeRunner run, String keyHex, String pw, Map<String, String> env,
                               Path dir, Map<String, String> config) throws SourceException {
        return new SignalKeyResolver(new KeyRequest(keyHex, pw, os, run, env)).resolve(dir, config(config));
    }

    static SourceException fails(Platform os, FakeRunner run, String pw, Map<String, String> config) {
        return assertThrows(SourceException.class, () -> resolve(os, run, null, pw, Map.of(), DIR, config));
    }

    @Test
    void keyOptionWinsThenConfigKey() throws Exception {
        FakeRunner run = new FakeRunner();
        String other = "ff".repeat(32);
        ResolvedKey k = resolve(Platform.LINUX, run, "x'" + other + "'", null, Map.of(), DIR,
                Map.of("key", KEY, "encryptedKey", SafeStorageTest.LINUX_V11));
        assertEquals(other, k.hex());
        assertEquals("--key", k.source());
        ResolvedKey c = resolve(Platform.LINUX, run, null, null, Map.of(), DIR,
                Map.of("key", KEY, "encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "gnome_libsecret"));
        assertEquals(KEY, c.hex());
        assertEquals("config.json key", c.source());
        assertEquals(List.of(), run.calls, "no keyring is asked when config.json has the plain key");
        assertFalse(c.toString().contains(KEY), "toString never shows the key");
    }

    @Test
    void v11AsksTheKeyringConfigJsonNames() throws Exception {
        FakeRunner gnome = new FakeRunner().answer("secret-tool", 0, PW, "");
        ResolvedKey k = resolve(Platform.LINUX, gnome, null, null, Map.of(), DIR,
                Map.of("encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "gnome_libsecret"));
        assertEquals(KEY, k.hex());
        assertEquals("config.json encryptedKey via gnome_libsecret (secret-tool)", k.source());
        assertEquals(List.of(List.of("secret-tool", "lookup", "application", "Signal")), gnome.calls);

        FakeRunner kde = new FakeRunner().answer("kwallet-query", 0, PW + "\n", "");
        ResolvedKey w = resolve(Platform.LINUX, kde, null, null, Map.of(), Path.of("x", "Signal Beta"),
                Map.of("encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "kwallet5"));
        assertEquals(KEY, w.hex());
        assertEquals("config.json encryptedKey via kwallet5 (kwallet-query)", w.source());
        assertEquals("kwallet-query", kde.calls.get(0).get(0));
    }

    @Test
    void manualSecretComesFirstAndAloneFromOptionOrEnvironment() throws Exception {
        FakeRunner run = new FakeRunner().answer("secret-tool", 0, "something else", "");
        Map<String, String> cfg = Map.of("encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "gnome_libsecret");
        ResolvedKey k = resolve(Platform.LINUX, run, null, PW, Map.of(), DIR, cfg);
        assertEquals(KEY, k.hex());
        assertEquals("config.json encryptedKey via --safe-storage-password", k.source());
        ResolvedKey env = resolve(Platform.MACOS, run, null, null, Map.of(KeyRequest.PASSWORD_ENV, PW), DIR, cfg);
        assertEquals("config.json encryptedKey via " + KeyRequest.PASSWORD_ENV, env.source());
        assertEquals(List.of(), run.calls, "the keyring is not asked when the secret is given");

        SourceException wrong = fails(Platform.LINUX, run, "wrong password", cfg);
        assertEquals(SourceException.Kind.WRONG_KEY, wrong.kind());
        assertTrue(wrong.getMessage().startsWith("The secret from --safe-storage-password does not unwrap config.json's"
                + " Linux encryptedKey"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("wrong password"), "the secret is never echoed");
    }

    @Test
    void keyringTroubleNamesTheBackendAndTheWayOut() {
        SourceException gnome = fails(Platform.LINUX, new FakeRunner().answer("secret-tool", 1, "", ""), null,
                Map.of("encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "gnome_libsecret"));
        assertEquals(SourceException.Kind.KEY_UNAVAILABLE, gnome.kind());
        assertTrue(gnome.getMessage().startsWith("The GNOME keyring (secret-tool) has no 'Signal Safe Storage'"),
                gnome.getMessage());

        FakeRunner none = new FakeRunner().missing("secret-tool").missing("kwallet-query");
        SourceException both = fails(Platform.LINUX, none, null, Map.of("encryptedKey", SafeStorageTest.LINUX_V11));
        assertTrue(both.getMessage().contains("neither gnome_libsecret (secret-tool) nor kwallet (kwallet-query)"),
                both.getMessage());
        assertEquals(2, none.calls.size(), "both Linux keyrings tried when config.json names none");

        SourceException wrongSecret = fails(Platform.LINUX, new FakeRunner().answer("secret-tool", 0, "nope", ""), null,
                Map.of("encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "gnome_libsecret"));
        assertEquals(SourceException.Kind.WRONG_KEY, wrongSecret.kind());
        assertTrue(wrongSecret.getMessage().contains("gnome_libsecret (secret-tool)"), wrongSecret.getMessage());

        SourceException basic = fails(Platform.LINUX, new FakeRunner(), null,
                Map.of("encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "basic_text"));
        assertTrue(basic.getMessage().contains("basic_text"), basic.getMessage());

        SourceException elsewhere = fails(Platform.WINDOWS, new FakeRunner(), null,
                Map.of("encryptedKey", SafeStorageTest.LINUX_V11, "safeStorageBackend", "gnome_libsecret"));
        assertTrue(elsewhere.getMessage().contains("wrapped by a Linux keyring"), elsewhere.getMessage());
    }

    @Test
    void v10OpensWithoutAnyKeyring() throws Exception {
        FakeRunner run = new FakeRunner();
        ResolvedKey k = resolve(Platform.LINUX, run, null, null, Map.of(), DIR,
                Map.of("encryptedKey", SafeStorageTest.LINUX_V10, "safeStorageBackend", "gnome_libsecret"));
        assertEquals(KEY, k.hex());
        assertTrue(k.source().contains("v10"), k.source());
        assertEquals(List.of(), run.calls);
    }

    @Test
    void macBlobUsesTheKeychainOnMacAndSaysSoElsewhere() throws Exception {
        FakeRunner run = new FakeRunner().answer("security", 0, PW + "\n", "");
        ResolvedKey k = resolve(Platform.MACOS, run, null, null, Map.of(), DIR, Map.of("encryptedKey", SafeStorageTest.MACOS));
        assertEquals(KEY, k.hex());
        assertEquals("config.json encryptedKey via macOS Keychain (security)", k.source());
        SourceException onLinux = fails(Platform.LINUX, new FakeRunner(), null, Map.of("encryptedKey", SafeStorageTest.MACOS));
        assertTrue(onLinux.getMessage().contains("macOS Keychain") && onLinux.getMessage().contains("--safe-storage-password"),
                onLinux.getMessage());
        assertEquals(KEY, resolve(Platform.LINUX, new FakeRunner(), null, PW, Map.of(), DIR,
                Map.of("encryptedKey", SafeStorageTest.MACOS)).hex(), "a copied macOS profile opens with the secret");
    }

    @Test
    void windowsBlobUsesDpapiOnWindowsOrAGivenBase64Key() throws Exception {
        String aes = Base64.getEncoder().encodeToString(SafeStorageTest.windowsKey());
        ResolvedKey k = resolve(Platform.LINUX, new FakeRunner(), null, aes, Map.of(), DIR,
                Map.of("encryptedKey", SafeStorageTest.WINDOWS));
        assertEquals(KEY, k.hex());
        SourceException noDpapi = fails(Platform.LINUX, new FakeRunner(), null, Map.of("encryptedKey", SafeStorageTest.WINDOWS));
        assertTrue(noDpapi.getMessage().startsWith("This profile's key was wrapped by Windows DPAPI"), noDpapi.getMessage());
        // On Windows, DPAPI is asked (Local State is missing here, which is reported).
        SourceException noLocalState = fails(Platform.WINDOWS, new FakeRunner(), null, Map.of("encryptedKey", SafeStorageTest.WINDOWS));
        assertTrue(noLocalState.getMessage().contains("Local State"), noLocalState.getMessage());
    }

    @Test
    void badEncryptedKeysAreNamedBeforeAnyKeyringIsAsked() {
        FakeRunner run = new FakeRunner();
        String v12 = "763132" + SafeStorageTest.LINUX_V11.substring(6);
        SourceException unsupported = fails(Platform.LINUX, run, null, Map.of("encryptedKey", v12));
        assertEquals(SourceException.Kind.KEY_UNAVAILABLE, unsupported.kind());
        assertTrue(unsupported.getMessage().contains("v12, which this reader does not support"), unsupported.getMessage());
        SourceException damaged = fails(Platform.LINUX, run, null,
                Map.of("encryptedKey", "763131ab", "safeStorageBackend", "gnome_libsecret"));
        assertTrue(damaged.getMessage().startsWith("config.json's encryptedKey (safeStorageBackend gnome_libsecret) is"
                + " damaged: it is 4 bytes long"), damaged.getMessage());
        SourceException notHex = fails(Platform.LINUX, run, null, Map.of("encryptedKey", "not hex"));
        assertTrue(notHex.getMessage().contains("is not hexadecimal"), notHex.getMessage());
        assertEquals(List.of(), run.calls);
        SourceException nothing = fails(Platform.LINUX, run, null, Map.of());
        assertTrue(nothing.getMessage().contains("holds no database key"), nothing.getMessage());
    }

    @Test
    void betaProfilesUseTheBetaAppName() {
        assertEquals("Signal Beta", SignalKeyResolver.appName(Path.of("home", ".config", "Signal Beta")));
        assertEquals("Signal", SignalKeyResolver.appName(Path.of("home", ".var", "app", "org.signal.Signal", "config", "Signal")));
    }
}
