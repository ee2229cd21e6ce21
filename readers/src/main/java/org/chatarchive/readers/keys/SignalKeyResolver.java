package org.chatarchive.readers.keys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.chatarchive.readers.keys.KeyBackend.SecretKind;

/**
 * Finds a Signal Desktop profile's database key, in this order:
 * <ol>
 *   <li>{@code --key} / {@code --key-file};</li>
 *   <li>{@code config.json}'s plaintext {@code key} (always right when present, see the format notes §2.2);</li>
 *   <li>{@code config.json}'s {@code encryptedKey}, unwrapped with the secret from the user
 *       ({@code --safe-storage-password}, tried alone when given) or else from the key store that wrapped it:
 *       Linux v10 needs none, Linux v11 asks the keyring named by {@code safeStorageBackend}, macOS asks the
 *       Keychain, Windows asks DPAPI.</li>
 * </ol>
 * The format of a blob is told by its shape, not by the OS this runs on, so a profile copied from another computer
 * gets an error that says where its secret lives.
 */
public final class SignalKeyResolver {

    private static final Pattern HEX64 = Pattern.compile("[0-9A-Fa-f]{64}");

    private final KeyRequest request;

    public SignalKeyResolver(KeyRequest request) {
        this.request = request;
    }

    /**
     * The key of the profile at {@code profileDir} whose parsed config.json is {@code config}.
     *
     * @throws SourceException {@link Kind#KEY_UNAVAILABLE} when no key can be had, {@link Kind#WRONG_KEY} when a
     *                         secret does not unwrap {@code encryptedKey}; the message names the backend tried and
     *                         what to do next
     */
    public ResolvedKey resolve(Path profileDir, JsonNode config) throws SourceException {
        if (request.keyHex() != null) {
            return new ResolvedKey(parseKeyOption(request.keyHex()), "--key");
        }
        JsonNode key = config.get("key");
        if (key != null && key.isTextual() && HEX64.matcher(key.asText()).matches()) {
            return new ResolvedKey(HexFormat.of().parseHex(key.asText()), "config.json key");
        }
        JsonNode wrapped = config.get("encryptedKey");
        if (wrapped != null && wrapped.isTextual()) {
            JsonNode backend = config.get("safeStorageBackend");
            return unwrap(profileDir, wrapped.asText(), backend != null && backend.isTextual() ? backend.asText() : null);
        }
        if (key != null) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json's \"key\" is not 64 hexadecimal"
                    + " characters. Pass the database key with --key.");
        }
        throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json holds no database key (neither \"key\" nor"
                + " \"encryptedKey\"). Pass the database key with --key (64 hex characters).");
    }

    /** "Signal" or "Signal Beta", from the profile folder's name: the name the key stores file the secret under. */
    public static String appName(Path profileDir) {
        Path name = profileDir.toAbsolutePath().normalize().getFileName();
        return name != null && name.toString().contains("Beta") ? "Signal Beta" : "Signal";
    }

    private static byte[] parseKeyOption(String keyOption) throws SourceException {
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

    private ResolvedKey unwrap(Path dir, String hex, String backendName) throws SourceException {
        String wrappedBy = backendName == null ? "" : " (safeStorageBackend " + backendName + ")";
        byte[] blob = SafeStorage.fromHex(hex);
        if (blob == null) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json's encryptedKey" + wrappedBy + " is not"
                    + " hexadecimal; restore config.json from the Signal profile folder, or pass the database key"
                    + " with --key.");
        }
        try {
            SafeStorage.checkShape(blob);
        } catch (SafeStorageException e) {
            String what = e.reason() == SafeStorageException.Reason.UNSUPPORTED
                    ? "cannot be unwrapped: " + e.getMessage() + "; update chat-archive, or pass the database key"
                    + " with --key."
                    : "is damaged: " + e.getMessage() + "; restore config.json from the Signal profile folder, or"
                    + " pass the database key with --key.";
            throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json's encryptedKey" + wrappedBy + " " + what, e);
        }
        String app = appName(dir);
        String manual = request.manualSecret();
        if (SafeStorage.looksLikeWindows(blob)) {
            KeyBackend backend;
            if (manual != null) {
                backend = new ManualSecret(manual, request.manualSecretOrigin(), SecretKind.AES_KEY);
            } else if (request.platform() == Platform.WINDOWS) {
                backend = new DpapiBackend(dir, request.runner());
            } else {
                throw new SourceException(Kind.KEY_UNAVAILABLE, "This profile's key was wrapped by Windows DPAPI,"
                        + " which only the Windows user who runs Signal can unwrap; run 'chat-archive key' on that"
                        + " account and pass the result with --key, or pass the base64 key from Local State with"
                        + " --safe-storage-password.");
            }
            return withSecret(backend, blob, "Windows");
        }
        if ("v10".equals(SafeStorage.prefix(blob))) {
            try {
                return found(SafeStorage.decryptLinux(blob, null), "config.json encryptedKey (v10, Chromium's fixed"
                        + " Linux password)");
            } catch (SafeStorageException notLinux) {
                // Not Linux v10: a macOS blob, which needs the Keychain secret.
            }
            KeyBackend backend;
            if (manual != null) {
                backend = new ManualSecret(manual, request.manualSecretOrigin(), SecretKind.PASSWORD);
            } else if (request.platform() == Platform.MACOS) {
                backend = new KeychainBackend(app, request.runner());
            } else {
                throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json's encryptedKey is a v10 blob that"
                        + " Chromium's fixed Linux password does not open, so it was wrapped by the macOS Keychain;"
                        + " pass the Keychain's '" + app + " Safe Storage' secret with --safe-storage-password, or"
                        + " the database key with --key.");
            }
            return withSecret(backend, blob, "macOS");
        }
        // v11: a Linux keyring secret.
        if (manual != null) {
            return withSecret(new ManualSecret(manual, request.manualSecretOrigin(), SecretKind.PASSWORD), blob, "Linux");
        }
        if (request.platform() != Platform.LINUX) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, "This profile's key was wrapped by a Linux keyring"
                    + wrappedBy + ", which can only be asked on that Linux computer; pass its secret (secret-tool"
                    + " lookup application " + app + ") with --safe-storage-password, or the database key with --key.");
        }
        List<KeyBackend> backends = linuxBackends(backendName, app);
        List<SourceException> unavailable = new ArrayList<>();
        for (KeyBackend backend : backends) {
            try {
                return withSecret(backend, blob, "Linux");
            } catch (SourceException e) {
                if (e.kind() != Kind.KEY_UNAVAILABLE) {
                    throw e;
                }
                unavailable.add(e);
            }
        }
        if (unavailable.size() == 1) {
            throw unavailable.get(0);
        }
        throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json names no keyring (safeStorageBackend), and"
                + " neither " + backends.get(0).label() + " nor " + backends.get(1).label() + " gave the '" + app
                + " Safe Storage' secret; unlock your keyring and run again, " + KeyBackend.NEXT_STEPS,
                unavailable.get(0));
    }

    /** The Linux keyrings to ask, from config.json's {@code safeStorageBackend}. */
    List<KeyBackend> linuxBackends(String backendName, String app) throws SourceException {
        if (backendName == null || backendName.equals("unknown")) {
            return List.of(new SecretServiceBackend(app, request.runner()),
                    new KWalletBackend("kwallet", "kdewallet", request.runner()));
        }
        return switch (backendName) {
            case "gnome_libsecret" -> List.of(new SecretServiceBackend(app, request.runner()));
            case "kwallet", "kwallet5", "kwallet6" -> List.of(new KWalletBackend(backendName, "kdewallet",
                    request.runner()));
            case "basic_text" -> throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json says"
                    + " safeStorageBackend basic_text (no keyring), yet its encryptedKey is a v11 blob, which needs a"
                    + " keyring secret; pass that secret with --safe-storage-password, or the database key with --key.");
            default -> throw new SourceException(Kind.KEY_UNAVAILABLE, "config.json names safeStorageBackend "
                    + backendName + ", a key store this reader does not know; pass its secret with"
                    + " --safe-storage-password, or the database key with --key.");
        };
    }

    private ResolvedKey withSecret(KeyBackend backend, byte[] blob, String os) throws SourceException {
        byte[] secret = backend.secret();
        try {
            String hex = switch (os) {
                case "Windows" -> SafeStorage.decryptWindows(blob, secret);
                case "macOS" -> SafeStorage.decryptMac(blob, secret);
                default -> SafeStorage.decryptLinux(blob, secret);
            };
            return found(hex, "config.json encryptedKey via " + backend.label());
        } catch (SafeStorageException e) {
            throw new SourceException(Kind.WRONG_KEY, "The secret from " + backend.label() + " does not unwrap"
                    + " config.json's " + os + " encryptedKey (" + e.getMessage() + "); check that it is the secret"
                    + " of the keyring this profile was made with, or pass the database key with --key.");
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static ResolvedKey found(String hex, String source) {
        return new ResolvedKey(HexFormat.of().parseHex(hex), source);
    }
}
