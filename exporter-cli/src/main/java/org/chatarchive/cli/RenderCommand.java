package org.chatarchive.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.chatarchive.model.store.ArchiveLockedException;
import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.Manifest;
import org.chatarchive.renderers.html.HtmlResult;
import org.chatarchive.renderers.html.Links;
import org.chatarchive.renderers.pdf.PdfOptions;
import org.chatarchive.renderers.pdf.PdfSummary;
import org.chatarchive.renderers.rsmf.RsmfOptions;
import org.chatarchive.renderers.rsmf.RsmfSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chat-archive render}: renders a format from an existing archive, into the archive. */
@Command(name = "render",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Renders an archive written by 'chat-archive export' into another format, inside the archive:"
                        + " --format html writes a static site to ARCHIVE/html (open html/index.html in a browser;"
                        + " it works offline, with no network); --format pdf writes PDF/A-2u transcripts to"
                        + " ARCHIVE/pdf; --production DIR writes a production set (Bates-stamped transcripts, natives,"
                        + " load files) into DIR, outside the archive.",
                "",
                "The output is written into a temporary folder and replaces an earlier one only when complete;"
                        + " the archive's manifest.json is brought up to date with the new files. The new output and"
                        + " manifest.json are put in place together, under the archive's lock (as a backup does): a"
                        + " render stopped at any point leaves the old output or the new one.",
                ""},
        footer = {"",
                "Examples:",
                "  chat-archive render ~/SignalArchive --format html",
                "  chat-archive render ~/SignalArchive --format html --zone Europe/Berlin --split-by month",
                "  chat-archive render ~/SignalArchive --format pdf --bates-prefix ACME --bates-start 1",
                "  chat-archive render ~/SignalArchive --format rsmf --custodian \"Jane Doe\" --matter \"Doe v. Roe\"",
                "  chat-archive render ~/SignalArchive --production prod-001 --bates-prefix ACME --page-images",
                "%nExit codes: 0 done, 1 internal error, 2 usage, 4 archive unreadable, 5 output not written."})
