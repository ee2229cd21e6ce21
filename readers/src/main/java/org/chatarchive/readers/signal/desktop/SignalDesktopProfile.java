package org.chatarchive.readers.signal.desktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.chatarchive.readers.keys.KeyRequest;
import org.chatarchive.readers.keys.ResolvedKey;
import org.chatarchive.readers.keys.SignalKeyResolver;

/**
 * The files of a Signal Desktop profile directory ({@code config.json}, {@code sql/db.sqlite}, the attachment
 * folders) and the database key it holds.
 */
public final class SignalDesktopProfile {

    private final Path dir;
    private final JsonNode config;

    private SignalDesktopProfile(Path dir, JsonNode config) {
        this.dir = dir;
        this.config = config;
    }

    /**
     * Checks that {@code dir} looks like a Signal Desktop profile and reads its {@code config.json}.
     *
     * @throws SourceException {@link Kind#NOT_A_SOURCE} saying what was expected
     */
    public static SignalDesktopProfile open(Path dir) throws SourceException {
        if (!Files.exists(dir)) {
            throw new SourceException(Kind.NOT_A_SOURCE, dir + " does not exist. Give the Signal Desktop profile"
                    + " folder (the one holding config.json and sql/db.sqlite; on Linux ~/.config/Signal).");
        }
        if (!Files.isDirectory(dir)) {
            throw new SourceException(Kind.NOT_A_SOURCE, dir + " is a file, not a Signal Desktop profile folder."
                    + " Give the folder that holds config.json and sql/db.sqlite.");
        }
        Path configFile = dir.resolve("config.json");
        Path db = dir.resolve("sql").resolve("db.sqlite");
        if (!Files.isRegularFile(configFile)) {
            throw new SourceException(Kind.NOT_A_SOURCE, dir + " is not a Signal Desktop profile: config.json is"
                    + " missing. Give the folder that holds config.json and sql/db.sqlite (on Linux ~/.config/Signal,"
                    + " on macOS ~/Library/Application Support/Signal, on Windows %APPDATA%\\Signal).");
        }
        if (!Files.isRegularFile(db)) {
            throw new SourceException(Kind.NOT_A_SOURCE, dir + " has config.json but no sql/db.sqlite: this profile"
                    + " holds no message database. Give the profile folder of a Signal Desktop that has been linked.");
        }
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(Files.readAllBytes(configFile));
        } catch (IOException e) {
            throw new SourceException(Kind.NOT_A_SOURCE, configFile + " is not valid JSON (" + firstLine(e)
                    + "). Restore it from the Signal Desktop profile, or pass the key with --key.");
        }
        if (config == null || !config.isObject()) {
            throw new SourceException(Kind.NOT_A_SOURCE, configFile + " is not a JSON object. Restore it from the"
                    + " Signal Desktop profile, or pass the key with --key.");
        }
        return new SignalDesktopProfile(dir, config);
    }

    /** The profile directory. */
    public Path dir() {
        return dir;
    }

    /** {@code sql/db.sqlite}. */
    public Path database() {
        return dir.resolve("sql").resolve("db.sqlite");
    }

    /**
     * The 32-byte SQLCipher key: {@code keyOption} (64 hex characters) when given, else {@code config.json}'s
     * {@code key}, else its {@code encryptedKey} unwrapped through this computer's key store.
     *
     * @throws SourceException {@link Kind#KEY_UNAVAILABLE} or {@link Kind#WRONG_KEY}, saying what to do
     */
    public byte[] databaseKey(String keyOption) throws SourceException {
        return resolveKey(KeyRequest.system(keyOption, null)).key();
    }

    /** The database key and where it came from, found as {@link SignalKeyResolver} describes. */
    public ResolvedKey resolveKey(KeyRequest request) throws SourceException {
        return new SignalKeyResolver(request).resolve(dir, config);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
