package org.chatarchive.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.chatarchive.model.store.FileHashes;

/**
 * The files of a source that an export reads and a manifest hashes: for a Signal Desktop profile its database,
 * write-ahead log and config.json; for an export file, the file. Paths are relative to the source, so that the
 * same source copied elsewhere gives the same list.
 */
final class SourceFiles {

    private SourceFiles() {
    }

    /** Hashes (SHA-256 and MD5) the files {@code type} reads at {@code source}; those absent are left out. */
    static List<FileHashes> hash(SourceType type, Path source) throws IOException {
        return hash(type, source, true);
    }

    /** {@link #hash}; without {@code md5}, the SHA-256 only (the MD5 is null). */
    static List<FileHashes> hash(SourceType type, Path source, boolean md5) throws IOException {
        List<FileHashes> out = new ArrayList<>();
        for (Named f : files(type, source)) {
            if (md5) {
                out.add(FileHashes.ofSource(f.file(), f.name()));
            } else {
                long size = Files.size(f.file());
                String sha256 = FileHashes.sha256OfSource(f.file());
                if (size != Files.size(f.file())) {
                    throw new IOException(f.name() + " changed size while it was being hashed");
                }
                out.add(new FileHashes(f.name(), size, sha256, null));
            }
        }
        return out;
    }

    /**
     * {@link #hash} on another thread, so that the caller can read the source meanwhile: the hashing is a whole extra
     * pass over files that may be gigabytes. An {@link IOException} completes the future with an
     * {@link UncheckedIOException}.
     */
    static CompletableFuture<List<FileHashes>> hashInBackground(SourceType type, Path source) {
        return hashInBackground(type, source, true);
    }

    /** {@link #hashInBackground}; without {@code md5}, the SHA-256 only. */
    static CompletableFuture<List<FileHashes>> hashInBackground(SourceType type, Path source, boolean md5) {
        return hashing(type, source, md5).result();
    }

    /**
     * {@link #hashInBackground} on a daemon thread of its own, which {@link Hashing#cancel} stops: a run that starts
     * hashing before it knows whether it needs the hashes (a backup, before it has read the last manifest) calls it
     * off when it does not, instead of leaving it to take a core from the rest of the run.
     */
    static Hashing hashing(SourceType type, Path source, boolean md5) {
        CompletableFuture<List<FileHashes>> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(hash(type, source, md5));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, "chat-archive-source-hashes");
        t.setDaemon(true);
        t.start();
        return new Hashing(result, t);
    }

    /** A hashing started by {@link #hashing}: its result, and the thread to interrupt to call it off. */
    record Hashing(CompletableFuture<List<FileHashes>> result, Thread thread) {
        /**
         * Stops the hashing at its next read (the file channel it reads is closed by the interrupt); its result then
         * fails, and nothing of it is remembered for other readers of the same files.
         */
        void cancel() {
            thread.interrupt();
        }
    }

    /**
     * The relative names of the files {@link #hash} would hash, each with its size and modification time, and where
     * the file system tells them its status-change time and inode ({@code "<bytes> <epoch ms> <ctime> <inode>"}),
     * without reading them: a cheap sign that a source has changed. The change time is set by the system on every
     * write, rename or attribute change and cannot be set back by a program, so equal full stamps mean the file was
     * not touched (see {@link #untouched}).
     */
    static Map<String, String> stamps(SourceType type, Path source) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Named f : files(type, source)) {
            String stamp = Files.size(f.file()) + " " + Files.getLastModifiedTime(f.file()).toMillis();
            if (UNIX) {
                try {
                    Instant ctime = ((FileTime) Files.getAttribute(f.file(), "unix:ctime")).toInstant();
                    Object inode = Files.getAttribute(f.file(), "unix:ino");
                    stamp += " " + ctime.getEpochSecond() + "." + String.format(Locale.ROOT, "%09d", ctime.getNano())
                            + " " + inode;
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    // size and modification time only: never enough to skip hashing
                }
            }
            out.put(f.name(), stamp);
        }
        return out;
    }

    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    /**
     * Whether every source file has the full stamp (size, modification time, change time, inode) it had when
     * {@code last} was taken, and no file came or went: then the last run's hashes still describe the files.
     */
    static boolean untouched(Map<String, String> now, Object last) {
        return !now.isEmpty() && now.equals(last)
                && now.values().stream().allMatch(s -> s.split(" ").length == 4);
    }

    private record Named(Path file, String name) {
    }

    private static List<Named> files(SourceType type, Path source) throws IOException {
        return switch (type) {
            case SIGNAL_DESKTOP -> present(source, List.of("config.json", "sql/db.sqlite", "sql/db.sqlite-wal"));
            case TELEGRAM -> Files.isDirectory(source) ? present(source, List.of("result.json"))
                    : present(source.getParent(), List.of(source.getFileName().toString()));
            case WHATSAPP -> present(source.getParent(), List.of(source.getFileName().toString()));
            // A chat export or a local backup is read whole (frames and media): every file in it.
            case SIGNAL_BACKUP -> Files.isDirectory(source) ? tree(source)
                    : present(source.getParent(), List.of(source.getFileName().toString()));
        };
    }

    private static List<Named> present(Path dir, List<String> names) {
        List<Named> out = new ArrayList<>();
        for (String f : names) {
            Path p = dir == null ? Path.of(f) : dir.resolve(f);
            if (Files.isRegularFile(p)) {
                out.add(new Named(p, f));
            }
        }
        return out;
    }

    private static List<Named> tree(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile).forEach(p -> names.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        names.sort(null);
        return present(dir, names);
    }
}
