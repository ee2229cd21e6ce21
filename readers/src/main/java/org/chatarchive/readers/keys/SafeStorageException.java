package org.chatarchive.readers.keys;

/**
 * An Electron safeStorage blob could not be decrypted. The message describes the blob problem only; the caller
 * adds where the secret came from and what to do, since only it knows.
 */
public final class SafeStorageException extends Exception {

    /** Why decryption failed. */
    public enum Reason {
        /** The blob does not start with a prefix this reader knows ({@code v10}, {@code v11}). */
        UNSUPPORTED,
        /** The blob has the wrong length or shape for its format; it was damaged or cut short. */
        MALFORMED,
        /** The cipher rejected it (bad padding or authentication tag): wrong secret, or damaged blob. */
        DECRYPT_FAILED,
        /** It decrypted, but not to a 64-hex-character database key. */
        NOT_A_KEY
    }

    private final Reason reason;

    public SafeStorageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
