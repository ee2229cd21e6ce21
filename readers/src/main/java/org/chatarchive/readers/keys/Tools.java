package org.chatarchive.readers.keys;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/** Shared plumbing of the command-line backends: running the tool and trimming its output. */
final class Tools {

    /** Long enough for a user to answer a keyring unlock prompt. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Tools() {
    }

    /**
     * Runs a key store tool; a tool that is missing or hangs becomes a KEY_UNAVAILABLE naming it.
     *
     * @param what    e.g. "The GNOME keyring (secret-tool)"
     * @param install how to get the tool, e.g. "install libsecret-tools"
     */
    static CommandRunner.Result run(CommandRunner runner, List<String> command, String what, String install)
            throws SourceException {
        try {
            return runner.run(command, TIMEOUT);
        } catch (CommandRunner.NotInstalledException e) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " could not be asked: " + command.get(0)
                    + " is not installed; " + install + ", " + KeyBackend.NEXT_STEPS, e);
        } catch (CommandRunner.TimedOutException e) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " did not answer within "
                    + TIMEOUT.toSeconds() + " s; unlock it and run again, " + KeyBackend.NEXT_STEPS, e);
        } catch (IOException e) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " could not be asked (" + e.getMessage()
                    + "); " + KeyBackend.NEXT_STEPS, e);
        }
    }

    /** The output without one trailing line break (the tools add one); zeroes the original. */
    static byte[] trimLine(byte[] out) {
        int n = out.length;
        if (n > 0 && out[n - 1] == '\n') {
            n--;
        }
        if (n > 0 && out[n - 1] == '\r') {
            n--;
        }
        byte[] r = Arrays.copyOf(out, n);
        Arrays.fill(out, (byte) 0);
        return r;
    }

    /** The tool's error text, shortened to one line, for a message. */
    static String errorLine(CommandRunner.Result r) {
        String s = r.stderr() == null ? "" : r.stderr().strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl);
        }
        if (s.length() > 200) {
            s = s.substring(0, 200) + "…";
        }
        return s.isEmpty() ? "exit code " + r.exitCode() : s;
    }
}
