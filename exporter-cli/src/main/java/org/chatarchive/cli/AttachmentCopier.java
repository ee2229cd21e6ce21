package org.chatarchive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Attachments;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.UnreadableAttachmentException;
import org.chatarchive.model.store.AttachmentStore;
import org.chatarchive.model.store.StoredFile;

/**
 * Copies attachment bytes from the source into the archive's content-addressed store, streaming (the plaintext
 * goes nowhere but the store), and records for each attachment whether it was stored or why not. A missing or
 * undecryptable file is counted and noted on the attachment; the export goes on. Failures to write the archive
 * are not caught here: they end the export.
 */
final class AttachmentCopier {

    private final ChatSource source;
    private final AttachmentStore writer;
    private long stored;
    private long storedBytes;
    private long fileMissing;
    private long notDownloaded;
    private long decryptionFailed;
    private long notExported;
    /** The message, conversation or participant whose attachments are being copied, for the custody log. */
    private Object owner;

    AttachmentCopier(ChatSource source, AttachmentStore writer) {
        this.source = source;
        this.writer = writer;
    }

    /** {@code m} with every attachment (own, quoted, edited, previews, sticker, contacts) copied. */
    Message message(Message m) throws IOException {
        owner = m;
        try {
            return Attachments.map(m, this::copyUnchecked);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Names {@code m} as the message whose attachments {@link #copy} is given next (for the custody log). */
    void ownedBy(Message m) {
        owner = m;
    }

    /**
     * Counts the attachments of an archived message kept as it is, as {@link #copy} counts them when the source
     * gives them again: one whose file is not stored is logged and counted in the run's notes again.
     */
    void countKept(Message m) {
        owner = m;
        Attachments.forEach(m, this::count);
    }

    /** {@code c} with its avatar copied. */
    Conversation conversation(Conversation c) throws IOException {
        if (c.avatar() == null) {
            return c;
        }
        owner = c;
        return new Conversation(c.id(), c.kind(), c.title(), c.participantIds(), copy(c.avatar()), c.sourceApp(),
                c.extra());
    }

    /** {@code p} with its avatar copied. */
    Participant participant(Participant p) throws IOException {
        owner = p;
        return p.avatar() == null ? p : p.withAvatar(copy(p.avatar()));
    }

    private Attachment copyUnchecked(Attachment a) {
        try {
            return copy(a);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Copies one attachment's bytes when the source has them, and counts the outcome. */
    Attachment copy(Attachment a) throws IOException {
        Attachment out = a;
        if (a.sourceRef() != null && a.availability() != Availability.STORED) {
            out = store(a);
        }
        count(out);
        return out;
    }

    private Attachment store(Attachment a) throws IOException {
        try (InputStream in = source.openAttachment(a)) {
            StoredFile f = writer.storeAttachment(in, a.contentType(), a.fileName());
            storedBytes += f.size();
            return a.stored(f.sha256(), f.size(), f.storePath());
        } catch (SourceException e) {
            return a.missing(e.kind() == SourceException.Kind.ATTACHMENT_MISSING ? Availability.FILE_MISSING
                    : Availability.DECRYPTION_FAILED, e.getMessage());
        } catch (UnreadableAttachmentException e) {
            return a.missing(Availability.DECRYPTION_FAILED, "The file could not be read: " + e.getMessage() + ".");
        }
    }

    private void count(Attachment a) {
        if (a.availability() == null) {
            return; // a description only (e.g. a quoted attachment without thumbnail): no file was ever meant
        }
        switch (a.availability()) {
            case STORED -> stored++;
            case FILE_MISSING -> fileMissing++;
            case NOT_DOWNLOADED -> notDownloaded++;
            case DECRYPTION_FAILED -> decryptionFailed++;
            case NOT_EXPORTED -> notExported++;
        }
        if (a.availability() != Availability.STORED) {
            RunLog.attachmentMissing(owner, a);
        }
    }

    /** Counts for {@code archive.json}, under {@code attachments.*}. */
    Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("attachments.stored", stored);
        out.put("attachments.storedBytes", storedBytes);
        out.put("attachments.missing.fileMissing", fileMissing);
        out.put("attachments.missing.notDownloaded", notDownloaded);
        out.put("attachments.missing.decryptionFailed", decryptionFailed);
        if (notExported > 0) {
            out.put("attachments.notExported", notExported);
        }
        return out;
    }

    /** One line for the run summary, e.g. "Attachments 12 stored · 3 missing (2 not downloaded, 1 file missing)". */
    String summary() {
        long missing = fileMissing + notDownloaded + decryptionFailed;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Attachments %,d stored (%s)", stored,
                megabytes(storedBytes)));
        if (missing > 0) {
            Map<String, Long> why = new LinkedHashMap<>();
            why.put("not downloaded", notDownloaded);
            why.put("file missing", fileMissing);
            why.put("decryption failed", decryptionFailed);
            sb.append(String.format(Locale.ROOT, " · %,d missing (", missing))
                    .append(why.entrySet().stream().filter(e -> e.getValue() > 0)
                            .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
                            .collect(Collectors.joining(", ")))
                    .append("; listed in the messages)");
        }
        return sb.toString();
    }

    private static String megabytes(long bytes) {
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
