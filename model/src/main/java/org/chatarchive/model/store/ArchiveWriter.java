package org.chatarchive.model.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Participant;

/**
 * Writes an archive directory by streaming, into a private staging directory beside the output directory, and
 * moves it into place only on {@link #commit}. Closing without a commit (or {@link #abort}) deletes the staging
 * directory, so a failed run leaves nothing half-written.
 *
 * <p>Memory is bounded by the number of conversations, never by the number of messages: each message goes to
 * disk as it is written. {@link #storeAttachment} may be called from several threads; the rest is meant for one.
 */
public final class ArchiveWriter implements AttachmentStore, AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path outDir;
    private final Path staging;
    private final WriteOptions options;
    private final Object storeLock = new Object();
    private final AtomicLong tempCounter = new AtomicLong();
    private final AtomicLong storedFiles = new AtomicLong();

    private final List<ConversationEntry> entries = new ArrayList<>();
    private final Set<String> conversationIds = new HashSet<>();
    private final Set<String> messagesFiles = new HashSet<>();
    private final Set<String> unfinished = new HashSet<>();
    private boolean participantsWritten;
    private boolean closed;

    private ArchiveWriter(Path outDir, Path staging, WriteOptions options) {
        this.outDir = outDir;
        this.staging = staging;
        this.options = options;
    }

    /**
     * Starts an archive that {@link #commit} will put at {@code outDir}.
     *
     * @throws ArchiveExistsException when {@code outDir} is a file, or a non-empty directory and
     *                                {@link WriteOptions#force()} is off; checked before anything is written
     */
    public static ArchiveWriter create(Path outDir, WriteOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Path target = outDir.toAbsolutePath().normalize();
        if (target.getParent() == null) {
            throw new IllegalArgumentException("cannot write an archive at the file system root: " + outDir);
        }
        checkTarget(target, options.force());
        Files.createDirectories(target.getParent());
        byte[] nonce = new byte[6];
        RANDOM.nextBytes(nonce);
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial-" + HexFormat.of().formatHex(nonce));
        PrivateFiles.createDirectory(staging);
        try {
            PrivateFiles.createDirectory(staging.resolve(ArchiveLayout.CONVERSATIONS_DIR));
            PrivateFiles.createDirectory(staging.resolve(ArchiveLayout.ATTACHMENTS_DIR));
        } catch (IOException e) {
            PrivateFiles.deleteTree(staging);
            throw e;
        }
        return new ArchiveWriter(target, staging, options);
    }

    private static void checkTarget(Path target, boolean force) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArchiveExistsException(target, "exists and is not a directory");
        }
        if (!force && !PrivateFiles.isEmptyDirectory(target)) {
            throw new ArchiveExistsException(target, "is not empty");
        }
    }

    /** The directory the archive will be moved to on commit. */
    public Path outDir() {
        return outDir;
    }

    /** The private staging directory being written (gone after commit or abort). */
    public Path stagingDir() {
        return staging;
    }

    /** Writes {@code participants.json}; at most once. Without a call, commit writes an empty list. */
    public void writeParticipants(List<Participant> participants) throws IOException {
        ensureOpen();
        if (participantsWritten) {
            throw new IllegalStateException("participants were already written");
        }
        byte[] json = CanonicalJson.prettyBytes(new ParticipantsFile(ArchiveInfo.FORMAT_VERSION, participants));
        PrivateFiles.write(staging.resolve(ArchiveLayout.PARTICIPANTS_JSON), json);
        participantsWritten = true;
    }

    /** Starts the messages file of {@code conversation}; each conversation once. */
    public ConversationWriter beginConversation(Conversation conversation) throws IOException {
        ensureOpen();
        Objects.requireNonNull(conversation.id(), "conversation id");
        if (!conversationIds.add(conversation.id())) {
            throw new IllegalStateException("conversation " + conversation.id() + " was already written");
        }
        String file = ArchiveLayout.messagesFile(conversation.id());
        if (!messagesFiles.add(file)) {
            throw new IllegalStateException("two conversation ids hash to the same file " + file);
        }
        unfinished.add(conversation.id());
        FileChannel channel = PrivateFiles.create(staging.resolve(file));
        return new ConversationWriter(this, conversation, file, channel);
    }

    void finished(ConversationEntry entry) {
        unfinished.remove(entry.conversation().id());
        entries.add(entry);
    }

    /**
     * Copies {@code in} (read to its end, not closed) into the content-addressed store. The same bytes stored
     * again keep the first file, and its path is returned. The file may still be being written in the background
     * when this returns: it is complete, and synced, once {@link #commit} returns.
     *
     * @param contentType MIME type, used for the extension when the file name has none
     * @param fileName    the sender's file name, if any
     */
    @Override
    public StoredFile storeAttachment(InputStream in, String contentType, String fileName) throws IOException {
        ensureOpen();
        // Most attachments are small: hashed in memory, they get their final name at once and are written and
        // synced in the background. A large one goes through a temporary file, hashed as it is copied.
        byte[] head = in.readNBytes(IN_MEMORY_LIMIT + 1);
        if (head.length <= IN_MEMORY_LIMIT) {
            String sha = HexFormat.of().formatHex(ArchiveLayout.sha256().digest(head));
            String path;
            synchronized (storeLock) {
                String existing = storedPaths.get(sha);
                if (existing != null) {
                    return new StoredFile(sha, head.length, existing);
                }
                path = ArchiveLayout.storePath(sha, ArchiveLayout.extension(fileName, contentType));
                ensureShard(sha);
                storedPaths.put(sha, path);
                storedFiles.incrementAndGet();
            }
            background.write(staging.resolve(path), head, path, sha, this::hashed);
            return new StoredFile(sha, head.length, path);
        }
        Path temp = staging.resolve("incoming-" + tempCounter.incrementAndGet() + ".tmp");
        try {
            MessageDigest digest = ArchiveLayout.sha256();
            long size;
            try (FileChannel ch = PrivateFiles.create(temp);
                 OutputStream out = new DigestOutputStream(PrivateFiles.stream(ch), digest)) {
                out.write(head);
                size = head.length + in.transferTo(out);
                out.flush();
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            synchronized (storeLock) {
                String existing = storedPaths.get(sha);
                if (existing != null) {
                    Files.delete(temp);
                    return new StoredFile(sha, size, existing);
                }
                String path = ArchiveLayout.storePath(sha, ArchiveLayout.extension(fileName, contentType));
                ensureShard(sha);
                Files.move(temp, staging.resolve(path), StandardCopyOption.ATOMIC_MOVE);
                storedPaths.put(sha, path);
                storedFiles.incrementAndGet();
                background.hashAndSync(staging.resolve(path), path, this::hashed);
                return new StoredFile(sha, size, path);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Attachments up to this size are hashed in memory before they are written. */
    private static final int IN_MEMORY_LIMIT = 8 << 20;

    /** The store path of every attachment stored so far, by SHA-256: the same bytes stored again keep the first. */
    private final Map<String, String> storedPaths = new HashMap<>();
    /** Shard folders ({@code attachments/ab}) created so far. */
    private final Set<String> shards = new HashSet<>();
    private final BackgroundFiles background = new BackgroundFiles();

    private void ensureShard(String sha) throws IOException {
        String shard = sha.substring(0, 2);
        if (shards.add(shard)) {
            PrivateFiles.ensureDirectory(staging.resolve(ArchiveLayout.ATTACHMENTS_DIR).resolve(shard));
        }
    }

    /**
     * Hashes (for the manifest) and syncs a finished file of the archive, relative to its root, in the
     * background; commit waits for it.
     */
    void syncLater(String relativePath) throws IOException {
        background.hashAndSync(staging.resolve(relativePath), relativePath, this::hashed);
    }

    /** Hashes of the files written so far, by path relative to the archive root. */
    private final Map<String, FileHashes> written = new ConcurrentHashMap<>();

    private void hashed(FileHashes h) {
        written.put(h.path(), h);
    }

    /**
     * Size, SHA-256 and MD5 of the conversation and attachment files this writer wrote, by path relative to the
     * archive root, hashed as they were written; complete once {@link #commit} has returned. For the manifest,
     * which then needs to read only the files others wrote.
     */
    public Map<String, FileHashes> writtenFileHashes() {
        return Collections.unmodifiableMap(written);
    }

    /**
     * Writes {@code archive.json} last, syncs everything to disk and moves the archive to {@link #outDir()}. An
     * existing non-empty directory (with {@link WriteOptions#force()}) is removed only after the new archive is
     * in place.
     *
     * @return the archive as a reader will see it, and the SHA-256 of {@code archive.json}
     */
    public CommittedArchive commit(ArchiveHeader header) throws IOException {
        ensureOpen();
        if (!unfinished.isEmpty()) {
            throw new IllegalStateException("conversations not finished: " + new TreeSet<>(unfinished));
        }
        if (!participantsWritten) {
            writeParticipants(List.of());
        }
        ArchiveInfo info = new ArchiveInfo(ArchiveInfo.FORMAT_VERSION, header.generator(), header.sources(),
                header.ownerId(), header.selection(), entries, counts(header.counts()), header.extra());
        byte[] json = CanonicalJson.prettyBytes(info);
        PrivateFiles.write(staging.resolve(ArchiveLayout.ARCHIVE_JSON), json);
        syncTree();
        moveIntoPlace();
        closed = true;
        ArchiveInfo asRead = CanonicalJson.reader(ArchiveInfo.class, new UnknownContent()).readValue(json);
        return new CommittedArchive(outDir, asRead, ArchiveLayout.sha256Hex(json));
    }

    private Map<String, Object> counts(Map<String, Object> given) {
        long messages = 0;
        long attachments = 0;
        for (ConversationEntry e : entries) {
            messages += e.messageCount();
            attachments += e.attachmentCount();
        }
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("conversations", jsonNumber(entries.size()));
        own.put("messages", jsonNumber(messages));
        own.put("attachments", jsonNumber(attachments));
        own.put("attachmentFiles", jsonNumber(storedFiles.get()));
        Map<String, Object> all = new TreeMap<>(given);
        all.forEach((key, value) -> {
            if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0) {
                throw new IllegalArgumentException("count " + key + " must be a non-negative whole number, not " + value);
            }
        });
        for (Map.Entry<String, Object> e : own.entrySet()) {
            Object theirs = all.get(e.getKey());
            if (theirs != null && !(theirs instanceof Number n && n.longValue() == ((Number) e.getValue()).longValue())) {
                throw new IllegalArgumentException("count " + e.getKey() + " given as " + theirs
                        + " but the archive holds " + e.getValue());
            }
            all.put(e.getKey(), e.getValue());
        }
        return all;
    }

    /** The number as a reader will see it again (Integer when it fits), so commit and read agree. */
    private static Number jsonNumber(long n) {
        return n == (int) n ? Integer.valueOf((int) n) : Long.valueOf(n);
    }

    private void syncTree() throws IOException {
        background.await();
        // The folders' entries too (the shards hold thousands of new names), on the same threads.
        List<Path> dirs = new ArrayList<>();
        dirs.add(staging);
        dirs.add(staging.resolve(ArchiveLayout.CONVERSATIONS_DIR));
        Path store = staging.resolve(ArchiveLayout.ATTACHMENTS_DIR);
        dirs.add(store);
        synchronized (storeLock) {
            for (String shard : new TreeSet<>(shards)) {
                dirs.add(store.resolve(shard));
            }
        }
        for (Path dir : dirs) {
            background.syncDirectory(dir);
        }
        background.await();
        background.shutdown();
    }

    private void moveIntoPlace() throws IOException {
        Path parent = outDir.getParent();
        if (Files.exists(outDir, LinkOption.NOFOLLOW_LINKS)) {
            checkTarget(outDir, options.force());
            if (PrivateFiles.isEmptyDirectory(outDir)) {
                Files.delete(outDir);
            } else {
                byte[] nonce = new byte[6];
                RANDOM.nextBytes(nonce);
                Path old = outDir.resolveSibling("." + outDir.getFileName() + ".old-" + HexFormat.of().formatHex(nonce));
                rename(outDir, old);
                try {
                    rename(staging, outDir);
                } catch (IOException e) {
                    rename(old, outDir);
                    throw e;
                }
                PrivateFiles.syncDirectory(parent);
                PrivateFiles.deleteTree(old);
                return;
            }
        }
        rename(staging, outDir);
        PrivateFiles.syncDirectory(parent);
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes the staging directory and everything written so far. Safe to call more than once. */
    public void abort() throws IOException {
        closed = true;
        background.shutdown();
        PrivateFiles.deleteTree(staging);
    }

    /** Aborts unless committed. */
    @Override
    public void close() throws IOException {
        abort();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("archive writer already committed or aborted");
        }
    }

    /** SHA-256 (lower-case hex) of {@code archive.json} in the archive at {@code dir}, e.g. to print after a run. */
    public static String archiveJsonSha256(Path dir) throws IOException {
        MessageDigest digest = ArchiveLayout.sha256();
        try (InputStream in = Files.newInputStream(dir.resolve(ArchiveLayout.ARCHIVE_JSON))) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
