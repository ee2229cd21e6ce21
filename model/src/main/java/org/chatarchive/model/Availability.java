package org.chatarchive.model;

/** Whether an attachment's bytes are in the archive, and if not, why not. */
public enum Availability {
    /** The bytes are in the content-addressed store at {@link Attachment#storePath()}. */
    STORED,
    /** The app never downloaded the file. */
    NOT_DOWNLOADED,
    /** The app says it has the file, but it is not on disk. */
    FILE_MISSING,
    /** The file is there but could not be decrypted or failed its integrity check. */
    DECRYPTION_FAILED,
    /** The file was left out on purpose (by an option). */
    NOT_EXPORTED
}
