package org.chatarchive.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.Callable;

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
                        + " it works offline, with no network).",
                "",
                "The site is written into a temporary folder and replaces an earlier html folder only when"
                        + " complete.",
                ""},
        footer = {"",
                "Examples:",
                "  chat-archive render ~/SignalArchive --format html",
                "  chat-archive render ~/SignalArchive --format html --zone Europe/Berlin --split-by month",
                "%nExit codes: 0 done, 1 internal error, 2 usage, 4 archive unreadable, 5 output not written."})
final class RenderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive folder (the one holding archive.json).")
    Path archive;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "What to render: html.")
    String format;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "Time zone times are shown in, e.g. Europe/Berlin or UTC. Default: this computer's zone.")
    String zone;

    @Mixin
    HtmlArgs html = new HtmlArgs();

    @Option(names = {"-q", "--quiet"}, description = "No progress output; errors are still printed.")
    boolean quiet;

    @Option(names = "--debug", description = "Print stack traces for errors.")
    boolean debug;

    @Override
    public Integer call() {
        String f = format.strip().toLowerCase(Locale.ROOT);
        if (!f.equals("html")) {
            throw new UserError(ExitCode.USAGE, "--format " + format + " cannot be rendered by this version;"
                    + " available: html.");
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
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.detect(quiet));
        long t0 = System.nanoTime();
        HtmlResult r = HtmlRendering.render(archive, html.options(z), progress);
        spec.commandLine().getOut().printf(Locale.ROOT, "Rendered %,d messages in %,d conversations to %,d pages in %.1f s"
                        + " -> %s%n", r.messages(), r.conversations(), r.pages(), (System.nanoTime() - t0) / 1e9,
                r.dir().resolve("index.html"));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
