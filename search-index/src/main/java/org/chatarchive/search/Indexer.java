package org.chatarchive.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveWriter;

/**
 * Builds or updates the index of an archive. Only conversations whose messages file changed since the last commit
 * are reindexed (their documents deleted and added again); conversations gone from the archive are removed. The
 * run ends with one commit; until then readers keep seeing the previous commit, and a crash leaves it intact.
 * Conversations are indexed in parallel, one per thread at a time.
 */
public final class Indexer {

    /**
     * How a run goes.
     *
     * @param rebuild  build from scratch even if the index is current
     * @param threads  indexing threads (at least 1)
     * @param progress called now and then with the number of messages looked at so far (indexed or skipped)
     * @param knownSha256 SHA-256 of conversation files known to be current (path → hex), not read again
     */
    public record Options(boolean rebuild, int threads, LongConsumer progress, Map<String, String> knownSha256) {
        public Options {
            threads = Math.max(1, threads);
            progress = progress == null ? n -> { } : progress;
            knownSha256 = knownSha256 == null ? Map.of() : Map.copyOf(knownSha256);
        }

        public Options(boolean rebuild, int threads, LongConsumer progress) {
            this(rebuild, threads, progress, null);
        }

        /**
         * A copy that takes these SHA-256 values of conversation files (path relative to the archive → hex) as
         * known, e.g. from a manifest just written, instead of reading the files to hash them.
         */
        public Options withKnownSha256(Map<String, String> sha256ByPath) {
            return new Options(rebuild, threads, progress, sha256ByPath);
        }

        /** An incremental update on as many threads as there are processors (at most 4), without progress. */
        public static Options defaults() {
            return new Options(false, Math.min(4, Runtime.getRuntime().availableProcessors()), null);
        }
    }

    private final Path archive;
    private final Options options;

    private Indexer(Path archive, Options options) {
        this.archive = archive;
        this.options = options;
    }

    /** Builds or updates the index of the archive at {@code archive}. */
    public static IndexReport update(Path archive, Options options) throws IOException {
        return new Indexer(archive, options).run();
    }

    private IndexReport run() throws IOException {
        long t0 = System.nanoTime();
        ArchiveReader reader = ArchiveReader.open(archive);
        Path folder = SearchIndex.location(archive);
        SearchIndex.createFolder(folder);
        try (Directory dir = FSDirectory.open(folder)) {
            Map<String, String> previous = Map.of();
            String rebuildReason = options.rebuild() ? "asked for" : null;
            if (rebuildReason == null) {
                try {
                    previous = SearchIndex.lastCommit(dir, archive);
                } catch (IndexProblem p) {
                    rebuildReason = switch (p.kind()) {
                        case MISSING -> "no index yet";
                        case OUTDATED -> "index of another format version";
                        case CORRUPT -> "index damaged";
                        case LOCKED -> throw p;
                    };
                }
            }
            boolean rebuild = rebuildReason != null;
            try {
                return attempt(reader, dir, rebuild, previous, rebuildReason, t0);
            } catch (LockObtainFailedException e) {
                throw IndexProblem.locked(archive, e);
            } catch (IOException e) {
                if (rebuild || !SearchIndex.isCorruption(e)) {
                    throw e;
                }
                // A damaged segment that the last commit's summary did not show: start again from scratch.
                try {
                    return attempt(reader, dir, true, Map.of(), "index damaged", t0);
                } catch (LockObtainFailedException again) {
                    throw IndexProblem.locked(archive, again);
                }
            }
        }
    }

    private IndexReport attempt(ArchiveReader reader, Directory dir, boolean rebuild, Map<String, String> previous,
                                String rebuildReason, long t0) throws IOException {
        try (IndexWriter writer = openWriter(dir, rebuild)) {
            return index(reader, writer, rebuild ? Map.of() : previous, rebuildReason, t0);
        }
    }

