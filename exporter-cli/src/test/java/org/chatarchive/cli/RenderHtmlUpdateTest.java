package org.chatarchive.cli;

import static org.chatarchive.cli.BackupCommandTest.archiveWithSite;
import static org.chatarchive.cli.BackupCommandTest.comparable;
import static org.chatarchive.cli.BackupCommandTest.copyTree;
import static org.chatarchive.cli.BackupCommandTest.same;
import static org.chatarchive.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.model.store.ManifestCheck;

/**
 * {@code render --format html} on an archive as one update of it ({@link ArchiveUpdate}): under the archive's lock,
 * the new site and the manifest listing it put in place together by one commit.
 */
class RenderHtmlUpdateTest {

    @TempDir
    Path tmp;

    /** Two renders with the same options give the same bytes, and {@code verify} passes after each. */
    @Test
    void renderingAgainGivesTheSameSiteAndVerifyPasses() throws Exception {
        Path archive = tmp.resolve("signal");
        assertEquals(0, run("export", SignalProfiles.committedSample().toString(), "--out", archive.toString(), "-q")
                .code());
        Cli.Result first = run("render", archive.toString(), "--format", "html", "--zone", "UTC");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("manifest.json SHA-256 "), first.out());
        assertTrue(ManifestCheck.of(archive).ok(), ManifestCheck.of(archive).toString());
        Map<String, byte[]> site = BackupChangesTest.tree(archive.resolve("html"));
        Map<String, byte[]> files = comparable(archive);
        Cli.Result second = run("render", archive.toString(), "--format", "html", "--zone", "UTC", "-q");
        assertEquals(0, second.code(), second.err());
        Map<String, byte[]> again = BackupChangesTest.tree(archive.resolve("html"));
        BackupCommandTest.assertSameFiles(site, again);
        assertTrue(same(files, comparable(archive)), "the archive's files, manifest included, are the same");
        Cli.Result verify = run("verify", archive.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertFalse(ArchiveUpdate.interrupted(archive));
        assertEquals(List.of(), leftovers(archive));
    }

    /** A render while another run holds the archive's lock fails with the lock error and changes nothing. */
    @Test
    void aRenderOfALockedArchiveFailsAndChangesNothing() throws Exception {
        Path archive = tmp.resolve("locked");
        assertEquals(0, run("export", SignalProfiles.committedSample().toString(), "--out", archive.toString(), "-q")
                .code());
        assertEquals(0, run("render", archive.toString(), "--format", "html", "--zone", "UTC", "-q").code());
        Map<String, byte[]> before = BackupCommandTest.files(archive);
        Cli.Result r;
        try (ArchiveUpdate held = ArchiveUpdate.begin(archive)) {
            r = run("render", archive.toString(), "--format", "html", "--zone", "Europe/Berlin", "--page-size", "7",
                    "-q");
        }
        assertEquals(ExitCode.OUTPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("Another chat-archive run is working on "), r.err());
        assertTrue(r.err().contains(ArchiveUpdate.LOCK), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(same(before, BackupCommandTest.files(archive)), "nothing changed");
        assertTrue(ManifestCheck.of(archive).ok());
    }

    /**
     * Kills {@code render --format html} runs (separate processes) at points spread over a run, when the staged site
     * appears, right after the commit marker and while the commit swaps the site. After each, once the lock has
     * been taken again (which finishes or discards what the killed run left), the archive, site included, is
     * exactly as before or exactly as after a run that finished, {@code verify} passes and no staging folder of
     * the site is left. A real run after the last kill leaves the site exactly as the uninterrupted run did.
     */
    @Test
    void aKilledRenderLeavesTheArchiveAsBeforeOrAsAfter() throws Exception {
        Path chat = tmp.resolve("site.txt");
        Path archive = tmp.resolve("killed-render");
        Map<String, byte[]> before = archiveWithSite(chat, archive);
        Path pristine = tmp.resolve("pristine");
        copyTree(archive, pristine);
        Path reference = tmp.resolve("reference");
        copyTree(pristine, reference);
        long t0 = System.nanoTime();
        assertEquals(0, renderProcess(reference).waitFor());
        long runMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, byte[]> after = comparable(reference);
        assertTrue(!same(before, after));
        Map<String, byte[]> siteAfter = BackupChangesTest.tree(reference.resolve("html"));
        assertTrue(ManifestCheck.of(reference).ok(), "the manifest lists the new site");

        Path marker = FolderKillLoop.marker(archive);
        Path staging = FolderKillLoop.staging(archive, "html");
        Path aside = FolderKillLoop.aside(archive, "html");
        List<FolderKillLoop.Kill> kills = List.of(FolderKillLoop.Kill.after(runMs * 3 / 10),
                FolderKillLoop.Kill.after(runMs * 6 / 10), FolderKillLoop.Kill.after(runMs * 8 / 10),
                new FolderKillLoop.Kill("site staged", staging, 0),
                new FolderKillLoop.Kill("site staged", staging, runMs / 10),
                new FolderKillLoop.Kill("COMMITTED", marker, 0), new FolderKillLoop.Kill("COMMITTED", marker, 1),
                new FolderKillLoop.Kill("old html moved aside", aside, 0));
        FolderKillLoop.Outcome o = FolderKillLoop.run(pristine, archive, "html", "site swap", runMs, kills, before,
                after, () -> renderProcess(archive),
                (i, log) -> assertEquals(List.of(), leftovers(archive), "iteration " + i + ": " + log));
        Map<String, Integer> landed = o.landed();
        List<String> log = o.log();
        int sawBefore = o.sawBefore();
        int sawAfter = o.sawAfter();
        System.out.println("render kill loop (reference run " + runMs + " ms): " + landed + " " + log);
        assertTrue(sawBefore > 0 && sawAfter > 0, "kills landed both before and after the commit: " + log);
        assertTrue(landed.getOrDefault("before the commit", 0) > 0, "a kill landed before the commit: " + log);
        assertTrue(landed.getOrDefault("during the site swap", 0) + landed.getOrDefault(
                "after the marker, before the site swap", 0) > 0, "a kill landed after the marker: " + log);
        // A real run after the last kill gives the site the uninterrupted run did.
        assertEquals(0, renderProcess(archive).waitFor());
        assertTrue(ManifestCheck.of(archive).ok());
        Map<String, byte[]> site = BackupChangesTest.tree(archive.resolve("html"));
        BackupCommandTest.assertSameFiles(siteAfter, site);
    }

    /** A render with other options than the archive's site was made with, so that every page differs. */
    private static Process renderProcess(Path archive) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "render", archive.toString(),
                "--format", "html", "--zone", "Europe/Berlin", "--page-size", "7", "-q")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The staging and old-site folders of the earlier way of replacing the site, when any are there. */
    private static List<String> leftovers(Path archive) throws Exception {
        try (Stream<Path> s = Files.list(archive)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".html.partial-") || n.startsWith(".html.old-")).toList();
        }
    }
}
