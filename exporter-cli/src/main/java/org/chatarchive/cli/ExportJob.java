package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Selection;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceCount;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.store.ArchiveExistsException;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.CommittedArchive;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.WriteOptions;
import org.chatarchive.readers.signal.desktop.SignalDesktopReader;
import org.chatarchive.readers.signal.backup.SignalBackupReader;
import org.chatarchive.readers.telegram.TelegramExportReader;
import org.chatarchive.readers.whatsapp.WhatsAppExportReader;

/**
 * One export: open the source, pick conversations and messages, stream them into a new archive, and commit it
 * only when everything is written. Any failure leaves the output directory as it was.
 */
final class ExportJob {

    /**
     * What to export.
     *
     * @param source        the source path
     * @param out           the archive directory
     * @param formats       formats to write (json is the archive itself)
     * @param keyHex        the database key, or null for the profile's own
     * @param conversations {@code --conversation} selectors
     * @param from          {@code --from} as given
     * @param to            {@code --to} as given
     * @param fromMs        {@code --from} resolved (inclusive), or null
     * @param toMs          {@code --to} resolved (exclusive), or null
     * @param zone          the zone the dates were read in, or null
     * @param force         replace a non-empty {@code out}
     * @param tempDir       opt-in folder for a plaintext database copy
     * @param sourceType    the kind of source, or null to detect it
     * @param me            the owner's name, for sources that do not say who the owner is (WhatsApp)
     * @param title         the conversation's title, for single-chat sources that do not name it
     * @param safeStoragePassword the keyring secret for {@code encryptedKey}, or null to ask the keyring
     * @param recoveryKey   a Signal backup's recovery key, or null for the environment variable
     * @param snapshot      a Signal local backup snapshot name, or null for the newest complete one
     */
    record Request(Path source, Path out, List<String> formats, String keyHex, List<String> conversations,
                   String from, String to, Long fromMs, Long toMs, String zone, boolean force, Path tempDir,
                   SourceType sourceType, String me, String title, String safeStoragePassword,
                   String recoveryKey, String snapshot) {

        boolean complete() {
            return conversations.isEmpty() && fromMs == null && toMs == null;
        }
    }

