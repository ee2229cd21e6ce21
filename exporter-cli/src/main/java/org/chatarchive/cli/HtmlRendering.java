package org.chatarchive.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

import org.chatarchive.model.store.ArchiveFormatException;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.model.store.UnsupportedFormatVersionException;
import org.chatarchive.renderers.html.HtmlOptions;
import org.chatarchive.renderers.html.HtmlResult;
import org.chatarchive.renderers.html.HtmlSite;
import org.chatarchive.renderers.html.Links;

/** Renders an archive's HTML site with progress, turning failures into messages a person can act on. */
final class HtmlRendering {

    private HtmlRendering() {
    }

    /**
     * Renders {@code html/} inside {@code archive}, an archive no other run changes (a fresh export's output); the
     * result's summary says where to open it.
     */
    static HtmlResult render(Path archive, HtmlOptions options, Progress progress) {
        HtmlResult r = write(archive, progress, () -> HtmlSite.render(archive, options, progress::update));
        logged(archive, r);
        return r;
    }

    /**
     * Renders the whole site of the archive locked by {@code up} into a staged replacement of its {@code html/}
     * ({@link ArchiveUpdate#replaceDirectory}), which the caller commits. The result names {@code html/} as it will
     * be after the commit.
     */
    static HtmlResult stage(ArchiveUpdate up, HtmlOptions options, Progress progress) {
        Path archive = up.dir();
        HtmlResult r = write(archive, progress, () -> HtmlSite.writeTo(up.readAfterCommit(),
                up.replaceDirectory(Links.SITE_DIR), options, progress::update));
        return new HtmlResult(archive.resolve(Links.SITE_DIR), r.conversations(), r.pages(), r.messages());
    }

    /** How a site is written: into the archive, or into a staged folder. */
    @FunctionalInterface
    private interface SiteWrite {
        HtmlResult write() throws IOException;
    }

    /** Runs {@code write} with progress, its failures told as the user's errors (exit codes SOURCE, OUTPUT). */
    private static HtmlResult write(Path archive, Progress progress, SiteWrite write) {
        progress.start("HTML", "messages", messageCount(archive));
        HtmlResult r;
        try {
            r = write.write();
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.SOURCE, "The archive at " + archive + " is damaged: " + e.getMessage()
                    + ". Nothing was changed in its html folder.", e);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(ExitCode.OUTPUT, "Writing the HTML site failed (" + e.getMessage() + "). Any earlier"
                    + " html folder in " + archive + " is unchanged; check free space and permissions.", e);
        }
        progress.finish(String.format(Locale.ROOT, "%,d conversations, %,d pages", r.conversations(), r.pages()));
        return r;
    }

    /** Appends the custody log's line for a site rendered to {@code html/}. */
    static void logged(Path archive, HtmlResult r) {
        RenderLog.step(archive, "html-done", String.format(Locale.ROOT, "%d messages in %d conversations, %d pages"
                + " to html/", r.messages(), r.conversations(), r.pages()));
    }

    private static long messageCount(Path archive) {
        try {
            return ArchiveReader.open(archive).info().conversations().stream().mapToLong(e -> e.messageCount()).sum();
        } catch (UnsupportedFormatVersionException e) {
            throw new UserError(ExitCode.SOURCE, e.getMessage(), e);
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.SOURCE, archive + " is not a readable archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(ExitCode.SOURCE, "Cannot read the archive at " + archive + " (" + e.getMessage()
                    + "). Check the path.", e);
        }
    }
}
