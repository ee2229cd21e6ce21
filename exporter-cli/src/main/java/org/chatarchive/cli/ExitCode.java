package org.chatarchive.cli;

import org.chatarchive.model.source.SourceException;

/** The command's exit codes; each kind of failure has its own, so scripts can tell them apart. */
public final class ExitCode {
    /** Everything asked for was done. */
    public static final int OK = 0;
    /** A bug: something failed that should not have. The message says how to report it. */
    public static final int INTERNAL = 1;
    /** The command line was wrong (unknown option, bad date, unknown format, ...). */
    public static final int USAGE = 2;
    /** The key is wrong or could not be found. */
    public static final int KEY = 3;
    /** The source could not be read: not a profile, damaged, unsupported. */
    public static final int SOURCE = 4;
    /** The output could not be written (directory not empty, no space, no permission). */
    public static final int OUTPUT = 5;
    /** {@code verify} found a file missing, extra or changed. */
    public static final int MISMATCH = 6;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    /** The help text's table of exit codes. */
    public static final String HELP = "%nExit codes:%n"
            + "  0  done%n"
            + "  1  internal error (a bug; please report it with --debug output)%n"
            + "  2  usage error (bad option or value)%n"
            + "  3  wrong or missing key%n"
            + "  4  source unreadable (not a profile, damaged, unsupported)%n"
            + "  5  output not written (directory not empty, no space, no permission)%n"
            + "  6  verify: a file is missing, extra or changed%n";

    private ExitCode() {
    }

    /** The exit code for a source failure. */
    public static int of(SourceException e) {
        return switch (e.kind()) {
            case WRONG_KEY, KEY_UNAVAILABLE -> KEY;
            default -> SOURCE;
        };
    }
}
