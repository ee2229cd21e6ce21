package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.Attachment;
import org.chatarchive.model.Attachments;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Selection;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.RowPatches;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceFingerprints;
import org.chatarchive.model.store.ArchiveFormatException;
import org.chatarchive.model.store.ArchiveLayout;
import org.chatarchive.model.store.ArchiveLockedException;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.model.store.CanonicalJson;
import org.chatarchive.model.store.ConversationMerge;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.Manifest;
import org.chatarchive.readers.signal.desktop.SignalDesktopReader;

/**
 * One backup run: merges the source into the archive at {@code --archive} ({@link ConversationMerge} per
 * conversation) inside an {@link ArchiveUpdate}, so that the archive is either as before or as after the run; an
 * HTML site in it is updated in the same transaction.
 *
 * <p>Runs are numbered in {@code archive.json} ({@code extra.backup.runs}). When the source files hash the same
 * as at the last run and the options are the same, the source is not opened at all: only the run number and the
 * manifest change.
 */
final class BackupJob {

    /**
     * @param source          what to read (an {@link ExportJob.Request} holds how to open it)
     * @param includeExpiring archive messages with a disappearing-message timer too
     */
    record Request(ExportJob.Request source, boolean includeExpiring, boolean rehash, boolean mirror,
                   boolean sourceMd5) {
        Request(ExportJob.Request source, boolean includeExpiring, boolean rehash) {
            this(source, includeExpiring, rehash, true, false);
        }
    }

    /** What a run did. */
    record Result(Path archive, int run, boolean sourceUnchanged, long added, long updated, long goneNow,
                  long goneTotal, long unchanged, long expiringExcluded, boolean includeExpiring,
                  long attachmentFiles, long attachmentBytes, List<String> changedFiles, double seconds,
                  String manifestSha256, ArchiveUpdate.Recovery recovered, long conversationsRead,
                  long conversationsSkipped, long bytesWritten, String notes) {

        void print(PrintWriter out) {
            if (recovered == ArchiveUpdate.Recovery.ROLLED_BACK) {
                out.println("An interrupted run had left unfinished changes; they were discarded.");
            } else if (recovered == ArchiveUpdate.Recovery.ROLLED_FORWARD) {
                out.println("An interrupted run had finished its changes but not put them all in place; that was completed.");
            }
            out.printf(Locale.ROOT, "Backup run %d%s: %,d added, %,d updated, %,d gone from source (%,d newly), %,d unchanged%n",
                    run, sourceUnchanged ? " (source unchanged since the last run)" : "", added, updated, goneTotal,
                    goneNow, unchanged);
            if (!sourceUnchanged) {
                out.printf(Locale.ROOT, "Conversations: %,d read and merged, %,d unchanged in the source (not read)%n",
                        conversationsRead, conversationsSkipped);
            }
            out.printf(Locale.ROOT, "Attachments %,d files added (%,d bytes); %,d archive files written (%,d bytes);"
                    + " %.1f s -> %s%n", attachmentFiles, attachmentBytes, changedFiles.size(), bytesWritten, seconds,
                    archive);
            if (includeExpiring) {
                out.println("Disappearing messages are archived (--include-expiring; recorded in archive.json).");
            } else {
                out.printf(Locale.ROOT, "Disappearing messages: %,d not archived, as their senders chose"
                        + " (--include-expiring keeps them).%n", expiringExcluded);
            }
            if (notes != null) {
                out.println(notes);
            }
            out.println("manifest.json SHA-256 " + manifestSha256 + "   (chat-archive verify " + archive + ")");
            out.flush();
        }
    }

    /** Where {@code archive.json} keeps the source's fingerprints of the last run ({@link ChangeTracker}). */
    static final String FINGERPRINTS = "fingerprints";
    /** Where {@code archive.json} keeps the state of the source the last run read, when it kept a plaintext copy. */
    static final String SOURCE_STATE = "sourceState";
    /** The manifest's run section: the source files' sizes and times at this run ({@link SourceFiles#stamps}). */
    static final String STAMPS = "sourceStamps";

    private final Request req;
    private final Progress progress;
    private ChangeTracker tracker;
    /** Conversations whose file or entry this run changed, for the HTML site. */
    private final Set<String> htmlChanged = new TreeSet<>();
    /** Whether participants.json changed (names appear on every page). */
    private boolean peopleChanged;

    /** The source's hashing started at the run's start (null: none); called off when the run ends without it. */
    private SourceFiles.Hashing hashingEarly;

    BackupJob(Request req, Progress progress) {
        this.req = req;
        this.progress = progress;
    }

    Result run() {
        org.chatarchive.model.Timing.mark("backup: started");
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Path dir = req.source().out();
        try (ArchiveUpdate up = ArchiveUpdate.begin(dir)) {
            Result r = RunLog.backup(dir, req.source().source(), () -> backup(up, started, t0)); // and its custody log
            org.chatarchive.model.Timing.mark("backup: done");
            return r;
        } catch (ArchiveLockedException e) {
            throw new UserError(ExitCode.OUTPUT, e.getMessage(), e);
        } catch (SourceException e) {
            throw new UserError(ExitCode.of(e), e.getMessage(), e);
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.OUTPUT, dir + " is not an archive this program can add to: " + e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(ExitCode.OUTPUT, "The backup failed (" + e.getMessage() + "). The archive at " + dir
                    + " is as it was before this run; check free space and permissions, then run again.", e);
        } finally {
            if (hashingEarly != null) {
                hashingEarly.cancel(); // done by now when the run used it; else not to read on for nothing
            }
        }
    }

