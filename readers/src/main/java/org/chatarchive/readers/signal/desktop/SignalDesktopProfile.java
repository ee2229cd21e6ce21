package org.chatarchive.readers.signal.desktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * The files of a Signal Desktop profile directory ({@code config.json}, {@code sql/db.sqlite}, the attachment
 * folders) and the database key it holds.
 */
public final class SignalDesktopProfile {

    private static final Pattern HEX64 = Pattern.compile("[0-9A-Fa-f]{64}");

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

    /** {@code attachments.noindex}. */
    public Path attachmentsDir() {
        return dir.resolve("attachments.noindex");
    }

    /** Where the key will come from, for the run summary (never the key itself). */
    public String keySource(String keyOption) {
        return keyOption != null ? "--key" : "config.json key";
    }

    /**
     * The 32-byte SQLCipher key: {@code keyOption} (64 hex characters) when given, else {@code config.json}'s
     * plaintext {@code key}.
     *
     * @throws SourceException {@link Kind#KEY_UNAVAILABLE} when neither is usable, saying what to do
     */
    public byte[] databaseKey(String keyOption) throws SourceException {
        if (keyOption != null) {
            String k = keyOption.strip();
            if (k.startsWith("x'") && k.endsWith("'")) {
                k = k.substring(2, k.length() - 1);
            }
            if (!HEX64.matcher(k).matches()) {
                throw new SourceException(Kind.KEY_UNAVAILABLE, "--key must be 64 hexadecimal characters (the"
                        + " 32-byte database key, as in config.json's \"key\"); the value given has "
                        + k.length() + " characters.");
            }
            return HexFormat.of().parseHex(k);
        }
        JsonNode key = config.get("key");
        if (key != null && key.isTextual() && HEX64.matcher(key.asText()).matches()) {
            return HexFormat.of().parseHex(key.asText());
        }
        JsonNode wrapped = config.get("encryptedKey");
        if (wrapped != null && wrapped.isTextual()) {
            JsonNode backend = config.get("safeStorageBackend");
            String where = backend != null && backend.isTextual()
                    ? "the OS keyring (" + backend.asText() + ")" : "the OS keyring";
            throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json holds only an encryptedKey, wrapped by "
                    + where + ", and unwrapping it is not supported yet. Pass the database key with --key"
                    + " (64 hex characters).");
        }
        if (key != null) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json's \"key\" is not 64 hexadecimal"
                    + " characters. Pass the database key with --key.");
        }
        throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json holds no database key (neither \"key\" nor"
                + " \"encryptedKey\"). Pass the database key with --key (64 hex characters).");
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
