package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.readers.keys.Platform;

/** Where profiles are looked for on each OS, and which folders count as one. */
class SignalProfileLocatorTest {

    static Path fakeProfile(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sql"));
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.write(dir.resolve("sql/db.sqlite"), new byte[0]);
        return dir;
    }

    @Test
    void linuxCandidatesInOrder(@TempDir Path home) {
        List<Path> c = new SignalProfileLocator(Platform.LINUX, home, Map.of()).candidates();
        assertEquals(List.of(home.resolve(".config/Signal"), home.resolve(".config/Signal Beta"),
                home.resolve(".var/app/org.signal.Signal/config/Signal"),
                home.resolve("snap/signal-desktop/current/.config/Signal")), c);
        Path xdg = home.resolve("xdg");
        List<Path> withXdg = new SignalProfileLocator(Platform.LINUX, home, Map.of("XDG_CONFIG_HOME", xdg.toString()))
                .candidates();
        assertEquals(List.of(xdg.resolve("Signal"), xdg.resolve("Signal Beta")), withXdg.subList(0, 2));
        assertEquals(home.resolve(".config/Signal"), withXdg.get(2), "~/.config is still looked at");
        assertEquals(c, new SignalProfileLocator(Platform.LINUX, home, Map.of("XDG_CONFIG_HOME", "relative"))
                .candidates(), "a relative XDG_CONFIG_HOME is ignored, as the XDG spec says");
    }

    @Test
    void macAndWindowsCandidates(@TempDir Path home) {
        assertEquals(List.of(home.resolve("Library/Application Support/Signal"),
                        home.resolve("Library/Application Support/Signal Beta")),
                new SignalProfileLocator(Platform.MACOS, home, Map.of()).candidates());
        Path appData = home.resolve("AppData-elsewhere");
        assertEquals(List.of(appData.resolve("Signal"), appData.resolve("Signal Beta")),
                new SignalProfileLocator(Platform.WINDOWS, home, Map.of("APPDATA", appData.toString())).candidates());
        assertEquals(home.resolve("AppData").resolve("Roaming").resolve("Signal"),
                new SignalProfileLocator(Platform.WINDOWS, home, Map.of()).candidates().get(0));
    }

    @Test
    void findsOnlyFoldersWithConfigAndDatabase(@TempDir Path home) throws Exception {
        Path flatpak = fakeProfile(home.resolve(".var/app/org.signal.Signal/config/Signal"));
        Path beta = fakeProfile(home.resolve(".config/Signal Beta"));
        Files.createDirectories(home.resolve(".config/Signal"));
        Files.writeString(home.resolve(".config/Signal/config.json"), "{}"); // never linked: no database
        Files.createDirectories(home.resolve("snap/signal-desktop/current/.config/Signal/sql"));
        assertEquals(List.of(beta, flatpak), new SignalProfileLocator(Platform.LINUX, home, Map.of()).find());
        assertEquals(List.of(), new SignalProfileLocator(Platform.MACOS, home, Map.of()).find());
    }
}
