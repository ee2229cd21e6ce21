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
import org.chatarchive.model.store.WriteOptions;
import org.chatarchive.readers.signal.desktop.SignalDesktopReader;
import org.chatarchive.renderers.html.HtmlOptions;

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
     */
    record Request(Path source, Path out, List<String> formats, String keyHex, List<String> conversations,
                   String from, String to, Long fromMs, Long toMs, String zone, boolean force, Path tempDir) {

        boolean complete() {
            return conversations.isEmpty() && fromMs == null && toMs == null;
        }
    }

    /** What an export did, for the summary. */
    record Result(CommittedArchive archive, SourceInfo source, long messages, long conversations,
                  long participants, Map<String, Long> excluded, List<String> warnings, Accounting accounting,
                  double seconds) {

        void print(PrintWriter out, boolean quiet) {
            if (!quiet) {
                for (String w : warnings) {
                    out.println("Warning: " + w);
                }
                accounting.print(out);
            }
            out.printf(Locale.ROOT, "Exported %,d messages in %,d conversations (%,d participants) in %.1f s -> %s%n",
                    messages, conversations, participants, seconds, archive.dir());
            if (!excluded.isEmpty()) {
                out.println("Not exported: " + excluded.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), words(e.getKey())))
                        .collect(Collectors.joining(", ")) + " (counted in archive.json)");
            }
            out.println("archive.json SHA-256 " + archive.archiveJsonSha256());
            out.flush();
        }
    }

    private final Request req;
    private final Progress progress;
    private HtmlOptions html;

    ExportJob(Request req, Progress progress) {
        this.req = req;
        this.progress = progress;
    }

    /** Also renders the HTML site into the archive once it is committed. */
    ExportJob withHtml(HtmlOptions options) {
        this.html = options;
        return this;
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
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        if (html != null) {
            // The archive is committed: a rendering failure leaves it complete, and 'render' can retry.
            HtmlRendering.render(r.archive().dir(), html, progress);
        }
        return r;
    }

    private Result export(ArchiveWriter writer, long t0) throws SourceException, IOException {
        progress.start("Decrypting database", "pages", 0);
        SignalDesktopReader.Options options = new SignalDesktopReader.Options(req.keyHex(), req.tempDir(),
                progress::update);
        try (ChatSource source = SignalDesktopReader.open(req.source(), options)) {
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
            for (Conversation c : chosen) {
                long[] counts = new long[2];
                try (ConversationWriter cw = writer.beginConversation(c)) {
                    source.messages(c, m -> {
                        progress.update(++read[0]);
                        long at = m.timelineAt();
                        if ((req.fromMs() != null && at < req.fromMs()) || (req.toMs() != null && at >= req.toMs())) {
                            counts[1]++;
                            return;
                        }
                        try {
                            cw.write(m);
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
            progress.finish(String.format(Locale.ROOT, "%,d messages in %,d conversations", written, chosen.size()));

            // Participants last: reading messages may have met senders the contact list did not have.
            List<Participant> participants = source.participants();
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
            Selection selection = new Selection(req.complete(), req.conversations(), req.from(), req.to(),
                    req.fromMs(), req.toMs(), req.zone());
            List<String> warnings = source.warnings();
            ArchiveHeader header = new ArchiveHeader("chat-archive " + Main.version(), List.of(info),
                    source.ownerId(), selection, counts, Map.of("accounting", accounting.toJson()));
            CommittedArchive committed = writer.commit(header);
            return new Result(committed, info, written, entries.size(), participants.size(), excluded, warnings,
                    accounting, (System.nanoTime() - t0) / 1e9);
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
