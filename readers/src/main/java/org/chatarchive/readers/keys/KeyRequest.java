package org.chatarchive.readers.keys;

import java.util.Map;

/**
 * What the user gave towards a profile's database key, and the surroundings needed to find it.
 *
 * @param keyHex              {@code --key} / {@code --key-file}: the database key itself, or null
 * @param safeStoragePassword {@code --safe-storage-password}: the keyring secret (or, for a Windows blob, the
 *                            base64 AES key), or null
 * @param platform            the OS this runs on: decides which keyring tools can be asked
 * @param runner              runs the keyring tools
 * @param env                 environment variables ({@value #PASSWORD_ENV} is read from here)
 */
public record KeyRequest(String keyHex, String safeStoragePassword, Platform platform, CommandRunner runner,
                         Map<String, String> env) {

    /** The environment variable that may hold the keyring secret instead of {@code --safe-storage-password}. */
    public static final String PASSWORD_ENV = "CHAT_ARCHIVE_SAFE_STORAGE_PASSWORD";

    public KeyRequest {
        env = env == null ? Map.of() : env;
    }

    /** A request on this computer: the real OS, the real keyring tools, the real environment. */
    public static KeyRequest system(String keyHex, String safeStoragePassword) {
        return new KeyRequest(keyHex, safeStoragePassword, Platform.current(), CommandRunner.system(), System.getenv());
    }

    /** The same request with another key option. */
    public KeyRequest withKeyHex(String hex) {
        return new KeyRequest(hex, safeStoragePassword, platform, runner, env);
    }

    /** The user-given keyring secret, from the option or else the environment, or null. */
    String manualSecret() {
        if (safeStoragePassword != null) {
            return safeStoragePassword;
        }
        return env.get(PASSWORD_ENV);
    }

    /** Where {@link #manualSecret()} came from. */
    String manualSecretOrigin() {
        return safeStoragePassword != null ? "--safe-storage-password" : PASSWORD_ENV;
    }
}
