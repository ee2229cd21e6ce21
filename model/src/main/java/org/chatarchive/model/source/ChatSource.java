package org.chatarchive.model.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;

/**
 * One opened source (a Signal Desktop profile, an export file, ...) as the neutral model.
 *
 * <p>Conversations and participants are small and returned whole; messages are streamed one conversation at a
 * time, in timeline order, so memory does not grow with history length.
 */
public interface ChatSource extends AutoCloseable {

    /** Facts about the source: type, schema version, hash of the file read. */
    SourceInfo info();

    /**
     * {@code info().type()}, for a caller that needs only the type: a source may still be hashing its files, which
     * {@link #info()} waits for.
     */
    default String type() {
        return info().type();
    }

    /** Everyone who appears in the source, owner included, in a stable order. */
    List<Participant> participants();

    /** The archive owner's participant id, or null if the source does not say. */
    String ownerId();

    /** Every conversation, in a stable order. */
    List<Conversation> conversations();

    /** How many messages {@link #messages} will give over all conversations, for progress; -1 if unknown. */
    default long messageCountHint() {
        return -1;
    }

    /** The source's own row count for a conversation, for the export's accounting; null if unknown. */
    default SourceCount sourceCount(Conversation conversation) {
        return null;
    }

    /** Streams one conversation's messages to {@code sink} in timeline order. */
    void messages(Conversation conversation, Consumer<Message> sink) throws SourceException;

    /**
     * Opens the plaintext bytes of an attachment whose {@link Attachment#sourceRef()} is set.
     *
     * @throws SourceException with {@link SourceException.Kind#ATTACHMENT_MISSING} or
     *                         {@link SourceException.Kind#ATTACHMENT_UNREADABLE} when the bytes cannot be had
     */
    InputStream openAttachment(Attachment attachment) throws SourceException, IOException;

    /** Warnings met while reading (e.g. an unknown schema version), for the run summary. */
    List<String> warnings();

    /**
     * Items in the source that were read but are not part of any conversation's messages (e.g. stories), by
     * reason, so that the archive can count them instead of losing them silently.
     */
    default java.util.Map<String, Long> excluded() {
        return java.util.Map.of();
    }

    @Override
    void close() throws SourceException;
}
