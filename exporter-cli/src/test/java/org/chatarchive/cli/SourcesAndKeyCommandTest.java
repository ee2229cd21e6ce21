package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.readers.keys.CommandRunner;
import org.chatarchive.readers.keys.Platform;
import org.chatarchive.readers.keys.SafeStorage;

/**
 * {@code sources}, {@code key} and {@code export signal-desktop} on temporary home folders holding profiles built
 * with Signal's SQLCipher. Keyring tools are scripted (the real keyrings cannot run in a test): secret-tool knows
 * the password, kwallet-query is not installed.
 */
class SourcesAndKeyCommandTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String PLAIN_KEY = "11".repeat(32);
    static final String WRAPPED_KEY = "2233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011";
    static final String PASSWORD = "S2V5cmluZ1Bhc3N3b3JkIQ==";

    @TempDir
    static Path tmp;
    static Path home;
    static Path plain;
    static Path flatpak;
    static Path beta;
    static final List<List<String>> asked = new ArrayList<>();
    private Host previous;

    static final CommandRunner KEYRINGS = (command, timeout) -> {
        asked.add(command);
        if (command.equals(List.of("secret-tool", "lookup", "application", "Signal"))) {
            return new CommandRunner.Result(0, (PASSWORD + "\n").getBytes(StandardCharsets.US_ASCII), "");
        }
        throw new CommandRunner.NotInstalledException(command.get(0), new IOException("not installed"));
    };

    /** A profile with {@code messages} messages in two chats; {@code backend} null means a plaintext key. */
    static Path profile(Path dir, String key, String backend, int messages) {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100").key(key);
        if (backend != null) {
            byte[] blob = SafeStorage.encryptCbc("v11", SafeStorage.cbcKey(PASSWORD.getBytes(StandardCharsets.US_ASCII), 1),
                    key.getBytes(StandardCharsets.US_ASCII));
            spec.config(Map.of("omitKey", true, "encryptedKey", HexFormat.of().formatHex(blob),
                    "safeStorageBackend", backend));
        }
        String bob = spec.privateChat("c-bob", "Bob", "+15555550102", "bbbbbbbb-0000-4000-8000-000000000002");
        String eve = spec.privateChat("c-eve", "Eve", "+15555550105", "eeeeeeee-0000-4000-8000-000000000005");
        for (int i = 0; i < messages; i++) {
            spec.incoming(i % 2 == 0 ? bob : eve, "m" + i, 1_700_000_000_000L + i * 1000L, "message " + i);
        }
        return SignalProfiles.build(spec, dir);
    }

    @BeforeAll
    static void homes() {
        home = tmp.resolve("home");
        plain = profile(home.resolve(".config/Signal"), PLAIN_KEY, null, 5);
        flatpak = profile(home.resolve(".var/app/org.signal.Signal/config/Signal"), WRAPPED_KEY, "gnome_libsecret", 3);
        beta = profile(home.resolve(".config/Signal Beta"), WRAPPED_KEY, "kwallet6", 1);
    }

    void useHome(Path h) {
        previous = Host.use(new Host(Platform.LINUX, h, Map.of(), KEYRINGS));
    }

    @AfterEach
    void restore() {
        if (previous != null) {
            Host.use(previous);
        }
        asked.clear();
    }

    @Test
    void sourcesListsEveryProfileWithCountsOrTheReason() {
        useHome(home);
        Cli.Result r = Cli.run("sources");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of(plain.toString(),
                "  schema 1830, 2 conversations, 5 messages, key from config.json key",
                beta.toString(),
                "  not opened, key: KDE Wallet (kwallet-query) could not be asked: kwallet-query is not installed;"
                        + " install kwallet-query (package kwalletcli or kf6-kwallet), or pass the keyring secret with"
                        + " --safe-storage-password, or the database key with --key.",
                flatpak.toString(),
                "  schema 1830, 2 conversations, 3 messages, key from config.json encryptedKey via gnome_libsecret"
                        + " (secret-tool)"), lines);
        assertFalse(r.out().contains(WRAPPED_KEY) || r.out().contains(PASSWORD) || r.err().contains(PASSWORD));
    }

    @Test
    void sourcesWithNoProfileSaysWhereItLooked() {
        useHome(tmp.resolve("empty-home"));
        Cli.Result r = Cli.run("sources");
        assertEquals(ExitCode.SOURCE, r.code());
        assertTrue(r.err().startsWith("chat-archive: No Signal Desktop profile was found (looked in ")
                && r.err().contains(".var/app/org.signal.Signal/config/Signal"), r.err());
    }

    @Test
    void keyPrintsOnlyTheKeyOnStdoutAndWarnsOnStderr() {
        useHome(home);
        Cli.Result r = Cli.run("key", flatpak.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(WRAPPED_KEY + System.lineSeparator(), r.out());
        assertTrue(r.err().contains("unlocks every message") && r.err().contains("keep it safe")
                && r.err().contains("via gnome_libsecret (secret-tool)"), r.err());
        assertFalse(r.err().contains(WRAPPED_KEY), "the key goes to stdout only");
        assertEquals(List.of(List.of("secret-tool", "lookup", "application", "Signal")), asked);
    }

    @Test
    void keyFailuresAreOneLineWithTheKeyExitCode() {
        useHome(home);
        Cli.Result r = Cli.run("key", beta.toString());
        assertEquals(ExitCode.KEY, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("kwallet-query is not installed"), r.err());
        assertEquals("", r.out());

        Cli.Result given = Cli.run("key", beta.toString(), "--safe-storage-password", PASSWORD);
        assertEquals(0, given.code(), given.err());
        assertEquals(WRAPPED_KEY, given.out().strip());

        Cli.Result wrong = Cli.run("key", beta.toString(), "--safe-storage-password", "nope");
        assertEquals(ExitCode.KEY, wrong.code());
        assertTrue(wrong.err().contains("does not unwrap"), wrong.err());
    }

    @Test
    void theWordSignalDesktopNeedsExactlyOneProfile() {
        useHome(home);
        Cli.Result several = Cli.run("key", "signal-desktop");
        assertEquals(ExitCode.USAGE, several.code());
        assertTrue(several.err().contains("Several Signal Desktop profiles were found")
                && several.err().contains(plain.toString()) && several.err().contains(beta.toString())
                && several.err().contains(flatpak.toString()), several.err());

        Path single = tmp.resolve("single-home");
        profile(single.resolve(".config/Signal"), PLAIN_KEY, null, 2);
        useHome(single);
        Cli.Result one = Cli.run("key", "signal-desktop");
        assertEquals(0, one.code(), one.err());
        assertEquals(PLAIN_KEY, one.out().strip());
    }

    @Test
    void exportSignalDesktopWithTheKeyringSecret() throws Exception {
        Path single = tmp.resolve("wrapped-home");
        profile(single.resolve("snap/signal-desktop/current/.config/Signal"), WRAPPED_KEY, "kwallet5", 4);
        useHome(single);
        Path out = tmp.resolve("wrapped-archive");
        Cli.Result locked = Cli.run("export", "signal-desktop", "--out", out.toString(), "-q");
        assertEquals(ExitCode.KEY, locked.code(), locked.err());
        assertTrue(locked.err().contains("KDE Wallet"), locked.err());
        assertFalse(Files.exists(out));

        Cli.Result r = Cli.run("export", "signal-desktop", "--out", out.toString(), "-q",
                "--safe-storage-password", PASSWORD);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Exported 4 messages in 2 conversations"), r.out());
        JsonNode archive = new ObjectMapper().readTree(out.resolve("archive.json").toFile());
        assertEquals("config.json encryptedKey via --safe-storage-password",
                archive.at("/sources/0/keySource").asText(), archive.get("sources").toString());
        assertFalse(Files.readString(out.resolve("archive.json")).contains(PASSWORD));
    }

    @Test
    void noProfileForTheWordIsASourceError() {
        useHome(tmp.resolve("nobody-home"));
        Cli.Result r = Cli.run("export", "signal-desktop", "--out",
                tmp.resolve("none").toString());
        assertEquals(ExitCode.SOURCE, r.code());
        assertTrue(r.err().contains("give the profile folder instead of signal-desktop"), r.err());
    }
}
