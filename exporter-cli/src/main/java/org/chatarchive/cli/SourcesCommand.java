package org.chatarchive.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.readers.signal.desktop.SignalDesktopReader;

/** {@code chat-archive sources}: the Signal Desktop profiles on this computer, and what each holds. */
@Command(name = "sources",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Lists the Signal Desktop profiles found in the usual places (release, Beta, Flatpak, Snap) with"
                        + " their schema version and how many conversations and messages they hold. Each database is"
                        + " decrypted in memory to count them; a profile whose key cannot be had is listed with the"
                        + " reason.",
                ""},
        footer = {"", "Exit codes: 0 listed, 4 no profile found."})
final class SourcesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SafeStorageOption safeStorage = new SafeStorageOption();

    @Override
    public Integer call() {
        Host host = Host.current();
        List<Path> found = host.locator().find();
        PrintWriter out = spec.commandLine().getOut();
        if (found.isEmpty()) {
            throw new UserError(ExitCode.SOURCE, "No Signal Desktop profile was found (looked in "
                    + host.locator().candidates().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "); if Signal keeps its data elsewhere, give that folder to chat-archive export.");
        }
        for (Path dir : found) {
            out.println(dir);
            out.println("  " + describe(dir, host));
        }
        out.flush();
        return ExitCode.OK;
    }

    private String describe(Path dir, Host host) {
        SignalDesktopReader.Options options = new SignalDesktopReader.Options(null, null, null, safeStorage.password,
                host.keys(null, null));
        try (SignalDesktopReader r = SignalDesktopReader.open(dir, options)) {
            return String.format(Locale.ROOT, "schema %s, %,d conversations, %,d messages, key from %s",
                    r.info().schemaVersion(), r.conversations().size(), r.messageCount(), r.info().keySource());
        } catch (SourceException e) {
            return (ExitCode.of(e) == ExitCode.KEY ? "not opened, key: " : "not opened: ") + e.getMessage();
        }
    }
}
