package org.chatarchive.readers.keys;

import java.util.List;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * KDE Wallet through {@code kwallet-query}, for {@code safeStorageBackend} {@code kwallet}, {@code kwallet5} or
 * {@code kwallet6}. Electron (Chromium branding) keeps the password in folder {@code Chromium Keys}, entry
 * {@code Chromium Safe Storage}, of the user's network wallet, normally {@code kdewallet}.
 */
public final class KWalletBackend implements KeyBackend {

    static final String FOLDER = "Chromium Keys";
    static final String ENTRY = "Chromium Safe Storage";

    private final String flavour;
    private final String wallet;
    private final CommandRunner runner;

    /**
     * @param flavour the {@code safeStorageBackend} value ({@code kwallet}, {@code kwallet5}, {@code kwallet6})
     * @param wallet  the wallet name, normally {@code kdewallet}
     */
    public KWalletBackend(String flavour, String wallet, CommandRunner runner) {
        this.flavour = flavour;
        this.wallet = wallet;
        this.runner = runner;
    }

    /** The exact command line. */
    public List<String> command() {
        return List.of("kwallet-query", "--read-password", ENTRY, "--folder", FOLDER, wallet);
    }

    @Override
    public String label() {
        return flavour + " (kwallet-query)";
    }

    @Override
    public SecretKind kind() {
        return SecretKind.PASSWORD;
    }

    @Override
    public byte[] secret() throws SourceException {
        String what = "KDE Wallet (kwallet-query)";
        CommandRunner.Result r = Tools.run(runner, command(), what, "install kwallet-query (package kwalletcli"
                + " or kf6-kwallet)");
        byte[] secret = Tools.trimLine(r.stdout());
        if (r.exitCode() != 0 || secret.length == 0) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " has no '" + ENTRY + "' entry in folder '"
                    + FOLDER + "' of wallet " + wallet + " (" + Tools.errorLine(r) + "); open the wallet and run"
                    + " again, " + KeyBackend.NEXT_STEPS);
        }
        return secret;
    }
}
