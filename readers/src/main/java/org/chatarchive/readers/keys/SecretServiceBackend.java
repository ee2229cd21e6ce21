package org.chatarchive.readers.keys;

import java.util.List;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * The freedesktop Secret Service (GNOME keyring, KeePassXC, ...) through {@code secret-tool}, for
 * {@code safeStorageBackend} {@code gnome_libsecret}. Chromium stores the password under the schema
 * {@code chrome_libsecret_os_crypt_password_v2} with one attribute, {@code application} = the app name; the lookup
 * matches on that attribute only, like sigtop, so either schema version is found.
 */
public final class SecretServiceBackend implements KeyBackend {

    private final String app;
    private final CommandRunner runner;

    /** @param app "Signal" or "Signal Beta" */
    public SecretServiceBackend(String app, CommandRunner runner) {
        this.app = app;
        this.runner = runner;
    }

    /** The exact command line. */
    public List<String> command() {
        return List.of("secret-tool", "lookup", "application", app);
    }

    @Override
    public String label() {
        return "gnome_libsecret (secret-tool)";
    }

    @Override
    public SecretKind kind() {
        return SecretKind.PASSWORD;
    }

    @Override
    public byte[] secret() throws SourceException {
        String what = "The GNOME keyring (secret-tool)";
        CommandRunner.Result r = Tools.run(runner, command(), what, "install libsecret-tools (or libsecret)");
        byte[] secret = Tools.trimLine(r.stdout());
        if (r.exitCode() != 0 || secret.length == 0) {
            // secret-tool exits 1 with no output when nothing matches, and when the keyring stays locked.
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " has no '" + app + " Safe Storage' secret for"
                    + " application " + app + (r.stderr().isBlank() ? "" : " (" + Tools.errorLine(r) + ")")
                    + "; unlock the keyring and run again, " + KeyBackend.NEXT_STEPS);
        }
        return secret;
    }
}