    private Result backup(ArchiveUpdate up, Instant started, long t0) throws IOException, SourceException {
        Path dir = up.dir();
        org.chatarchive.model.Timing.mark("backup: locked");
        CompletableFuture<SortedMap<String, BasicFileAttributes>> listing = listInBackground(dir);
        // The last manifest (megabytes of JSON at a million messages) is read meanwhile too; the run holds the lock,
        // so nothing changes it before the commit.
        CompletableFuture<Manifest> manifestRead = inBackground("chat-archive-manifest",
                () -> Manifest.readIfPresent(dir));
        ExportJob.Request src = req.source();
        // The source files' hashes for the manifest, on the second core while this one works. Started first: at a
        // million messages the database's SHA-256 is a second of one core, the longest single task of a run after a
        // small change, and the run waits for it at the end when it starts later. Called off below when the last
        // run's hashes still hold. (A source of no known type is reported below, where it always was.)
        SourceType early = src.sourceType() != null ? src.sourceType() : detectedOrNull(src.source());
        hashingEarly = early == null ? null : SourceFiles.hashing(early, src.source(), req.sourceMd5());
        ArchiveReader old = null;
        if (Files.exists(dir.resolve(ArchiveLayout.ARCHIVE_JSON))) {
            old = ArchiveReader.open(dir);
        } else if (!Manifest.listFiles(dir).isEmpty()) {
            throw new UserError(ExitCode.OUTPUT, dir + " is not empty and holds no archive.json; give an archive made"
                    + " by chat-archive, or a new or empty folder.");
        }
        org.chatarchive.model.Timing.mark("backup: archive.json read");
        Map<String, Object> backupState = old == null ? Map.of() : asMap(old.info().extra().get("backup"));
        int lastRun = backupState.get("runs") instanceof Number n ? n.intValue() : 0;
        int run = lastRun + 1;
        boolean includeExpiring = req.includeExpiring();
        if (Boolean.TRUE.equals(backupState.get("includeExpiring")) && !includeExpiring) {
            throw new UserError(ExitCode.USAGE, "The archive at " + dir + " was made with --include-expiring; give"
                    + " it again, so that this run does not treat disappearing messages differently.");
        }
        // detected again only when that failed above: to fail here, with its own message
        SourceType type = early != null ? early : SourceType.detect(src.source());
        Map<String, Object> options = new TreeMap<>();
        options.put("sourceType", type.name);
        options.put("includeExpiring", includeExpiring);
        options.put("zone", src.zone());
        options.put("me", src.me());
        options.put("title", src.title());
        Manifest lastManifest = join(manifestRead);
        // Skipping the read needs a fingerprint of the source: with no source files hashed, always read it. When a
        // file's size or time differs from the last run's (run.sourceStamps), the source has very likely changed,
        // and the run does not wait for the hashes to start reading it; they are still compared, and recorded.
        Map<String, String> stamps = SourceFiles.stamps(type, src.source());
        Object lastStamps = lastManifest == null || lastManifest.run() == null ? null : lastManifest.run().get(STAMPS);
        boolean mayBeSame = old != null && lastRun > 0 && lastManifest != null
                && CanonicalJson.mapper().valueToTree(options).equals(CanonicalJson.mapper().valueToTree(lastManifest.options()))
                && lastManifest.sources().size() == 1
                && (lastStamps == null || stamps.equals(lastStamps));
        // A source whose every file has the size, modification time, change time and inode it had at the last run
        // was not written since: its hashes are carried from that run (recorded as such) unless --rehash is given.
        boolean carried = mayBeSame && !req.rehash() && SourceFiles.untouched(stamps, lastStamps)
                && !lastManifest.sources().get(0).files().isEmpty()
                && (!req.sourceMd5() || lastManifest.sources().get(0).files().stream().allMatch(f -> f.md5() != null));
        CompletableFuture<List<FileHashes>> hashing;
        if (carried) {
            if (hashingEarly != null) {
                hashingEarly.cancel();
            }
            hashing = CompletableFuture.completedFuture(lastManifest.sources().get(0).files());
        } else {
            hashing = hashingEarly != null ? hashingEarly.result()
                    : SourceFiles.hashInBackground(type, src.source(), req.sourceMd5());
        }
        org.chatarchive.model.Timing.mark("backup: last manifest read");
        List<FileHashes> sourceFiles = mayBeSame ? join(hashing) : null;
        boolean sameSource = mayBeSame && !sourceFiles.isEmpty()
                && sameFiles(lastManifest.sources().get(0).files(), sourceFiles);

        Stats stats = new Stats();
        ArchiveInfo next;
        if (sameSource) {
            ArchiveInfo was = old.info();
            stats.unchanged = was.conversations().stream().mapToLong(ConversationEntry::messageCount).sum();
            for (Object v : List.of(was.counts().getOrDefault("messages.goneFromSource", 0))) {
                stats.goneTotal = ((Number) v).longValue();
            }
            stats.unchanged -= stats.goneTotal;
            stats.expiring = ((Number) was.counts().getOrDefault("excluded.expiring", 0)).longValue();
            next = new ArchiveInfo(ArchiveInfo.FORMAT_VERSION, generator(), was.sources(), was.ownerId(),
                    was.selection(), was.conversations(), was.counts(),
                    extra(was.extra(), run, includeExpiring, backupState.get(FINGERPRINTS),
                            backupState.get(SOURCE_STATE)));
            stats.conversationsSkipped = was.conversations().size();
        } else {
            next = merge(up, old, run, includeExpiring, stats);
        }
        org.chatarchive.model.Timing.mark("backup: source closed");
        up.write(ArchiveLayout.ARCHIVE_JSON, CanonicalJson.prettyBytes(next));
        // The HTML site as it will be after the commit, staged to replace html/ in the same commit.
        String site = stageHtml(up, next);

        // The manifest last: it lists what the directory will hold after the commit.
        progress.start("Manifest", "files", 0);
        List<String> changed = new ArrayList<>();
        for (String f : up.stagedFiles()) {
            if (!f.endsWith(".tmp") && !f.equals(ArchiveUpdate.COMMITTED)) {
                changed.add(f);
            }
        }
        Map<String, FileHashes> previous = new HashMap<>();
        if (lastManifest != null) {
            lastManifest.files().forEach(f -> previous.put(f.path(), f));
        }
        org.chatarchive.model.Timing.mark("backup: listing files");
        List<FileHashes> files = listFiles(up, listing, changed, previous, started);
        org.chatarchive.model.Timing.mark("backup: files listed");
        // The source's hashes last: everything before this needs none of them, and the hashing may still be at work.
        if (sourceFiles == null) {
            sourceFiles = join(hashing);
        }
        org.chatarchive.model.Timing.mark("backup: source hashes joined");
        long bytesWritten = 0;
        Set<String> written = new HashSet<>(changed); // by name, not by a look at the disk for each file listed
        for (FileHashes f : files) {
            if (written.contains(f.path())) {
                bytesWritten += f.size();
            }
        }
        Instant finished = Instant.now();
        Map<String, Object> runInfo = RunInfo.of(started, finished, src.source(), dir);
        Map<String, Object> summary = new TreeMap<>();
        summary.put("run", run);
        summary.put("startedAt", started.toString());
        summary.put("finishedAt", finished.toString());
        summary.put("sourceUnchanged", sameSource);
        summary.put("added", stats.added);
        summary.put("updated", stats.updated);
        summary.put("goneFromSource", stats.goneTotal);
        summary.put("goneFromSourceThisRun", stats.goneNow);
        summary.put("unchanged", stats.unchanged);
        summary.put("expiringExcluded", stats.expiring);
        summary.put("attachmentFilesAdded", up.attachmentFilesAdded());
        summary.put("attachmentBytesAdded", up.attachmentBytesAdded());
        summary.put("filesWritten", changed.size() + 1);
        summary.put("bytesWritten", bytesWritten);
        summary.put("conversationsRead", stats.conversationsRead);
        summary.put("conversationsSkipped", stats.conversationsSkipped);
        List<Object> history = new ArrayList<>();
        if (lastManifest != null && lastManifest.run() != null && lastManifest.run().get("history") instanceof List<?> h) {
            history.addAll(h);
        }
        history.add(summary);
        runInfo.put("run", run);
        runInfo.put("history", history);
        runInfo.put(STAMPS, stamps);
        runInfo.put("sourceHashes", carried ? "carried from run " + lastRun + ": every source file has the size,"
                + " modification time, change time and inode it had then (--rehash reads them again)" : "computed");
        Manifest manifest = Manifests.build("backup", options, next.sources().isEmpty() ? new SourceInfo(type.name,
                null, null, null, null, null) : next.sources().get(0), sourceFiles, next.counts(), files, runInfo);
        byte[] manifestBytes = manifest.toBytes();
        up.write(Manifest.FILE, manifestBytes);
        changed.add(Manifest.FILE);
        progress.finish(String.format(Locale.ROOT, "%,d files listed, %,d written by this run", files.size(),
                changed.size()));
        org.chatarchive.model.Timing.mark("backup: manifest written");
        up.commit();
        org.chatarchive.model.Timing.mark("backup: committed");
        String notes = updateIndex(dir, files);
        if (changeNote != null) {
            notes = notes == null ? changeNote + "." : changeNote + "." + System.lineSeparator() + notes;
        }
        if (site != null) {
            notes = notes == null ? site : notes + System.lineSeparator() + site;
        }
        PrivateOutput.apply(dir);
        List<String> stale = new ArrayList<>();
        for (String render : List.of("pdf", "rsmf")) {
            if (Files.isDirectory(dir.resolve(render)) && (!htmlChanged.isEmpty() || peopleChanged)) {
                stale.add(render + "/");
            }
        }
        if (!stale.isEmpty()) {
            // PDF and RSMF files are per conversation (and day): not brought up to date by a backup yet.
            String line = String.join(" and ", stale) + " still show the archive as of their last render; render them"
                    + " again with: chat-archive render " + dir + " --format pdf|rsmf";
            notes = notes == null ? line : notes + System.lineSeparator() + line;
        }
        return new Result(dir, run, sameSource, stats.added, stats.updated, stats.goneNow, stats.goneTotal,
                stats.unchanged, stats.expiring, includeExpiring, up.attachmentFilesAdded(), up.attachmentBytesAdded(),
                changed, (System.nanoTime() - t0) / 1e9, Manifest.sha256Hex(manifestBytes), up.recovered(),
                stats.conversationsRead, stats.conversationsSkipped, bytesWritten, notes);
    }

