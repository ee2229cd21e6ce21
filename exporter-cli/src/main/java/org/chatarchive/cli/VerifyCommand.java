package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import org.chatarchive.model.store.ArchiveFormatException;
import org.chatarchive.model.store.ManifestCheck;

/** {@code chat-archive verify}: re-hashes an archive or export against its manifest. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {"Re-hashes every file of an archive or export (SHA-256 and MD5) and compares them with its"
                + " manifest.json; reports files missing, extra or changed.", ""},
        footer = {"%nExit codes: 0 everything matches, 6 a file is missing, extra or changed (or a backup run was"
                + " interrupted), 5 no readable manifest."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The archive or export folder.")
    Path dir;

    @Override
    public Integer call() {
        ManifestCheck check;
        try {
            check = ManifestCheck.of(dir);
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.OUTPUT, e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(ExitCode.OUTPUT, "Cannot read " + dir + " (" + e.getMessage() + ").", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        list(out, "missing", check.missing());
        list(out, "extra", check.extra());
        list(out, "changed", check.changed());
        if (check.interrupted()) {
            out.println("A backup run is under way or was interrupted; run the backup again to finish or undo it.");
        }
        out.printf(Locale.ROOT, "%s: %,d files match, %,d missing, %,d extra, %,d changed%n",
                check.ok() ? "OK" : "MISMATCH", check.checked(), check.missing().size(), check.extra().size(),
                check.changed().size());
        out.println("manifest.json SHA-256 " + check.manifestSha256());
        out.flush();
        return check.ok() ? ExitCode.OK : ExitCode.MISMATCH;
    }

    private static void list(PrintWriter out, String what, List<String> files) {
        for (String f : files) {
            out.println(what + ": " + f);
        }
    }
}
