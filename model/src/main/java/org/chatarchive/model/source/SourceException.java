package org.chatarchive.model.source;

/**
 * A source could not be read. The message is one sentence for a person: what happened and what to do.
 * {@link #kind()} tells the command which exit code to use.
 */
public class SourceException extends Exception {

    /** What went wrong, coarsely, for exit codes. */
    public enum Kind {
        /** The key does not decrypt the source. */
        WRONG_KEY,
        /** No key was given and none could be found. */
        KEY_UNAVAILABLE,
        /** The path is not the kind of source expected (no config.json, no database, ...). */
        NOT_A_SOURCE,
        /** The source is damaged (bad page, truncated file, bad WAL). */
        CORRUPT,
        /** The source's schema is one the reader cannot read. */
        UNSUPPORTED,
        /** An attachment's file is missing. */
        ATTACHMENT_MISSING,
        /** An attachment's file could not be decrypted or verified. */
        ATTACHMENT_UNREADABLE,
        /** Reading failed for an I/O reason. */
        IO
    }

    private final Kind kind;

    public SourceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SourceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