final class RenderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive folder (the one holding archive.json).")
    Path archive;

    @Option(names = "--format", paramLabel = "FORMAT", description = "What to render: html, pdf or rsmf (optional"
            + " with --production).")
    String format;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "Time zone times are shown in, e.g. Europe/Berlin or UTC. Default: this computer's zone.")
    String zone;

    @Mixin
    HtmlArgs html = new HtmlArgs();

    @Mixin
    PdfExportOptions pdf = new PdfExportOptions();

    @Mixin
    RsmfExportOptions rsmf = new RsmfExportOptions();

    @Mixin
    ProductionArgs production = new ProductionArgs();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        if (format == null && !production.requested()) {
            throw new UserError(ExitCode.USAGE, "Say what to render: --format html, pdf or rsmf, or --production DIR.");
        }
        String f = format == null ? null : format.strip().toLowerCase(Locale.ROOT);
        if (f != null && !f.equals("html") && !f.equals("pdf") && !f.equals("rsmf")) {
            throw new UserError(ExitCode.USAGE, "--format " + format + " cannot be rendered by this version;"
                    + " available: html, pdf, rsmf.");
        }
        ZoneId z;
        try {
            z = PartialDate.zone(zone);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage() + ".");
        }
        if (!Files.isRegularFile(archive.resolve("archive.json"))) {
            throw new UserError(ExitCode.SOURCE, archive + " is not an archive (it has no archive.json); give the"
                    + " folder that 'chat-archive export --out' wrote.");
        }
        org.chatarchive.renderers.production.ProductionOptions productionOptions = production.requested()
                ? production.options(pdf, rsmf, zone, archive) : null;
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.detect(output.quiet));
        long t0 = System.nanoTime();
        if (f == null) {
            // production only
        } else if (f.equals("rsmf")) {
            renderRsmf();
        } else if (f.equals("pdf")) {
            renderPdf();
        } else {
            renderHtml(z, progress, t0);
        }
        if (f != null) {
            PrivateOutput.apply(archive);
        }
        if (productionOptions != null) {
            ProductionStep.write("render", archive, productionOptions, production.dir, java.util.List.of(),
                    spec.commandLine().getOut(), output.quiet);
        }
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /**
     * Renders the HTML site in one update of the archive ({@link #update}): the new site takes the place of
     * {@code html/} together with the manifest listing it.
     */
    private void renderHtml(ZoneId z, Progress progress, long t0) {
        Updated<HtmlResult> u = update("html", "the HTML site", up -> HtmlRendering.stage(up, html.options(z), progress));
        HtmlResult r = u.result();
        HtmlRendering.logged(archive, r);
        spec.commandLine().getOut().printf(Locale.ROOT, "Rendered %,d messages in %,d conversations to %,d pages"
                + " in %.1f s -> %s%n", r.messages(), r.conversations(), r.pages(), (System.nanoTime() - t0) / 1e9,
                archive.resolve(Links.SITE_DIR).resolve("index.html"));
        printManifest(u.manifestSha());
    }

    /** Renders the PDFs in one update of the archive ({@link #update}): they take the place of {@code pdf/}. */
    private void renderPdf() {
        PdfOptions options = pdf.options(zone, html.splitBy);
        Updated<PdfSummary> u = update("pdf", "the PDFs", up -> PdfExportOptions.stage(up, options));
        PdfExportOptions.written(archive, options, u.result(), spec.commandLine().getOut(), output.quiet);
        printManifest(u.manifestSha());
    }

    /** Renders the RSMF files in one update of the archive ({@link #update}): they take the place of {@code rsmf/}. */
    private void renderRsmf() {
        RsmfOptions options = rsmf.options(zone);
        Updated<RsmfSummary> u = update("rsmf", "the RSMF files", up -> RsmfExportOptions.stage(up, options));
        RsmfExportOptions.written(options, u.result(), spec.commandLine().getOut(), output.quiet);
        printManifest(u.manifestSha());
    }

    /** Stages a render's new folder in an {@link ArchiveUpdate}, returning what the render reports. */
    @FunctionalInterface
    private interface Staging<R> {
        R stage(ArchiveUpdate up) throws IOException;
    }

    /** What a committed render reported, and the SHA-256 of the manifest committed with it (null: none). */
    private record Updated<R>(R result, String manifestSha) {
    }

    /**
     * Renders {@code rendered} in one update of the archive ({@link ArchiveUpdate}), under its lock: {@code staging}
     * fills a staged replacement of the render's folder, the manifest listing it is staged beside it, and both are
     * put in place by the commit. An interrupted render leaves the archive as before or, once the next run has
     * taken the lock, as after; never a missing or half-written folder or a manifest that does not match it.
     * {@code what} names the output in messages.
     */
    private <R> Updated<R> update(String rendered, String what, Staging<R> staging) {
        try (ArchiveUpdate up = ArchiveUpdate.begin(archive)) {
            R r = staging.stage(up);
            String sha = stageManifest(up, rendered);
            up.commit();
            return new Updated<>(r, sha);
        } catch (ArchiveLockedException e) {
            throw new UserError(ExitCode.OUTPUT, e.getMessage() + " Nothing was rendered; the lock is "
                    + archive.resolve(ArchiveUpdate.LOCK) + ".", e);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(ExitCode.OUTPUT, "Rendering " + what + " failed (" + e.getMessage() + "). The"
                    + " archive at " + archive + " is as it was before; check free space and permissions, then run"
                    + " again.", e);
        }
    }

    private void printManifest(String sha) {
        if (sha != null) {
            spec.commandLine().getOut().println("manifest.json SHA-256 " + sha + "   (chat-archive verify " + archive + ")");
        }
    }

    /**
     * Stages the archive's manifest (when it has one) as it is to be after {@code up}'s commit: every file hashed as
     * it will be then (those of a staged directory replacement from the staged copy), and {@code rendered} added to
     * the renders it records. Returns its SHA-256, or null when the archive has no manifest.
     */
    private String stageManifest(ArchiveUpdate up, String rendered) throws IOException {
        Manifest m = Manifest.readIfPresent(archive);
        if (m == null) {
            return null;
        }
        TreeSet<String> all = new TreeSet<>();
        for (String f : Manifest.listFiles(up.dir())) {
            if (!up.isReplaced(f)) {
                all.add(f);
            }
        }
        all.addAll(up.replacedDirectoryFiles());
        List<FileHashes> files;
        try {
            files = all.parallelStream().map(f -> {
                try {
                    return FileHashes.of(up.resolveAfterCommit(f), f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        byte[] bytes = new Manifest(m.manifestVersion(), m.tool(), m.toolVersion(), m.command(),
                withRender(m, rendered), m.sources(), m.counts(), files, m.run()).toBytes();
        up.write(Manifest.FILE, bytes);
        return Manifest.sha256Hex(bytes);
    }

    /** The manifest's options with {@code rendered} added to the renders it records. */
    private static Map<String, Object> withRender(Manifest m, String rendered) {
        Map<String, Object> options = new TreeMap<>(m.options());
        Set<String> renders = new TreeSet<>();
        if (options.get("renders") instanceof Collection<?> c) {
            c.forEach(x -> renders.add(String.valueOf(x)));
        }
        renders.add(rendered);
        options.put("renders", List.copyOf(renders));
        return options;
    }
}
