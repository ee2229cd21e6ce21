package org.chatarchive.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.chatarchive.renderers.production.CustodyLog;

/**
 * One line in an archive's custody log ({@code logs/custody.log}, outside the manifest) for a render or index
 * build, whichever command ran it (export, render, index, backup), so that the log tells what was made from the
 * archive and when.
 */
final class RenderLog {

    private RenderLog() {
    }

    static void step(Path archive, String step, String detail) {
        write(archive, false, step, detail);
    }

    static void warn(Path archive, String step, String detail) {
        write(archive, true, step, detail);
    }

    private static void write(Path archive, boolean warning, String step, String detail) {
        try (CustodyLog log = CustodyLog.open(archive)) {
            if (warning) {
                log.warn(step, detail);
            } else {
                log.step(step, detail);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(ExitCode.OUTPUT, "The " + step.replaceAll("-.*", "") + " output in " + archive
                    + " is written, but its custody log could not be appended to (" + e.getMessage() + "); check"
                    + " the permissions of " + archive.resolve(CustodyLog.FILE) + ".", e);
        }
    }
}
