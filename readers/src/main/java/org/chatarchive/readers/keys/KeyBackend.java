package org.chatarchive.readers.keys;

import org.chatarchive.model.source.SourceException;

/**
 * Where the secret that unwraps {@code encryptedKey} comes from: an OS keyring, the Windows DPAPI, or the user.
 */
public interface KeyBackend {

    /** What {@link #secret()} returns. */
    enum SecretKind {
        /** A keyring password (Linux {@code v11}, macOS): fed to PBKDF2 as raw bytes. */
        PASSWORD,
        /** The 32-byte AES-256-GCM key of Windows {@code v10}. */
        AES_KEY
    }

    /** A short name for the archive's key source and for messages, e.g. {@code gnome_libsecret (secret-tool)}. */
    String label();

    /** What kind of secret this backend gives. */
    SecretKind kind();

    /**
     * Fetches the secret. The caller zeroes the array when done.
     *
     * @throws SourceException {@link SourceException.Kind#KEY_UNAVAILABLE}, naming this backend and what to do next
     */
    byte[] secret() throws SourceException;

    /** What every "could not get the secret" message ends with: the ways around the keyring. */
    String NEXT_STEPS = "or pass the keyring secret with --safe-storage-password, or the database key with --key.";
}
