package org.chatarchive.readers.keys;

import java.util.List;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * The macOS Keychain through {@code security find-generic-password -w}, service {@code Signal Safe Storage}
 * (Beta: {@code Signal Beta Safe Storage}). macOS may ask the user to allow access.
 */
public final class KeychainBackend implements KeyBackend {

    /** {@code security}'s exit code when no item matches (errSecItemNotFound). */
    static final int NOT_FOUND = 44;

    private final String app;
    private final CommandRunner runner;

    /** @param app "Signal" or "Signal Beta" */
    public KeychainBackend(String app, CommandRunner runner) {
        this.app = app;
        this.runner = runner;
    }

    /** The Keychain service name. */
    public String service() {
        return app + " Safe Storage";
    }

    /** The exact command line. */
    public List<String> command() {
        return List.of("security", "find-generic-password", "-w", "-s", service());
    }

    @Override
    public String label() {
        return "macOS Keychain (security)";
    }

    @Override
    public SecretKind kind() {
        return SecretKind.PASSWORD;
    }

    @Override
    public byte[] secret() throws SourceException {
        String what = "The macOS Keychain";
        CommandRunner.Result r = Tools.run(runner, command(), what, "it ships with macOS at /usr/bin/security");
        byte[] secret = Tools.trimLine(r.stdout());
        if (r.exitCode() == NOT_FOUND) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " has no '" + service() + "' item; run this as"
                    + " the macOS user who uses Signal Desktop, " + KeyBackend.NEXT_STEPS);
        }
        if (r.exitCode() != 0 || secret.length == 0) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " did not give the '" + service() + "' item ("
                    + Tools.errorLine(r) + "); allow access when macOS asks, " + KeyBackend.NEXT_STEPS);
        }
        return secret;
    }
}
