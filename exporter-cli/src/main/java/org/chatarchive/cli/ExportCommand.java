package org.chatarchive.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.chatarchive.renderers.html.HtmlOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chat-archive export}: reads a source and writes an archive. */
@Command(name = "export",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Reads a Signal Desktop profile (or a Telegram or WhatsApp chat export) and writes an archive: archive.json, participants.json, one JSON Lines"
                        + " file per conversation (see docs/archive-format.md).",
                "",
                "The database is decrypted in memory; the profile is only read, never changed. Close Signal Desktop"
                        + " first, or copy the profile folder, for a consistent snapshot.",
                ""},
        footer = {"",
                "Examples:",
                "  chat-archive export ~/.config/Signal --out ~/SignalArchive",
                "  chat-archive export ~/.config/Signal --out family \\",
                "      --conversation Family --from 2023 --to 2024-06 --zone Europe/Berlin",
                "  chat-archive export ./Signal-copy --out out --key-file key.txt",
                "  chat-archive export ~/.config/Signal --out archive --production prod-001 \\",
                "      --bates-prefix ACME --custodian \"Jane Doe\" --matter \"Doe v. Roe\" --zone America/New_York",
                "%nExit codes: 0 done, 1 internal error, 2 usage, 3 wrong or missing key, 4 source unreadable,"
                        + " 5 output not written."})
final class ExportCommand implements Callable<Integer> {

    /** Formats this version writes. */
    static final List<String> FORMATS = List.of("json", "html", "pdf", "rsmf");
    /** Formats that are planned but not written by this version. */
    static final List<String> LATER_FORMATS = List.of("txt");

    @Spec
    CommandSpec spec;

    @Mixin
    PdfExportOptions pdf;

    @Mixin
    RsmfExportOptions rsmf = new RsmfExportOptions();

