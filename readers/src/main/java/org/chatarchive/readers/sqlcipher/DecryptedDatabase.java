package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    private final Connection connection;
    private final int pageSize;
    private final long pageCount;
    private final int walFramesApplied;
    private final int userVersion;
    private final boolean wasPlaintext;
    private final String sourceSha256;
    private final List<String> warnings;
    private final Path tempDir;
    private boolean closed;

    private DecryptedDatabase(Connection connection, Decoder d, Path tempDir) {
        this.connection = connection;
        this.pageSize = d.pageSize;
        this.pageCount = d.pageCount;
        this.walFramesApplied = d.wal == null ? 0 : d.wal.committedFrames();
        this.userVersion = d.userVersion;
        this.wasPlaintext = d.codec == null;
        this.sourceSha256 = d.sha256;
        this.warnings = List.copyOf(d.warnings);
        this.tempDir = tempDir;
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
        Decoder d = new Decoder(dbFile, key, options);
        boolean opened = false;
        try {
            d.run();
            DecryptedDatabase db = d.openConnection();
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
        return sourceSha256;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Closes the connection and deletes the temporary file, if any. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        // output: either the whole image in memory, or a chunk buffer written to a temp file
        byte[] image;
        byte[] outBuf;
        FileChannel out;
        Path tempFile;
        long outBase;
        int outFill;

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
                prepareOutput();
                decryptAll(ch, size);
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
                if (!decode(codec, frameBuf, 0, pgno, dst, dOff)) {
                    throw new SourceException(Kind.CORRUPT, "WAL frame " + (frame + 1) + " (page " + pgno + ") of "
                            + wal.path().getFileName() + " is damaged (HMAC check failed); copy the database and its"
                            + " -wal again while Signal is closed.");
                }
            } else if (src != null) {
                if (!decode(codec, src, off, pgno, dst, dOff)) {
                    throw new SourceException(Kind.CORRUPT, "Page " + pgno + " of " + name + " is damaged (HMAC check"
                            + " failed); copy the database again, or restore it from a backup.");
                }
            } else {
                Arrays.fill(dst, dOff, dOff + pageSize, (byte) 0);
            }
            if (pgno == 1) {
                // file format write/read version 1 (rollback journal): the image opens without a WAL file
                dst[dOff + 18] = 1;
                dst[dOff + 19] = 1;
                userVersion = ((dst[dOff + 60] & 0xff) << 24) | ((dst[dOff + 61] & 0xff) << 16)
                        | ((dst[dOff + 62] & 0xff) << 8) | (dst[dOff + 63] & 0xff);
            }
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
                throw new IOException("unexpected end of file");
            }
        }
    }
}
