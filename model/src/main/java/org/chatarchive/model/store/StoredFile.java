package org.chatarchive.model.store;

/**
 * Attachment bytes in the content-addressed store.
 *
 * @param sha256    lower-case hex SHA-256 of the bytes
 * @param size      size in bytes
 * @param storePath path relative to the archive root, {@code attachments/ab/ab…ef.ext}
 */
public record StoredFile(String sha256, long size, String storePath) {
}
