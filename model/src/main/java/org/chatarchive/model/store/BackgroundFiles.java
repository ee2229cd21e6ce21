package org.chatarchive.model.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Writes and syncs an archive's files on a few threads of their own. Each new file costs a create and an
 * {@code fsync} that mostly wait on the disk: done one after another on the exporting thread they took more
 * time than everything else at tens of thousands of attachments, while several at once overlap with the export
 * and with each other (the file system commits syncs that arrive together in one journal write).
 * {@link #await} waits for all of them and reports the first failure.
 */
final class BackgroundFiles {

    private static final int THREADS = 4;
    /** Bytes of file content waiting to be written, at most (in KiB, as semaphore permits). */
    private static final int MAX_PENDING_KIB = 64 << 10;

    private final ExecutorService pool;
    private final Semaphore pendingKib = new Semaphore(MAX_PENDING_KIB);
    private final Object lock = new Object();
    private int running;
    private IOException failure;

    BackgroundFiles() {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "chat-archive-files-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates {@code file} (a new private file) holding {@code bytes}, whose SHA-256 is {@code sha256}, syncs it,
     * and gives {@code hashed} the file's hashes under the name {@code relative}.
     */
    void write(Path file, byte[] bytes, String relative, String sha256,
               Consumer<FileHashes> hashed) throws IOException {
        int kib = Math.min(MAX_PENDING_KIB, (bytes.length >> 10) + 1);
        try {
            pendingKib.acquire(kib);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write " + file.getFileName());
        }
        submit(() -> {
            try (FileChannel ch = PrivateFiles.create(file)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
                hashed.accept(FileHashes.of(relative, bytes, sha256));
            } finally {
                pendingKib.release(kib);
            }
        }, () -> pendingKib.release(kib));
    }

    /**
     * Hashes {@code file}, written and closed already, for the manifest while it is still in the page cache,
     * gives the hashes to {@code hashed}, and syncs the file to disk.
     */
    void hashAndSync(Path file, String relative, Consumer<FileHashes> hashed) throws IOException {
        submit(() -> {
            hashed.accept(FileHashes.of(file, relative));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }, () -> { });
    }

    /** Syncs a folder's entries, where the platform allows opening a folder (not on Windows). */
    void syncDirectory(Path dir) throws IOException {
        submit(() -> PrivateFiles.syncDirectory(dir), () -> { });
    }

    @FunctionalInterface
    private interface Io {
        void run() throws IOException;
    }

    private void submit(Io task, Runnable rejected) throws IOException {
        synchronized (lock) {
            if (failure != null) {
                rejected.run();
                throw new IOException(failure.getMessage(), failure);
            }
            running++;
        }
        try {
            pool.execute(() -> {
                IOException error = null;
                try {
                    task.run();
                } catch (IOException e) {
                    error = e;
                } catch (RuntimeException e) {
                    error = new IOException(e.toString(), e);
                }
                synchronized (lock) {
                    if (error != null && failure == null) {
                        failure = error;
                    }
                    running--;
                    lock.notifyAll();
                }
            });
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                running--;
                lock.notifyAll();
            }
            rejected.run();
            throw new IOException("the archive is closed", e);
        }
    }

    /** Waits until everything given so far is written and synced; throws the first failure. */
    void await() throws IOException {
        synchronized (lock) {
            while (running > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while syncing the archive");
                }
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
        }
    }

    /** Stops the threads, letting a task already started finish first (so that the files can be deleted after). */
    void shutdown() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
