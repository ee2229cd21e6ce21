package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.readers.keys.CommandRunner;
import org.chatarchive.readers.keys.KeyRequest;
import org.chatarchive.readers.keys.Platform;
import org.chatarchive.readers.keys.SafeStorage;

/**
 * Profiles whose config.json holds only an {@code encryptedKey}, as Signal Desktop 7.16 and later write it, built
 * with Signal's own SQLCipher; the blobs use the scheme checked against the independent vectors in SafeStorageTest.
 */
class EncryptedKeyProfileTest {

    static final String KEY = "4f3c2b1a0918273645546372819aabbccddeeff00112233445566778899aabbc";
    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String PASSWORD = "cGFzc3dvcmRwYXNzd29yZA==";

    /** A runner for which every keyring tool is missing, and which records that it was asked. */
    static final class NoKeyrings implements CommandRunner {
        final List<List<String>> asked = new ArrayList<>();

        @Override
        public Result run(List<String> command, Duration timeout) throws java.io.IOException {
            asked.add(command);
            throw new NotInstalledException(command.get(0), new java.io.IOException("not here"));
        }
    }

    static Path profile(Path dir, String prefix, byte[] password, String backend) {
        byte[] blob = SafeStorage.encryptCbc(prefix, SafeStorage.cbcKey(password, 1), KEY.getBytes(StandardCharsets.US_ASCII));
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100").key(KEY)
                .config(Map.of("omitKey", true, "encryptedKey", HexFormat.of().formatHex(blob), "safeStorageBackend", backend));
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", "bbbbbbbb-0000-4000-8000-000000000002");
        spec.incoming(bob, "m1", 1_700_000_000_000L, "sealed with the keyring");
        return SignalProfiles.build(spec, dir);
    }

    static SignalDesktopReader.Options options(String password, CommandRunner runner) {
        return new SignalDesktopReader.Options(null, null, null, password,
                new KeyRequest(null, null, Platform.LINUX, runner, Map.of()));
    }

    static List<String> bodies(SignalDesktopReader r) throws SourceException {
        List<String> out = new ArrayList<>();
        for (Conversation c : r.conversations()) {
            r.messages(c, (Message m) -> out.add(m.body()));
        }
        return out;
    }

    @Test
    void v10BlobOpensWithoutAnyKeyring(@TempDir Path tmp) throws Exception {
        Path dir = profile(tmp.resolve("Signal"), "v10", "peanuts".getBytes(StandardCharsets.US_ASCII), "basic_text");
        String config = Files.readString(dir.resolve("config.json"));
        assertFalse(config.contains("\"key\""), "the profile holds no plaintext key: " + config);
        NoKeyrings runner = new NoKeyrings();
        try (SignalDesktopReader r = SignalDesktopReader.open(dir, options(null, runner))) {
            assertEquals(List.of("sealed with the keyring"), bodies(r));
            assertTrue(r.info().keySource().startsWith("config.json encryptedKey (v10"), r.info().keySource());
        }
        assertEquals(List.of(), runner.asked);
    }

    @Test
    void v11BlobOpensWithTheGivenKeyringSecret(@TempDir Path tmp) throws Exception {
        Path dir = profile(tmp.resolve("Signal"), "v11", PASSWORD.getBytes(StandardCharsets.US_ASCII), "gnome_libsecret");
        NoKeyrings runner = new NoKeyrings();
        try (SignalDesktopReader r = SignalDesktopReader.open(dir, options(PASSWORD, runner))) {
            assertEquals(List.of("sealed with the keyring"), bodies(r));
            assertEquals("config.json encryptedKey via --safe-storage-password", r.info().keySource());
        }
        assertEquals(List.of(), runner.asked);

        SourceException locked = assertThrows(SourceException.class, () -> SignalDesktopReader.open(dir, options(null, runner)));
        assertEquals(SourceException.Kind.KEY_UNAVAILABLE, locked.kind());
        assertTrue(locked.getMessage().contains("secret-tool is not installed"), locked.getMessage());
        assertEquals(List.of(List.of("secret-tool", "lookup", "application", "Signal")), runner.asked);

        SourceException wrong = assertThrows(SourceException.class,
                () -> SignalDesktopReader.open(dir, options("bm90IGl0IGF0IGFsbCE=", runner)));
        assertEquals(SourceException.Kind.WRONG_KEY, wrong.kind());
    }
}
