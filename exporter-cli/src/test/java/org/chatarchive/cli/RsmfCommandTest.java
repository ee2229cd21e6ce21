package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.Manifest;
import org.chatarchive.renderers.rsmf.RsmfCheck;
import org.chatarchive.renderers.rsmf.RsmfReport;

/** {@code export --format rsmf}, {@code render --format rsmf} and {@code rsmf-check} on the committed sample. */
class RsmfCommandTest {

    @TempDir
    static Path tmp;
    static Path archive;
    static Cli.Result exported;

    @BeforeAll
    static void export() {
        archive = tmp.resolve("archive");
        exported = Cli.run("export", SignalProfiles.committedSample().toString(), "--out",
                archive.toString(), "--format", "json,rsmf", "--custodian", "Jane Doe", "--matter", "Doe v. Roe");
    }

    static List<Path> rsmfFiles() throws Exception {
        try (Stream<Path> s = Files.list(archive.resolve("rsmf"))) {
            return s.sorted().toList();
        }
    }

    static Map<String, String> hashes() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (Path f : rsmfFiles()) {
            out.put(f.getFileName().toString(), FileHashes.of(f, f.getFileName().toString()).sha256());
        }
        return out;
    }

    @Test
    void exportWritesCheckedRsmfFilesListedInTheManifestAndTheLogBesideThem() throws Exception {
        assertEquals(0, exported.code(), exported.err() + exported.out());
        assertTrue(exported.out().contains("RSMF "), exported.out());
        List<Path> files = rsmfFiles();
        assertFalse(files.isEmpty());
        for (Path f : files) {
            assertTrue(f.getFileName().toString().matches("c-[0-9a-f]{16}-\\d{4}-\\d\\d-\\d\\d(-part\\d+)?\\.rsmf"), f.toString());
            RsmfReport r = RsmfCheck.strict().checkFile(f);
            assertEquals(RsmfReport.Result.Passed, r.result(), f + " " + r.problems());
            String head = Files.readString(f, StandardCharsets.ISO_8859_1);
            assertTrue(head.contains("\r\nX-RSMF-Custodian: Jane Doe\r\n") && head.contains("\r\nX-RSMF-Matter: Doe v. Roe\r\n"));
        }
        Manifest m = Manifest.read(archive);
        List<String> listed = m.files().stream().map(FileHashes::path).toList();
        for (Path f : files) {
            String rel = "rsmf/" + f.getFileName();
            FileHashes h = m.files().stream().filter(x -> x.path().equals(rel)).findFirst().orElseThrow();
            assertTrue(h.sha256().matches("[0-9a-f]{64}") && h.md5().matches("[0-9a-f]{32}"));
        }
        assertTrue(Files.isRegularFile(archive.resolve("logs/custody.log")));
        assertFalse(listed.stream().anyMatch(p -> p.startsWith("logs/")), "the log is beside, not inside, the hashed set");
        String log = Files.readString(archive.resolve("logs/custody.log"));
        assertTrue(log.contains("\tINFO\trsmf-start\t") && log.contains("matter Doe v. Roe"), log);
        Cli.Result v = Cli.run("verify", archive.toString());
        assertEquals(0, v.code(), v.out() + v.err());
    }

    @Test
    void renderingAgainGivesTheSameBytesAndAppendsToTheLog() throws Exception {
        Map<String, String> before = hashes();
        long logLines = Files.readAllLines(archive.resolve("logs/custody.log")).size();
        Cli.Result r = Cli.run("render", archive.toString(), "--format", "rsmf",
                "--custodian", "Jane Doe", "--matter", "Doe v. Roe", "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(before, hashes());
        assertTrue(Files.readAllLines(archive.resolve("logs/custody.log")).size() > logLines, "appended, not rewritten");
        assertEquals(0, Cli.run("verify", archive.toString()).code());
    }

    @Test
    void rsmfCheckPassesOurFilesAndNamesWhatIsWrongWithOthers() throws Exception {
        Path ours = rsmfFiles().get(0);
        Cli.Result ok = Cli.run("rsmf-check", "--strict", ours.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains(": Passed (0 errors, 0 warnings)"), ok.out());

        Path broken = tmp.resolve("broken.rsmf");
        String eml = Files.readString(ours, StandardCharsets.ISO_8859_1).replaceFirst("X-RSMF-Version: 2.0.0\r\n", "");
        Files.writeString(broken, eml, StandardCharsets.ISO_8859_1);
        Cli.Result bad = Cli.run("rsmf-check", broken.toString());
        assertEquals(ExitCode.MISMATCH, bad.code(), bad.out());
        assertTrue(bad.out().contains("ERROR EmlMissingVersion"), bad.out());

        Path shared = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && shared == null; d = d.getParent()) {
            Path c = d.resolve("shared/conformance/rsmf/Documentation/Sample3/sample.rsmf");
            shared = Files.isRegularFile(c) ? c : null;
        }
        Assumptions.assumeTrue(shared != null, "RSMF conformance data (../shared/conformance/rsmf) not found; skipping"
                + " the check of Relativity's Sample3");
        Cli.Result s3 = Cli.run("rsmf-check", shared.toString());
        assertEquals(ExitCode.MISMATCH, s3.code(), s3.out());
        assertTrue(s3.out().contains("ERROR EmlExtraAttachment [eml avatar.png]"), s3.out());
    }

    @Test
    void rsmfIsNoLongerALaterFormat() {
        assertTrue(ExportCommand.FORMATS.contains("rsmf"));
        assertFalse(ExportCommand.LATER_FORMATS.contains("rsmf"));
        StringWriter w = new StringWriter();
        Main.run(new String[]{"rsmf-check", "--help"}, new PrintWriter(w), new PrintWriter(w));
        assertTrue(w.toString().replaceAll("\\s+", " ").contains("Passed, PassedWithWarnings or Failed"), w.toString());
    }
}
