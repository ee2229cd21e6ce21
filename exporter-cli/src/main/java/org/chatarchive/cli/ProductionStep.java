package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.Manifest;
import org.chatarchive.model.store.PrivateFiles;
import org.chatarchive.renderers.production.CustodyLog;
import org.chatarchive.renderers.production.ProductionOptions;
import org.chatarchive.renderers.production.ProductionSummary;
import org.chatarchive.renderers.production.ProductionWriter;

/**
 * Writes a production set from a finished archive: into a private staging folder beside the production folder,
 * then moved into place whole, so that a failed or interrupted run leaves the folder as it was. The production
 * has its own {@code manifest.json} (every deliverable with SHA-256 and MD5, the Bates ranges, the archive it was
 * made from) and its own custody log, {@code logs/custody.log}, which the manifest leaves out.
 */
final class ProductionStep {

    private ProductionStep() {
    }

    /**
     * Produces the archive at {@code archive} into {@code dir}.
     *
     * @param command        the command running it, for the manifest ({@code export} or {@code render})
     * @param readerWarnings what the source's reader warned about, when the source was read in this run
     */
    static ProductionSummary write(String command, Path archive, ProductionOptions options, Path dir,
                                   List<String> readerWarnings, PrintWriter out, boolean quiet) {
        Instant started = Instant.now();
        Path target = dir.toAbsolutePath().normalize();
        Path staging = target.resolveSibling("." + target.getFileName() + ".production-staging");
        Thread cleanup = new Thread(() -> deleteQuietly(staging), "chat-archive-production-abort");
        Runtime.getRuntime().addShutdownHook(cleanup);
        ProductionSummary s;
        try {
            Files.createDirectories(target.getParent());
            PrivateFiles.deleteTree(staging); // a leftover of a killed run: ours by its name
            PrivateFiles.createDirectory(staging);
            PrivateFiles.createDirectory(staging.resolve(Manifest.LOGS_DIR));
            try (CustodyLog log = CustodyLog.open(staging)) {
                s = produce(command, archive, options, staging, target, readerWarnings, log, started);
            }
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty: checked before the run, and a non-empty one fails here
            }
            PrivateFiles.restrictTree(staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            String why = cause instanceof java.nio.file.NoSuchFileException
                    ? "a file is missing: " + cause.getMessage() : cause.getMessage();
            try (CustodyLog archiveLog = CustodyLog.open(archive)) {
                archiveLog.error("production-failed", "production to " + target.getFileName() + " not written: " + why);
            } catch (IOException ignored) {
                // the message below says what happened
            }
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError(ExitCode.OUTPUT, "The production was not written (" + why + "); " + dir
                    + " is as it was. Check free space and permissions, and the archive with 'chat-archive verify "
                    + archive + "', then run 'chat-archive render " + archive + " --production " + dir
                    + "' with the same options.", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        if (!quiet) {
            out.printf(Locale.ROOT, "Production        %,d documents (%,d transcripts, %,d natives), %,d pages%s,"
                    + " Bates %s to %s -> %s%n", s.documents().size(), s.transcripts(), s.natives(), s.pages(),
                    s.images() > 0 ? String.format(Locale.ROOT, ", %,d page images", s.images()) : "",
                    s.firstBates(), s.lastBates(), dir);
            if (s.warnings() > 0) {
                out.printf(Locale.ROOT, "                  %,d warnings (%,d attachments not produced) in %s%n",
                        s.warnings(), s.missingAttachments(), dir.resolve(CustodyLog.FILE));
            }
            out.flush();
        }
        return s;
    }

    private static ProductionSummary produce(String command, Path archive, ProductionOptions options, Path staging,
                                             Path target, List<String> readerWarnings, CustodyLog log, Instant started)
            throws IOException {
        ArchiveInfo info = ArchiveReader.open(archive).info();
        Manifest archiveManifest = Manifest.readIfPresent(archive);
        String archiveJsonSha = ArchiveWriter.archiveJsonSha256(archive);
        String archiveManifestSha = Files.isRegularFile(archive.resolve(Manifest.FILE))
                ? FileHashes.of(archive.resolve(Manifest.FILE), Manifest.FILE).sha256() : null;
        for (SourceInfo src : info.sources()) {
            log.step("source", src.type() + (src.appVersion() != null ? " " + src.appVersion() : "")
                    + (src.schemaVersion() != null ? ", schema " + src.schemaVersion() : "") + ", database sha256 "
                    + src.databaseSha256());
        }
        log.step("archive", "archive.json sha256 " + archiveJsonSha + (archiveManifestSha != null
                ? ", manifest.json sha256 " + archiveManifestSha : ", no manifest.json"));
        for (String w : readerWarnings) {
            log.warn("reader-warning", w);
        }
        notExported(info, log);
        ProductionSummary s = ProductionWriter.write(archive, options, staging, log);

        Map<String, Object> opts = new TreeMap<>();
        opts.put("batesPrefix", options.bates().prefix());
        opts.put("batesStart", options.bates().start());
        opts.put("batesDigits", options.bates().digits());
        opts.put("batesSuffix", options.bates().suffix());
        opts.put("zone", options.zone().getId());
        opts.put("slices", "one transcript per conversation per calendar day in the zone, at most "
                + options.maxPagesPerFile() + " pages each");
        opts.put("custodian", options.custodian());
        opts.put("matter", options.matter());
        opts.put("volume", options.volume());
        opts.put("pageImages", options.pageImages());
        if (options.pageImages()) {
            opts.put("imageDpi", options.imageDpi());
        }
        opts.put("archiveJsonSha256", archiveJsonSha);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("documents", s.documents().size());
        counts.put("transcripts", s.transcripts());
        counts.put("natives", s.natives());
        counts.put("pages", s.pages());
        counts.put("pageImages", s.images());
        counts.put("batesFirst", s.firstBates());
        counts.put("batesLast", s.lastBates());
        counts.put("batesNumbers", s.numbers());
        counts.put("attachmentsNotProduced", s.missingAttachments());
        counts.put("warnings", s.warnings());
        List<String> notes = new ArrayList<>();
        if (s.missingAttachments() > 0) {
            notes.add(s.missingAttachments() + " attachment(s) of produced messages are not in the archive and were"
                    + " not produced; each is named with its message id in logs/custody.log and in the transcripts");
        }
        if (!readerWarnings.isEmpty()) {
            notes.add(readerWarnings.size() + " warning(s) from reading the source, in logs/custody.log");
        }
        counts.put("notes", notes);
        List<Map<String, Object>> ranges = new ArrayList<>();
        for (ProductionSummary.Document d : s.documents()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("path", d.path());
            r.put("type", d.type());
            r.put("begBates", d.begBates());
            r.put("endBates", d.endBates());
            r.put("begAttach", d.begAttach());
            r.put("endAttach", d.endAttach());
            ranges.add(r);
        }
        counts.put("batesRanges", ranges);
        List<Manifest.Source> sources = archiveManifest != null ? archiveManifest.sources()
                : info.sources().stream().map(x -> new Manifest.Source(x.type(), x.schemaVersion(),
                x.databaseSha256(), List.of())).toList();
        // The archive's manifest holds its own run's times, so its hash differs from run to run: run section.
        Map<String, Object> run = new TreeMap<>(RunInfo.of(started, Instant.now(), archive, target));
        run.put("archiveManifestSha256", archiveManifestSha);
        Manifest m = new Manifest(Manifest.VERSION, "chat-archive", Main.version(), command + " --production", opts,
                sources, counts, Manifest.hashFiles(staging), run);
        String sha = Manifest.writeTo(staging, m);
        log.step("manifest", Manifest.FILE + " sha256 " + sha + ", " + m.files().size() + " files");
        return s;
    }

    /** Exclusions that are the user's own selection, not something the source failed to give. */
    private static final java.util.Set<String> SELECTED = java.util.Set.of("outsideDateRange",
            "messagesOutsideDateRange", "conversationsNotSelected");

    /**
     * What the archive counts as not exported: the totals as steps, and each conversation's exclusions (rows that
     * could not be decoded, ...) with its id, as warnings unless the user's selection made them.
     */
    static void notExported(ArchiveInfo info, CustodyLog log) {
        info.counts().forEach((k, v) -> {
            if (k.startsWith("excluded.") && v instanceof Number n && n.longValue() > 0) {
                log.step("not-exported-total", n + " " + ExportJob.words(k.substring("excluded.".length()))
                        + " (archive.json counts." + k + ")");
            }
        });
        if (info.extra().get("accounting") instanceof List<?> lines) {
            for (Object o : lines) {
                if (o instanceof Map<?, ?> line && line.get("unexplained") instanceof Number n) {
                    log.warn("unexplained-rows", "conversation " + line.get("conversationId") + ": " + n
                            + " source rows neither exported nor excluded with a reason");
                }
                if (o instanceof Map<?, ?> line && line.get("excluded") instanceof Map<?, ?> why) {
                    why.forEach((reason, n) -> {
                        String detail = "conversation " + line.get("conversationId") + ": " + n + " "
                                + ExportJob.words(String.valueOf(reason)) + " (archive.json extra.accounting)";
                        if (SELECTED.contains(String.valueOf(reason))) {
                            log.step("not-exported", detail);
                        } else {
                            log.warn("not-exported", detail);
                        }
                    });
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            PrivateFiles.deleteTree(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