    /** {@link SourceType#detect}, or null where it fails (the failure is reported where the type is needed). */
    private static SourceType detectedOrNull(Path source) {
        try {
            return SourceType.detect(source);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Starts the walk of the archive's files ({@link Manifest#listFileAttributes}) on a thread of its own, for
     * {@link #listFiles} at the end of the run: the run holds the archive's lock, and it changes the archive only
     * through the transaction folder (which the walk skips), so every file the walk finds and this run does not
     * stage is as it will be when the manifest is made; the staged ones are taken by name there.
     */
    private static CompletableFuture<SortedMap<String, BasicFileAttributes>> listInBackground(Path dir) {
        return inBackground("chat-archive-listing", () -> {
            try {
                return Manifest.listFileAttributes(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Runs {@code work} on a daemon thread of its own, rather than the common pool, which may have a single worker
     * busy hashing the source files. Whatever it throws is thrown by {@link #join}.
     */
    private static <T> CompletableFuture<T> inBackground(String name, Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * Every file the directory will hold after the commit, with hashes: staged files are hashed, and so are the
     * files of a staged directory replacement (the new HTML site) except those that are the archive's own file (an
     * unchanged page, hard-linked); a file this run did not write keeps its hash from {@code previous} when it looks
     * untouched since {@code since} (same size, older); verify re-hashes everything. {@code listing} is the walk of
     * the archive's files started when the run took the lock ({@link #listInBackground}).
     */
    private static List<FileHashes> listFiles(ArchiveUpdate up,
                                              CompletableFuture<SortedMap<String, BasicFileAttributes>> listing,
                                              List<String> staged, Map<String, FileHashes> previous,
                                              Instant since) throws IOException {
        Path dir = up.dir();
        List<String> replaced = up.replacedDirectories();
        // One directory walk gives every file's size and time; the staged ones are known by name.
        SortedMap<String, BasicFileAttributes> found = join(listing);
        Set<String> stagedNow = new HashSet<>(up.stagedFiles());
        // built from the walk's sorted names in one pass, without comparing them again
        TreeSet<String> all = found.keySet() instanceof java.util.SortedSet<String> sorted ? new TreeSet<>(sorted)
                : new TreeSet<>(found.keySet());
        if (!replaced.isEmpty()) {
            all.removeIf(f -> inAny(replaced, f));
        }
        all.addAll(staged);
        all.addAll(up.replacedDirectoryFiles());
        List<FileHashes> files = new ArrayList<>();
        for (String f : all) {
            if (stagedNow.contains(f)) {
                files.add(FileHashes.of(up.staged(f), f));
                continue;
            }
            FileHashes known = previous.get(f);
            if (!inAny(replaced, f)) {
                BasicFileAttributes a = found.get(f);
                if (known != null && a != null && a.size() == known.size()
                        && a.lastModifiedTime().toInstant().isBefore(since)) {
                    files.add(known);
                } else {
                    files.add(FileHashes.of(dir.resolve(f), f));
                }
                continue;
            }
            Path p = up.resolveAfterCommit(f);
            Path now = dir.resolve(f);
            boolean same = Files.isRegularFile(now) && Files.isSameFile(p, now);
            if (known != null && same && Files.size(p) == known.size()
                    && Files.getLastModifiedTime(p).toInstant().isBefore(since)) {
                files.add(known);
            } else {
                files.add(FileHashes.of(p, f));
            }
        }
        return files;
    }

    private static boolean inAny(List<String> dirs, String f) {
        for (String d : dirs) {
            if (f.startsWith(d + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stages the update of the archive's HTML site ({@code html/}) when it has one, to replace it in the run's
     * commit ({@link ArchiveUpdate#replaceDirectory}): the pages of the conversations this run changed are rendered
     * again from the archive as it will be after the commit, with the options the site records, and the shared
     * pages; the others are kept (hard-linked). Returns a line for the summary, or null when there is no site or
     * nothing to do. When rendering fails, nothing is staged: the run commits with the old site, and the line is a
     * warning that says how to render it again.
     */
    private String stageHtml(ArchiveUpdate up, ArchiveInfo next) throws IOException {
        Path dir = up.dir();
        if (!Files.isDirectory(dir.resolve("html"))) {
            return null;
        }
        org.chatarchive.renderers.html.HtmlOptions options = org.chatarchive.renderers.html.HtmlSite.recordedOptions(
                dir, Math.min(4, Runtime.getRuntime().availableProcessors()));
        if (options == null) {
            return "The HTML site (html/) records no render options, so this run did not update it; bring it up to"
                    + " date with: chat-archive render " + dir + " --format html (with the options it was made with)";
        }
        Set<String> changedIds = new TreeSet<>(htmlChanged);
        if (peopleChanged) {
            next.conversations().forEach(e -> changedIds.add(e.conversation().id()));
        }
        if (changedIds.isEmpty()) {
            return null;
        }
        String failed;
        try {
            progress.start("HTML", "messages", 0);
            Path into = up.replaceDirectory("html");
            org.chatarchive.renderers.html.HtmlResult r = org.chatarchive.renderers.html.HtmlSite.update(
                    up.readAfterCommit(), dir.resolve("html"), into, options, changedIds, progress::update);
            progress.finish(String.format(Locale.ROOT, "%,d conversations rendered again", changedIds.size()));
            return String.format(Locale.ROOT, "HTML site: %,d of %,d conversations rendered again, the index page"
                    + " rewritten (%,d pages in all).", changedIds.size(), r.conversations(), r.pages());
        } catch (IOException | RuntimeException e) {
            progress.finish("failed");
            failed = e.getMessage();
        }
        // Nothing of the failed render may reach the commit; when that cannot be undone, neither may the run.
        up.keepDirectory("html");
        return "Warning: the HTML site was not brought up to date (" + failed + "); the archive is complete and"
                + " html/ is as before. Render it with: chat-archive render " + dir + " --format html";
    }

    /**
     * Brings the archive's search index up to date when it has one ({@code index/}): only conversations whose file
     * changed are indexed again (their documents deleted and added), judged by the SHA-256 the manifest just
     * listed. The archive is committed already, so a failure is a warning with the command that retries.
     */
    private String updateIndex(Path dir, List<FileHashes> files) {
        if (!Files.isDirectory(dir.resolve(ArchiveLayout.INDEX_DIR))) {
            return null;
        }
        Map<String, String> known = new TreeMap<>();
        for (FileHashes f : files) {
            if (f.path().startsWith(ArchiveLayout.CONVERSATIONS_DIR + "/")) {
                known.put(f.path(), f.sha256());
            }
        }
        try {
            progress.start("Search index", "messages", 0);
            org.chatarchive.search.IndexReport r = org.chatarchive.search.Indexer.update(dir,
                    new org.chatarchive.search.Indexer.Options(false, Math.min(4, Runtime.getRuntime().availableProcessors()),
                            progress::update).withKnownSha256(known));
            String summary = IndexCommand.summary(r);
            progress.finish(summary);
            return "Search index: " + summary + ".";
        } catch (IOException | RuntimeException e) {
            progress.finish("failed");
            return "Warning: the search index was not brought up to date (" + e.getMessage() + "); the archive is"
                    + " complete. Update it with: chat-archive index " + dir;
        }
    }

    private static final class Stats {
        long added;
        long updated;
        long unchanged;
        long goneNow;
        long goneTotal;
        long expiring;
        long conversationsRead;
        long conversationsSkipped;
    }

    private ArchiveInfo merge(ArchiveUpdate up, ArchiveReader old, int run, boolean includeExpiring, Stats stats)
            throws IOException, SourceException {
        Path dir = up.dir();
        progress.start("Decrypting database", "pages", 0);
        Path mirrorDir = dir.resolve(ArchiveLayout.MIRROR_DIR);
        SourceType type = req.source().sourceType() != null ? req.source().sourceType()
                : SourceType.detect(req.source().source());
        SignalDesktopReader.Incremental incremental = null;
        if (!req.mirror()) {
            deleteMirror(mirrorDir);
        } else if (type == SourceType.SIGNAL_DESKTOP) {
            Map<String, Object> state = backupState(old);
            Object recorded = state.get(SOURCE_STATE);
            incremental = new SignalDesktopReader.Incremental(mirrorDir, recorded instanceof String g ? g : null,
                    ChangeTracker.fingerprintsOf(state.get(FINGERPRINTS)));
        }
        org.chatarchive.model.Timing.mark("backup: opening the source");
        try (ChatSource source = ExportJob.open(req.source(), progress, incremental)) {
            org.chatarchive.model.Timing.mark("backup: source open");
            progress.finish(String.format(Locale.ROOT, "%,d conversations", source.conversations().size()));
            Map<String, ConversationEntry> oldEntries = new LinkedHashMap<>();
            if (old != null) {
                old.info().conversations().forEach(e -> oldEntries.put(e.conversation().id(), e));
            }
            Map<String, ConversationEntry> entries = new LinkedHashMap<>();
            oldEntries.keySet().forEach(id -> entries.put(id, null)); // the archive's order first, new ones after
            AttachmentCopier copier = new AttachmentCopier(source, up);
            // Before any message is read: which conversations the source says are as at the last run.
            progress.start("Finding changes", "conversations", 0);
            tracker = ChangeTracker.of(source, backupState(old).get(FINGERPRINTS), "generator " + generator()
                    + "\nincludeExpiring " + includeExpiring + "\nsource " + source.type());
            String found = source instanceof SourceFingerprints f ? f.changeNote() : null;
            progress.finish(found != null && found.startsWith("Changes found from ")
                    ? found.substring("Changes found from ".length())
                    : "fingerprints of " + source.conversations().size() + " conversations");
            org.chatarchive.model.Timing.mark("backup: fingerprints compared");
            progress.start("Merging messages", "messages", Math.max(0, source.messageCountHint()));
            long[] read = new long[1];
            // Changed conversations the source can give as their changed rows alone (RowPatches) are merged first,
            // from those rows; the archived lines of the others are kept as they are.
            Map<String, Conversation> prepared = new HashMap<>();
            Set<String> patched = new HashSet<>();
            List<Conversation> changed = new ArrayList<>();
            for (Conversation listed : source.conversations()) {
                ConversationEntry was = oldEntries.get(listed.id());
                if (was == null || !Files.isRegularFile(dir.resolve(was.messagesFile()))
                        || !tracker.wouldKeep(listed.id())) {
                    changed.add(listed);
                }
            }
            if (source instanceof SignalDesktopReader signal) {
                signal.willRead(changed);
            }
            if (source instanceof RowPatches rows && tracker.sameContext()) {
                for (Conversation listed : changed) {
                    ConversationEntry was = oldEntries.get(listed.id());
                    if (was == null) {
                        continue;
                    }
                    Conversation c = copier.conversation(listed);
                    prepared.put(listed.id(), c);
                    // Only for a conversation that is itself as it was: its messages are read in its light.
                    if (!Arrays.equals(CanonicalJson.lineBytes(c), CanonicalJson.lineBytes(was.conversation()))) {
                        continue;
                    }
                    RowPatches.Patch patch = rows.patch(listed);
                    if (patch != null && mergePatch(up, c, was, patch, run, includeExpiring, copier, stats, entries,
                            read)) {
                        patched.add(listed.id());
                    }
                }
            }
            // The conversations to read, known before reading: a second thread reads (and maps) them while this one
            // merges and writes those read before.
            List<Conversation> toRead = new ArrayList<>(changed);
            toRead.removeIf(c -> patched.contains(c.id()));
            try (ReadAhead reader = ReadAhead.of(source, toRead)) {
                for (Conversation listed : source.conversations()) {
                    ConversationEntry was = oldEntries.remove(listed.id());
                    if (patched.contains(listed.id())) {
                        continue;
                    }
                    ChangeTracker.Kept kept = was == null || !Files.isRegularFile(dir.resolve(was.messagesFile()))
                            ? null : tracker.unchanged(listed.id());
                    if (kept != null) {
                        // Unchanged in the source since the last run: its file and entry stay as they are.
                        entries.put(was.conversation().id(), was);
                        stats.unchanged += was.messageCount() - kept.gone();
                        stats.goneTotal += kept.gone();
                        stats.expiring += kept.expiring();
                        stats.conversationsSkipped++;
                        read[0] += was.messageCount() - kept.gone();
                        progress.update(read[0]);
                        continue;
                    }
                    Conversation c = prepared.containsKey(listed.id()) ? prepared.get(listed.id())
                            : copier.conversation(listed);
                    long[] expiringHere = new long[1];
                    try (ConversationMerge cm = new ConversationMerge(up, c,
                            was == null ? null : dir.resolve(was.messagesFile()), run)) {
                        reader.messages(listed, m -> {
                            progress.update(++read[0]);
                            try {
                                if (mergeMessage(cm, m, includeExpiring, copier, dir)) {
                                    expiringHere[0]++;
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                        recordMerged(cm, c, was, expiringHere[0], stats, entries);
                    }
                }
            }

            // Conversations the source no longer has: kept, every message marked gone.
            for (ConversationEntry was : oldEntries.values()) {
                String id = was.conversation().id();
                ChangeTracker.Kept kept = Files.isRegularFile(dir.resolve(was.messagesFile()))
                        ? tracker.stillAbsent(id) : null;
                if (kept != null) {
                    entries.put(id, was);
                    stats.goneTotal += kept.gone();
                    stats.conversationsSkipped++;
                    continue;
                }
                try (ConversationMerge cm = new ConversationMerge(up, was.conversation(),
                        dir.resolve(was.messagesFile()), run)) {
                    ConversationEntry now = cm.finish();
                    entries.put(id, now);
                    if (cm.changed() || !now.equals(was)) {
                        htmlChanged.add(id);
                    }
                    tally(cm, stats);
                    stats.conversationsRead++;
                    tracker.recordAbsent(id, cm.goneNow() + cm.goneBefore());
                }
            }
            progress.finish(String.format(Locale.ROOT, "%,d messages read", read[0]));
            org.chatarchive.model.Timing.mark("backup: merged");

            Map<String, Participant> people = new LinkedHashMap<>();
            if (old != null) {
                old.participants().forEach(p -> people.put(p.id(), p));
            }
            for (Participant p : source.participants()) {
                people.put(p.id(), copier.participant(p));
            }
            byte[] participants = CanonicalJson.prettyBytes(
                    new org.chatarchive.model.store.ParticipantsFile(ArchiveInfo.FORMAT_VERSION, List.copyOf(people.values())));
            if (!sameBytes(dir.resolve(ArchiveLayout.PARTICIPANTS_JSON), participants)) {
                up.write(ArchiveLayout.PARTICIPANTS_JSON, participants);
                peopleChanged = true;
            }

            List<ConversationEntry> list = new ArrayList<>(entries.values());
            Map<String, Object> counts = new TreeMap<>();
            source.excluded().forEach((k, v) -> counts.put("excluded." + k, v));
            counts.put("excluded.expiring", stats.expiring);
            long messages = 0;
            long attachments = 0;
            for (ConversationEntry e : list) {
                messages += e.messageCount();
                attachments += e.attachmentCount();
            }
            counts.put("conversations", (long) list.size());
            counts.put("messages", messages);
            counts.put("attachments", attachments);
            long oldFiles = old == null ? 0 : ((Number) old.info().counts().getOrDefault("attachmentFiles", 0)).longValue();
            counts.put("attachmentFiles", oldFiles + up.attachmentFilesAdded());
            counts.put("messages.goneFromSource", stats.goneTotal);
            Selection selection = new Selection(includeExpiring, List.of(), null, null, null, null, null);
            Map<String, Object> oldExtra = old == null ? Map.of() : old.info().extra();
            SourceInfo info = source.info();
            if (incremental != null) {
                RunLog.sourceOpened(source);
            }
            String sourceState = source instanceof SourceFingerprints f ? f.baseline() : null;
            changeNote = source instanceof SourceFingerprints f ? f.changeNote() : null;
            if (!patched.isEmpty() && changeNote != null) {
                changeNote += String.format(Locale.ROOT, "; %,d of them merged from their changed rows alone",
                        patched.size());
            }
            return new ArchiveInfo(ArchiveInfo.FORMAT_VERSION, generator(), List.of(info), source.ownerId(),
                    selection, list, numbers(counts), extra(oldExtra, run, includeExpiring, tracker.state(),
                    sourceState));
        }
    }

    /**
     * Merges one changed conversation from the rows its source says may read differently ({@code patch}); the
     * archived lines of the other rows are kept byte for byte, in the source's order. Returns false, having changed
     * nothing but attachments already stored, when the archive does not bear the patch out: its lines cannot be
     * found by source row, a changed row's sent time, direction or sender differs from its archived line's (rows
     * that depended on the old ones are not in the patch), or an archived message is missing from the source. The
     * conversation is then read whole.
     */
    private boolean mergePatch(ArchiveUpdate up, Conversation c, ConversationEntry was, RowPatches.Patch patch,
                               int run, boolean includeExpiring, AttachmentCopier copier, Stats stats,
                               Map<String, ConversationEntry> entries, long[] read) throws IOException {
        Path dir = up.dir();
        long expiringHere = 0;
        try (ConversationMerge cm = new ConversationMerge(up, c, dir.resolve(was.messagesFile()), run, true)) {
            if (!cm.rowsUsable()) {
                return false;
            }
            // Checked before anything is merged or noted, so that a conversation read whole instead is noted once.
            for (Map.Entry<String, Message> e : patch.changed().entrySet()) {
                Message m = e.getValue();
                Message archived = cm.archivedByRow(e.getKey());
                if (archived != null && (!Objects.equals(archived.sentAt(), m.sentAt())
                        || archived.direction() != m.direction() || !Objects.equals(archived.senderId(), m.senderId()))) {
                    return false;
                }
            }
            Set<String> gone = new HashSet<>(cm.archivedRows());
            patch.rows().forEach(gone::remove);
            for (String row : gone) {
                Message archived = cm.archivedByRow(row);
                if ((archived.archive() == null || archived.archive().goneFromSourceRun() == null)
                        && !patch.removed().contains(row)) {
                    return false; // gone from the source since the last run, but the patch does not say it was removed
                }
            }
            for (String row : patch.rows()) {
                progress.update(++read[0]);
                Message m = patch.changed().get(row);
                if (m == null) {
                    ConversationMerge.Kept kept = cm.keepRow(row);
                    if (kept == ConversationMerge.Kept.NOT_ARCHIVED) {
                        expiringHere++; // not archived: a disappearing message the last run left out
                    } else if (kept == ConversationMerge.Kept.KEPT_LACKING_A_FILE) {
                        copier.countKept(cm.archivedByRow(row)); // noted again, as a reading of the row would
                    }
                    continue;
                }
                if (mergeMessage(cm, m, includeExpiring, copier, dir)) {
                    expiringHere++;
                }
            }
            recordMerged(cm, c, was, expiringHere, stats, entries);
            return true;
        }
    }

    /**
     * Merges one of the source's messages into {@code cm}; returns true when it was left out as a disappearing
     * message the archive does not hold (one it holds already is kept as it is).
     */
    private static boolean mergeMessage(ConversationMerge cm, Message m, boolean includeExpiring,
                                        AttachmentCopier copier, Path dir) throws IOException {
        if (!includeExpiring && expiring(m)) {
            return !cm.keep(m.id());
        }
        // The archived copy is needed only to reuse stored attachments.
        cm.put(Attachments.count(m) == 0 ? m : withAttachments(copier, m, cm.archived(m.id()), dir));
        return false;
    }

    /**
     * Finishes a conversation merged from the source and records it: its entry, whether its site pages must be
     * rendered again, the run's counts and what the next run compares with.
     */
    private void recordMerged(ConversationMerge cm, Conversation c, ConversationEntry was, long expiring, Stats stats,
                              Map<String, ConversationEntry> entries) throws IOException {
        ConversationEntry now = cm.finish();
        entries.put(c.id(), now);
        if (cm.changed() || !now.equals(was)) {
            htmlChanged.add(c.id());
        }
        tally(cm, stats);
        stats.expiring += expiring;
        stats.conversationsRead++;
        tracker.record(c.id(), cm.goneNow() + cm.goneBefore(), expiring);
    }

    /** How this run found the source's changes, for the summary (null: the usual way). */
    private String changeNote;

    /** Removes the plaintext copy an earlier run kept (--no-mirror). */
    private static void deleteMirror(Path mirrorDir) throws IOException {
        if (!Files.isDirectory(mirrorDir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(mirrorDir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean sameBytes(Path file, byte[] bytes) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) == bytes.length
                && Arrays.equals(Files.readAllBytes(file), bytes);
    }

    private static Map<String, Object> backupState(ArchiveReader old) {
        return old == null ? Map.of() : asMap(old.info().extra().get("backup"));
    }

    private static void tally(ConversationMerge cm, Stats stats) {
        stats.added += cm.added();
        stats.updated += cm.updated();
        stats.unchanged += cm.unchanged();
        stats.goneNow += cm.goneNow();
        stats.goneTotal += cm.goneNow() + cm.goneBefore();
    }

    /** A message with a disappearing-message timer: its sender chose that it should not be kept. */
    static boolean expiring(Message m) {
        Integer timer = m.flags().expireTimerSeconds();
        return timer != null && timer > 0;
    }

    /**
     * {@code m} with its attachments stored: an attachment the archived copy already holds (same place in the
     * message, same type, name and size, file present) is not read from the source again.
     */
    private static Message withAttachments(AttachmentCopier copier, Message m, Message archived, Path dir)
            throws IOException {
        List<Attachment> before = new ArrayList<>();
        if (archived != null) {
            Attachments.forEach(archived, before::add);
        }
        copier.ownedBy(m);
        int[] k = {0};
        try {
            return Attachments.map(m, a -> {
                Attachment o = k[0] < before.size() ? before.get(k[0]) : null;
                k[0]++;
                try {
                    if (o != null && o.availability() == Availability.STORED && a.sourceRef() != null
                            && a.availability() != Availability.STORED
                            && Objects.equals(a.contentType(), o.contentType())
                            && Objects.equals(a.fileName(), o.fileName())
                            && (a.size() == null || a.size().equals(o.size()))
                            && (a.sha256() == null || a.sha256().equals(o.sha256()))
                            && Files.isRegularFile(dir.resolve(o.storePath()))) {
                        return copier.copy(a.stored(o.sha256(), o.size(), o.storePath()));
                    }
                    return copier.copy(a);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The result of work done on another thread, its IOException thrown as such. */
    private static <T> T join(CompletableFuture<T> work) throws IOException {
        try {
            return work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            } else if (e.getCause() instanceof Error err) {
                throw err; // e.g. out of memory on that thread: reported as itself
            }
            throw e;
        }
    }

    /** The same files with the same sizes and SHA-256 (an MD5 recorded by one run and not the other aside). */
    private static boolean sameFiles(List<FileHashes> a, List<FileHashes> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            FileHashes x = a.get(i);
            FileHashes y = b.get(i);
            if (!x.path().equals(y.path()) || x.size() != y.size() || !x.sha256().equals(y.sha256())) {
                return false;
            }
        }
        return true;
    }

    private static String generator() {
        return "chat-archive " + Main.version();
    }

    private static Map<String, Object> extra(Map<String, Object> old, int run, boolean includeExpiring,
                                             Object fingerprints, Object sourceState) {
        Map<String, Object> extra = new TreeMap<>(old);
        Map<String, Object> backup = new TreeMap<>();
        backup.put("runs", run);
        backup.put("includeExpiring", includeExpiring);
        if (fingerprints != null) {
            backup.put(FINGERPRINTS, fingerprints);
        }
        if (sourceState != null) {
            backup.put(SOURCE_STATE, sourceState);
        }
        extra.put("backup", backup);
        return extra;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** Counts as a reader will see them again (Integer when it fits), so a no-change run writes the same bytes. */
    private static Map<String, Object> numbers(Map<String, Object> counts) {
        Map<String, Object> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            long n = ((Number) v).longValue();
            out.put(k, n == (int) n ? Integer.valueOf((int) n) : Long.valueOf(n));
        });
        return out;
    }
}
