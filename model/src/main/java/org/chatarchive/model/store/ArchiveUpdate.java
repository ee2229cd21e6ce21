package org.chatarchive.model.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Changes an existing archive directory in place so that an interruption at any point leaves it as it was before
 * or as it is after, never in between.
 *
 * <p>How: a lock file ({@value #LOCK}) keeps a second run out; it is held by an operating-system lock, so a run
 * that crashed leaves no lock that anyone has to remove. Every new or changed file is written, complete and synced,
 * into the transaction folder {@value #TXN} under its final relative path. {@link #commit} then writes the marker
 * {@value #COMMITTED} (atomically, synced): before the marker the run has not happened; after it, it has. Finally
 * each staged file is renamed over its final path and the folder is removed. {@link #recover} (run by every
 * {@link #begin}) finishes those renames when the marker is there and throws the folder away when it is not.
 *
 * <p>Files are only ever added or replaced, never deleted, with one exception: a whole top-level directory (the
 * HTML site) can be replaced by one staged complete in the transaction folder ({@link #replaceDirectory}). The
 * commit moves the old directory aside into the transaction folder, moves the staged one in and deletes the old
 * one; each of those steps is finished by {@link #recover} when interrupted after the marker, and none of them has
 * happened when the marker is absent.
 *
 * <p>A reader that opens the archive while the renames of a commit are under way (or after a crash during them,
 * before the next run) can see a mix; {@link #interrupted} tells, and {@code chat-archive verify} reports it.
 */
public final class ArchiveUpdate implements AttachmentStore, AutoCloseable {

    /** The lock file inside the archive directory. */
    public static final String LOCK = ".chat-archive.lock";
    /** The transaction folder inside the archive directory. */
    public static final String TXN = ".chat-archive.txn";
    /** The marker in {@link #TXN} that makes a run's changes final. */
    public static final String COMMITTED = "COMMITTED";
    /**
     * The folder in {@link #TXN} that holds directory replacements: {@code new/NAME} is the staged directory,
     * {@code old/NAME} the directory it replaces while the commit swaps them.
     */
    static final String DIRECTORIES = ".directories";

    /** What {@link #recover} found. */
    public enum Recovery { NOTHING, ROLLED_BACK, ROLLED_FORWARD }

    private final Path dir;
    private final Path txn;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Recovery recovered;
    private final Object storeLock = new Object();
    private final AtomicLong tempCounter = new AtomicLong();
    private long filesAdded;
    private long bytesAdded;
    private boolean done;

    private ArchiveUpdate(Path dir, FileChannel lockChannel, FileLock lock, Recovery recovered) {
        this.dir = dir;
        this.txn = dir.resolve(TXN);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recovered = recovered;
    }

    /**
     * Locks the archive at {@code dir} (created, empty and private, when absent), finishes or undoes an interrupted
     * run, and starts a new transaction.
     *
     * @throws ArchiveLockedException when another run holds the lock
     */
    public static ArchiveUpdate begin(Path dir) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target.getParent());
            try {
                PrivateFiles.createDirectory(target);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another run created it; the lock decides
            }
        }
        if (!Files.isDirectory(target)) {
            throw new ArchiveExistsException(target, "exists and is not a directory");
        }
        Path lockFile = target.resolve(LOCK);
        // The lock file stays in the archive (empty between runs): deleting it would let two runs lock two
        // different files of the same name.
        FileChannel ch = PrivateFiles.openLock(lockFile);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = readHolder(ch);
            ch.close();
            throw new ArchiveLockedException(target, holder);
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            Recovery r = recover(target);
            PrivateFiles.createDirectory(target.resolve(TXN));
            return new ArchiveUpdate(target, ch, lock, r);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(200);
            ch.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Finishes ({@link Recovery#ROLLED_FORWARD}) or discards ({@link Recovery#ROLLED_BACK}) an interrupted run's
     * transaction in {@code dir}. Call it only while holding the lock ({@link #begin} does).
     */
    public static Recovery recover(Path dir) throws IOException {
        Path txn = dir.resolve(TXN);
        if (!Files.exists(txn, LinkOption.NOFOLLOW_LINKS)) {
            return Recovery.NOTHING;
        }
        if (Files.exists(txn.resolve(COMMITTED))) {
            apply(dir, txn);
            return Recovery.ROLLED_FORWARD;
        }
        PrivateFiles.deleteTree(txn);
        PrivateFiles.syncDirectory(dir);
        return Recovery.ROLLED_BACK;
    }

    /** True when {@code dir} holds a transaction folder: a run is under way, or one was interrupted. */
    public static boolean interrupted(Path dir) {
        return Files.exists(dir.resolve(TXN), LinkOption.NOFOLLOW_LINKS);
    }

    /** The archive directory. */
    public Path dir() {
        return dir;
    }

    /** What beginning this update found of an earlier, interrupted run. */
    public Recovery recovered() {
        return recovered;
    }

    /** Where {@code relative} is staged (whether or not it has been written). */
    public Path staged(String relative) {
        return txn.resolve(relative);
    }

    /** True when {@code relative} has been staged in this run. */
    public boolean isStaged(String relative) {
        return Files.exists(txn.resolve(relative));
    }

    /** A new private file staged at {@code relative}, open for writing; sync it before closing. */
    public FileChannel create(String relative) throws IOException {
        ensureOpen();
        Path p = txn.resolve(relative);
        ensureParents(txn, p);
        Files.deleteIfExists(p);
        return PrivateFiles.create(p);
    }

    /** Stages {@code bytes} as {@code relative}, synced. */
    public void write(String relative, byte[] bytes) throws IOException {
        ensureOpen();
        Path p = txn.resolve(relative);
        ensureParents(txn, p);
        Files.deleteIfExists(p);
        PrivateFiles.write(p, bytes);
    }

    /** Drops a staged file: the archive keeps its own. */
    public void discard(String relative) throws IOException {
        Files.deleteIfExists(txn.resolve(relative));
    }

    /** Renames a staged file to another staged name (both inside the transaction). */
    public void moveStaged(String from, String to) throws IOException {
        Path t = txn.resolve(to);
        ensureParents(txn, t);
        Files.move(txn.resolve(from), t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Stages a replacement of the top-level directory {@code name} (e.g. {@code html}): returns a new, empty private
     * directory inside the transaction folder to fill with the complete new content. On commit it takes the place
     * of {@code name} (created when absent); the old directory is deleted. Files in it are synced by the commit.
     * Staging it again starts over with an empty directory.
     */
    public Path replaceDirectory(String name) throws IOException {
        ensureOpen();
        checkDirectoryName(name);
        Path staged = txn.resolve(DIRECTORIES).resolve("new").resolve(name);
        PrivateFiles.deleteTree(staged);
        ensureParents(txn, staged);
        ensureParents(txn, txn.resolve(DIRECTORIES).resolve("old").resolve(name));
        PrivateFiles.createDirectory(staged);
        return staged;
    }

    /** Drops a staged replacement of the directory {@code name}: the archive keeps its own. */
    public void keepDirectory(String name) throws IOException {
        checkDirectoryName(name);
        PrivateFiles.deleteTree(txn.resolve(DIRECTORIES).resolve("new").resolve(name));
    }

    /** The top-level directories this run replaces ({@link #replaceDirectory}), sorted. */
    public List<String> replacedDirectories() throws IOException {
        List<String> out = new ArrayList<>();
        Path root = txn.resolve(DIRECTORIES).resolve("new");
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> all = Files.newDirectoryStream(root)) {
                all.forEach(p -> out.add(p.getFileName().toString()));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * True when {@code relative} lies in a directory this run replaces: what the archive holds there now goes with
     * the commit; what it holds after is in the staged directory ({@link #resolveAfterCommit}).
     */
    public boolean isReplaced(String relative) {
        int slash = relative.indexOf('/');
        return slash > 0
                && Files.isDirectory(txn.resolve(DIRECTORIES).resolve("new").resolve(relative.substring(0, slash)));
    }

    /** The files of the directories this run replaces, as their relative paths after the commit, sorted. */
    public List<String> replacedDirectoryFiles() throws IOException {
        List<String> out = new ArrayList<>();
        Path root = txn.resolve(DIRECTORIES).resolve("new");
        for (String name : replacedDirectories()) {
            for (String f : listFiles(root.resolve(name))) {
                out.add(name + "/" + f);
            }
        }
        return out;
    }

    /**
     * Where the archive's file {@code relative} is to be read as it will be after the commit: the staged file, the
     * file in a staged directory replacement, or the archive's own file.
     */
    public Path resolveAfterCommit(String relative) {
        if (isReplaced(relative)) {
            return txn.resolve(DIRECTORIES).resolve("new").resolve(relative);
        }
        Path staged = txn.resolve(relative);
        return Files.exists(staged) ? staged : dir.resolve(relative);
    }

    /** A reader of the archive as it will be after the commit ({@link #resolveAfterCommit}). */
    public ArchiveReader readAfterCommit() throws IOException {
        return ArchiveReader.open(dir, this::resolveAfterCommit);
    }

    private static void checkDirectoryName(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains(java.io.File.separator) || name.startsWith(".")
                || name.equals(ArchiveLayout.ARCHIVE_JSON) || name.equals(Manifest.FILE)) {
            throw new IllegalArgumentException("not a top-level directory name of an archive: " + name);
        }
    }

    @Override
    public StoredFile storeAttachment(InputStream in, String contentType, String fileName) throws IOException {
        ensureOpen();
        Path temp = txn.resolve("incoming-" + tempCounter.incrementAndGet() + ".tmp");
        try {
            MessageDigest digest = ArchiveLayout.sha256();
            long size;
            try (FileChannel ch = PrivateFiles.create(temp);
                 OutputStream out = new DigestOutputStream(PrivateFiles.stream(ch), digest)) {
                size = in.transferTo(out);
                out.flush();
                ch.force(true);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            String shard = ArchiveLayout.ATTACHMENTS_DIR + "/" + sha.substring(0, 2);
            synchronized (storeLock) {
                for (Path root : List.of(dir, txn)) {
                    Path d = root.resolve(shard);
                    if (Files.isDirectory(d)) {
                        try (DirectoryStream<Path> same = Files.newDirectoryStream(d, sha + ".*")) {
                            for (Path existing : same) {
                                return new StoredFile(sha, size, shard + "/" + existing.getFileName());
                            }
                        }
                    }
                }
                String path = ArchiveLayout.storePath(sha, ArchiveLayout.extension(fileName, contentType));
                Path target = txn.resolve(path);
                ensureParents(txn, target);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                filesAdded++;
                bytesAdded += size;
                return new StoredFile(sha, size, path);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Attachment files this run added to the store. */
    public long attachmentFilesAdded() {
        return filesAdded;
    }

    /** Bytes of the attachment files this run added. */
    public long attachmentBytesAdded() {
        return bytesAdded;
    }

    /** The staged files, relative and {@code /}-separated, sorted; directory replacements are not listed. */
    public List<String> stagedFiles() throws IOException {
        return stagedFileList(txn);
    }

    private static List<String> stagedFileList(Path txn) throws IOException {
        List<String> files = listFiles(txn);
        files.removeIf(f -> f.startsWith(DIRECTORIES + "/"));
        return files;
    }

    /**
     * Makes the run final: syncs the staged files, writes the commit marker, moves every staged file into place,
     * swaps the replaced directories ({@code archive.json} and {@code manifest.json} last) and removes the
     * transaction folder.
     */
    public void commit() throws IOException {
        ensureOpen();
        Path replacements = txn.resolve(DIRECTORIES);
        try (Stream<Path> all = Files.walk(txn)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    PrivateFiles.syncDirectory(p);
                } else if (p.startsWith(replacements) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    // Written by others (a renderer) without syncing.
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Path marker = txn.resolve(COMMITTED + ".tmp");
        PrivateFiles.write(marker, "committed\n".getBytes(StandardCharsets.UTF_8));
        Files.move(marker, txn.resolve(COMMITTED), StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.syncDirectory(txn);
        apply(dir, txn);
        done = true;
    }

    private static void apply(Path dir, Path txn) throws IOException {
        List<String> files = stagedFileList(txn);
        files.remove(COMMITTED);
        files.removeIf(f -> f.endsWith(".tmp"));
        // The top files last, so that a reader who looks during the renames sees the old top first.
        List<String> last = new ArrayList<>();
        for (String top : List.of(ArchiveLayout.ARCHIVE_JSON, Manifest.FILE)) {
            if (files.remove(top)) {
                last.add(top);
            }
        }
        java.util.Set<Path> touched = new java.util.LinkedHashSet<>();
        for (String f : files) {
            moveIntoPlace(dir, txn, f, touched);
        }
        swapDirectories(dir, txn);
        for (String f : last) {
            moveIntoPlace(dir, txn, f, touched);
        }
        for (Path d : touched) {
            PrivateFiles.syncDirectory(d);
        }
        Files.delete(txn.resolve(COMMITTED));
        PrivateFiles.deleteTree(txn);
        PrivateFiles.syncDirectory(dir);
    }

    private static void moveIntoPlace(Path dir, Path txn, String f, java.util.Set<Path> touched) throws IOException {
        Path target = dir.resolve(f);
        ensureParents(dir, target);
        Files.move(txn.resolve(f), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        touched.add(target.getParent());
    }

    /**
     * Puts every staged directory replacement in place: the old directory is moved aside into the transaction
     * folder, the new one moved in, the old one deleted. Each step is judged by what is there, so that running it
     * again after an interruption at any point finishes the swap: a staged directory still there has not been moved
     * in (move the target aside unless it is aside already, then move the staged one in); an old one aside is
     * deleted.
     */
    private static void swapDirectories(Path dir, Path txn) throws IOException {
        Path root = txn.resolve(DIRECTORIES);
        Path newRoot = root.resolve("new");
        Path oldRoot = root.resolve("old");
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Path r : List.of(newRoot, oldRoot)) {
            if (Files.isDirectory(r)) {
                try (DirectoryStream<Path> all = Files.newDirectoryStream(r)) {
                    all.forEach(p -> names.add(p.getFileName().toString()));
                }
            }
        }
        for (String name : names) {
            Path staged = newRoot.resolve(name);
            Path aside = oldRoot.resolve(name);
            Path target = dir.resolve(name);
            if (Files.exists(staged, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    ensureParents(txn, aside);
                    Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
                    PrivateFiles.syncDirectory(oldRoot);
                    PrivateFiles.syncDirectory(dir);
                }
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
                PrivateFiles.syncDirectory(dir);
                PrivateFiles.syncDirectory(newRoot);
            }
            PrivateFiles.deleteTree(aside);
        }
    }

    private static List<String> listFiles(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(Files::isRegularFile).forEach(p -> out.add(relative(root, p)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(null);
        return out;
    }

    static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    private static void ensureParents(Path root, Path file) throws IOException {
        Path parent = file.getParent();
        if (parent.equals(root) || Files.isDirectory(parent)) {
            return;
        }
        ensureParents(root, parent);
        try {
            PrivateFiles.createDirectory(parent);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made meanwhile by another thread
        }
    }

    private void ensureOpen() {
        if (done) {
            throw new IllegalStateException("archive update already committed or closed");
        }
    }

    /** Discards the transaction unless committed, and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            if (!done) {
                done = true;
                if (Files.exists(txn.resolve(COMMITTED))) {
                    // A commit that failed while putting files in place: the next begin finishes it.
                    return;
                }
                try {
                    PrivateFiles.deleteTree(txn);
                } catch (NoSuchFileException ignored) {
                    // nothing staged
                }
            }
        } finally {
            lockChannel.truncate(0);
            lock.release();
            lockChannel.close();
        }
    }
}
