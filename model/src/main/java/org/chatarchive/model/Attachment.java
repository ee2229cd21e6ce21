package org.chatarchive.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A file sent with a message, or an avatar.
 *
 * @param contentType   MIME type as the source gives it
 * @param fileName      the sender's file name, if any
 * @param size          plaintext size in bytes, if known
 * @param sha256        lower-case hex SHA-256 of the plaintext bytes, when they were read
 * @param width         pixels, for images and videos
 * @param height        pixels, for images and videos
 * @param durationMs    for audio and video
 * @param kind          what it is, for a person
 * @param caption       caption text
 * @param availability  whether the bytes are in the archive
 * @param missingReason a sentence saying why the bytes are absent, when they are
 * @param storePath     path of the bytes relative to the archive root ({@code attachments/ab/ab…ef.jpg})
 * @param sourceRef     where the reader finds the bytes in the source; never written to the archive
 */
public record Attachment(
        String contentType,
        String fileName,
        Long size,
        String sha256,
        Integer width,
        Integer height,
        Long durationMs,
        AttachmentKind kind,
        String caption,
        Availability availability,
        String missingReason,
        String storePath,
        @JsonIgnore String sourceRef) {

    /** A copy of this attachment recording that its bytes are stored under {@code path} with hash {@code hash}. */
    public Attachment stored(String hash, long plaintextSize, String path) {
        return new Attachment(contentType, fileName, plaintextSize, hash, width, height, durationMs, kind, caption,
                Availability.STORED, null, path, sourceRef);
    }

    /** A copy of this attachment recording that its bytes are absent, and why. */
    public Attachment missing(Availability why, String reason) {
        return new Attachment(contentType, fileName, size, sha256, width, height, durationMs, kind, caption,
                why, reason, null, sourceRef);
    }
}
