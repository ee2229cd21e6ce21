package org.chatarchive.readers.keys;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * A secret the user gives ({@code --safe-storage-password} or {@code CHAT_ARCHIVE_SAFE_STORAGE_PASSWORD}): the
 * keyring password as stored (used as its bytes, never base64-decoded) for Linux and macOS blobs, or for Windows
 * blobs the base64 of the 32-byte key (as in sigtop's key file).
 */
public final class ManualSecret implements KeyBackend {

    private final String value;
    private final String origin;
    private final SecretKind kind;

    /**
     * @param value  the secret as given
     * @param origin where it came from, for messages ("--safe-storage-password")
     * @param kind   {@link SecretKind#AES_KEY} when unwrapping a Windows blob
     */
    public ManualSecret(String value, String origin, SecretKind kind) {
        this.value = value;
        this.origin = origin;
        this.kind = kind;
    }

    @Override
    public String label() {
        return origin;
    }

    @Override
    public SecretKind kind() {
        return kind;
    }

    @Override
    public byte[] secret() throws SourceException {
        if (value.isEmpty()) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, origin + " is empty; give the keyring secret, or the"
                    + " database key with --key.");
        }
        if (kind == SecretKind.PASSWORD) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            key = null;
        }
        if (key == null || key.length != 32) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, "This profile's key was wrapped on Windows, so " + origin
                    + " must be the base64 of the 32-byte key from Local State (44 characters); unwrap it on that"
                    + " Windows account, or pass the database key with --key.");
        }
        return key;
    }
}
