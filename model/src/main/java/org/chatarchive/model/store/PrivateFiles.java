package org.chatarchive.model.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Files and directories only the user can read (0700/0600 where POSIX permissions exist), and fsync. */
public final class PrivateFiles {

    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<?>[] DIR_ATTRS = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_PERMS)}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] FILE_ATTRS = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMS)}
            : new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** Creates {@code dir} (not its parents) as a private directory; fails if it exists. */
    public static void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir, DIR_ATTRS);
    }

    /** Creates {@code dir} as a private directory unless it already exists. */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            createDirectory(dir);
        }
    }

    /** A new private file, opened for writing; fails if it exists. */
    public static FileChannel create(Path file) throws IOException {
        return FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_ATTRS);
    }

    /** A private file opened for reading and writing, created if absent (a lock file). */
    static FileChannel openLock(Path file) throws IOException {
        return FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), FILE_ATTRS);
    }

    /** A stream on {@code channel} that does not close it. */
    static OutputStream stream(FileChannel channel) {
        OutputStream out = Channels.newOutputStream(channel);
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Writes {@code bytes} to a new private file and syncs it to disk. */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = create(file)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /**
     * Replaces {@code file} with a private file holding {@code bytes}: written to {@code <file>.tmp}, synced, then
     * renamed over it (atomically where the file system can), so that a reader finds the old bytes or the new.
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        write(tmp, bytes);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Syncs a directory's entries to disk, where the platform allows opening a directory. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not possible on every platform (e.g. Windows); the rename is still atomic there.
        }
    }

    /**
     * Makes everything under {@code root} private (directories 0700, files 0600), for outputs written by libraries
     * that create files with the process's default permissions (PDF, Lucene, zip). Symbolic links are not followed.
     * Nothing happens where the file system has no POSIX permissions, or when {@code root} is absent.
     */
    public static void restrictTree(Path root) throws IOException {
        if (!POSIX || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new TreeVisitor() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                restrict(dir, DIR_PERMS);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    restrict(file, FILE_PERMS);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void restrict(Path p, Set<PosixFilePermission> perms) throws IOException {
        if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(perms)) {
            Files.setPosixFilePermissions(p, perms);
        }
    }

    /** Deletes {@code root} and everything under it; nothing if it is absent. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new TreeVisitor() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A walk over a tree that another run may be changing: an entry gone by the time it is visited is skipped. */
    private abstract static class TreeVisitor extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw exc;
        }
    }

    /** True when {@code dir} has no entries. */
    static boolean isEmptyDirectory(Path dir) throws IOException {
        try (var entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }
}
