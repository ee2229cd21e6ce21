package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Private directories holding plaintext images; deleted on close, and by a shutdown hook if still there. */
final class TempFiles {

    private static final Set<Path> LIVE = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private TempFiles() {
    }

    /** A fresh 0700 directory inside {@code parent} with an empty 0600 file in it; returns the file. */
    static Path createPrivateFile(Path parent, String fileName) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir;
        Path file;
        synchronized (TempFiles.class) {
            if (posix) {
                FileAttribute<?> dirPerm = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
                dir = Files.createTempDirectory(parent, "chat-archive-", dirPerm);
            } else {
                dir = Files.createTempDirectory(parent, "chat-archive-");
            }
            register(dir);
        }
        if (posix) {
            FileAttribute<?> filePerm = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            file = Files.createFile(dir.resolve(fileName), filePerm);
        } else {
            file = Files.createFile(dir.resolve(fileName));
        }
        return file;
    }

    private static void register(Path dir) {
        LIVE.add(dir);
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteAll, "chat-archive-temp-cleanup"));
            hookInstalled = true;
        }
    }

    /** Deletes {@code dir} and what is in it; returns true when it is gone. */
    static boolean delete(Path dir) {
        boolean gone = deleteTree(dir);
        synchronized (TempFiles.class) {
            if (gone) {
                LIVE.remove(dir);
            }
        }
        return gone;
    }

    private static void deleteAll() {
        List<Path> dirs;
        synchronized (TempFiles.class) {
            dirs = List.copyOf(LIVE);
        }
        dirs.forEach(TempFiles::deleteTree);
    }

    private static boolean deleteTree(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
