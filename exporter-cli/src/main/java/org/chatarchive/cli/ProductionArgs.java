package org.chatarchive.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import org.chatarchive.renderers.pdf.BatesOptions;
import org.chatarchive.renderers.production.ProductionOptions;

import picocli.CommandLine.Option;

/** The production options shared by {@code export} and {@code render} (a picocli mixin). */
final class ProductionArgs {

    @Option(names = "--production", paramLabel = "DIR",
            description = "Also write a production set into DIR (new or empty): Bates-stamped PDF/A transcripts, one"
                    + " per conversation per day in --zone (UTC by default), each followed in the Bates sequence by"
                    + " its attachments as natives; a DAT load file, text files, manifest.json and logs/custody.log."
                    + " Needs --bates-prefix. See docs/production.md.")
    Path dir;

    @Option(names = "--page-images",
            description = "Production: also write every transcript page as a single-page black-and-white TIFF"
                    + " (Group 4) in IMAGES/ with an OPT image load file. Default: no images (the PDFs carry the"
                    + " pages).")
    boolean pageImages;

    @Option(names = "--image-dpi", paramLabel = "DPI", defaultValue = "300",
            description = "Production: resolution of --page-images. Default: ${DEFAULT-VALUE}.")
    int imageDpi = 300;

    @Option(names = "--volume", paramLabel = "NAME", defaultValue = "VOL001",
            description = "Production: the volume name, for the load files' names (DATA/NAME.dat) and the OPT"
                    + " volume field. Default: ${DEFAULT-VALUE}.")
    String volume = "VOL001";

    /** Whether {@code --production} was given; its companion options alone are a usage error. */
    boolean requested() {
        if (dir == null && (pageImages || !"VOL001".equals(volume) || imageDpi != 300)) {
            throw new UserError(ExitCode.USAGE, "--page-images, --image-dpi and --volume apply to a production;"
                    + " add --production DIR.");
        }
        return dir != null;
    }

    /**
     * Checks everything that can be checked before any work starts, so that a mistake costs nothing: Bates
     * numbering given and usable, {@code DIR} new or empty and apart from the archive.
     */
    ProductionOptions options(PdfExportOptions pdf, RsmfExportOptions rsmf, String zone, Path archive) {
        if (pdf.batesPrefix == null) {
            throw new UserError(ExitCode.USAGE, "--production needs Bates numbers: add --bates-prefix, e.g."
                    + " --bates-prefix ACME (with --bates-start N to continue an earlier production).");
        }
        ProductionOptions o;
        try {
            ZoneId z = zone == null ? ProductionOptions.UTC : PartialDate.zone(zone);
            BatesOptions bates = new BatesOptions(pdf.batesPrefix, pdf.batesStart, pdf.batesDigits, pdf.batesSuffix);
            o = new ProductionOptions(bates, z, blankToNull(rsmf.custodian), blankToNull(rsmf.matter), volume,
                    pageImages, imageDpi, 500, null, "chat-archive " + Main.version());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage() + ".");
        }
        Path d = dir.toAbsolutePath().normalize();
        Path a = archive.toAbsolutePath().normalize();
        if (d.startsWith(a) || a.startsWith(d)) {
            throw new UserError(ExitCode.USAGE, "--production " + dir + " and the archive " + archive + " overlap;"
                    + " give the production a folder of its own, outside the archive.");
        }
        if (Files.exists(d) && !Files.isDirectory(d)) {
            throw new UserError(ExitCode.OUTPUT, "--production " + dir + " is a file; give a new or empty folder.");
        }
        if (Files.isDirectory(d)) {
            try (var entries = Files.newDirectoryStream(d)) {
                if (entries.iterator().hasNext()) {
                    throw new UserError(ExitCode.OUTPUT, "--production " + dir + " is not empty; give a new or empty"
                            + " folder (a production is never written over another).");
                }
            } catch (IOException e) {
                throw new UserError(ExitCode.OUTPUT, "Cannot read --production " + dir + " (" + e.getMessage()
                        + "); check its permissions.", e);
            }
        }
        return o;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