    private IndexWriter openWriter(Directory dir, boolean create) throws IOException {
        try {
            return new IndexWriter(dir, config(create));
        } catch (LockObtainFailedException e) {
            throw e;
        } catch (IOException e) {
            if (!create) {
                throw e;
            }
            // Damaged beyond what CREATE tolerates: clear the folder and start again.
            for (String name : dir.listAll()) {
                if (!name.equals(IndexWriter.WRITE_LOCK_NAME)) {
                    dir.deleteFile(name);
                }
            }
            return new IndexWriter(dir, config(true));
        }
    }

    private static IndexWriterConfig config(boolean create) {
        Analyzer analyzer = ChatAnalyzer.forIndex();
        IndexWriterConfig c = new IndexWriterConfig(analyzer);
        c.setOpenMode(create ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        c.setRAMBufferSizeMB(64);
        c.setCommitOnClose(false);
        return c;
    }

    private IndexReport index(ArchiveReader reader, IndexWriter writer, Map<String, String> previous,
                              String rebuildReason, long t0) throws IOException {
        List<ConversationEntry> entries = reader.info().conversations();
        Map<String, String> fingerprints = new HashMap<>();
        AtomicInteger reindexed = new AtomicInteger();
        AtomicLong indexed = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "chat-archive-index");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> done = new ArrayList<>();
            for (ConversationEntry e : entries) {
                done.add(pool.submit(() -> {
                    String id = e.conversation().id();
                    String fingerprint = fingerprint(e);
                    if (fingerprint.equals(previous.get(SearchIndex.KEY_CONVERSATION + id))) {
                        options.progress().accept(seen.addAndGet(e.messageCount()));
                        return fingerprint;
                    }
                    if (!previous.isEmpty()) {
                        writer.deleteDocuments(new Term(Fields.CONVERSATION, id));
                    }
                    long ordinal = 0;
                    try (Stream<Message> messages = reader.messages(e)) {
                        for (Message m : (Iterable<Message>) messages::iterator) {
                            writer.addDocument(MessageDocument.of(m, ordinal++));
                            if ((ordinal & 1023) == 0) {
                                options.progress().accept(seen.addAndGet(1024));
                            }
                        }
                    }
                    options.progress().accept(seen.addAndGet(ordinal & 1023));
                    indexed.addAndGet(ordinal);
                    reindexed.incrementAndGet();
                    return fingerprint;
                }));
            }
            for (int i = 0; i < entries.size(); i++) {
                fingerprints.put(entries.get(i).conversation().id(), done.get(i).get());
            }
        } catch (ExecutionException e) {
            writer.rollback();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            writer.rollback();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while indexing", e);
        } finally {
            pool.shutdownNow();
        }

        Set<String> gone = new HashSet<>();
        for (String key : previous.keySet()) {
            if (key.startsWith(SearchIndex.KEY_CONVERSATION)) {
                String id = key.substring(SearchIndex.KEY_CONVERSATION.length());
                if (!fingerprints.containsKey(id)) {
                    gone.add(id);
                    writer.deleteDocuments(new Term(Fields.CONVERSATION, id));
                }
            }
        }
        Map<String, String> data = new HashMap<>();
        data.put(SearchIndex.KEY_FORMAT, String.valueOf(SearchIndex.FORMAT_VERSION));
        data.put(SearchIndex.KEY_ARCHIVE, ArchiveWriter.archiveJsonSha256(archive));
        fingerprints.forEach((id, f) -> data.put(SearchIndex.KEY_CONVERSATION + id, f));
        if (rebuildReason != null || !data.equals(previous)) {
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        }
        return new IndexReport(entries.size(), reindexed.get(), gone.size(), indexed.get(), rebuildReason != null,
                rebuildReason, (System.nanoTime() - t0) / 1e9);
    }

    /** SHA-256 of the conversation's messages file: the same bytes mean the same messages (canonical JSON). */
    private String fingerprint(ConversationEntry e) throws IOException {
        String known = options.knownSha256().get(e.messagesFile());
        if (known != null) {
            return known;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(archive.resolve(e.messagesFile())), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
