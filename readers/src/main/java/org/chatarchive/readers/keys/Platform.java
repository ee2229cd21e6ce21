package org.chatarchive.readers.keys;

import java.util.Locale;

/** The operating system whose key store wrapped a profile's key, or that this program runs on. */
public enum Platform {
    LINUX, MACOS, WINDOWS;

    /** The platform this JVM runs on; anything that is neither macOS nor Windows counts as Linux (BSDs too). */
    public static Platform current() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.contains("darwin")) {
            return MACOS;
        }
        if (os.startsWith("windows")) {
            return WINDOWS;
        }
        return LINUX;
    }
}
