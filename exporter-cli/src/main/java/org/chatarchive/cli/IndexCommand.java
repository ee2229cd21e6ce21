package org.chatarchive.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.chatarchive.model.store.ArchiveFormatException;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.search.IndexProblem;
import org.chatarchive.search.IndexReport;
import org.chatarchive.search.Indexer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chat-archive index}: builds or updates the search index of an archive. */
@Command(name = "index",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Builds or updates the search index of an archive (in its index/ folder), for 'chat-archive search'."
                        + " Export builds it by itself; run this after changing an archive, or with --rebuild when"
                        + " search says the index is damaged or outdated.",
                "",
                "Only conversations whose messages changed since the last run are indexed again. The index is"
                        + " committed at the end in one step: an interrupted run leaves the previous index as it was,"
                        + " and searches meanwhile see the previous index.",
                ""},
        footer = {"",
                "Examples:",
                "  chat-archive index ~/SignalArchive",
                "  chat-archive index --rebuild ~/SignalArchive",
                "%nExit codes: 0 done, 1 internal error, 2 usage, 4 archive unreadable, 5 index not written."})
final class IndexCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive folder (the one holding archive.json).")
    Path archive;

    @Option(names = "--rebuild", description = "Build the index from scratch, even if it is up to date.")
    boolean rebuild;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
        Progress progress = new Progress(spec.commandLine().getErr(), Progress.detect(output.quiet));
        IndexReport r = build(archive, rebuild, progress);
        PrivateOutput.apply(archive);
        spec.commandLine().getOut().println(summary(r) + " -> " + archive.resolve("index"));
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /** Builds or updates the index of {@code archive}, with progress; failures are {@link UserError}s. */
    static IndexReport build(Path archive, boolean rebuild, Progress progress) {
        if (!Files.isDirectory(archive)) {
            throw new UserError(ExitCode.SOURCE, archive + " is not a folder; name an archive folder (the one holding"
                    + " archive.json)");
        }
        try {
            long total = ArchiveReader.open(archive).info().conversations().stream()
                    .mapToLong(e -> e.messageCount()).sum();
            progress.start("Search index", "messages", total);
            IndexReport r = Indexer.update(archive, new Indexer.Options(rebuild,
                    Math.min(4, Runtime.getRuntime().availableProcessors()), progress::update));
            progress.finish(summary(r));
            RenderLog.step(archive, "index-done", summary(r));
            return r;
        } catch (IndexProblem e) {
            throw new UserError(ExitCode.OUTPUT, e.getMessage(), e);
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.SOURCE, archive + " cannot be read as an archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(ExitCode.OUTPUT, "Indexing " + archive + " failed (" + e.getMessage() + "). The"
                    + " previous index, if any, is unchanged; check free space and permissions, then run again.", e);
        }
    }

    /**
     * Builds the index of an archive an export has just committed. The archive is complete either way, so a failure
     * here is a warning with the command to try again, not a failed export.
     */
    static void afterExport(Path archive, Progress progress) {
        try {
            build(archive, false, progress);
        } catch (RuntimeException e) {
            progress.info("Warning: the search index was not built (" + e.getMessage() + "); the archive is complete."
                    + " Build the index with: chat-archive index " + archive);
        }
    }

    static String summary(IndexReport r) {
        String what = r.rebuilt()
                ? String.format(Locale.ROOT, "%,d messages in %,d conversations indexed (%s)", r.messagesIndexed(),
                        r.conversations(), r.rebuildReason())
                : r.changed()
                ? String.format(Locale.ROOT, "%,d messages in %,d changed conversations indexed, %,d removed, %,d"
                        + " unchanged", r.messagesIndexed(), r.reindexed(), r.removed(), r.conversations() - r.reindexed())
                : String.format(Locale.ROOT, "up to date (%,d conversations)", r.conversations());
        return what;
    }
}
