package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;

import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.renderers.production.CustodyLog;
import org.chatarchive.renderers.rsmf.RsmfOptions;
import org.chatarchive.renderers.rsmf.RsmfRenderer;
import org.chatarchive.renderers.rsmf.RsmfSummary;
import org.chatarchive.renderers.rsmf.RsmfValidationException;

import picocli.CommandLine.Option;

/** The RSMF and production options of {@code export} and {@code render} (a picocli mixin), and the RSMF step. */
final class RsmfExportOptions {

    /** The folder of the RSMF files inside an archive. */
    static final String DIR = "rsmf";

    @Option(names = "--custodian", paramLabel = "NAME",
            description = "RSMF and production: the custodian (the person the data was collected from), for"
                    + " From and X-RSMF-Custodian, the load file's CUSTODIAN and each transcript's first page. Default:"
                    + " the archive owner's name.")
    String custodian;

    @Option(names = "--matter", paramLabel = "NAME", description = "RSMF and production: the matter name, recorded in every file.")
    String matter;

    /**
     * The RSMF options; {@code zone} is {@code --zone} as given (null: UTC, the default for this format, not the
     * computer's zone).
     */
    RsmfOptions options(String zone) {
        try {
            ZoneId z = zone == null ? RsmfOptions.UTC : PartialDate.zone(zone);
            return RsmfOptions.defaults().withZone(z).withGenerator("chat-archive " + Main.version())
                    .withCustodian(blankToNull(custodian)).withMatter(blankToNull(matter));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage() + ".");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * Writes the RSMF files of the archive in {@code archive} (to {@code rsmf/}), logging to the archive's custody
     * log ({@code logs/custody.log}, outside the hashed manifest), and prints one line about them.
     */
    static void write(Path archive, RsmfOptions options, PrintWriter out, boolean quiet) {
        try (CustodyLog log = CustodyLog.open(archive)) {
            RsmfSummary s;
            try {
                s = RsmfRenderer.render(archive, options, log);
            } catch (RsmfValidationException e) {
                throw invalid(archive, e);
            }
            written(options, s, out, quiet);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(ExitCode.OUTPUT, "The RSMF files were not written: " + e.getMessage()
                    + ". The archive itself is complete in " + archive + ".", e);
        }
    }

    /**
     * Renders the RSMF files of the archive locked by {@code up} into a staged replacement of its {@code rsmf/}
     * ({@link ArchiveUpdate#replaceDirectory}), logging to the custody log as {@link #write} does; the caller
     * commits and then reports with {@link #written}.
     */
    static RsmfSummary stage(ArchiveUpdate up, RsmfOptions options) throws IOException {
        try (CustodyLog log = CustodyLog.open(up.dir())) {
            return RsmfRenderer.writeTo(up.dir(), up.replaceDirectory(DIR), DIR, options, log);
        } catch (RsmfValidationException e) {
            throw invalid(up.dir(), e);
        }
    }

    /** Prints one line about the RSMF files written. */
    static void written(RsmfOptions options, RsmfSummary s, PrintWriter out, boolean quiet) {
        if (!quiet) {
            out.printf(Locale.ROOT, "RSMF              %,d files, %,d events, %,d attachments (slices of one day"
                    + " in %s)%s%n", s.files().size(), s.events(), s.attachments(), options.zone().getId(),
                    s.warnings() == 0 ? "" : String.format(Locale.ROOT, "; %,d warnings in %s", s.warnings(),
                            CustodyLog.FILE));
            out.flush();
        }
    }

    private static UserError invalid(Path archive, RsmfValidationException e) {
        return new UserError(ExitCode.OUTPUT, "No RSMF files were written: " + e.getMessage()
                + ". This is a bug in chat-archive; the archive itself is complete in " + archive + ".", e);
    }
}
