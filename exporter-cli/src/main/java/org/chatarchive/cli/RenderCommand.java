package org.chatarchive.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.chatarchive.model.store.Manifest;
import org.chatarchive.renderers.html.HtmlResult;

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
                        + " the archive's manifest.json is brought up to date with the new files.",
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
            RsmfExportOptions.write(archive, rsmf.options(zone), spec.commandLine().getOut(), output.quiet);
        } else if (f.equals("pdf")) {
            PdfExportOptions.write(archive, pdf.options(zone, html.splitBy), spec.commandLine().getOut(), output.quiet);
        } else {
            HtmlResult r = HtmlRendering.render(archive, html.options(z), progress);
            spec.commandLine().getOut().printf(Locale.ROOT, "Rendered %,d messages in %,d conversations to %,d pages"
                    + " in %.1f s -> %s%n", r.messages(), r.conversations(), r.pages(), (System.nanoTime() - t0) / 1e9,
                    r.dir().resolve("index.html"));
        }
        if (f != null) {
            refreshManifest(f);
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
     * Lists the new files in the archive's manifest (when it has one), and records which renders were made, so
     * that {@code verify} keeps passing on an archive rendered after its export.
     */
    private void refreshManifest(String rendered) {
        Manifest m = Manifest.readIfPresent(archive);
        if (m == null) {
            return;
        }
        try {
            java.util.Map<String, Object> options = new java.util.TreeMap<>(m.options());
            java.util.Set<String> renders = new java.util.TreeSet<>();
            if (options.get("renders") instanceof java.util.Collection<?> c) {
                c.forEach(x -> renders.add(String.valueOf(x)));
            }
            renders.add(rendered);
            options.put("renders", java.util.List.copyOf(renders));
            String sha = Manifest.writeTo(archive, new Manifest(m.manifestVersion(), m.tool(), m.toolVersion(),
                    m.command(), options, m.sources(), m.counts(), Manifest.hashFiles(archive), m.run()));
            spec.commandLine().getOut().println("manifest.json SHA-256 " + sha + "   (chat-archive verify " + archive + ")");
        } catch (java.io.IOException e) {
            throw new UserError(ExitCode.OUTPUT, "The " + rendered + " output was written, but manifest.json could"
                    + " not be updated (" + e.getMessage() + "); 'chat-archive verify' will list the new files as"
                    + " extra.", e);
        }
    }
}
