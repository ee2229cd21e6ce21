package org.chatarchive.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The PROFILE argument of {@code export} and {@code key}: a profile folder, or the word {@value #AUTO} for the
 * one profile found in the usual places.
 */
final class ProfileArgument {

    /** The word that means "find the profile". */
    static final String AUTO = "signal-desktop";

    private ProfileArgument() {
    }

    /**
     * The profile folder {@code given} names. A folder called {@value #AUTO} in the current directory wins over
     * the word, so an existing path always means itself.
     *
     * @throws UserError {@link ExitCode#SOURCE} when no profile is found, {@link ExitCode#USAGE} when several are
     */
    static Path resolve(Path given, Host host) {
        if (given == null || !given.toString().equals(AUTO) || Files.exists(given)) {
            return given;
        }
        List<Path> found = host.locator().find();
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new UserError(ExitCode.SOURCE, "No Signal Desktop profile was found (looked in "
                    + host.locator().candidates().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "); give the profile folder instead of " + AUTO + ".");
        }
        throw new UserError(ExitCode.USAGE, "Several Signal Desktop profiles were found; give one of them instead of "
                + AUTO + ": " + found.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", ")) + ".");
    }
}
