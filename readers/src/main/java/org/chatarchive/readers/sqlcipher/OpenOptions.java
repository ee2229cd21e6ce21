package org.chatarchive.readers.sqlcipher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** How {@link DecryptedDatabase#open} works. Immutable; each {@code with...} method returns a new instance. */
public final class OpenOptions {

    /** Largest plaintext image kept in one Java array (arrays stop just short of 2 GiB). */
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8L;

    private static final OpenOptions DEFAULTS =
            new OpenOptions(null, ProgressListener.none(), false, MAX_ARRAY_BYTES, null);

    /**
     * A plaintext copy kept between runs ({@link DecryptedDatabase#open}): in folder {@code dir}, holding the pages
     * of {@code tables} (and their indexes); the rows of {@code readTables} (not kept: e.g. key-holding tables a
     * reader needs a row of) are read from the source's pages when the copy is used; for rows removed since the
     * copy's last state, the values of columns {@code removedColumns.get(table)} are read from the copy before it
     * changes (e.g. the conversation a removed message was in).
     */
    public record Mirror(Path dir, Set<String> tables, Set<String> readTables,
                         Map<String, java.util.List<String>> removedColumns) {
        public Mirror {
            Objects.requireNonNull(dir, "dir");
            tables = Set.copyOf(tables);
            readTables = Set.copyOf(readTables);
            removedColumns = Map.copyOf(removedColumns);
        }

        public Mirror(Path dir, Set<String> tables, Set<String> readTables) {
            this(dir, tables, readTables, Map.of());
        }
    }

    private final Path tempDir;
    private final ProgressListener progress;
    private final boolean tempFileForced;
    private final long maxInMemoryBytes;
    private final Mirror mirror;

    private OpenOptions(Path tempDir, ProgressListener progress, boolean tempFileForced, long maxInMemoryBytes,
                        Mirror mirror) {
        this.tempDir = tempDir;
        this.progress = progress;
        this.tempFileForced = tempFileForced;
        this.maxInMemoryBytes = maxInMemoryBytes;
        this.mirror = mirror;
    }

    /** Plaintext in memory only, no progress reports. */
    public static OpenOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Allows writing the plaintext image to disk: when it does not fit in memory (or {@link #forceTempFile()} is
     * set), it goes into a fresh private (0700) directory inside {@code dir}, and is deleted on close and when
     * the JVM exits.
     */
    public OpenOptions withTempDir(Path dir) {
        return new OpenOptions(Objects.requireNonNull(dir, "dir"), progress, tempFileForced, maxInMemoryBytes, mirror);
    }

    /** Reports progress to {@code l} now and then. */
    public OpenOptions withProgress(ProgressListener l) {
        return new OpenOptions(tempDir, Objects.requireNonNull(l, "l"), tempFileForced, maxInMemoryBytes, mirror);
    }

    /** Uses the temp-file path even for a database that would fit in memory; needs {@link #withTempDir}. */
    public OpenOptions forceTempFile() {
        return new OpenOptions(tempDir, progress, true, maxInMemoryBytes, mirror);
    }

    /** Lowers the in-memory limit (for tests of the large-database path). */
    OpenOptions withMaxInMemoryBytes(long max) {
        return new OpenOptions(tempDir, progress, tempFileForced, Math.min(max, MAX_ARRAY_BYTES), mirror);
    }

    /**
     * Keeps a plaintext copy of part of the database between runs (see {@link Mirror}), so that the next open with
     * the same copy decrypts only the pages that changed and reads the copy from disk.
     */
    public OpenOptions withMirror(Mirror m) {
        return new OpenOptions(tempDir, progress, tempFileForced, maxInMemoryBytes, Objects.requireNonNull(m, "m"));
    }

    public Optional<Mirror> mirror() {
        return Optional.ofNullable(mirror);
    }

    public Optional<Path> tempDir() {
        return Optional.ofNullable(tempDir);
    }

    public ProgressListener progress() {
        return progress;
    }

    public boolean tempFileForced() {
        return tempFileForced;
    }

    long maxInMemoryBytes() {
        return maxInMemoryBytes;
    }

    @Override
    public String toString() {
        return "OpenOptions[tempDir=" + tempDir + ", tempFileForced=" + tempFileForced + ", mirror=" + mirror + "]";
    }
}
