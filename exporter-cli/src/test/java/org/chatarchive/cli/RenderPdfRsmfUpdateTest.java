package org.chatarchive.cli;

import static org.chatarchive.cli.BackupCommandTest.backup;
import static org.chatarchive.cli.BackupCommandTest.chat;
import static org.chatarchive.cli.BackupCommandTest.comparable;
import static org.chatarchive.cli.BackupCommandTest.copyTree;
import static org.chatarchive.cli.BackupCommandTest.same;
import static org.chatarchive.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.model.store.ManifestCheck;

/**
 * {@code render --format pdf} and {@code render --format rsmf} on an archive as one update of it
 * ({@link ArchiveUpdate}), as {@code --format html} is ({@link RenderHtmlUpdateTest}): under the archive's lock, the
 * new folder and the manifest listing it put in place together by one commit.
 */
class RenderPdfRsmfUpdateTest {

    @TempDir
    Path tmp;

    /** A small WhatsApp chat kept by {@code backup}, so the archive has a manifest and a lock file. */
    private Path archive(String name, int messages) throws Exception {
        Path chat = tmp.resolve(name + ".txt");
        Path archive = tmp.resolve(name);
        Files.writeString(chat, chat(0, messages));
        assertEquals(0, backup(chat, archive).code());
        return archive;
    }

    /** Two renders with the same options give the same bytes, and {@code verify} passes after each. */
    @Test
    void renderingPdfAgainGivesTheSameFilesAndVerifyPasses() throws Exception {
        renderingAgainGivesTheSameFiles("pdf", "--zone", "UTC", "--bates-prefix", "T");
    }

    @Test
    void renderingRsmfAgainGivesTheSameFilesAndVerifyPasses() throws Exception {
        renderingAgainGivesTheSameFiles("rsmf", "--custodian", "Jane Doe", "--matter", "Doe v. Roe");
    }

    private void renderingAgainGivesTheSameFiles(String format, String... options) throws Exception {
        Path archive = archive("again-" + format, 300);
        Cli.Result first = render(archive, format, options);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith(format.equals("pdf") ? "PDF " : "RSMF "), first.out());
        assertTrue(first.out().contains("manifest.json SHA-256 "), first.out());
        assertTrue(ManifestCheck.of(archive).ok(), ManifestCheck.of(archive).toString());
        Map<String, byte[]> out = BackupChangesTest.tree(archive.resolve(format));
        assertFalse(out.isEmpty());
        Map<String, byte[]> files = comparable(archive);
        Cli.Result second = render(archive, format, options);
        assertEquals(0, second.code(), second.err());
        assertEquals(first.out(), second.out(), "the same report, manifest hash included");
        Map<String, byte[]> again = BackupChangesTest.tree(archive.resolve(format));
        BackupCommandTest.assertSameFiles(out, again);
        assertTrue(same(files, comparable(archive)), "the archive's files, manifest included, are the same");
        Cli.Result verify = run("verify", archive.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertFalse(ArchiveUpdate.interrupted(archive));
        assertEquals(List.of(), leftovers(archive));
    }

