package org.chatarchive.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.chatarchive.readers.signal.backup.SignalBackupReader;
import org.chatarchive.readers.telegram.TelegramExportReader;
import org.chatarchive.readers.whatsapp.WhatsAppExportReader;

/** The kinds of source {@code export} reads, and how each is recognised from the path it is given. */
enum SourceType {
    SIGNAL_DESKTOP("signal-desktop", "a Signal Desktop profile folder (config.json + sql/db.sqlite)"),
    SIGNAL_BACKUP("signal-backup", "a Signal chat export (main.jsonl, its folder or zip) or a SignalBackups folder"),
    TELEGRAM("telegram", "a Telegram Desktop JSON export (result.json or its folder)"),
    WHATSAPP("whatsapp", "a WhatsApp \"Export chat\" .txt or .zip");

    final String name;
    final String description;

    SourceType(String name, String description) {
        this.name = name;
        this.description = description;
    }

    static SourceType named(String name) {
        for (SourceType t : values()) {
            if (t.name.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new UserError(ExitCode.USAGE, "--source-type " + name + " is not a source type; use one of "
                + names() + ".");
    }

    /** The type of source at {@code path}, from what is there. */
    static SourceType detect(Path path) {
        if (TelegramExportReader.looksLike(path)) {
            return TELEGRAM;
        }
        if (SignalBackupReader.looksLike(path)) {
            return SIGNAL_BACKUP;
        }
        if (Files.isDirectory(path)) {
            // Any other folder is taken for a Signal Desktop profile; that reader says precisely what is missing.
            return SIGNAL_DESKTOP;
        }
        if (Files.isRegularFile(path) && WhatsAppExportReader.looksLike(path)) {
            return WHATSAPP;
        }
        if (!Files.exists(path)) {
            return SIGNAL_DESKTOP; // the profile reader names the missing path
        }
        throw new UserError(ExitCode.SOURCE, path + " is not a source chat-archive recognises. Give "
                + Arrays.stream(values()).map(t -> t.description).collect(Collectors.joining(", or ")) + ";"
                + " or name the type with --source-type " + names() + ".");
    }

    static String names() {
        return Arrays.stream(values()).map(t -> t.name).collect(Collectors.joining("|"));
    }
}
