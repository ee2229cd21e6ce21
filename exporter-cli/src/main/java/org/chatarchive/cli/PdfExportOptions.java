package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.renderers.pdf.BatesOptions;
import org.chatarchive.renderers.pdf.PdfOptions;
import org.chatarchive.renderers.pdf.PdfRenderer;
import org.chatarchive.renderers.pdf.PdfSummary;
import org.chatarchive.renderers.pdf.SplitBy;

import picocli.CommandLine.Option;

/** The PDF options of {@code export} (a picocli mixin), and the step that writes the PDFs. */
final class PdfExportOptions {

    /** The folder of the PDFs inside an archive. */
    static final String DIR = "pdf";

    @Option(names = "--image-size", paramLabel = "POINTS", defaultValue = "240",
            description = "PDF: long edge of inline images, in points (72 per inch); 0 lists images without"
                    + " drawing them. Default: ${DEFAULT-VALUE}.")
    float imageSize;

    @Option(names = "--bates-prefix", paramLabel = "TEXT", description = "PDF and production: stamp a Bates number on every"
            + " page, with this prefix (sequential across all PDFs of the export; ranges in pdf/bates.json, or in the"
            + " production's load file and manifest). Letters, digits, '-', '_' and '.' for a production.")
    String batesPrefix;

    @Option(names = "--bates-start", paramLabel = "N", defaultValue = "1",
            description = "PDF and production: the first Bates number (to continue an earlier production). Default:"
                    + " ${DEFAULT-VALUE}.")
    long batesStart;

    @Option(names = "--bates-digits", paramLabel = "N", defaultValue = "6",
            description = "PDF and production: zero-padded width of the Bates number. Default: ${DEFAULT-VALUE}.")
    int batesDigits;

    @Option(names = "--bates-suffix", paramLabel = "TEXT", description = "PDF and production: text after the Bates number.")
    String batesSuffix;

    /** Checks the values and builds the renderer's options. */
    /** The PDF options; {@code splitBy} is the shared {@code --split-by} value (day, month, year or null). */
    PdfOptions options(String zone, String splitBy) {
        try {
            SplitBy split = splitBy == null ? SplitBy.NONE : SplitBy.valueOf(splitBy.strip().toUpperCase(Locale.ROOT));
            BatesOptions bates = batesPrefix == null && batesSuffix == null ? null
                    : new BatesOptions(batesPrefix, batesStart, batesDigits, batesSuffix);
            return PdfOptions.defaults().withZone(PartialDate.zone(zone)).withSplitBy(split).withImageLongEdge(imageSize)
                    .withBates(bates).withGenerator("chat-archive " + Main.version());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, (splitBy != null && e.getMessage() != null
                    && e.getMessage().startsWith("No enum") ? "--split-by must be day, month or year, not " + splitBy
                    : e.getMessage()) + ".");
        }
    }

    /** Writes the PDFs of the archive in {@code archive} and prints one line about them. */
    static void write(Path archive, PdfOptions options, PrintWriter out, boolean quiet) {
        PdfSummary s;
        try {
            s = PdfRenderer.render(archive, options);
        } catch (IOException e) {
            throw new UserError(ExitCode.OUTPUT, "The PDFs were not written: " + e.getMessage()
                    + ". The archive itself is complete in " + archive + ".");
        }
        written(archive, options, s, out, quiet);
    }

    /**
     * Renders the PDFs of the archive locked by {@code up} into a staged replacement of its {@code pdf/}
     * ({@link ArchiveUpdate#replaceDirectory}), which the caller commits and then reports with {@link #written}.
     */
    static PdfSummary stage(ArchiveUpdate up, PdfOptions options) throws IOException {
        return PdfRenderer.render(up.dir(), options.withOutDir(up.replaceDirectory(DIR)));
    }

    /** Appends the custody log's lines for PDFs written to {@code pdf/} and prints one line about them. */
    static void written(Path archive, PdfOptions options, PdfSummary s, PrintWriter out, boolean quiet) {
        RenderLog.step(archive, "pdf-done", String.format(Locale.ROOT, "%d files, %d pages, %d messages to pdf/,"
                + " zone %s", s.files().size(), s.pages(), s.messages(), options.zone().getId()));
        if (s.missingGlyphs() > 0) {
            RenderLog.warn(archive, "pdf-missing-glyphs", s.missingGlyphs() + " characters no font has, drawn"
                    + " as [U+...]: " + String.join(" ", s.missingExamples()));
        }
        if (!quiet) {
            out.printf(Locale.ROOT, "PDF               %,d files, %,d pages, %,d messages%s%n", s.files().size(),
                    s.pages(), s.messages(), s.missingGlyphs() == 0 ? ""
                            : String.format(Locale.ROOT, "; %,d characters no font has (e.g. %s), shown as [U+...]",
                            s.missingGlyphs(), String.join(" ", s.missingExamples())));
            out.flush();
        }
    }
}
