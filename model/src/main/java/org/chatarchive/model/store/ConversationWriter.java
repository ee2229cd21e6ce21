package org.chatarchive.model.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.Objects;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;

/**
 * Streams one conversation's messages to its JSON Lines file. Keeps only counters and the earliest and latest
 * timeline instants; every message goes to disk through a buffer as it is written.
 */
public final class ConversationWriter implements AutoCloseable {

    private final ArchiveWriter archive;
    private final Conversation conversation;
    private final String messagesFile;
    private final FileChannel channel;
    private final OutputStream out;
    private final MessageLineWriter lines;
    private long messages;
    private long attachments;
    private Long firstAt;
    private Long lastAt;
    private boolean done;

    ConversationWriter(ArchiveWriter archive, Conversation conversation, String messagesFile, FileChannel channel) {
        this.archive = archive;
        this.conversation = conversation;
        this.messagesFile = messagesFile;
        this.channel = channel;
        this.out = new BufferedOutputStream(PrivateFiles.stream(channel), 1 << 16);
        this.lines = new MessageLineWriter(out);
    }

    /** The file's path relative to the archive root. */
    public String messagesFile() {
        return messagesFile;
    }

    /** Appends {@code message} as one line. Messages come in timeline order, as the source gives them. */
    public void write(Message message) throws IOException {
        if (done) {
            throw new IllegalStateException("conversation " + conversation.id() + " is already finished");
        }
        if (!Objects.equals(message.conversationId(), conversation.id())) {
            throw new IllegalArgumentException("message " + message.id() + " belongs to " + message.conversationId()
                    + ", not to " + conversation.id());
        }
        lines.write(message);
        messages++;
        attachments += message.attachments().size();
        long at = message.timelineAt();
        firstAt = firstAt == null ? at : Math.min(firstAt, at);
        lastAt = lastAt == null ? at : Math.max(lastAt, at);
    }

    /** Flushes and closes the file (synced before commit) and returns its entry for {@code archive.json}. */
    public ConversationEntry finish() throws IOException {
        if (done) {
            throw new IllegalStateException("conversation " + conversation.id() + " is already finished");
        }
        done = true;
        try (channel) {
            lines.flush();
            out.flush();
        }
        archive.syncLater(messagesFile); // synced in the background; commit waits for it
        ConversationEntry entry = new ConversationEntry(conversation, messagesFile, messages, attachments, firstAt, lastAt);
        archive.finished(entry);
        return entry;
    }

    /** Closes the file; a conversation closed without {@link #finish()} stops the archive from committing. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            channel.close();
        }
    }
}
