package org.chatarchive.model.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;

/**
 * Reads an archive directory. {@link #open} reads and checks {@code archive.json}; messages are streamed line by
 * line, so memory does not depend on the size of a conversation.
 *
 * <p>Content problems are {@link ArchiveFormatException}s naming the file and line;
 * {@link UnsupportedFormatVersionException} when the archive is of a newer major format version. Properties and
 * enum constants this version does not know (from a newer minor revision) are skipped and listed by
 * {@link #dropped()}.
 */
public final class ArchiveReader {

    private final Path dir;
    private final Function<String, Path> files;
    private final ArchiveInfo info;
    private final UnknownContent unknown;
    private final ObjectReader messageReader;

    private ArchiveReader(Path dir, Function<String, Path> files, ArchiveInfo info, UnknownContent unknown) {
        this.dir = dir;
        this.files = files;
        this.info = info;
        this.unknown = unknown;
        this.messageReader = CanonicalJson.reader(Message.class, unknown);
    }

    /** Opens the archive at {@code dir}, reading and checking {@code archive.json}. */
    public static ArchiveReader open(Path dir) throws IOException {
        return open(dir, dir::resolve);
    }

    /**
     * Opens the archive at {@code dir} as seen through {@code files}, which gives the file to read for each relative
     * path ({@code archive.json}, {@code participants.json}, conversation files): e.g. a file staged by an
     * {@link ArchiveUpdate} where there is one, else the archive's own ({@link ArchiveUpdate#readAfterCommit}).
     */
    public static ArchiveReader open(Path dir, Function<String, Path> files) throws IOException {
        UnknownContent unknown = new UnknownContent();
        ArchiveInfo info = readTop(dir, files, ArchiveLayout.ARCHIVE_JSON, ArchiveInfo.class, unknown);
        for (ConversationEntry e : info.conversations()) {
            if (e.conversation() == null || e.conversation().id() == null) {
                throw new ArchiveFormatException(ArchiveLayout.ARCHIVE_JSON, "a conversation entry has no conversation id");
            }
            if (e.messagesFile() == null || !ArchiveLayout.MESSAGES_FILE.matcher(e.messagesFile()).matches()) {
                throw new ArchiveFormatException(ArchiveLayout.ARCHIVE_JSON, "conversation " + e.conversation().id()
                        + " has a messagesFile that is not conversations/c-<16 hex>.jsonl: " + e.messagesFile());
            }
        }
        return new ArchiveReader(dir, files, info, unknown);
    }

    private static <T> T readTop(Path dir, Function<String, Path> files, String name, Class<T> type,
                                 UnknownContent unknown) throws IOException {
        JsonNode tree;
        try {
            tree = CanonicalJson.mapper().readTree(Files.readAllBytes(files.apply(name)));
        } catch (NoSuchFileException e) {
            throw new ArchiveFormatException(name, 0, "is missing; " + dir + " is not a chat-archive archive", e);
        } catch (JacksonException e) {
            throw new ArchiveFormatException(name, 0, "is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject() || !tree.path("formatVersion").isIntegralNumber()) {
            throw new ArchiveFormatException(name, "has no formatVersion; it is not a chat-archive file");
        }
        int version = tree.get("formatVersion").intValue();
        if (version > ArchiveInfo.FORMAT_VERSION) {
            throw new UnsupportedFormatVersionException(name, version, ArchiveInfo.FORMAT_VERSION);
        }
        if (version < 1) {
            throw new ArchiveFormatException(name, "has formatVersion " + version + ", which never existed");
        }
        try {
            return CanonicalJson.reader(type, unknown).treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new ArchiveFormatException(name, 0, "does not match the archive format: " + e.getOriginalMessage(), e);
        }
    }

    /** The archive directory. */
    public Path dir() {
        return dir;
    }

    /**
     * The file this reader reads for the archive's relative path {@code relative}: the archive's own, or the one
     * the view it was opened with gives.
     */
    public Path resolve(String relative) {
        return files.apply(relative);
    }

    /** The content of {@code archive.json}. */
    public ArchiveInfo info() {
        return info;
    }

    /** The content of {@code participants.json}, read now. */
    public List<Participant> participants() throws IOException {
        return readTop(dir, files, ArchiveLayout.PARTICIPANTS_JSON, ParticipantsFile.class, unknown).participants();
    }

    /**
     * Streams the messages of {@code entry}, one line at a time. Close the stream (try-with-resources). Throws
     * {@link ArchiveFormatException} for a malformed line, a message of another conversation, or a line count that
     * differs from {@link ConversationEntry#messageCount()}; {@link UncheckedIOException} for I/O errors.
     */
    public Stream<Message> messages(ConversationEntry entry) throws IOException {
        String name = entry.messagesFile();
        if (name == null || !ArchiveLayout.MESSAGES_FILE.matcher(name).matches()) {
            throw new ArchiveFormatException(ArchiveLayout.ARCHIVE_JSON, "bad messagesFile: " + name);
        }
        BufferedReader lines;
        try {
            lines = new BufferedReader(new InputStreamReader(Files.newInputStream(files.apply(name)),
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new ArchiveFormatException(name, 0, "is missing", e);
        }
        LineSpliterator spliterator = new LineSpliterator(lines, name, entry);
        return StreamSupport.stream(spliterator, false).onClose(() -> {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Properties and enum constants met so far that this version of the format does not know, e.g.
     * {@code Message.newField} or {@code EventType=NEW_KIND}. They were skipped; rewriting the archive from what
     * was read would lose them.
     */
    public Set<String> dropped() {
        return unknown.dropped();
    }

    private final class LineSpliterator extends Spliterators.AbstractSpliterator<Message> {
        private final BufferedReader lines;
        private final String name;
        private final ConversationEntry entry;
        private long lineNo;

        LineSpliterator(BufferedReader lines, String name, ConversationEntry entry) {
            super(entry.messageCount(), Spliterator.ORDERED | Spliterator.NONNULL);
            this.lines = lines;
            this.name = name;
            this.entry = entry;
        }

        @Override
        public boolean tryAdvance(Consumer<? super Message> action) {
            String line;
            try {
                line = lines.readLine();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ArchiveFormatException(name, lineNo + 1, "is not valid UTF-8", e);
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": " + e.getMessage(), e);
            }
            if (line == null) {
                if (lineNo != entry.messageCount()) {
                    throw new ArchiveFormatException(name, 0, "holds " + lineNo + " messages but archive.json says "
                            + entry.messageCount(), null);
                }
                return false;
            }
            lineNo++;
            Message message;
            try {
                message = messageReader.readValue(line);
            } catch (JacksonException e) {
                throw new ArchiveFormatException(name, lineNo, "is not a valid message: " + e.getOriginalMessage(), e);
            }
            if (message == null || !entry.conversation().id().equals(message.conversationId())) {
                throw new ArchiveFormatException(name, lineNo, "holds a message of another conversation ("
                        + (message == null ? "null" : message.conversationId()) + ")", null);
            }
            action.accept(message);
            return true;
        }
    }
}
