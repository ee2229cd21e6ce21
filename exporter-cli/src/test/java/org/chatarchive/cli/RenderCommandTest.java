package org.chatarchive.cli;

import static org.chatarchive.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.cli.Cli.Result;
import org.chatarchive.model.store.ArchiveUpdate;

/** {@code export --format html} and {@code render --format html} on the committed sample. */
class RenderCommandTest {

    @TempDir
    static Path tmp;
    static Path archive;
    static Result exported;

    @BeforeAll
    static void export() {
        archive = tmp.resolve("archive");
        exported = run("export", SignalProfiles.committedSample().toString(), "--out", archive.toString(),
                "--format", "json,html", "--zone", "Europe/Berlin", "--page-size", "50", "-q");
    }

    static long pages(Path site) throws Exception {
        try (Stream<Path> s = Files.walk(site)) {
            return s.filter(p -> p.getFileName().toString().matches("p-\\d+\\.html")).count();
        }
    }

    @Test
    void exportWithHtmlWritesTheSiteIntoTheArchive() throws Exception {
        assertEquals(0, exported.code(), exported.err());
        assertTrue(exported.out().contains("HTML site: open " + archive.resolve("html").resolve("index.html")), exported.out() + exported.err());
        String index = Files.readString(archive.resolve("html/index.html"), StandardCharsets.UTF_8);
        assertEquals(6, index.split("class=\"conv\"", -1).length - 1, "six conversations listed");
        assertTrue(index.contains("403 messages"), "the sample's message count");
        assertTrue(index.contains("Europe/Berlin"));
        // 403 messages at 50 a page: at least 9 pages, one per conversation at the least
        assertTrue(pages(archive.resolve("html")) >= 9);
    }

    @Test
    void renderReplacesTheSiteWithNewOptions() throws Exception {
        Path archive = tmp.resolve("json-only");
        assertEquals(0, run("export", SignalProfiles.committedSample().toString(), "--out", archive.toString(), "-q").code());
        assertFalse(Files.exists(archive.resolve("html")), "json only by default");
        Result first = run("render", archive.toString(), "--format", "html", "-q");
        assertEquals(0, first.code(), first.err());
        Result r = run("render", archive.toString(), "--format", "html", "--zone", "UTC", "--split-by", "month", "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Rendered 403 messages in 6 conversations to "), r.out());
        assertTrue(Files.readString(archive.resolve("html/index.html")).contains("Times in <span class=\"zone\">UTC</span>"));
        try (Stream<Path> s = Files.list(archive)) {
            // the lock file stays (empty between runs), as after a backup
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
                    .filter(n -> !n.equals(ArchiveUpdate.LOCK)).toList(), "no staging or old folder left");
        }
        // The manifest follows the renders, so verify still passes; PDF renders from the archive too.
        Result pdf = run("render", archive.toString(), "--format", "pdf", "-q");
        assertEquals(0, pdf.code(), pdf.err());
        try (Stream<Path> s = Files.list(archive.resolve("pdf"))) {
            assertEquals(6, s.filter(p -> p.toString().endsWith(".pdf")).count(), "one PDF per conversation");
        }
        Result verify = run("verify", archive.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertTrue(Files.readString(archive.resolve("manifest.json")).contains("\"renders\""));
        // R13: every render and index build is a timestamped step of the archive's custody log.
        assertEquals(0, run("index", archive.toString(), "-q").code());
        List<String> log = Files.readAllLines(archive.resolve("logs/custody.log"));
        assertEquals(2, log.stream().filter(l -> l.contains("\tINFO\thtml-done\t403 messages in 6 conversations")).count(),
                log::toString);
        assertEquals(1, log.stream().filter(l -> l.contains("\tINFO\tpdf-done\t6 files, ")).count(), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.contains("\tINFO\tindex-done\t")), log::toString);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(archive.resolve("logs/custody.log"))));
    }

    @Test
    void badArgumentsAndNonArchivesAreClearErrors() throws Exception {
        Result fmt = run("render", archive.toString(), "--format", "txt");
        assertEquals(ExitCode.USAGE, fmt.code());
        assertTrue(fmt.err().contains("--format txt cannot be rendered by this version; available: html, pdf, rsmf."),
                fmt.err());
        Result split = run("render", archive.toString(), "--format", "html", "--split-by", "week");
        assertEquals(ExitCode.USAGE, split.code());
        assertTrue(split.err().contains("--split-by week is not a period; use day (PDF only), month or year."), split.err());
        Result size = run("render", archive.toString(), "--format", "html", "--page-size", "0");
        assertEquals(ExitCode.USAGE, size.code());
        Result zone = run("render", archive.toString(), "--format", "html", "--zone", "Mars/Olympus");
        assertEquals(ExitCode.USAGE, zone.code());
        Path empty = Files.createDirectory(tmp.resolve("not-an-archive"));
        Result none = run("render", empty.toString(), "--format", "html");
        assertEquals(ExitCode.SOURCE, none.code());
        assertTrue(none.err().contains("is not an archive (it has no archive.json)"), none.err());
        assertFalse(none.err().contains("Exception"), none.err());
        Result later = run("export", SignalProfiles.committedSample().toString(), "--out", tmp.resolve("x").toString(),
                "--format", "txt");
        assertEquals(ExitCode.USAGE, later.code());
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
