package org.chatarchive.model.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * {@code manifest.json}: what made an archive or export and the hashes of everything in it, so that anyone can
 * check later that nothing was changed, added or removed (see docs/archive-format.md §11).
 *
 * <p>Everything but {@link #run} is deterministic: two runs on the same source with the same options give the same
 * values. {@link #run} holds what differs from run to run (times, host, where the source was on this computer) and
 * is written last, so that it is easy to leave out of a comparison.
 *
 * @param manifestVersion this layout's version ({@link #VERSION})
 * @param tool            the program's name, {@code chat-archive}
 * @param toolVersion     the program's version
 * @param command         the command that wrote the files ({@code export}, {@code backup})
 * @param options         the options and filters that decide what is in the output, so a partial export cannot
 *                        pass for a whole one
 * @param sources         what was read, with the hashes of the source files
 * @param counts          the archive's counts ({@code archive.json} {@code counts})
 * @param files           every file of the directory but this one, sorted by path
 * @param run             this run's times, host and paths; and, for backups, every run's
 */
public record Manifest(
        int manifestVersion,
        String tool,
        String toolVersion,
        String command,
        Map<String, Object> options,
        List<Source> sources,
        Map<String, Object> counts,
        @JsonSerialize(using = ManifestFileTable.Serializer.class) List<FileHashes> files,
        Map<String, Object> run) {

    /** The file name, at the archive root. */
    public static final String FILE = "manifest.json";
    /** The manifest layout this code writes. */
    public static final int VERSION = 1;
    /** Run and custody logs: beside the deliverables, never listed or hashed (see {@link #listFiles}). */
    public static final String LOGS_DIR = "logs";

    /**
     * One source that was read.
     *
     * @param type           the reader, e.g. {@code signal-desktop}
     * @param schemaVersion  the source's schema version
     * @param databaseSha256 the reader's hash of the main file as read
     * @param files          the source files read (database, WAL, config, export file), relative to the source
     */
    public record Source(String type, Integer schemaVersion, String databaseSha256, List<FileHashes> files) {
    }

    /** The manifest's bytes: pretty canonical JSON. */
    public byte[] toBytes() throws IOException {
        return CanonicalJson.prettyBytes(this);
    }

    /** Reads {@code dir/manifest.json}. */
    public static Manifest read(Path dir) throws IOException {
        try {
            byte[] json = Files.readAllBytes(dir.resolve(FILE));
            ObjectReader reader = CanonicalJson.reader(Manifest.class, new UnknownContent());
            // The file table (nearly all of it) scanned by hand when it is as this program writes it.
            Manifest m = ManifestFileTable.read(json, reader);
            return m != null ? m : reader.readValue(json);
        } catch (NoSuchFileException e) {
            throw new ArchiveFormatException(FILE, 0, "is missing; " + dir + " has no manifest", e);
        } catch (JacksonException e) {
            throw new ArchiveFormatException(FILE, 0, "is not a valid manifest: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code dir/manifest.json} if there is one and it can be read, else null. */
    public static Manifest readIfPresent(Path dir) {
        if (!Files.isRegularFile(dir.resolve(FILE))) {
            return null;
        }
        try {
            return read(dir);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The files of the archive at {@code dir} that a manifest lists: everything, whatever wrote it (renders),
     * except {@code manifest.json} itself, a backup's lock file and transaction folder, {@code index/}, which
     * is derived, rebuildable and not byte-reproducible (Lucene segment ids are random), and {@code logs/}, the
     * append-only run and custody logs kept beside the deliverables (they hold wall-clock times). Sorted,
     * {@code /}-separated.
     */
    public static List<String> listFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                String rel = ArchiveUpdate.relative(dir, p);
                if (listed(rel)) {
                    out.add(rel);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(null);
        return out;
    }

    /**
     * The files {@link #listFiles} lists, each with its size and modification time as the directory walk saw them
     * (one status call per file), sorted by path.
     */
    public static SortedMap<String, BasicFileAttributes> listFileAttributes(Path dir)
            throws IOException {
        TreeMap<String, BasicFileAttributes> out = new TreeMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    String rel = ArchiveUpdate.relative(dir, p);
                    if (listed(rel)) {
                        out.put(rel, a);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                String rel = d.equals(dir) ? "" : ArchiveUpdate.relative(dir, d);
                // folders whose files are never listed are not walked
                return rel.equals(ArchiveUpdate.TXN) || rel.equals(ArchiveLayout.MIRROR_DIR)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                // A backup run walks while it works, and may delete the plaintext copy's folder meanwhile
                // (--no-mirror): one of the folders never walked that is gone when looked at is no error.
                String rel = ArchiveUpdate.relative(dir, p);
                if (e instanceof NoSuchFileException
                        && (rel.equals(ArchiveUpdate.TXN) || rel.equals(ArchiveLayout.MIRROR_DIR))) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return out;
    }

    private static boolean listed(String rel) {
        return !rel.equals(FILE) && !rel.equals(ArchiveUpdate.LOCK) && !rel.startsWith(ArchiveUpdate.TXN + "/")
                && !rel.startsWith(ArchiveLayout.INDEX_DIR + "/") && !rel.startsWith(LOGS_DIR + "/")
                && !rel.startsWith(ArchiveLayout.MIRROR_DIR + "/");
    }

    /** Hashes every file {@link #listFiles} lists. */
    public static List<FileHashes> hashFiles(Path dir) throws IOException {
        return hashFiles(dir, Map.of());
    }

    /**
     * Hashes every file {@link #listFiles} lists, taking the hashes in {@code known} (by relative path, made
     * while the files were written) for files that still have the size recorded there. The rest are read on
     * every core.
     */
    public static List<FileHashes> hashFiles(Path dir, Map<String, FileHashes> known) throws IOException {
        try {
            return listFiles(dir).parallelStream().map(f -> {
                FileHashes k = known.get(f);
                try {
                    if (k != null && Files.size(dir.resolve(f)) == k.size()) {
                        return k;
                    }
                    return FileHashes.of(dir.resolve(f), f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** SHA-256 (hex) of {@code bytes}, e.g. of a manifest to print. */
    public static String sha256Hex(byte[] bytes) {
        return ArchiveLayout.sha256Hex(bytes);
    }

    /** Writes {@code manifest} to {@code dir/manifest.json} through a synced temporary file and a rename. */
    public static String writeTo(Path dir, Manifest manifest) throws IOException {
        byte[] bytes = manifest.toBytes();
        Path temp = dir.resolve("." + FILE + ".tmp");
        Files.deleteIfExists(temp);
        PrivateFiles.write(temp, bytes);
        Files.move(temp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PrivateFiles.syncDirectory(dir);
        return sha256Hex(bytes);
    }
}
