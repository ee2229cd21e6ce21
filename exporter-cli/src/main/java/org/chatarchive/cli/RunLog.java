package org.chatarchive.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.store.ArchiveLayout;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.renderers.production.CustodyLog;

/**
 * The custody log of the export or backup running in this process: the archive's {@code logs/custody.log}
 * (outside the hashed manifest), one UTC-timestamped line per step and per warning: the source read and its
 * hashes, every warning of the source's reader, each attachment whose bytes could not be stored (with the id of its
 * message, conversation or participant), what was not exported and why (rows that could not be decoded are
 * warnings), the archive's and the manifest's hashes.
 *
 * <p>An export's archive exists only once it is committed, so lines are kept, with their times, until then; a
 * failed export leaves no archive and no log. The attachment copier and the source opener report to the run in
 * progress ({@link #current}), so that the export and backup loops need no extra parameters. One run at a time per
 * process, as the command line runs them.
 */
final class RunLog {

    private static volatile RunLog current;

    private final CustodyLog log = CustodyLog.buffered();
    private final List<ChatSource> sources = new ArrayList<>();
    private final Map<String, Long> missing = new LinkedHashMap<>();
    private long readerWarnings;
    private boolean written;

    private RunLog() {
    }

    /** Starts the log of a run of {@code command} reading {@code source} into the archive {@code archive}. */
    static RunLog begin(String command, Path source, Path archive) {
        RunLog r = new RunLog();
        r.log.step(command + "-start", "chat-archive " + Main.version() + ", source " + source + ", archive " + archive);
        current = r;
        return r;
    }

    /** The run in progress, or null. */
    static RunLog current() {
        return current;
    }

    /** Ends the run in progress (its log is complete or, for a failed export, dropped with the archive). */
    static void end() {
        RunLog r = current;
        current = null;
        if (r != null) {
            try {
                r.log.close();
            } catch (IOException ignored) {
                // each line was flushed as written
            }
        }
    }

    /** A source was opened for the run in progress: its identity and hashes are logged. */
    static void sourceOpened(ChatSource source) {
        RunLog r = current;
        if (r == null) {
            return;
        }
        r.sources.add(source);
        SourceInfo s = source.info();
        r.log.step("source", s.type() + (s.appVersion() != null ? " " + s.appVersion() : "")
                + (s.schemaVersion() != null ? ", schema " + s.schemaVersion() : "")
                + ", database sha256 " + s.databaseSha256() + (s.keySource() != null ? ", key from " + s.keySource() : ""));
    }

    /**
     * An attachment of {@code owner} (the message, conversation or participant being copied) whose bytes are not in
     * the archive: a warning with the owner's id and the reason.
     */
    static void attachmentMissing(Object owner, Attachment a) {
        RunLog r = current;
        if (r == null || a.availability() == null) {
            return;
        }
        String why = a.availability().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        synchronized (r) {
            r.missing.merge(why, 1L, Long::sum);
        }
        String where = owner instanceof Message m ? "message " + m.id() + " in " + m.conversationId()
                : owner instanceof Conversation c ? "avatar of conversation " + c.id()
                : owner instanceof Participant p ? "avatar of participant " + p.id() : "(no message)";
        r.log.warn("missing-attachment", where + ": attachment "
                + (a.fileName() != null ? a.fileName() : "(no file name)")
                + (a.contentType() != null ? " (" + a.contentType() + ")" : "") + " not stored: " + why
                + (a.missingReason() != null ? ", " + a.missingReason() : ""));
    }

    /**
     * The archive is in place at {@code dir}: logs the reader's warnings, the archive's hash and what was not
     * exported, and writes the lines kept so far to {@code dir/logs/custody.log}.
     */
    static void committed(Path dir) {
        RunLog r = current;
        if (r == null) {
            return;
        }
        try {
            for (ChatSource s : r.sources) {
                for (String w : s.warnings()) {
                    r.readerWarnings++;
                    r.log.warn("reader-warning", w);
                }
            }
            r.sources.clear();
            if (Files.isRegularFile(dir.resolve(ArchiveLayout.ARCHIVE_JSON))) {
                r.log.step("archive", "archive.json sha256 " + ArchiveWriter.archiveJsonSha256(dir));
                ProductionStep.notExported(ArchiveReader.open(dir).info(), r.log);
            }
            r.write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs a step of the run in progress. */
    static void step(String step, String detail) {
        RunLog r = current;
        if (r != null) {
            r.log.step(step, detail);
        }
    }

    /**
     * {@code counts} with, when the run in progress logged warnings, a {@code notes} entry saying how many and of
     * what kind, pointing to the log (for the manifest).
     */
    static Map<String, Object> withNotes(Map<String, Object> counts) {
        RunLog r = current;
        if (r == null) {
            return counts;
        }
        List<String> notes = new ArrayList<>();
        Map<String, Long> byReason;
        synchronized (r) {
            byReason = new TreeMap<>(r.missing);
        }
        long missing = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (missing > 0) {
            List<String> kinds = new ArrayList<>();
            byReason.forEach((k, v) -> kinds.add(v + " " + k));
            notes.add(missing + " attachment(s) of this run are not stored in the archive (" + String.join(", ", kinds)
                    + "); each is in " + CustodyLog.FILE + " with the id of its message");
        }
        long warnings = r.readerWarnings;
        for (ChatSource s : r.sources) {
            warnings += s.warnings().size();
        }
        if (warnings > 0) {
            notes.add(warnings + " warning(s) from reading the source, in " + CustodyLog.FILE);
        }
        if (notes.isEmpty()) {
            return counts;
        }
        Map<String, Object> out = new LinkedHashMap<>(counts);
        out.put("notes", notes);
        return out;
    }

    /**
     * A backup: runs {@code work} with a log of its own, and appends the log to the archive's whether the run
     * succeeds or not.
     */
    static BackupJob.Result backup(Path dir, Path source, Work<BackupJob.Result> work) throws IOException, SourceException {
        begin("backup", source, dir);
        try {
            BackupJob.Result r = work.run();
            committed(dir);
            step("backup-done", String.format(Locale.ROOT, "run %d%s: %,d added, %,d updated, %,d gone from source"
                    + " (%,d newly), %,d unchanged; %,d attachment files added; manifest.json sha256 %s", r.run(),
                    r.sourceUnchanged() ? " (source unchanged)" : "", r.added(), r.updated(), r.goneTotal(), r.goneNow(),
                    r.unchanged(), r.attachmentFiles(), r.manifestSha256()));
            if (r.notes() != null) {
                step("backup-note", r.notes());
            }
            return r;
        } catch (IOException | SourceException | RuntimeException e) {
            RunLog r = current;
            if (r != null && Files.isDirectory(dir)) {
                r.log.error("backup-failed", "the archive is as it was before this run: " + e.getMessage());
                r.write(dir);
            }
            throw e;
        } finally {
            end();
        }
    }

    /** Work that reads a source and writes an archive. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException, SourceException;
    }

    private void write(Path dir) throws IOException {
        if (!written) {
            log.appendTo(dir);
            written = true;
        }
    }
}