    /**
     * The staged renders write the same bytes as the renderers writing straight into the archive do ({@code export}
     * still renders that way into its fresh output).
     */
    @Test
    void aRenderGivesTheBytesExportWritesWithTheSameOptions() throws Exception {
        Path archive = tmp.resolve("exported");
        Cli.Result exported = run("export", SignalProfiles.committedSample().toString(), "--out", archive.toString(),
                "--format", "json,pdf,rsmf", "--zone", "UTC", "--custodian", "Jane Doe", "--matter", "Doe v. Roe",
                "-q");
        assertEquals(0, exported.code(), exported.err());
        Map<String, byte[]> pdf = BackupChangesTest.tree(archive.resolve("pdf"));
        Map<String, byte[]> rsmf = BackupChangesTest.tree(archive.resolve("rsmf"));
        assertFalse(pdf.isEmpty());
        assertFalse(rsmf.isEmpty());
        assertEquals(0, render(archive, "pdf", "--zone", "UTC", "-q").code());
        assertEquals(0, render(archive, "rsmf", "--zone", "UTC", "--custodian", "Jane Doe", "--matter", "Doe v. Roe",
                "-q").code());
        for (Map.Entry<String, Map<String, byte[]>> e : Map.of("pdf", pdf, "rsmf", rsmf).entrySet()) {
            Map<String, byte[]> now = BackupChangesTest.tree(archive.resolve(e.getKey()));
            assertEquals(e.getValue().keySet(), now.keySet(), e.getKey());
            for (String f : now.keySet()) {
                assertArrayEquals(e.getValue().get(f), now.get(f), e.getKey() + "/" + f);
            }
        }
        assertTrue(ManifestCheck.of(archive).ok(), ManifestCheck.of(archive).toString());
    }

    /** A render while another run holds the archive's lock fails with the lock error and changes nothing. */
    @Test
    void aPdfRenderOfALockedArchiveFailsAndChangesNothing() throws Exception {
        aRenderOfALockedArchiveFailsAndChangesNothing("pdf");
    }

    @Test
    void anRsmfRenderOfALockedArchiveFailsAndChangesNothing() throws Exception {
        aRenderOfALockedArchiveFailsAndChangesNothing("rsmf");
    }

