package org.chatarchive.readers.sqlcipher;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongPredicate;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.chatarchive.model.store.FileHashes;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * A SQLCipher database (and its WAL) decrypted in one pass into a plaintext SQLite image, opened through
 * sqlite-jdbc. The source files are only read. The image is held in memory (handed to SQLite with
 * {@code sqlite3_deserialize}) unless it is too large for that and {@link OpenOptions#withTempDir} allows a
 * private temporary file.
 */
public final class DecryptedDatabase implements AutoCloseable {

    private static final int CHUNK = 1 << 20;
    /** Threads that decrypt an in-memory image: HMAC-SHA512 verification is most of the work, and splits by page. */
    private static final int WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /**
     * SQLite's lock-byte ("pending byte") offset, 1 GiB: the page that holds it is never written by SQLite, so
     * SQLCipher never encrypts it and it reads as zeros, with no IV or HMAC. Settable for tests only, so that the
     * rule can be checked on a small database.
     */
    static long lockByteOffset = 0x4000_0000L;

    /**
     * From how many pages of a part (1 GiB) on the tags of a plaintext copy's source are read by {@link #tagWorkers}
     * threads: reading every page of a large file is most of the comparison's time. Settable for tests only, so that
     * the split can be checked on a small database.
     */
    static long parallelTagPages = 65_536;

    /**
     * Threads that read the tags of a plaintext copy's source ({@link #parallelTagPages}): one core fewer than the
     * machine has, up to four, since a backup hashes the source on one core meanwhile (on two cores, a second reader
     * only took CPU time from that hashing, which the run waits for). Settable for tests only.
     */
    static int tagWorkers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));

    /** Bytes of the file read at once for its tags ({@code readTags}): 1 MiB. */
    private static final int TAG_READ = 1 << 20;

    private final Connection connection;
    private final int pageSize;
    private final long pageCount;
    private final int walFramesApplied;
    private final int userVersion;
    private final boolean wasPlaintext;
    private final String sourceSha256;
    /** With the plaintext copy: the source's SHA-256 still being computed when the database was opened. */
    private final CompletableFuture<String> sourceSha256Pending;
    private final List<String> warnings;
    private final Path tempDir;
    private final MirrorUse mirrorUse;
    private final Map<String, List<Object[]>> mirrorRows;
    /** The plaintext copy's tags, map and state being written (finished by {@link #close}). */
    private final CompletableFuture<Void> mirrorCommit;
    private boolean closed;

    /**
     * How a run used the plaintext copy ({@link OpenOptions#withMirror}).
     *
     * @param incremental        true when the copy was there and only changed pages were decrypted (SQLite then
     *                           reads the copy); false when the copy was made anew from a whole decryption
     * @param previousGeneration the generation of the copy before this run (null when it was made anew)
     * @param generation         the generation after it: the same source pages give the same generation
     * @param changedPages       pages that differed from the copy (all pages when it was made anew)
     * @param touchedRows        per table, the row ids that may have changed since the previous generation: new,
     *                           changed and removed ones (null when made anew)
     * @param removedRows        per table, the row ids that were there at the previous generation and are not now
     * @param keptPages          pages the copy holds in plaintext, when it was made anew (-1 when it was brought up to
     *                           date, which does not count them)
     * @param removedValues      per table of {@link OpenOptions.Mirror#removedColumns}, the values those columns had
     *                           at the previous generation in each removed row and each touched row that was there
     *                           then, in their order (null when made anew; a table is missing when the values of
     *                           its removed rows could not be read)
     * @param unreadRows         per table of {@code removedValues}, the touched rows that were there at the previous
     *                           generation but whose values are not in it: their leaf page did not change, only their
     *                           overflow pages did (null when made anew)
     */
    public record MirrorUse(boolean incremental, String previousGeneration, String generation, long changedPages,
                            Map<String, long[]> touchedRows, Map<String, long[]> removedRows, long keptPages,
                            Map<String, Map<Long, Object[]>> removedValues, Map<String, long[]> unreadRows) {
    }

    private DecryptedDatabase(Connection connection, Decoder d, Path tempDir) {
        this.connection = connection;
        this.pageSize = d.pageSize;
        this.pageCount = d.pageCount;
        this.walFramesApplied = d.wal == null ? 0 : d.wal.committedFrames();
        this.userVersion = d.userVersion;
        this.wasPlaintext = d.codec == null;
        this.sourceSha256 = d.sha256;
        this.sourceSha256Pending = d.sha256Pending;
        this.warnings = List.copyOf(d.warnings);
        this.tempDir = tempDir;
        this.mirrorUse = d.mirrorUse;
        this.mirrorRows = d.mirrorRows == null ? Map.of() : Map.copyOf(d.mirrorRows);
        this.mirrorCommit = d.mirrorCommit;
    }

    /** How this open used the plaintext copy, when {@link OpenOptions#withMirror} asked for one and it was used. */
    public Optional<MirrorUse> mirrorUse() {
        return Optional.ofNullable(mirrorUse);
    }

    /**
     * When SQLite reads the copy: the rows (values in column order, row id first) of each table of
     * {@link OpenOptions.Mirror#readTables}, read from the source's pages (they are not in the copy). Empty
     * otherwise: then those tables are in the database SQLite reads.
     */
    public Map<String, List<Object[]>> mirrorRows() {
        return mirrorRows;
    }

    /**
     * Loads SQLite's native library on another thread while the pages are read: sqlite-jdbc extracts it from its jar,
     * compares it byte by byte with an extracted copy and may run a process to tell the platform, about 0.2 s that
     * the first connection would otherwise wait for. A failure here is left to that connection to report.
     */
    private static void preloadSqlite() {
        Thread t = new Thread(() -> {
            try {
                org.sqlite.SQLiteJDBCLoader.initialize();
            } catch (Exception | LinkageError e) {
                // reported by the connection that needs the library
            }
        }, "sqlite-native-load");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Decrypts {@code dbFile} (plus {@code dbFile-wal} when present) with {@code key} and opens the result.
     *
     * @throws SourceException WRONG_KEY, CORRUPT, NOT_A_SOURCE or IO, with a message that names the fix
     */
    public static DecryptedDatabase open(Path dbFile, SqlCipherKey key, OpenOptions options) throws SourceException {
        Objects.requireNonNull(dbFile, "dbFile");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(options, "options");
        preloadSqlite();
        Decoder d = new Decoder(dbFile, key, options);
        boolean opened = false;
        try {
            d.run();
            org.chatarchive.model.Timing.mark("database: pages read");
            DecryptedDatabase db = d.openConnection();
            org.chatarchive.model.Timing.mark("database: SQLite open");
            opened = true;
            return db;
        } finally {
            d.zero();
            if (!opened && d.tempFile != null) {
                TempFiles.delete(d.tempFile.getParent());
            }
        }
    }

    /**
     * Runs the decryption pass (read, hash, verify, decrypt, WAL) without opening SQLite, then zeroes the image;
     * returns the page count. For benchmarks.
     */
    static long decryptOnly(Path dbFile, SqlCipherKey key, OpenOptions options) throws SourceException {
        Decoder d = new Decoder(dbFile, key, options);
        try {
            d.run();
            return d.pageCount;
        } finally {
            d.zero();
            if (d.tempFile != null) {
                TempFiles.delete(d.tempFile.getParent());
            }
        }
    }

    /** The plaintext database, WAL applied; meant for reading (the connection is set to query_only). */
    public Connection connection() {
        return connection;
    }

    public int pageSize() {
        return pageSize;
    }

    public long pageCount() {
        return pageCount;
    }

    /** WAL frames up to and including the last commit frame. */
    public int walFramesApplied() {
        return walFramesApplied;
    }

    /** {@code user_version} from the database header (Signal's schema version). */
    public int userVersion() {
        return userVersion;
    }

    /** The file was plain SQLite and was opened as is. */
    public boolean wasPlaintext() {
        return wasPlaintext;
    }

    /** Hex SHA-256 of the main database file (read once per run for it, see {@link FileHashes#sha256OfSource}). */
    public String sourceSha256() {
        if (sourceSha256 == null && sourceSha256Pending != null) {
            try {
                return sourceSha256Pending.join();
            } catch (CompletionException e) {
                throw new UncheckedIOException(e.getCause() instanceof IOException io ? io
                        : new IOException(e.getCause()));
            }
        }
        return sourceSha256;
    }

    public List<String> warnings() {
        return warnings;
    }

    /**
     * Closes the connection and deletes the temporary file, if any; waits for the plaintext copy's records to be
     * written (when they cannot be, the copy is left without its state and the next open makes it anew).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mirrorCommit != null) {
            try {
                mirrorCommit.join();
            } catch (CompletionException ignored) {
                // no state file: the copy is not used again
            }
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing is best effort; the image goes away with the connection
        }
        if (tempDir != null) {
            TempFiles.delete(tempDir);
        }
    }

    @Override
    public String toString() {
        return "DecryptedDatabase[pageSize=" + pageSize + ", pageCount=" + pageCount + ", walFrames="
                + walFramesApplied + ", plaintext=" + wasPlaintext + "]";
    }

    /** One decryption run. */
    private static final class Decoder {
        final Path dbFile;
        final String name;
        final SqlCipherKey key;
        final OpenOptions options;
        final List<String> warnings = new ArrayList<>();
        PageCodec codec;
        WalIndex wal;
        int pageSize;
        long pageCount;
        int userVersion;
        String sha256;
        CompletableFuture<String> sha256Pending;
        // output: either the whole image in memory, or a chunk buffer written to a temp file
        byte[] image;
        byte[] outBuf;
        FileChannel out;
        Path tempFile;
        long outBase;
        int outFill;
        // the plaintext copy kept between runs (OpenOptions.withMirror)
        byte[] salt;
        byte[] tags;
        Path mirrorFile;
        MirrorUse mirrorUse;
        CompletableFuture<Void> mirrorCommit;
        Map<String, List<Object[]>> mirrorRows;

        Decoder(Path dbFile, SqlCipherKey key, OpenOptions options) {
            this.dbFile = dbFile;
            this.name = String.valueOf(dbFile.getFileName());
            this.key = key;
            this.options = options;
        }

        void run() throws SourceException {
            if (!Files.exists(dbFile)) {
                throw new SourceException(Kind.NOT_A_SOURCE, name + " does not exist; check the profile directory.");
            }
            if (!Files.isRegularFile(dbFile)) {
                throw new SourceException(Kind.NOT_A_SOURCE, name + " is not a regular file; point to the database file.");
            }
            try (FileChannel ch = FileChannel.open(dbFile, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size == 0) {
                    throw new SourceException(Kind.NOT_A_SOURCE, name
                            + " is empty, so it is not a database; check that you picked the right profile.");
                }
                byte[] head = new byte[(int) Math.min(size, 65536)];
                readFully(ch, head, head.length, 0);
                if (startsWithSqliteHeader(head)) {
                    pageSize = plainPageSize(head, size);
                } else {
                    if (size < 1024) {
                        throw new SourceException(Kind.NOT_A_SOURCE, name + " is only " + size
                                + " bytes, too short to be an SQLCipher database; check that you picked the right file.");
                    }
                    codec = detect(head);
                    pageSize = codec.pageSize();
                }
                if (size % pageSize != 0) {
                    long last = size / pageSize + 1;
                    throw new SourceException(Kind.CORRUPT, name + " is truncated: its last page (page " + last
                            + ") has only " + size % pageSize + " of " + pageSize
                            + " bytes; copy the database again while Signal is closed.");
                }
                long mainPages = size / pageSize;
                wal = WalIndex.read(dbFile.resolveSibling(name + "-wal"), pageSize, warnings);
                pageCount = wal != null ? wal.dbSizePages() : mainPages;
                OpenOptions.Mirror mirror = codec == null ? null : options.mirror().orElse(null);
                if (mirror != null) {
                    salt = Arrays.copyOf(head, CipherFormat.SALT_SIZE);
                    boolean used;
                    try {
                        used = fromMirror(mirror, ch, size);
                    } catch (IOException e) {
                        // The copy could not be read or written (full disk, permissions): without it, as on a first
                        // run. A fault of the source itself shows again in the whole decryption that follows.
                        warnings.add("The plaintext copy in " + mirror.dir() + " could not be used (" + e.getMessage()
                                + "); the whole database was decrypted instead, and the copy made anew.");
                        mirrorFile = null;
                        mirrorRows = null;
                        mirrorUse = null;
                        sha256Pending = null;
                        if (mirrorCommit != null) {
                            try {
                                mirrorCommit.join();
                            } catch (CompletionException ignored) {
                                // deleted below either way
                            }
                            mirrorCommit = null;
                        }
                        try {
                            MirrorStore.delete(mirror.dir());
                        } catch (IOException ignored) {
                            // the rebuild below reports its own failure
                        }
                        used = false;
                    }
                    if (used) {
                        return;
                    }
                    tags = new byte[Math.toIntExact(pageCount * MirrorStore.TAG)];
                }
                prepareOutput();
                decryptAll(ch, size);
                if (mirror != null && image != null) {
                    rebuildMirror(mirror);
                }
            } catch (IOException e) {
                throw new SourceException(Kind.IO, "Could not read " + name + " (" + e.getMessage()
                        + "); check that the file is readable.", e);
            }
        }

        private static boolean startsWithSqliteHeader(byte[] head) {
            return head.length >= 100 && Arrays.equals(head, 0, 16, PageCodec.SQLITE_HEADER, 0, 16);
        }

        private int plainPageSize(byte[] head, long size) throws SourceException {
            int p = ((head[16] & 0xff) << 8) | (head[17] & 0xff);
            if (p == 1) {
                p = 65536;
            }
            if (p < 512 || p > 65536 || Integer.bitCount(p) != 1) {
                throw new SourceException(Kind.CORRUPT, name + " is a plain SQLite file with an invalid page size ("
                        + p + "); restore it from a backup.");
            }
            return p;
        }

        /** Finds the format whose page-1 HMAC verifies; only page 1 is touched. */
        private PageCodec detect(byte[] head) throws SourceException {
            byte[] salt = Arrays.copyOf(head, CipherFormat.SALT_SIZE);
            Map<String, byte[]> encKeys = new HashMap<>();
            try {
                for (CipherFormat f : CipherFormat.candidates()) {
                    if (f.pageSize() > head.length) {
                        continue;
                    }
                    byte[] encKey = encKeys.computeIfAbsent(f.kdfAlgorithm(), a -> key.encryptionKey(salt, f));
                    PageCodec c = PageCodec.create(f, encKey, salt);
                    if (c.verify(head, 0, 1)) {
                        if (f.version() != 4 || f.pageSize() != 4096) {
                            warnings.add(name + " uses " + f + ", not Signal's usual SQLCipher 4 with 4096-byte pages.");
                        }
                        return c;
                    }
                }
            } finally {
                encKeys.values().forEach(k -> Arrays.fill(k, (byte) 0));
            }
            throw new SourceException(Kind.WRONG_KEY, "The key does not decrypt this database (HMAC check failed on"
                    + " page 1). Check --key, or the profile's config.json.");
        }

        private void prepareOutput() throws SourceException {
            long bytes = pageCount * pageSize;
            Path dir = options.tempDir().orElse(null);
            boolean toFile = bytes > options.maxInMemoryBytes() || (dir != null && options.tempFileForced());
            if (!toFile) {
                try {
                    image = new byte[(int) bytes];
                    return;
                } catch (OutOfMemoryError e) {
                    if (dir == null) {
                        throw new SourceException(Kind.IO, name + " decrypts to " + mib(bytes)
                                + " MiB, more than the free Java heap; re-run with a larger -Xmx, or with --temp-dir DIR"
                                + " to write the plaintext database to a private file in DIR that is deleted when the"
                                + " run ends.");
                    }
                }
            }
            if (dir == null) {
                throw new SourceException(Kind.IO, name + " decrypts to " + mib(bytes) + " MiB, too large to hold in"
                        + " memory; re-run with --temp-dir DIR to write the plaintext database to a private file in DIR"
                        + " (it is deleted when the run ends).");
            }
            openTempFile(dir);
            outBuf = new byte[CHUNK];
        }

        private void openTempFile(Path dir) throws SourceException {
            try {
                tempFile = TempFiles.createPrivateFile(dir, "plaintext.sqlite");
                out = FileChannel.open(tempFile, StandardOpenOption.WRITE);
            } catch (IOException e) {
                if (tempFile != null) {
                    TempFiles.delete(tempFile.getParent());
                }
                throw new SourceException(Kind.IO, "Could not create a private temporary file in " + dir + " ("
                        + e.getMessage() + "); pick another --temp-dir.", e);
            }
            warnings.add("plaintext database written to " + tempFile + " ; it is deleted when the run ends");
        }

        private static long mib(long bytes) {
            return (bytes + (1 << 20) - 1) >> 20;
        }

        private void decryptAll(FileChannel ch, long size) throws IOException, SourceException {
            // The file's SHA-256 on another thread while this one decrypts (shared with the manifest's hashing of
            // the same file, so a run reads it for hashes once).
            CompletableFuture<String> hashed = FileHashes.sha256OfSourceInBackground(dbFile);
            ProgressListener progress = options.progress();
            progress.update(0, pageCount);
            FileChannel walCh = wal == null ? null : FileChannel.open(wal.path(), StandardOpenOption.READ);
            try {
                int workers = image != null && codec != null ? WORKERS : 1;
                long mainPages = size / pageSize;
                if (workers == 1) {
                    new Range(codec, 1, pageCount, mainPages, ch, walCh).run(progress);
                } else {
                    // Pages split in contiguous ranges, each decrypted by its own thread with its own codec into
                    // its own part of the image; this thread takes the first range and reports progress.
                    long per = (pageCount + workers - 1) / workers;
                    List<Range> ranges = new ArrayList<>();
                    for (long first = 1; first <= pageCount; first += per) {
                        ranges.add(new Range(ranges.isEmpty() ? codec : codec.copy(), first,
                                Math.min(pageCount, first + per - 1), mainPages, ch, walCh));
                    }
                    List<CompletableFuture<Void>> others = new ArrayList<>();
                    for (Range r : ranges.subList(1, ranges.size())) {
                        CompletableFuture<Void> f = new CompletableFuture<>();
                        Thread t = new Thread(() -> {
                            try {
                                r.run(null);
                                f.complete(null);
                            } catch (Throwable e) {
                                f.completeExceptionally(e);
                            }
                        }, "decrypt-" + r.first);
                        t.setDaemon(true);
                        t.start();
                        others.add(f);
                    }
                    Throwable failed = null;
                    try {
                        ranges.get(0).run(new ProgressListener() {
                            @Override
                            public void update(long done, long total) {
                                long sum = 0;
                                for (Range r : ranges) {
                                    sum += r.done;
                                }
                                progress.update(sum, pageCount);
                            }
                        });
                    } catch (IOException | SourceException | RuntimeException e) {
                        failed = e;
                    }
                    for (CompletableFuture<Void> f : others) {
                        try {
                            f.join();
                        } catch (CompletionException e) {
                            // the lowest failing range's error is the one reported
                            failed = failed == null ? e.getCause() : failed;
                        }
                    }
                    if (failed instanceof SourceException se) {
                        throw se;
                    } else if (failed instanceof IOException io) {
                        throw io;
                    } else if (failed instanceof RuntimeException re) {
                        throw re;
                    } else if (failed instanceof Error err) {
                        throw err;
                    }
                }
                flush();
            } finally {
                if (walCh != null) {
                    walCh.close();
                }
                if (out != null) {
                    out.close();
                }
            }
            try {
                sha256 = hashed.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            progress.update(pageCount, pageCount);
        }

        /** Pages {@code first..last}: read in chunks from the file (or their WAL frames), verified and decoded. */
        private final class Range {
            final PageCodec rangeCodec;
            final long first;
            final long last;
            final long mainPages;
            final FileChannel ch;
            final FileChannel walCh;
            final byte[] frameBuf;
            volatile long done;

            Range(PageCodec codec, long first, long last, long mainPages, FileChannel ch, FileChannel walCh) {
                this.rangeCodec = codec;
                this.first = first;
                this.last = last;
                this.mainPages = mainPages;
                this.ch = ch;
                this.walCh = walCh;
                this.frameBuf = walCh == null ? null : new byte[pageSize];
            }

            void run(ProgressListener progress) throws IOException, SourceException {
                long step = Math.max(1024, pageCount / 100);
                int perChunk = Math.max(1, CHUNK / pageSize);
                byte[] chunk = new byte[perChunk * pageSize];
                long pgno = first;
                long lastInFile = Math.min(last, mainPages);
                while (pgno <= lastInFile) {
                    int pages = (int) Math.min(perChunk, lastInFile - pgno + 1);
                    readFully(ch, chunk, pages * pageSize, (pgno - 1) * pageSize);
                    for (int i = 0; i < pages; i++, pgno++) {
                        page(rangeCodec, pgno, chunk, i * pageSize, walCh, frameBuf);
                        done++;
                        if (progress != null && pgno % step == 0) {
                            progress.update(done, pageCount);
                        }
                    }
                }
                for (; pgno <= last; pgno++) {
                    page(rangeCodec, pgno, null, 0, walCh, frameBuf);
                    done++;
                }
            }
        }

        /** Decodes page {@code pgno} from its WAL frame, or from {@code src}, or writes zeros past the file's end. */
        private void page(PageCodec codec, long pgno, byte[] src, int off, FileChannel walCh, byte[] frameBuf)
                throws IOException, SourceException {
            byte[] dst;
            int dOff;
            if (image != null) {
                dst = image;
                dOff = (int) ((pgno - 1) * pageSize);
            } else {
                if (outFill + pageSize > outBuf.length) {
                    flush();
                }
                dst = outBuf;
                dOff = outFill;
                outFill += pageSize;
            }
            int frame = wal == null ? -1 : wal.frameOf(pgno);
            if (pgno == lockBytePage()) {
                // never written, never encrypted: plaintext zeros whatever the file holds there
                Arrays.fill(dst, dOff, dOff + pageSize, (byte) 0);
            } else if (frame >= 0) {
                readFully(walCh, frameBuf, pageSize, wal.pageOffset(frame));
                tag(pgno, frameBuf, 0);
                decodeChecked(codec, frameBuf, 0, pgno, dst, dOff, frame);
            } else if (src != null) {
                tag(pgno, src, off);
                decodeChecked(codec, src, off, pgno, dst, dOff, -1);
            } else {
                Arrays.fill(dst, dOff, dOff + pageSize, (byte) 0);
            }
            if (pgno == 1) {
                page1(dst, dOff);
            }
        }

        /** Decodes a page (from WAL frame {@code frame}, or the file when -1), or fails naming what is damaged. */
        private void decodeChecked(PageCodec codec, byte[] src, int off, long pgno, byte[] dst, int dOff, int frame)
                throws SourceException {
            if (!decode(codec, src, off, pgno, dst, dOff)) {
                throw new SourceException(Kind.CORRUPT, frame >= 0
                        ? "WAL frame " + (frame + 1) + " (page " + pgno + ") of " + wal.path().getFileName()
                        + " is damaged (HMAC check failed); copy the database and its -wal again while Signal is closed."
                        : "Page " + pgno + " of " + name + " is damaged (HMAC check failed); copy the database again,"
                        + " or restore it from a backup.");
            }
        }

        /**
         * Page 1 as the plaintext image has it: file format write/read version 1 (rollback journal), so that the image
         * opens without a WAL file; notes the schema version.
         */
        private void page1(byte[] dst, int dOff) {
            dst[dOff + 18] = 1;
            dst[dOff + 19] = 1;
            userVersion = ((dst[dOff + 60] & 0xff) << 24) | ((dst[dOff + 61] & 0xff) << 16)
                    | ((dst[dOff + 62] & 0xff) << 8) | (dst[dOff + 63] & 0xff);
        }

        /**
         * Uses the plaintext copy in {@code m.dir()} when it is whole and of this database: reads every page's HMAC
         * (and the WAL's frames), decrypts only the pages whose HMAC differs from the copy's, writes them into the
         * copy (or zeros, for pages it does not keep), and opens the copy. Returns false when there is no usable
         * copy (the caller decrypts everything and makes one).
         */
        private boolean fromMirror(OpenOptions.Mirror m, FileChannel ch, long size) throws IOException, SourceException {
            String saltHex = HexFormat.of().formatHex(salt);
            long t0 = System.nanoTime();
            MirrorStore old = MirrorStore.load(m.dir(), saltHex, codec.format().toString(), pageSize);
            if (old == null) {
                return false;
            }
            ProgressListener progress = options.progress();
            progress.update(0, pageCount);
            long mainPages = size / pageSize;
            tags = new byte[Math.toIntExact(pageCount * MirrorStore.TAG)];
            BitSet changed = new BitSet();
            Map<Long, byte[]> plain = new HashMap<>();
            int tagAt = tagOffset();
            timing("opened the copy", t0);
            try (FileChannel walCh = wal == null ? null : FileChannel.open(wal.path(), StandardOpenOption.READ);
                 FileChannel copy = MirrorStore.openForWrite(m.dir())) {
                byte[] frameBuf = new byte[pageSize];
                // 1. Which pages differ: every page's HMAC, from its WAL frame or the file.
                scanTags(ch, mainPages, walCh, frameBuf, old, tagAt, changed, plain);
                timing("compared the tags", t0);
                // The file's SHA-256 (a whole pass over it) on another thread from now on; joined when asked for.
                sha256Pending = FileHashes.sha256OfSourceInBackground(dbFile);
                // The new state's generation (a digest of every tag) meanwhile too: the tags are final.
                String saltFinal = saltHex;
                String cipherName = codec.format().toString();
                byte[] newTags = tags;
                CompletableFuture<String> generationOf = CompletableFuture.supplyAsync(
                        () -> MirrorStore.generation(saltFinal, cipherName, pageSize, pageCount, newTags));
                // 2. What every page is now: only interior pages, freelist trunks and changed pages are read.
                PageMap before = old.map();
                timing("had the copy's page map", t0);
                if (before == null) {
                    plain.values().forEach(b -> Arrays.fill(b, (byte) 0));
                    return false;
                }
                PageSource now = p -> {
                    byte[] b = plain.get(p);
                    return b != null ? b : old.read(copy, p);
                };
                LongPredicate isChanged = p -> p <= Integer.MAX_VALUE && changed.get((int) p);
                PageMap map;
                BitSet differing;
                try {
                    PageMap.Update u = PageMap.update(before, now, p -> old.read(copy, p), pageSize, pageCount,
                            changed);
                    map = u.map();
                    differing = u.differing();
                } catch (IOException e) {
                    // The copy and the source disagree in a way the map cannot follow: make the copy anew.
                    plain.values().forEach(b -> Arrays.fill(b, (byte) 0));
                    return false;
                }
                timing("mapped the pages", t0);
                Set<String> keepTables = m.tables();
                boolean[] keptBefore = MirrorStore.keptTrees(before, keepTables);
                boolean[] keptNow = MirrorStore.keptTrees(map, keepTables);
                // 3. Pages the copy did not keep and now must (their content is unchanged, but they were zeros).
                // Only pages where the two maps can differ are visited from here on.
                List<Integer> write = new ArrayList<>();
                for (int p = differing.nextSetBit(1); p >= 0 && p <= pageCount; p = differing.nextSetBit(p + 1)) {
                    boolean keepNow = MirrorStore.keep(map, p, keptNow);
                    if (changed.get(p)) {
                        write.add(p);
                    } else if (p > before.pageCount() || keepNow != MirrorStore.keep(before, p, keptBefore)) {
                        if (keepNow) {
                            plain.put((long) p, sourcePage(ch, walCh, frameBuf, p, mainPages));
                        }
                        write.add(p);
                    }
                }
                // 4. What removed and changed rows held, read from the copy before it changes.
                Map<String, long[]> removed = PageMap.removedRows(before, map, isChanged, differing);
                Map<String, long[]> touched = PageMap.touchedRows(before, map, isChanged, differing);
                Map<String, Map<Long, Object[]>> removedValues = removedValues(m, before, removed, touched, differing,
                        p -> old.read(copy, p));
                // 5. The copy changes: not whole until its state is written again.
                MirrorStore.beginChange(m.dir());
                byte[] zeros = new byte[pageSize];
                for (int p : write) {
                    byte[] b = plain.get((long) p);
                    byte[] out = b == null || !MirrorStore.keep(map, p, keptNow) ? zeros
                            : MirrorStore.kept(map, p, keptNow, b);
                    ByteBuffer bb = ByteBuffer.wrap(out);
                    while (bb.hasRemaining()) {
                        copy.write(bb, (long) (p - 1) * pageSize + bb.position());
                    }
                }
                if (copy.size() > pageCount * pageSize) {
                    copy.truncate(pageCount * pageSize);
                }
                timing("wrote the changed pages", t0);
                // Its pages synced, then its tags, map and state written, on another thread while the run goes on
                // (joined by close()): the map as a delta of the one written whole last, while that is small. Until
                // the state is written the copy is marked as changing (beginChange), and is not used if the run ends
                // before.
                String generation = generationOf.join();
                BitSet deltaPages = old.deltaPagesFor(differing, pageCount);
                mirrorCommit = CompletableFuture.runAsync(() -> {
                    try {
                        try (FileChannel synced = MirrorStore.openForWrite(m.dir())) {
                            synced.force(true);
                        }
                        MirrorStore.commit(m.dir(), saltHex, cipherName, pageSize, pageCount, newTags, map, generation,
                                deltaPages, old.mapChecksum());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                // 6. Rows of tables the copy does not keep, read from the source's pages.
                if (!m.readTables().isEmpty()) {
                    mirrorRows = unmirroredRows(m, map, keptNow, plain, old, copy, ch, walCh, frameBuf, mainPages);
                }
                // Touched rows neither read above nor on a changed leaf now (a new row is on one): rows whose change
                // is in their overflow pages alone.
                Map<String, long[]> unread = new HashMap<>();
                removedValues.forEach((table, values) -> {
                    Set<Long> onChangedLeaves = PageMap.rowidsOn(map, table, differing);
                    long[] left = Arrays.stream(touched.getOrDefault(table, new long[0]))
                            .filter(r -> !values.containsKey(r) && !onChangedLeaves.contains(r)).toArray();
                    if (left.length > 0) {
                        unread.put(table, left);
                    }
                });
                mirrorUse = new MirrorUse(true, old.generation, generation, changed.cardinality(),
                        touched, removed, -1, removedValues, unread);
                timing("found the touched rows", t0);
            } finally {
                plain.values().forEach(b -> Arrays.fill(b, (byte) 0));
            }
            mirrorFile = m.dir().resolve(MirrorStore.DB);
            progress.update(pageCount, pageCount);
            return true;
        }

        /**
         * Reads every page's tag into {@link #tags} and decrypts the pages whose tag differs from the copy's (or that
         * the copy does not have) into {@code plain}, marking them in {@code changed}. The tags in the file are read
         * first for each part of 1 GiB, on several threads when there are many ({@link #readTags}); the rest goes in
         * page order on this thread, so that the first failure in page order is the one reported.
         */
        private void scanTags(FileChannel ch, long mainPages, FileChannel walCh, byte[] frameBuf, MirrorStore old,
                              int tagAt, BitSet changed, Map<Long, byte[]> plain) throws IOException, SourceException {
            long lastInFile = Math.min(pageCount, mainPages);
            long window = Math.max(1, (1L << 30) / pageSize);   // pages per part: 1 GiB
            byte[] page = new byte[pageSize];
            try {
                for (long first = 1; first <= pageCount; first += window) {
                    long last = Math.min(pageCount, first + window - 1);
                    TagFault fault = null;
                    if (first <= lastInFile) {
                        fault = readTags(ch, first, Math.min(last, lastInFile), tagAt);
                        org.chatarchive.model.Timing.mark("plaintext copy: tags read to page " + Math.min(last, lastInFile));
                    }
                    for (long pgno = first; pgno <= last; pgno++) {
                        if (wal == null && pgno <= lastInFile && pgno <= old.pageCount) {
                            // Without a WAL, skip to the next page whose tag differs, comparing in bulk.
                            long cap = Math.min(Math.min(last, lastInFile), old.pageCount);
                            if (lockBytePage() >= pgno) {
                                cap = Math.min(cap, lockBytePage() - 1);
                            }
                            if (fault != null && fault.pgno() >= pgno) {
                                cap = Math.min(cap, fault.pgno() - 1);
                            }
                            if (cap >= pgno) {
                                int a = (int) ((pgno - 1) * MirrorStore.TAG);
                                int b = (int) (cap * MirrorStore.TAG);
                                int i = Arrays.mismatch(tags, a, b, old.tags, a, b);
                                if (i < 0) {
                                    pgno = cap; // every tag up to cap is the same
                                    continue;
                                }
                                pgno += i / MirrorStore.TAG;
                            }
                        }
                        int frame = wal == null ? -1 : wal.frameOf(pgno);
                        int t = (int) ((pgno - 1) * MirrorStore.TAG);
                        byte[] src = null;
                        if (pgno == lockBytePage()) {
                            src = null;
                        } else if (frame >= 0) {
                            readFully(walCh, frameBuf, pageSize, wal.pageOffset(frame));
                            System.arraycopy(frameBuf, tagAt, tags, t, MirrorStore.TAG);
                            src = frameBuf;
                        } else if (pgno <= lastInFile) {
                            if (fault != null && pgno == fault.pgno()) {
                                throw changedWhileRead(fault.error()); // as if read here: an earlier failure came first
                            }
                            if (sameTag(old, pgno)) { // its tag is in tags already (readTags)
                                continue;
                            }
                            try {
                                readFully(ch, page, pageSize, (pgno - 1) * pageSize);
                            } catch (EOFException e) {
                                throw changedWhileRead(e);
                            }
                            src = page;
                        }
                        if (!sameTag(old, pgno)) {
                            changed.set(Math.toIntExact(pgno));
                            byte[] dst = new byte[pageSize];
                            if (src != null) {
                                decodeOrFail(src, 0, pgno, dst, frame);
                            }
                            plain.put(pgno, dst);
                        }
                    }
                }
            } finally {
                Arrays.fill(page, (byte) 0);
            }
        }

        /** The failure of a read past the end of a file that was longer when the run looked: it shrank meanwhile. */
        private SourceException changedWhileRead(IOException e) {
            return new SourceException(Kind.IO, name + " changed while it was read (" + e.getMessage()
                    + "); close Signal and run again.", e);
        }

        /** Whether page {@code pgno}'s tag, as read, is the one the copy has for it. */
        private boolean sameTag(MirrorStore old, long pgno) {
            int t = (int) ((pgno - 1) * MirrorStore.TAG);
            return pgno <= old.pageCount && Arrays.equals(tags, t, t + MirrorStore.TAG, old.tags, t, t + MirrorStore.TAG);
        }

        /** The first page whose tag could not be read, and why (the file shrank). */
        private record TagFault(long pgno, IOException error) {
        }

        /**
         * Copies the tag of each page {@code from..to} of the file into {@link #tags}, but of the lock-byte page and
         * of pages with a WAL frame, which {@link #scanTags} does not read from the file; on {@link #tagWorkers}
         * threads, each with its own contiguous part, when there are more than {@link #parallelTagPages} pages. The
         * file is read in parts of {@link #TAG_READ} bytes, positioned (a memory map instead took as long to fault
         * its pages in, and as long again to unmap them at exit). A page that cannot be read does not end the work:
         * the first page that could not be read is returned (null: none), and {@link #scanTags} fails there, after
         * any failure of an earlier page, as it would if it had read the tags itself.
         */
        private TagFault readTags(FileChannel ch, long from, long to, int tagAt) throws IOException {
            long pages = to - from + 1;
            int workers = pages > parallelTagPages ? tagWorkers : 1;
            long per = (pages + workers - 1) / workers;
            List<CompletableFuture<TagFault>> others = new ArrayList<>();
            for (long first = from + per; first <= to; first += per) {
                long a = first;
                long b = Math.min(to, first + per - 1);
                CompletableFuture<TagFault> f = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try {
                        f.complete(readTagRange(ch, a, b, tagAt));
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                }, "tags-" + a);
                t.setDaemon(true);
                t.start();
                others.add(f);
            }
            TagFault fault = readTagRange(ch, from, Math.min(to, from + per - 1), tagAt);
            for (CompletableFuture<TagFault> f : others) {
                TagFault later;
                try {
                    later = f.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    } else if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    } else if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw e;
                }
                fault = fault != null ? fault : later; // the parts are in page order
            }
            return fault;
        }

        /** {@link #readTags} of pages {@code from..to}, on the calling thread. */
        private TagFault readTagRange(FileChannel ch, long from, long to, int tagAt) throws IOException {
            long lockBytePage = lockBytePage();
            int perRead = Math.max(1, TAG_READ / pageSize);
            ByteBuffer buf = ByteBuffer.allocateDirect(perRead * pageSize);
            for (long a = from; a <= to; a += perRead) {
                long b = Math.min(to, a + perRead - 1);
                buf.clear().limit((int) ((b - a + 1) * pageSize));
                long at = (a - 1) * pageSize;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, at + buf.position()) < 0) {
                        // the pages before the end were read: their tags are taken, the first after it is the fault
                        b = a + buf.position() / pageSize - 1;
                        copyTags(buf, a, b, tagAt, lockBytePage);
                        return new TagFault(b + 1, new EOFException("the file ends before page " + (b + 1)));
                    }
                }
                copyTags(buf, a, b, tagAt, lockBytePage);
            }
            return null;
        }

        /** Takes the tags of pages {@code a..b} from {@code buf}, which holds them from page {@code a} on. */
        private void copyTags(ByteBuffer buf, long a, long b, int tagAt, long lockBytePage) {
            for (long pgno = a; pgno <= b; pgno++) {
                if (pgno == lockBytePage || wal != null && wal.frameOf(pgno) >= 0) {
                    continue;
                }
                buf.get((int) ((pgno - a) * pageSize) + tagAt, tags, (int) ((pgno - 1) * MirrorStore.TAG),
                        MirrorStore.TAG);
            }
        }

        /**
         * For each table of {@link OpenOptions.Mirror#removedColumns} with removed or touched rows, the values of
         * those columns in each removed row and in each touched row that was there before (where a changed row was,
         * e.g. the conversation of a message that moved), read from the copy's previous state ({@code before}, its
         * pages where the maps differ, which hold every such row, from {@code oldPages}); a table whose removed
         * rows' values cannot all be read is left out.
         */
        private static Map<String, Map<Long, Object[]>> removedValues(OpenOptions.Mirror m, PageMap before,
                Map<String, long[]> removed, Map<String, long[]> touched, BitSet differing, PageSource oldPages) {
            Map<String, Map<Long, Object[]>> out = new HashMap<>();
            for (Map.Entry<String, List<String>> e : m.removedColumns().entrySet()) {
                long[] gone = removed.getOrDefault(e.getKey(), new long[0]);
                long[] rowids = java.util.stream.LongStream.concat(Arrays.stream(gone),
                        Arrays.stream(touched.getOrDefault(e.getKey(), new long[0]))).distinct().toArray();
                if (rowids.length == 0 || !m.tables().contains(e.getKey())) {
                    continue;
                }
                try {
                    int[] columns = new int[e.getValue().size()];
                    for (int i = 0; i < columns.length; i++) {
                        columns[i] = storedColumn(before, e.getKey(), e.getValue().get(i));
                    }
                    if (Arrays.stream(columns).anyMatch(c -> c < 0)) {
                        continue;
                    }
                    Map<Long, Object[]> values = new HashMap<>();
                    for (Map.Entry<Long, Object[]> r
                            : PageMap.rowsOf(oldPages, before, e.getKey(), rowids, differing).entrySet()) {
                        Object[] v = r.getValue();
                        Object[] picked = new Object[columns.length];
                        for (int i = 0; i < columns.length; i++) {
                            picked[i] = columns[i] < v.length ? v[columns[i]] : null;
                        }
                        values.put(r.getKey(), picked);
                    }
                    if (Arrays.stream(gone).allMatch(values::containsKey)) {
                        out.put(e.getKey(), values);
                    }
                } catch (IOException | SQLException | RuntimeException ex) {
                    // left out: the caller treats the removals as it would without the values
                }
            }
            return out;
        }

        /**
         * The position of {@code column} in the records of {@code table} (virtual generated columns are not stored),
         * found by letting SQLite read the table's CREATE statement in an empty in-memory database; -1 when unknown.
         */
        private static int storedColumn(PageMap map, String table, String column) throws SQLException {
            String create = null;
            for (PageMap.SchemaEntry e : map.schema()) {
                if (e.type().equals("table") && e.name().equals(table)) {
                    create = e.sql();
                }
            }
            if (create == null) {
                return -1;
            }
            try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite::memory:");
                 Statement st = c.createStatement()) {
                st.execute(create);
                int at = 0;
                try (ResultSet rs = st.executeQuery("PRAGMA table_xinfo(\"" + table.replace("\"", "\"\"") + "\")")) {
                    while (rs.next()) {
                        int hidden = rs.getInt("hidden");
                        if (hidden == 1 || hidden == 2) {
                            continue;
                        }
                        if (rs.getString("name").equals(column)) {
                            return at;
                        }
                        at++;
                    }
                }
            }
            return -1;
        }

        /** The rows of {@link OpenOptions.Mirror#readTables}, read from the source's pages where the copy has none. */
        private Map<String, List<Object[]>> unmirroredRows(OpenOptions.Mirror m, PageMap map, boolean[] keptNow,
                                                           Map<Long, byte[]> plain, MirrorStore old, FileChannel copy,
                                                           FileChannel ch, FileChannel walCh, byte[] frameBuf,
                                                           long mainPages) throws IOException, SourceException {
            PageSource full = p -> {
                byte[] b = plain.get(p);
                if (b != null) {
                    return b;
                }
                if (MirrorStore.keep(map, (int) p, keptNow)) {
                    return old.read(copy, p);
                }
                try {
                    return sourcePage(ch, walCh, frameBuf, p, mainPages);
                } catch (SourceException e) {
                    throw new SourcePageFailure(e);
                }
            };
            Map<String, List<Object[]>> out = new HashMap<>();
            for (String table : m.readTables()) {
                if (map.schema().stream().noneMatch(e -> e.type().equals("table") && e.name().equals(table))) {
                    continue;
                }
                List<PageMap.Row> read;
                try {
                    read = PageMap.rows(full, map, table);
                } catch (SourcePageFailure e) {
                    throw e.failure;
                }
                out.put(table, withRowids(read));
            }
            return out;
        }

        /** Each row as its rowid followed by its values. */
        private static List<Object[]> withRowids(List<PageMap.Row> read) {
            List<Object[]> rows = new ArrayList<>();
            for (PageMap.Row r : read) {
                Object[] v = new Object[r.values().length + 1];
                v[0] = r.rowid();
                System.arraycopy(r.values(), 0, v, 1, r.values().length);
                rows.add(v);
            }
            return rows;
        }

        private static void timing(String what, long t0) {
            org.chatarchive.model.Timing.mark(String.format(Locale.ROOT, "plaintext copy: %s (%.3f s into it)", what,
                    (System.nanoTime() - t0) / 1e9));
        }

        /** A source page that failed its check while the page map was reading it. */
        private static final class SourcePageFailure extends IOException {
            final transient SourceException failure;

            SourcePageFailure(SourceException failure) {
                super(failure.getMessage(), failure);
                this.failure = failure;
            }
        }

        /** Page {@code p} of the source decrypted (its WAL frame, the file, or zeros past the end). */
        private byte[] sourcePage(FileChannel ch, FileChannel walCh, byte[] frameBuf, long p, long mainPages)
                throws IOException, SourceException {
            byte[] dst = new byte[pageSize];
            if (p == lockBytePage()) {
                return dst;
            }
            int frame = wal == null ? -1 : wal.frameOf(p);
            if (frame >= 0) {
                readFully(walCh, frameBuf, pageSize, wal.pageOffset(frame));
                decodeOrFail(frameBuf, 0, p, dst, frame);
            } else if (p <= mainPages) {
                byte[] src = new byte[pageSize];
                readFully(ch, src, pageSize, (p - 1) * pageSize);
                decodeOrFail(src, 0, p, dst, -1);
            }
            return dst;
        }

        private void decodeOrFail(byte[] src, int off, long pgno, byte[] dst, int frame) throws SourceException {
            decodeChecked(codec, src, off, pgno, dst, 0, frame);
            if (pgno == 1) {
                page1(dst, 0);
            }
        }

        /**
         * Makes the plaintext copy anew from the whole image just decrypted: the pages it keeps are written (the
         * others are left as holes, read as zeros), then its tags, page map and state. A failure here only means
         * no copy: the run goes on from the image.
         */
        private void rebuildMirror(OpenOptions.Mirror m) {
            try {
                PageSource src = p -> Arrays.copyOfRange(image, (int) ((p - 1) * pageSize), (int) (p * pageSize));
                PageMap map = PageMap.full(src, pageSize, pageCount);
                boolean[] keptTrees = MirrorStore.keptTrees(map, m.tables());
                MirrorStore.beginChange(m.dir());
                long kept = 0;
                try (FileChannel copy = MirrorStore.openForWrite(m.dir())) {
                    copy.truncate(0);
                    long runStart = -1;
                    for (long p = 1; p <= pageCount + 1; p++) {
                        boolean keep = p <= pageCount && MirrorStore.keep(map, (int) p, keptTrees);
                        boolean plainCopy = keep && map.kind(p) != PageMap.Kind.FREE_TRUNK;
                        if (plainCopy && runStart < 0) {
                            runStart = p;
                        }
                        boolean runEnds = runStart > 0 && (!plainCopy || p - runStart >= 1024);
                        if (runEnds) {
                            ByteBuffer bb = ByteBuffer.wrap(image, (int) ((runStart - 1) * pageSize),
                                    (int) ((p - runStart) * pageSize));
                            long at = (runStart - 1) * pageSize;
                            while (bb.hasRemaining()) {
                                at += copy.write(bb, at);
                            }
                            runStart = plainCopy ? p : -1;
                        }
                        if (keep && !plainCopy) {
                            ByteBuffer bb = ByteBuffer.wrap(MirrorStore.kept(map, (int) p, keptTrees, src.page(p)));
                            while (bb.hasRemaining()) {
                                copy.write(bb, (p - 1) * pageSize + bb.position());
                            }
                        }
                        kept += keep ? 1 : 0;
                    }
                    if (copy.size() < pageCount * pageSize) {
                        // the file ends with pages it does not keep: a last zero byte gives it its full size
                        copy.write(ByteBuffer.wrap(new byte[1]), pageCount * pageSize - 1);
                    }
                    copy.force(true);
                }
                String generation = MirrorStore.generation(HexFormat.of().formatHex(salt), codec.format().toString(),
                        pageSize, pageCount, tags);
                MirrorStore.commit(m.dir(), HexFormat.of().formatHex(salt), codec.format().toString(), pageSize,
                        pageCount, tags, map, generation, null, null);
                // SQLite reads the copy from now on, as later runs do: the image is not copied into SQLite's
                // memory a second time. The rows a reader needs from tables the copy leaves out come from the image.
                Map<String, List<Object[]>> rows = new HashMap<>();
                for (String table : m.readTables()) {
                    if (map.schema().stream().anyMatch(e -> e.type().equals("table") && e.name().equals(table))) {
                        rows.put(table, withRowids(PageMap.rows(src, map, table)));
                    }
                }
                mirrorRows = rows;
                mirrorFile = m.dir().resolve(MirrorStore.DB);
                mirrorUse = new MirrorUse(false, null, generation, pageCount, null, null, kept, null, null);
            } catch (IOException | RuntimeException e) {
                mirrorFile = null;
                mirrorRows = null;
                mirrorUse = null;
                warnings.add("The plaintext copy for faster later runs could not be made (" + e.getMessage()
                        + "); the next run decrypts the whole database again.");
                try {
                    MirrorStore.delete(m.dir());
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }

        /** Keeps the first bytes of the HMAC of encrypted page {@code pgno} (at {@code src[off]}), for the copy. */
        private void tag(long pgno, byte[] src, int off) {
            if (tags != null) {
                System.arraycopy(src, off + tagOffset(), tags, (int) ((pgno - 1) * MirrorStore.TAG), MirrorStore.TAG);
            }
        }

        private int tagOffset() {
            return pageSize - codec.format().reserve() + CipherFormat.IV_SIZE;
        }

        /** The page that holds SQLite's lock byte, or -1 when the database is too small to reach it. */
        private long lockBytePage() {
            return lockByteOffset / pageSize + 1;
        }

        private boolean decode(PageCodec codec, byte[] src, int off, long pgno, byte[] dst, int dOff) {
            if (codec == null) {
                System.arraycopy(src, off, dst, dOff, pageSize);
                return true;
            }
            return codec.decrypt(src, off, pgno, dst, dOff);
        }

        private void flush() throws IOException {
            if (out == null || outFill == 0) {
                return;
            }
            ByteBuffer bb = ByteBuffer.wrap(outBuf, 0, outFill);
            while (bb.hasRemaining()) {
                outBase += out.write(bb, outBase);
            }
            Arrays.fill(outBuf, 0, outFill, (byte) 0);
            outFill = 0;
        }

        DecryptedDatabase openConnection() throws SourceException {
            if (mirrorFile != null) {
                try {
                    SQLiteConfig cfg = new SQLiteConfig();
                    cfg.setReadOnly(true);
                    // read through a memory map: the copy is read at random (a conversation's rows by index)
                    cfg.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(1L << 40));
                    // immutable: nothing changes the copy while it is open, so SQLite takes no lock and checks no
                    // change counter for each statement (the reader runs several per message)
                    String uri = mirrorFile.toAbsolutePath().toUri().toString() + "?immutable=1";
                    return finish(cfg.createConnection("jdbc:sqlite:" + uri), null);
                } catch (SQLException e) {
                    throw new SourceException(Kind.IO, "Could not open the plaintext copy " + mirrorFile + " ("
                            + e.getMessage() + "); delete its folder and run again.", e);
                }
            }
            if (image != null) {
                try {
                    Connection c = new SQLiteConfig().createConnection("jdbc:sqlite::memory:");
                    try {
                        c.unwrap(SQLiteConnection.class).deserialize("main", image);
                    } catch (SQLException e) {
                        closeQuietly(c);
                        Path dir = options.tempDir().orElse(null);
                        if (dir == null) {
                            throw new SourceException(Kind.IO, "SQLite could not load the " + mib(image.length)
                                    + " MiB plaintext of " + name + " into memory (" + e.getMessage() + "); re-run with"
                                    + " --temp-dir DIR to write the plaintext database to a private file in DIR (it is"
                                    + " deleted when the run ends).", e);
                        }
                        writeImageToTempFile(dir);
                        return openFile();
                    }
                    return finish(c, null);
                } catch (SQLException e) {
                    throw new SourceException(Kind.IO, "Could not open an in-memory SQLite connection ("
                            + e.getMessage() + "); check the sqlite-jdbc installation.", e);
                }
            }
            return openFile();
        }

        private void writeImageToTempFile(Path dir) throws SourceException {
            openTempFile(dir);
            try (FileChannel o = out) {
                ByteBuffer bb = ByteBuffer.wrap(image);
                long pos = 0;
                while (bb.hasRemaining()) {
                    pos += o.write(bb, pos);
                }
            } catch (IOException e) {
                TempFiles.delete(tempFile.getParent());
                throw new SourceException(Kind.IO, "Could not write the plaintext database to " + tempFile.getParent()
                        + " (" + e.getMessage() + "); free some space or pick another --temp-dir.", e);
            }
        }

        private DecryptedDatabase openFile() throws SourceException {
            try {
                SQLiteConfig cfg = new SQLiteConfig();
                cfg.setReadOnly(true);
                Connection c = cfg.createConnection("jdbc:sqlite:" + tempFile.toAbsolutePath());
                return finish(c, tempFile.getParent());
            } catch (SQLException e) {
                TempFiles.delete(tempFile.getParent());
                throw new SourceException(Kind.IO, "Could not open the plaintext database written to "
                        + tempFile.getParent() + " (" + e.getMessage() + "); pick another --temp-dir.", e);
            }
        }

        private DecryptedDatabase finish(Connection c, Path tempDirectory) throws SourceException {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA query_only = 1");
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
                    rs.next();
                }
            } catch (SQLException e) {
                closeQuietly(c);
                if (tempDirectory != null) {
                    TempFiles.delete(tempDirectory);
                }
                throw new SourceException(Kind.CORRUPT, "The decrypted " + name + " is not a readable SQLite database ("
                        + e.getMessage().toLowerCase(Locale.ROOT) + "); restore it from a backup.", e);
            }
            return new DecryptedDatabase(c, this, tempDirectory);
        }

        private static void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }

        /** Zeroes the plaintext this run still holds (SQLite has its own copy by now). */
        void zero() {
            if (image != null) {
                Arrays.fill(image, (byte) 0);
                image = null;
            }
            if (outBuf != null) {
                Arrays.fill(outBuf, (byte) 0);
            }
            if (out != null && out.isOpen()) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static void readFully(FileChannel ch, byte[] buf, int len, long pos) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos + bb.position());
            if (r < 0) {
                throw new EOFException("unexpected end of file");
            }
        }
    }
}
