package org.chatarchive.model.source;

import java.io.IOException;

/**
 * Thrown while reading a stream from {@link ChatSource#openAttachment} when the source file turns out to be
 * unreadable, damaged or not what the source recorded (e.g. a failed integrity check at its end). Unlike other
 * I/O errors during a copy, it concerns the one attachment only: the copy is discarded and the export goes on.
 */
public class UnreadableAttachmentException extends IOException {

    public UnreadableAttachmentException(String message) {
        super(message);
    }

    public UnreadableAttachmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
