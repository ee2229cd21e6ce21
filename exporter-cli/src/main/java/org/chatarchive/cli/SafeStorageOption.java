package org.chatarchive.cli;

import picocli.CommandLine.Option;

/** {@code --safe-storage-password}, as export, key and sources take it. */
final class SafeStorageOption {

    @Option(names = "--safe-storage-password", paramLabel = "SECRET",
            description = "The keyring secret that unwraps config.json's encryptedKey, when the keyring cannot be"
                    + " asked. Also read from the environment variable CHAT_ARCHIVE_SAFE_STORAGE_PASSWORD.")
    String password;
}
