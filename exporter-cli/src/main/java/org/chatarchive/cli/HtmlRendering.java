package org.chatarchive.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

import org.chatarchive.model.store.ArchiveFormatException;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.UnsupportedFormatVersionException;
import org.chatarchive.renderers.html.HtmlOptions;
import org.chatarchive.renderers.html.HtmlResult;
import org.chatarchive.renderers.html.HtmlSite;

/** Renders an archive's HTML site with progress, turning failures into messages a person can act on. */
final class HtmlRendering {

    private HtmlRendering() {
    }

    /** Renders {@code html/} inside {@code archive}; the result's summary says where to open it. */
    static HtmlResult render(Path archive, HtmlOptions options, Progress progress) {
        long total;
        try {
            total = ArchiveReader.open(archive).info().conversations().stream().mapToLong(e -> e.messageCount()).sum();
        } catch (UnsupportedFormatVersionException e) {
            throw new UserError(ExitCode.SOURCE, e.getMessage(), e);
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.SOURCE, archive + " is not a readable archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(ExitCode.SOURCE, "Cannot read the archive at " + archive + " (" + e.getMessage()
                    + "). Check the path.", e);
        }
        progress.start("HTML", "messages", total);
        HtmlResult r;
        try {
            r = HtmlSite.render(archive, options, progress::update);
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.SOURCE, "The archive at " + archive + " is damaged: " + e.getMessage()
                    + ". Nothing was changed in its html folder.", e);
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(ExitCode.OUTPUT, "Writing the HTML site failed (" + e.getMessage() + "). Any earlier"
                    + " html folder in " + archive + " is unchanged; check free space and permissions.", e);
        }
        progress.finish(String.format(Locale.ROOT, "%,d conversations, %,d pages", r.conversations(), r.pages()));
        RenderLog.step(archive, "html-done", String.format(Locale.ROOT, "%d messages in %d conversations, %d pages"
                + " to html/", r.messages(), r.conversations(), r.pages()));
        return r;
    }
}
