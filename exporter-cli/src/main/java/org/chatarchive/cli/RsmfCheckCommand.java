package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.chatarchive.renderers.rsmf.RsmfCheck;
import org.chatarchive.renderers.rsmf.RsmfProblem;
import org.chatarchive.renderers.rsmf.RsmfReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chat-archive rsmf-check}: validates RSMF files written by any tool. */
@Command(name = "rsmf-check",
        mixinStandardHelpOptions = true,
        description = {
                "Checks RSMF files (.rsmf, or a bare rsmf.zip or rsmf_manifest.json) the way Relativity's validator"
                        + " describes its rules: the EML layer (X-RSMF-Version, exactly one base64 rsmf.zip"
                        + " attachment), the zip (rsmf_manifest.json, every referenced file present, none"
                        + " unreferenced) and the manifest (the published RSMF 2.0.0 JSON Schema, then references"
                        + " between participants, conversations, events and files).",
                "",
                "Prints one line per finding and a result per file: Passed, PassedWithWarnings or Failed.",
                ""},
        footer = {"",
                "Examples:",
                "  chat-archive rsmf-check ~/SignalArchive/rsmf/c-0123456789abcdef-2024-03-09.rsmf",
                "  chat-archive rsmf-check --strict other-tool-output/*.rsmf",
                "%nExit codes: 0 every file passed (perhaps with warnings), 2 usage, 4 a file unreadable,"
                        + " 6 a file failed."})
final class RsmfCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to check.")
    List<Path> files;

    @Option(names = "--strict", description = "Also require what chat-archive's own files guarantee: CRLF line ends,"
            + " X-RSMF-Version as the first header, a text/plain transcript, the roll-up headers, timestamps with an"
            + " offset, no undefined properties, replies whose parent is in the file, X-RSMF- values as UTF-8 text"
            + " (no encoded-words) and every event by a participant of its conversation; what Relativity's"
            + " validator warns about (X-RSMF-Participants not matching the manifest) becomes an error.")
    boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RsmfCheck check = strict ? RsmfCheck.strict() : RsmfCheck.lenient();
        boolean failed = false;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UserError(ExitCode.SOURCE, f + " is not a file.");
            }
            RsmfReport r;
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            try {
                if (name.endsWith(".zip")) {
                    r = check.checkZip(f);
                } else if (name.endsWith(".json")) {
                    r = check.checkManifest(Files.readAllBytes(f));
                } else {
                    r = check.checkFile(f);
                }
            } catch (IOException e) {
                throw new UserError(ExitCode.SOURCE, "Cannot read " + f + " (" + e.getMessage() + ").", e);
            }
            for (RsmfProblem p : r.problems()) {
                out.println(f + ": " + p);
            }
            out.println(f + ": " + r.result() + " (" + r.errors().size() + " errors, "
                    + (r.problems().size() - r.errors().size()) + " warnings)");
            failed |= r.result() == RsmfReport.Result.Failed;
        }
        out.flush();
        return failed ? ExitCode.MISMATCH : ExitCode.OK;
    }
}
