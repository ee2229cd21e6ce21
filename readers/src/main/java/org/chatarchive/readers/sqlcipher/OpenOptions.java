package org.chatarchive.readers.sqlcipher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** How {@link DecryptedDatabase#open} works. Immutable; each {@code with...} method returns a new instance. */
public final class OpenOptions {

    /** Largest plaintext image kept in one Java array (arrays stop just short of 2 GiB). */
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8L;

    private static final OpenOptions DEFAULTS =
            new OpenOptions(null, ProgressListener.none(), false, MAX_ARRAY_BYTES);

    private final Path tempDir;
    private final ProgressListener progress;
    private final boolean tempFileForced;
    private final long maxInMemoryBytes;

    private OpenOptions(Path tempDir, ProgressListener progress, boolean tempFileForced, long maxInMemoryBytes) {
        this.tempDir = tempDir;
        this.progress = progress;
        this.tempFileForced = tempFileForced;
        this.maxInMemoryBytes = maxInMemoryBytes;
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
        return new OpenOptions(Objects.requireNonNull(dir, "dir"), progress, tempFileForced, maxInMemoryBytes);
    }

    /** Reports progress to {@code l} now and then. */
    public OpenOptions withProgress(ProgressListener l) {
        return new OpenOptions(tempDir, Objects.requireNonNull(l, "l"), tempFileForced, maxInMemoryBytes);
    }

    /** Uses the temp-file path even for a database that would fit in memory; needs {@link #withTempDir}. */
    public OpenOptions forceTempFile() {
        return new OpenOptions(tempDir, progress, true, maxInMemoryBytes);
    }

    /** Lowers the in-memory limit (for tests of the large-database path). */
    OpenOptions withMaxInMemoryBytes(long max) {
        return new OpenOptions(tempDir, progress, tempFileForced, Math.min(max, MAX_ARRAY_BYTES));
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
        return "OpenOptions[tempDir=" + tempDir + ", tempFileForced=" + tempFileForced + "]";
    }
}