    @Mixin
    ProductionArgs production = new ProductionArgs();

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "What to read: a Signal Desktop profile folder (the one holding config.json and"
                    + " sql/db.sqlite; Linux: ~/.config/Signal; macOS: ~/Library/Application Support/Signal;"
                    + " Windows: %%APPDATA%%\\Signal), a Telegram Desktop JSON export (result.json or its"
                    + " folder), a Signal chat export (main.jsonl, its folder or zip) or SignalBackups folder, or a WhatsApp"
                    + " \"Export chat\" .txt or .zip. The word signal-desktop means the Signal"
                    + " Desktop profile found on this computer.")
    Path source;

    @Option(names = "--source-type", paramLabel = "TYPE",
            description = "The kind of SOURCE, when it is not recognised by itself: signal-desktop, signal-backup,"
                    + " telegram or whatsapp.")
    String sourceType;

    @Option(names = "--me", paramLabel = "NAME",
            description = "WhatsApp: your name as it appears in the chat, so your messages count as sent by"
                    + " you. Without it the owner is unknown.")
    String me;

    @Option(names = "--recovery-key", paramLabel = "KEY",
            description = "Signal local backup (SignalBackups folder): the 64-character recovery key, spaces and"
                    + " dashes allowed. Default: the environment variable SIGNAL_RECOVERY_KEY, else it is asked for on"
                    + " the terminal.")
    String recoveryKey;

    @Option(names = "--snapshot", paramLabel = "NAME",
            description = "Signal local backup: which snapshot folder to read. Default: the newest complete one.")
    String snapshot;

    @Option(names = "--title", paramLabel = "TITLE",
            description = "WhatsApp: the chat's title (default: from the file name).")
    String title;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where to write the archive. Must not exist or be empty (see --force).")
    Path out;

    @Option(names = "--format", split = ",", paramLabel = "LIST", defaultValue = "json",
            description = "Comma-separated formats to write. Available: json (the archive itself, always written),"
                    + " html (a static site in the archive's html folder), pdf (PDF/A-2u transcripts in pdf/), rsmf"
                    + " (RSMF 2.0 files for review platforms in rsmf/, one per conversation per day in --zone, UTC by"
                    + " default; each checked against the published schema before it is written)."
                    + " Default: ${DEFAULT-VALUE}.")
    List<String> formats;

    @Option(names = "--key", paramLabel = "HEX",
            description = "The database key, 64 hex characters. Default: config.json's \"key\". Prefer --key-file:"
                    + " a key on the command line is visible to other users of this computer.")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Read the database key from FILE.")
    Path keyFile;

    @Mixin
    SafeStorageOption safeStorage = new SafeStorageOption();

    @Option(names = "--conversation", paramLabel = "SEL",
            description = "Only these conversations (repeatable): exact title, /regex/, +phone (direct chats), or an"
                    + " id. Default: all.")
    List<String> conversations = new ArrayList<>();

    @Option(names = "--from", paramLabel = "DATE",
            description = "Only messages from the start of DATE on: 2023, 2023-02, 2023-02-14, 2023-02-14T10:00.")
    String from;

    @Option(names = "--to", paramLabel = "DATE",
            description = "Only messages up to the end of DATE (--to 2023 includes all of 2023).")
    String to;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "Time zone for --from/--to and for the times shown in HTML and PDF, e.g. Europe/Berlin or"
                    + " UTC; for WhatsApp (and Telegram exports without date_unixtime) also the zone the file's"
                    + " times were written in. Default: this computer's zone. RSMF files and --production transcripts"
                    + " are cut into days in this zone, UTC when it is not given.")
    String zone;

    @picocli.CommandLine.Mixin
    HtmlArgs html = new HtmlArgs();

    @Option(names = "--force", description = "Replace --out even if it is not empty (only once the new archive is"
            + " complete).")
    boolean force;

    @Option(names = "--temp-dir", paramLabel = "DIR",
            description = "Allow a decrypted copy of the database in a private folder inside DIR (deleted when the"
                    + " run ends). Needed only for databases too large to decrypt in memory (over 2 GB).")
    Path tempDir;

    @Option(names = "--no-index", description = "Do not build the search index (index/) after the export;"
            + " 'chat-archive index' builds it later.")
    boolean noIndex;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        ExportJob.Request req = request();
        // Checked before anything is read or written, so that a mistake here costs nothing.
        org.chatarchive.renderers.production.ProductionOptions productionOptions = production.requested()
                ? production.options(pdf, rsmf, zone, out) : null;
        // With a production, the Bates numbers belong to it (used once), not to the archive's own PDFs.
        org.chatarchive.renderers.pdf.PdfOptions pdfOptions = !req.formats().contains("pdf") ? null
                : productionOptions != null ? pdf.options(zone, html.splitBy).withBates(null)
                : pdf.options(zone, html.splitBy);
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.detect(output.quiet));
        List<ExportJob.AfterCommit> renders = new ArrayList<>();
        if (req.formats().contains("html")) {
            HtmlOptions htmlOptions = html.options(PartialDate.zone(zone));
            renders.add((archive, p) -> HtmlRendering.render(archive, htmlOptions, p));
        }
        if (pdfOptions != null) {
            renders.add((archive, p) -> PdfExportOptions.write(archive, pdfOptions, spec.commandLine().getOut(),
                    output.quiet));
        }
        if (req.formats().contains("rsmf")) {
            org.chatarchive.renderers.rsmf.RsmfOptions rsmfOptions = rsmf.options(zone);
            renders.add((archive, p) -> RsmfExportOptions.write(archive, rsmfOptions, spec.commandLine().getOut(),
                    output.quiet));
        }
        if (!noIndex) {
            renders.add(IndexCommand::afterExport);
        }
        ExportJob.Result result = new ExportJob(req, progress, renders).run();
        result.print(spec.commandLine().getOut(), output.quiet);
        if (productionOptions != null) {
            // After the archive and its manifest: the production is made from the committed archive.
            ProductionStep.write("export", result.archive().dir(), productionOptions, production.dir,
                    result.warnings(), spec.commandLine().getOut(), output.quiet);
        }
        if (req.formats().contains("html")) {
            spec.commandLine().getOut().println("HTML site: open " + result.archive().dir().resolve("html")
                    .resolve("index.html") + " in a browser");
            spec.commandLine().getOut().flush();
        }
        return ExitCode.OK;
    }

    ExportJob.Request request() {
        List<String> fmts = new ArrayList<>();
        for (String f : formats) {
            String n = f.strip().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                continue;
            }
            if (LATER_FORMATS.contains(n)) {
                throw new UserError(ExitCode.USAGE, "--format " + n + " is not available in this version yet;"
                        + " available: " + String.join(", ", FORMATS) + ".");
            }
            if (!FORMATS.contains(n)) {
                throw new UserError(ExitCode.USAGE, "--format " + n + " is not a format; available: "
                        + String.join(", ", FORMATS) + ".");
            }
            if (!fmts.contains(n)) {
                fmts.add(n);
            }
        }
        ZoneId z;
        Long fromMs = null;
        Long toMs = null;
        try {
            z = PartialDate.zone(zone);
            if (from != null) {
                fromMs = PartialDate.start(from, z);
            }
            if (to != null) {
                toMs = PartialDate.end(to, z);
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage() + ".");
        }
        if (fromMs != null && toMs != null && fromMs >= toMs) {
            throw new UserError(ExitCode.USAGE, "--from " + from + " is not before --to " + to + "; nothing would"
                    + " be selected.");
        }
        if (key != null && keyFile != null) {
            throw new UserError(ExitCode.USAGE, "Give the key once: --key or --key-file, not both.");
        }
        String keyHex = key;
        if (keyFile != null) {
            try {
                keyHex = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UserError(ExitCode.KEY, "Cannot read the key file " + keyFile + " (" + e.getMessage()
                        + "). Check the path and its permissions.");
            }
        }
        SourceType type = sourceType == null ? null : SourceType.named(sourceType);
        Path resolved = type == null || type == SourceType.SIGNAL_DESKTOP
                ? ProfileArgument.resolve(source, Host.current()) : source;
        return new ExportJob.Request(resolved, out, fmts, keyHex, conversations, from, to, fromMs, toMs,
                zone == null && from == null && to == null ? null : z.getId(), force, tempDir, type, me, title,
                safeStorage.password, recoveryKey, snapshot);
    }
}
