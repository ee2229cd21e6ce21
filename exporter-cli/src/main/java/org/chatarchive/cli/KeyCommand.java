package org.chatarchive.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.readers.keys.ResolvedKey;
import org.chatarchive.readers.signal.desktop.SignalDesktopProfile;

/** {@code chat-archive key}: prints a profile's database key, unwrapped from the OS keyring if need be. */
@Command(name = "key",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Prints the database key of a Signal Desktop profile (64 hex characters) on standard output, taken"
                        + " from config.json or unwrapped through the OS keyring. Use it with --key-file to export a"
                        + " copy of the profile on another computer.",
                "",
                "The key unlocks every message in the profile: keep it as safe as the messages themselves.",
                ""},
        footer = {"", "Examples:",
                "  chat-archive key signal-desktop > signal.key",
                "  chat-archive export ./Signal-copy --key-file signal.key --out archive",
                "%nExit codes: 0 printed, 2 usage, 3 key not available, 4 not a profile."})
final class KeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROFILE",
            description = "The profile folder, or " + ProfileArgument.AUTO + " for the one found on this computer.")
    Path profile;

    @Mixin
    SafeStorageOption safeStorage = new SafeStorageOption();

    @Override
    public Integer call() {
        Host host = Host.current();
        Path dir = ProfileArgument.resolve(profile, host);
        ResolvedKey key;
        try {
            key = SignalDesktopProfile.open(dir).resolveKey(host.keys(null, safeStorage.password));
        } catch (SourceException e) {
            throw new UserError(ExitCode.of(e), e.getMessage(), e);
        }
        try {
            spec.commandLine().getErr().println("Warning: this key (from " + key.source() + ") unlocks every message"
                    + " in " + dir + "; keep it safe and do not share it.");
            spec.commandLine().getErr().flush();
            spec.commandLine().getOut().println(key.hex());
            spec.commandLine().getOut().flush();
        } finally {
            key.wipe();
        }
        return ExitCode.OK;
    }
}