    /** What an export did, for the summary. */
    record Result(CommittedArchive archive, SourceInfo source, long messages, long conversations,
                  long participants, Map<String, Long> excluded, List<String> warnings, Accounting accounting,
                  double seconds, String attachments, String manifestSha256) {

        void print(PrintWriter out, boolean quiet) {
            if (!quiet) {
                for (String w : warnings) {
                    out.println("Warning: " + w);
                }
                accounting.print(out);
            }
            out.printf(Locale.ROOT, "Exported %,d messages in %,d conversations (%,d participants) in %.1f s -> %s%n",
                    messages, conversations, participants, seconds, archive.dir());
            if (attachments != null) {
                out.println(attachments);
            }
            if (!excluded.isEmpty()) {
                out.println("Not exported: " + excluded.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), words(e.getKey())))
                        .collect(Collectors.joining(", ")) + " (counted in archive.json)");
            }
            out.println("archive.json SHA-256 " + archive.archiveJsonSha256());
            if (manifestSha256 != null) {
                out.println("manifest.json SHA-256 " + manifestSha256 + "   (chat-archive verify " + archive.dir() + ")");
            }
            out.flush();
        }
    }

    /** Work on the committed archive before its manifest is written (renders), so the manifest lists it. */
    @FunctionalInterface
    interface AfterCommit {
        void run(Path archive, Progress progress) throws IOException;
    }

    private final Request req;
    private final Progress progress;
    private final List<AfterCommit> afterCommit;

    ExportJob(Request req, Progress progress) {
        this(req, progress, List.of());
    }

    ExportJob(Request req, Progress progress, List<AfterCommit> afterCommit) {
        this.req = req;
        this.progress = progress;
        this.afterCommit = List.copyOf(afterCommit);
    }

    Result run() {
        long t0 = System.nanoTime();
        ArchiveWriter writer;
        try {
            writer = ArchiveWriter.create(req.out(), new WriteOptions(req.force()));
        } catch (ArchiveExistsException e) {
            throw new UserError(ExitCode.OUTPUT, e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(ExitCode.OUTPUT, "Cannot create the archive at " + req.out() + " (" + e.getMessage()
                    + "). Check that the parent folder exists and is writable.", e);
        }
        // Ctrl-C or a kill: remove the half-written staging folder; the output directory stays as it was.
        Thread cleanup = new Thread(() -> {
            try {
                writer.abort();
            } catch (IOException ignored) {
                // best effort on the way out
            }
        }, "chat-archive-abort");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Result r;
        try (writer) {
            r = export(writer, t0);
        } catch (SourceException e) {
            abortQuietly(writer);
            throw new UserError(ExitCode.of(e), e.getMessage(), e);
        } catch (UserError e) {
            abortQuietly(writer);
            throw e;
        } catch (IOException | UncheckedIOException e) {
            abortQuietly(writer);
            throw new UserError(ExitCode.OUTPUT, "Writing the archive failed (" + e.getMessage() + "). Nothing was"
                    + " written to " + req.out() + "; check free space and permissions, then run again.", e);
        } catch (RuntimeException e) {
            abortQuietly(writer);
            throw e;
        } finally {
            RunLog.end();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        return r;
    }

    private Result export(ArchiveWriter writer, long t0) throws SourceException, IOException {
        java.time.Instant started = java.time.Instant.now();
        RunLog.begin("export", req.source(), req.out()); // the custody log, written once the archive is in place
        SourceType type = req.sourceType() != null ? req.sourceType() : SourceType.detect(req.source());
        // The manifest's SHA-256 and MD5 of the source files: on the second core while the first decrypts and
        // reads, since it is a whole extra pass over a database that may be gigabytes.
        CompletableFuture<List<FileHashes>> sourceHashes = SourceFiles.hashInBackground(type, req.source());
        progress.start("Decrypting database", "pages", 0);
        try (ChatSource source = open(req, progress)) {
            SourceInfo info = source.info();
            progress.finish(String.format(Locale.ROOT, "schema %s, %,d pages, key from %s",
                    info.schemaVersion(), ((Number) info.extra().getOrDefault("pageCount", 0)).longValue(),
                    info.keySource()));
            for (String w : source.warnings()) {
                progress.info("Warning: " + w);
            }
            Map<String, Participant> people = source.participants().stream()
                    .collect(Collectors.toMap(Participant::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
            List<Conversation> all = source.conversations();
            List<Conversation> chosen = ConversationSelector.select(all, people, req.conversations());

            long filteredByDate = 0;
            long written = 0;
            List<ConversationEntry> entries = new ArrayList<>();
            Accounting accounting = new Accounting();
            // Progress counts messages read; the total is exact for a whole export, an upper bound otherwise.
            progress.start("Reading messages", "messages", Math.max(0, source.messageCountHint()));
            long[] read = new long[1];
            AttachmentCopier copier = new AttachmentCopier(source, writer);
            try (ReadAhead reader = ReadAhead.of(source, chosen)) {
                for (Conversation listed : chosen) {
                    Conversation c = copier.conversation(listed);
                    long[] counts = new long[2];
                    try (ConversationWriter cw = writer.beginConversation(c)) {
                        reader.messages(listed, m -> {
                            progress.update(++read[0]);
                            long at = m.timelineAt();
                            if ((req.fromMs() != null && at < req.fromMs())
                                    || (req.toMs() != null && at >= req.toMs())) {
                                counts[1]++;
                                return;
                            }
                            try {
                                cw.write(copier.message(m));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            counts[0]++;
                        });
                        entries.add(cw.finish());
                    }
                    SourceCount sc = source.sourceCount(c);
                    Map<String, Long> why = new TreeMap<>(sc == null ? Map.of() : sc.excluded());
                    why.put("outsideDateRange", counts[1]);
                    accounting.add(c.id(), c.title(), sc == null ? -1 : sc.rows(), counts[0], why);
                    written += counts[0];
                    filteredByDate += counts[1];
                }
            }
            progress.finish(String.format(Locale.ROOT, "%,d messages in %,d conversations", written, chosen.size()));

            // Participants last: reading messages may have met senders the contact list did not have.
            List<Participant> participants = new ArrayList<>();
            for (Participant p : source.participants()) {
                participants.add(copier.participant(p));
            }
            writer.writeParticipants(participants);

            Map<String, Long> excluded = new TreeMap<>(source.excluded());
            if (filteredByDate > 0) {
                excluded.put("messagesOutsideDateRange", filteredByDate);
            }
            if (chosen.size() < all.size()) {
                excluded.put("conversationsNotSelected", (long) (all.size() - chosen.size()));
            }
            Map<String, Object> counts = new LinkedHashMap<>();
            excluded.forEach((k, v) -> counts.put("excluded." + k, v));
            counts.putAll(copier.counts());
            Selection selection = new Selection(req.complete(), req.conversations(), req.from(), req.to(),
                    req.fromMs(), req.toMs(), req.zone());
            List<String> warnings = source.warnings();
            ArchiveHeader header = new ArchiveHeader("chat-archive " + Main.version(), List.of(info),
                    source.ownerId(), selection, counts, Map.of("accounting", accounting.toJson()));
            CommittedArchive committed = writer.commit(header);
            RunLog.committed(committed.dir());
            // The archive is committed: a rendering failure leaves it complete (and listed in the manifest),
            // and 'render' can retry.
            UserError renderFailure = null;
            for (AfterCommit step : afterCommit) {
                try {
                    step.run(committed.dir(), progress);
                } catch (UserError e) {
                    renderFailure = e;
                    break;
                }
            }
            // Last, after everything else in the directory is written, so that it lists every file.
            List<FileHashes> sourceFiles;
            try {
                sourceFiles = sourceHashes.join();
            } catch (CompletionException e) {
                throw new UserError(ExitCode.SOURCE, "The archive at " + committed.dir() + " is complete, but hashing"
                        + " the source files for its manifest failed (" + e.getCause().getMessage() + "); make sure the"
                        + " source is still there and export again.", e.getCause());
            }
            String manifestSha = Manifests.write(committed.dir(), "export", manifestOptions(type), info, sourceFiles,
                    committed.info().counts(), RunInfo.of(started, java.time.Instant.now(), req.source(), req.out()),
                    writer.writtenFileHashes());
            PrivateOutput.apply(committed.dir());
            if (renderFailure != null) {
                throw renderFailure;
            }
            RunLog.step("manifest", "manifest.json sha256 " + manifestSha);
            return new Result(committed, info, written, entries.size(), participants.size(), excluded, warnings,
                    accounting, (System.nanoTime() - t0) / 1e9, copier.summary(), manifestSha);
        }
    }

    /** The options and filters that decide what an export holds, for its manifest. */
    private Map<String, Object> manifestOptions(SourceType type) {
        Map<String, Object> o = new TreeMap<>();
        o.put("sourceType", type.name);
        o.put("formats", req.formats());
        o.put("complete", req.complete());
        o.put("conversations", req.conversations());
        o.put("from", req.from());
        o.put("to", req.to());
        o.put("zone", req.zone());
        o.put("me", req.me());
        o.put("title", req.title());
        return o;
    }

    /** Opens the source with the reader its type calls for. */
    static ChatSource open(Request req, Progress progress) throws SourceException {
        return open(req, progress, null);
    }

    /** {@link #open(Request, Progress)}; a Signal Desktop profile with {@code incremental} when not null. */
    static ChatSource open(Request req, Progress progress, SignalDesktopReader.Incremental incremental)
            throws SourceException {
        SourceType type = req.sourceType() != null ? req.sourceType() : SourceType.detect(req.source());
        ChatSource source = switch (type) {
            case SIGNAL_DESKTOP -> SignalDesktopReader.open(req.source(),
                    new SignalDesktopReader.Options(req.keyHex(), req.tempDir(), progress::update,
                            req.safeStoragePassword(), Host.current().keys(null, null), incremental));
            case SIGNAL_BACKUP -> openSignalBackup(req);
            case TELEGRAM -> TelegramExportReader.open(req.source(), new TelegramExportReader.Options(
                    req.zone() == null ? null : java.time.ZoneId.of(req.zone())));
            case WHATSAPP -> WhatsAppExportReader.open(req.source(), new WhatsAppExportReader.Options(
                    req.zone() == null ? null : java.time.ZoneId.of(req.zone()), req.me(), req.title()));
        };
        if (incremental == null) {
            RunLog.sourceOpened(source);
        }
        // else: logged by the caller once the source's files are hashed (the source keeps hashing while it is read)
        return source;
    }

    /**
     * A Signal chat export or local backup. The recovery key comes from --recovery-key, else the environment;
     * when an encrypted backup needs one and neither gave it, it is asked for on the terminal (not echoed).
     */
    private static ChatSource openSignalBackup(Request req) throws SourceException {
        String key = req.recoveryKey() != null ? req.recoveryKey() : SignalBackupReader.recoveryKeyFromEnvironment();
        try {
            return SignalBackupReader.open(req.source(), new SignalBackupReader.Options(key, req.snapshot(), null));
        } catch (SourceException e) {
            java.io.Console console = System.console();
            if (key != null || e.kind() != SourceException.Kind.KEY_UNAVAILABLE || console == null) {
                throw e;
            }
            char[] typed = console.readPassword("Recovery key for %s (the 64 characters Signal shows): ", req.source());
            if (typed == null || typed.length == 0) {
                throw e;
            }
            try {
                return SignalBackupReader.open(req.source(),
                        new SignalBackupReader.Options(new String(typed), req.snapshot(), null));
            } finally {
                java.util.Arrays.fill(typed, ' ');
            }
        }
    }

    private static void abortQuietly(ArchiveWriter writer) {
        try {
            writer.abort();
        } catch (IOException ignored) {
            // the original failure matters more
        }
    }

    /** "conversationsNotSelected" → "conversations not selected". */
    static String words(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
