package org.chatarchive.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chat-archive backup}: merges a source into an archive that keeps what the app has since forgotten. */
@Command(name = "backup",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Adds what is new in SOURCE to the archive in --archive DIR, run after run. The first run exports"
                        + " everything; later runs add new messages, keep earlier states of changed ones (edits,"
                        + " reactions, read state, deleted for everyone), keep messages the source no longer has"
                        + " (marked gone), and store each attachment once.",
                "",
                "Disappearing messages (sent with a timer) are NOT archived unless you give --include-expiring,"
                        + " because their sender chose that they vanish. The run summary says how many were left out.",
                "",
                "A run that is interrupted leaves the archive as it was; the next run finishes or discards what it"
                        + " left. manifest.json lists every file with its SHA-256 and MD5 (chat-archive verify DIR).",
                ""},
        footer = {"",
                "Examples:",
                "  chat-archive backup ~/.config/Signal --archive ~/SignalBackup",
                "  chat-archive backup signal-desktop --archive ~/SignalBackup --include-expiring",
                "%nExit codes: 0 done, 1 internal error, 2 usage, 3 wrong or missing key, 4 source unreadable,"
                        + " 5 archive not written."})
final class BackupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "What to read, as for export: a Signal Desktop profile folder (or signal-desktop), a"
                    + " Telegram Desktop JSON export, or a WhatsApp \"Export chat\" file.")
    Path source;

    @Option(names = "--archive", required = true, paramLabel = "DIR",
            description = "The archive to add to (made on the first run; must then be new or empty).")
    Path archive;

    @Option(names = "--include-expiring",
            description = "Also archive disappearing messages (those with a timer). Off by default; an archive made"
                    + " with it records that, and later runs must give it too.")
    boolean includeExpiring;

    @Option(names = "--rehash",
            description = "Hash the source files again even when none was touched since the last run (same size,"
                    + " modification time, change time and inode); by default their hashes are then carried from the"
                    + " last run, and the manifest says so.")
    boolean rehash;

    @Option(names = "--source-md5",
            description = "Record the MD5 of the source files in the manifest too (their SHA-256 always is). Off by"
                    + " default: MD5 is the slowest pass over a database of gigabytes, and the archive's own files"
                    + " are listed with both either way. Export and production record both.")
    boolean sourceMd5;

    @Option(names = "--no-mirror",
            description = "Signal Desktop: do not keep a private plaintext copy of the message tables in"
                    + " DIR/.chat-archive.mirror (about the size of the database; the tables holding keys are left"
                    + " out), and delete one that is there. With the copy, a later run decrypts only the pages that"
                    + " changed and reads only the conversations they touch; without it, every run decrypts the whole"
                    + " database.")
    boolean noMirror;

    @Option(names = "--source-type", paramLabel = "TYPE", description = "signal-desktop, telegram or whatsapp.")
    String sourceType;

    @Option(names = "--key", paramLabel = "HEX", description = "The database key, 64 hex characters.")
    String key;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Read the database key from FILE.")
    Path keyFile;

    @Option(names = "--safe-storage-password", paramLabel = "SECRET",
            description = "The keyring secret that unwraps config.json's encryptedKey.")
    String safeStoragePassword;

    @Option(names = "--me", paramLabel = "NAME", description = "WhatsApp: your name as it appears in the chat.")
    String me;

    @Option(names = "--title", paramLabel = "TITLE", description = "WhatsApp: the chat's title.")
    String title;

    @Option(names = "--zone", paramLabel = "ZONE", description = "WhatsApp/Telegram: the zone the file's times were"
            + " written in.")
    String zone;

    @Option(names = "--temp-dir", paramLabel = "DIR", description = "As for export: allow a private decrypted copy"
            + " of a database over 2 GB.")
    Path tempDir;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        ExportCommand export = new ExportCommand();
        export.source = source;
        export.out = archive;
        export.formats = java.util.List.of("json");
        export.key = key;
        export.keyFile = keyFile;
        export.safeStorage.password = safeStoragePassword;
        export.sourceType = sourceType;
        export.me = me;
        export.title = title;
        export.zone = zone;
        export.tempDir = tempDir;
        ExportJob.Request req = export.request();
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.detect(output.quiet));
        BackupJob.Result result = new BackupJob(new BackupJob.Request(req, includeExpiring, rehash, !noMirror, sourceMd5), progress).run();
        result.print(spec.commandLine().getOut());
        return ExitCode.OK;
    }
}
