package org.chatarchive.readers.signal.desktop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.chatarchive.readers.keys.Platform;

/**
 * Where Signal Desktop keeps its profiles on each OS (format notes §1.1): the release and Beta folders, and on
 * Linux also the Flatpak and Snap ones. Home and environment are parameters so that tests can point it anywhere.
 */
public final class SignalProfileLocator {

    private final Platform os;
    private final Path home;
    private final Map<String, String> env;

    /**
     * @param os   whose folder layout to use
     * @param home the user's home folder
     * @param env  environment variables ({@code XDG_CONFIG_HOME}, {@code APPDATA})
     */
    public SignalProfileLocator(Platform os, Path home, Map<String, String> env) {
        this.os = os;
        this.home = home;
        this.env = env;
    }

    /** The locator for this computer and user. */
    public static SignalProfileLocator system() {
        return new SignalProfileLocator(Platform.current(), Path.of(System.getProperty("user.home")), System.getenv());
    }

    /** Every folder a profile may be in, most usual first, whether or not it exists. */
    public List<Path> candidates() {
        LinkedHashSet<Path> dirs = new LinkedHashSet<>();
        switch (os) {
            case LINUX -> {
                String xdg = env.get("XDG_CONFIG_HOME");
                // The XDG spec says a relative XDG_CONFIG_HOME is invalid and is to be ignored.
                Path config = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                        ? Path.of(xdg) : home.resolve(".config");
                dirs.add(config.resolve("Signal"));
                dirs.add(config.resolve("Signal Beta"));
                dirs.add(home.resolve(".config").resolve("Signal"));
                dirs.add(home.resolve(".config").resolve("Signal Beta"));
                dirs.add(home.resolve(".var/app/org.signal.Signal/config/Signal"));
                dirs.add(home.resolve("snap/signal-desktop/current/.config/Signal"));
            }
            case MACOS -> {
                Path support = home.resolve("Library").resolve("Application Support");
                dirs.add(support.resolve("Signal"));
                dirs.add(support.resolve("Signal Beta"));
            }
            case WINDOWS -> {
                String appData = env.get("APPDATA");
                Path roaming = appData != null && !appData.isBlank()
                        ? Path.of(appData) : home.resolve("AppData").resolve("Roaming");
                dirs.add(roaming.resolve("Signal"));
                dirs.add(roaming.resolve("Signal Beta"));
            }
        }
        return new ArrayList<>(dirs);
    }

    /** The candidates that hold a profile: {@code config.json} and {@code sql/db.sqlite}. */
    public List<Path> find() {
        List<Path> found = new ArrayList<>();
        for (Path dir : candidates()) {
            if (Files.isRegularFile(dir.resolve("config.json"))
                    && Files.isRegularFile(dir.resolve("sql").resolve("db.sqlite"))) {
                found.add(dir);
            }
        }
        return found;
    }
}