    private void aRenderOfALockedArchiveFailsAndChangesNothing(String format) throws Exception {
        Path archive = archive("locked-" + format, 50);
        assertEquals(0, render(archive, format, "--zone", "UTC", "-q").code());
        Map<String, byte[]> before = BackupCommandTest.files(archive);
        Cli.Result r;
        try (ArchiveUpdate held = ArchiveUpdate.begin(archive)) {
            r = render(archive, format, "--zone", "Europe/Berlin", "-q");
        }
        assertEquals(ExitCode.OUTPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("Another chat-archive run is working on "), r.err());
        assertTrue(r.err().contains(ArchiveUpdate.LOCK), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(same(before, BackupCommandTest.files(archive)), "nothing changed");
        assertTrue(ManifestCheck.of(archive).ok());
        assertEquals(List.of(), leftovers(archive));
    }

    @Test
    void aKilledPdfRenderLeavesTheArchiveAsBeforeOrAsAfter() throws Exception {
        aKilledRenderLeavesTheArchiveAsBeforeOrAsAfter("pdf", 600, List.of("--zone", "UTC"),
                List.of("--zone", "Europe/Berlin", "--bates-prefix", "K"));
    }

    @Test
    void aKilledRsmfRenderLeavesTheArchiveAsBeforeOrAsAfter() throws Exception {
        aKilledRenderLeavesTheArchiveAsBeforeOrAsAfter("rsmf", 2000, List.of("--zone", "UTC"),
                List.of("--zone", "Europe/Berlin", "--custodian", "Jane Doe"));
    }

    /**
     * Kills renders of {@code format} (separate processes) at points spread over a run, when the staged folder
     * appears, right after the commit marker and while the commit swaps the folder. After each, once the lock has
     * been taken again (which finishes or discards what the killed run left), the archive, rendered files included,
     * is exactly as before or exactly as after a run that finished, {@code verify} passes and no staging folder is
     * left. A real run after the last kill gives the files the uninterrupted run did.
     */
    private void aKilledRenderLeavesTheArchiveAsBeforeOrAsAfter(String format, int messages, List<String> first,
            List<String> options) throws Exception {
        Path archive = archive("killed-" + format, messages);
        Cli.Result rendered = render(archive, format, first.toArray(String[]::new));
        assertEquals(0, rendered.code(), rendered.err());
        Map<String, byte[]> before = comparable(archive);
        assertTrue(before.keySet().stream().anyMatch(f -> f.startsWith(format + "/")), before.keySet().toString());
        assertTrue(ManifestCheck.of(archive).ok());
        Path pristine = tmp.resolve("pristine-" + format);
        copyTree(archive, pristine);
        Path reference = tmp.resolve("reference-" + format);
        copyTree(pristine, reference);
        long t0 = System.nanoTime();
        assertEquals(0, renderProcess(reference, format, options).waitFor());
        long runMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, byte[]> after = comparable(reference);
        assertFalse(same(before, after));
        Map<String, byte[]> filesAfter = BackupChangesTest.tree(reference.resolve(format));
        assertTrue(ManifestCheck.of(reference).ok(), "the manifest lists the new files");

        Path marker = FolderKillLoop.marker(archive);
        Path staging = FolderKillLoop.staging(archive, format);
        Path aside = FolderKillLoop.aside(archive, format);
        List<FolderKillLoop.Kill> kills = List.of(FolderKillLoop.Kill.after(runMs * 3 / 10),
                FolderKillLoop.Kill.after(runMs * 6 / 10), FolderKillLoop.Kill.after(runMs * 8 / 10),
                new FolderKillLoop.Kill("staged", staging, 0), new FolderKillLoop.Kill("staged", staging, runMs / 10),
                new FolderKillLoop.Kill("COMMITTED", marker, 0), new FolderKillLoop.Kill("COMMITTED", marker, 1),
                new FolderKillLoop.Kill("old " + format + " moved aside", aside, 0));
        FolderKillLoop.Outcome o = FolderKillLoop.run(pristine, archive, format, "swap", runMs, kills, before, after,
                () -> renderProcess(archive, format, options), (i, log) -> {
                    assertEquals(List.of(), leftovers(archive), "iteration " + i + ": " + log);
                    assertFalse(ArchiveUpdate.interrupted(archive), "iteration " + i + ": " + log);
                });
        Map<String, Integer> landed = o.landed();
        List<String> log = o.log();
        int sawBefore = o.sawBefore();
        int sawAfter = o.sawAfter();
        System.out.println(format + " render kill loop (reference run " + runMs + " ms): " + landed + " " + log);
        assertTrue(sawBefore > 0 && sawAfter > 0, "kills landed both before and after the commit: " + log);
        assertTrue(landed.getOrDefault("before the commit", 0) > 0, "a kill landed before the commit: " + log);
        assertTrue(landed.getOrDefault("during the swap", 0) + landed.getOrDefault(
                "after the marker, before the swap", 0) > 0, "a kill landed after the marker: " + log);
        // A real run after the last kill gives the files the uninterrupted run did.
        assertEquals(0, renderProcess(archive, format, options).waitFor());
        assertTrue(ManifestCheck.of(archive).ok());
        Map<String, byte[]> files = BackupChangesTest.tree(archive.resolve(format));
        BackupCommandTest.assertSameFiles(filesAfter, files);
    }

    private static Cli.Result render(Path archive, String format, String... options) {
        List<String> args = new ArrayList<>(List.of("render", archive.toString(), "--format", format));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static Process renderProcess(Path archive, String format, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "render", archive.toString(),
                "--format", format));
        cmd.addAll(options);
        cmd.add("-q");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /**
     * Staging folders of the earlier ways of writing pdf/ and rsmf/ ({@code .rsmf.staging}) and the RSMF writer's
     * temporary files, when any are there.
     */
    private static List<String> leftovers(Path archive) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(archive)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".rsmf") || n.startsWith(".pdf"))
                    .forEach(found::add);
        }
        for (String dir : List.of("pdf", "rsmf")) {
            if (Files.isDirectory(archive.resolve(dir))) {
                try (Stream<Path> s = Files.list(archive.resolve(dir))) {
                    s.map(p -> dir + "/" + p.getFileName()).filter(n -> n.contains("/.")).forEach(found::add);
                }
            }
        }
        return found;
    }
}
