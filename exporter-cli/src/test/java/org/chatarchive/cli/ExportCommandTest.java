package org.chatarchive.cli;

import static org.chatarchive.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.Attachment;
import org.chatarchive.model.Attachments;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveSchemas;
import org.chatarchive.readers.signal.desktop.SignalDesktopReader;
import org.chatarchive.cli.Cli.Result;

/** The {@code chat-archive} command end to end, on the committed sample and on damaged copies of it. */
class ExportCommandTest {

    @TempDir
    static Path tmp;
    static Path sample;
    static Path exported;
    static Result first;

    @BeforeAll
    static void exportSample() {
        sample = SignalProfiles.committedSample();
        exported = tmp.resolve("archive");
        first = run("export", sample.toString(), "--out", exported.toString());
    }

    @Test
    void exportsTheSampleIntoAValidArchive() throws Exception {
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("Exported 403 messages in 6 conversations"), first.out());
        assertTrue(first.out().matches("(?s).*archive.json SHA-256 [0-9a-f]{64}.*"), first.out());
        assertTrue(first.out().contains("every row accounted for"), first.out());
        long checked = validate(exported);
        assertEquals(2 + 403, checked);
        ArchiveInfo info = ArchiveReader.open(exported).info();
        assertTrue(info.selection().complete());
        assertEquals(1830, info.sources().get(0).schemaVersion());
        assertEquals("signal-desktop", info.sources().get(0).type());
    }

    @Test
    void archiveReadsBackAsWhatTheSourceHolds() throws Exception {
        ArchiveReader archive = ArchiveReader.open(exported);
        try (SignalDesktopReader source = SignalDesktopReader.open(sample, SignalDesktopReader.Options.defaults())) {
            assertEquals(source.ownerId(), archive.info().ownerId());
            List<Conversation> conversations = source.conversations();
            assertEquals(conversations.stream().map(ExportCommandTest::described).toList(), archive.info().conversations()
                    .stream().map(ConversationEntry::conversation).map(ExportCommandTest::described).toList());
            for (ConversationEntry entry : archive.info().conversations()) {
                List<Message> fromSource = new ArrayList<>();
                source.messages(entry.conversation(), fromSource::add);
                List<Message> fromArchive;
                try (Stream<Message> s = archive.messages(entry)) {
                    fromArchive = s.toList();
                }
                assertEquals(fromSource.stream().map(ExportCommandTest::described).toList(),
                        fromArchive.stream().map(ExportCommandTest::described).toList(), entry.conversation().title());
                for (Message m : fromArchive) {
                    Attachments.forEach(m, a -> assertEquals(Availability.STORED, a.availability(), m.id()));
                }
                assertEquals(fromSource.size(), entry.messageCount());
            }
            assertEquals(source.participants().stream().map(p -> p.withAvatar(described(p.avatar()))).toList(),
                    archive.participants().stream().map(p -> p.withAvatar(described(p.avatar()))).toList());
        }
    }

    @Test
    void sameInputSameBytes() throws Exception {
        Path second = tmp.resolve("again");
        Result r = run("export", sample.toString(), "--out", second.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "--quiet prints no progress");
        Map<String, byte[]> a = files(exported);
        Map<String, byte[]> b = files(second);
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            // the manifest's run section differs (BackupCommandTest compares the rest); the custody log holds the
            // run's times and paths, and is no deliverable
            if (!name.equals("manifest.json") && !name.startsWith("logs/")) {
                assertArrayEquals(a.get(name), b.get(name), name);
            }
        }
    }

    @Test
    void outputIsPrivateToTheUser() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(exported)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(exported.resolve("archive.json"))));
    }

    @Test
    void everyRenderTheIndexTheLogAndTheProductionArePrivateToTheUser() throws Exception {
        Path out = tmp.resolve("all-formats");
        Path production = tmp.resolve("production");
        Result r = run("export", sample.toString(), "--out", out.toString(), "--format", "json,html,pdf,rsmf",
                "--production", production.toString(), "--bates-prefix", "PRIV", "-q");
        assertEquals(0, r.code(), r.err());
        for (String folder : List.of("html", "pdf", "rsmf", "index", "logs")) {
            assertTrue(Files.isDirectory(out.resolve(folder)), folder);
        }
        List<String> open = new java.util.ArrayList<>();
        for (Path root : List.of(out, production)) {
            try (java.util.stream.Stream<Path> all = Files.walk(root)) {
                all.forEach(p -> {
                    try {
                        String want = Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "rwx------"
                                : "rw-------";
                        String have = PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
                        if (!want.equals(have)) {
                            open.add(root.relativize(p) + " " + have);
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
        assertEquals(List.of(), open, "files or folders others can read");
    }

    @Test
    void wrongKeyIsOneLineAndWritesNothing() {
        Path out = tmp.resolve("wrong-key");
        Result r = run("export", sample.toString(), "--out", out.toString(), "--key", "ab".repeat(32));
        assertEquals(ExitCode.KEY, r.code());
        assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("chat-archive:")).count(), r.err());
        assertTrue(r.err().contains("HMAC check failed on page 1"), r.err());
        assertFalse(r.err().contains("abababab"), "the key is not echoed");
        assertFalse(Files.exists(out), "no output directory left behind");
        assertNoStaging();
    }

    @Test
    void damagedPageIsNamedAndNothingIsWritten() throws Exception {
        Path copy = copyOfSample("damaged");
        Path db = copy.resolve("sql/db.sqlite");
        byte[] bytes = Files.readAllBytes(db);
        // A page that the WAL does not replace, so that the damaged copy is the one read.
        java.util.Set<Integer> inWal = new java.util.HashSet<>();
        byte[] wal = Files.readAllBytes(copy.resolve("sql/db.sqlite-wal"));
        for (int off = 32; off + 24 + 4096 <= wal.length; off += 24 + 4096) {
            inWal.add(java.nio.ByteBuffer.wrap(wal, off, 4).getInt());
        }
        int page = 2;
        while (inWal.contains(page)) {
            page++;
        }
        bytes[4096 * (page - 1) + 100] ^= 0x01;
        Files.write(db, bytes);
        Path out = tmp.resolve("damaged-out");
        Result r = run("export", copy.toString(), "--out", out.toString());
        assertEquals(ExitCode.SOURCE, r.code(), r.err());
        assertTrue(r.err().contains("Page " + page + " "), r.err());
        assertFalse(Files.exists(out));
        assertNoStaging();
    }

    @Test
    void notAProfile() {
        Result r = run("export", tmp.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(ExitCode.SOURCE, r.code());
        assertTrue(r.err().contains("config.json is missing"), r.err());
        assertFalse(r.err().contains("Exception"), "no stack trace for a user mistake");
    }

    @Test
    void nonEmptyOutputIsRefusedUnlessForced() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Result refused = run("export", sample.toString(), "--out", out.toString());
        assertEquals(ExitCode.OUTPUT, refused.code());
        assertTrue(refused.err().contains("--force"), refused.err());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));

        Result forced = run("export", sample.toString(), "--out", out.toString(), "--force", "-q");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Files.exists(out.resolve("keep.txt")));
        assertTrue(Files.exists(out.resolve("archive.json")));
    }

    @Test
    void usageErrorsExitTwoBeforeAnyWork() {
        Path out = tmp.resolve("usage");
        String s = sample.toString();
        String o = out.toString();
        Map<String, String[]> cases = Map.of(
                "not available", new String[] {"export", s, "--out", o, "--format", "json,txt"},
                "not a format", new String[] {"export", s, "--out", o, "--format", "docx"},
                "not a date", new String[] {"export", s, "--out", o, "--from", "last week"},
                "not a time zone", new String[] {"export", s, "--out", o, "--zone", "Mars/Olympus"},
                "not before", new String[] {"export", s, "--out", o, "--from", "2025", "--to", "2024"},
                "matches none", new String[] {"export", s, "--out", o, "--conversation", "Nobody"},
                "Unknown option", new String[] {"export", s, "--out", o, "--frobnicate"},
                "Missing required option", new String[] {"export", s});
        cases.forEach((expected, args) -> {
            Result r = run(args);
            assertEquals(ExitCode.USAGE, r.code(), expected + ": " + r.err());
            assertTrue(r.err().contains(expected), expected + " in: " + r.err());
            assertFalse(Files.exists(out), expected + ": nothing written");
        });
    }

    @Test
    void partialExportRecordsItsSelection() throws Exception {
        Path out = tmp.resolve("partial");
        Result r = run("export", sample.toString(), "--out", out.toString(), "-q",
                "--conversation", "Maria Müller", "--conversation", "/^Weekend/",
                "--from", "2025-01", "--to", "2025-06", "--zone", "Europe/Berlin");
        assertEquals(0, r.code(), r.err());
        validate(out);
        JsonNode archive = new ObjectMapper().readTree(out.resolve("archive.json").toFile());
        JsonNode sel = archive.get("selection");
        assertFalse(sel.path("complete").asBoolean(false));
        assertEquals("Europe/Berlin", sel.get("zone").asText());
        assertEquals(1735686000000L, sel.get("fromEpochMs").asLong(), "2025-01-01T00:00+01:00");
        assertEquals(1751320800000L, sel.get("toEpochMs").asLong(), "2025-07-01T00:00+02:00, end of June");
        assertEquals(2, archive.get("conversations").size());
        assertTrue(archive.at("/counts/excluded.messagesOutsideDateRange").asLong() > 0, archive.get("counts").toString());
        assertEquals(4, archive.at("/counts/excluded.conversationsNotSelected").asLong());
        // Accounting: each selected conversation's source rows = exported + outside the date range.
        JsonNode accounting = archive.at("/extra/accounting");
        assertEquals(2, accounting.size());
        for (JsonNode line : accounting) {
            assertEquals(line.get("sourceRows").asLong(), line.get("exported").asLong()
                    + line.path("excluded").path("outsideDateRange").asLong(), line.toString());
            assertTrue(line.path("unexplained").isMissingNode());
        }
        ArchiveReader reader = ArchiveReader.open(out);
        for (ConversationEntry e : reader.info().conversations()) {
            try (Stream<Message> s = reader.messages(e)) {
                s.forEach(m -> assertTrue(m.timelineAt() >= 1735686000000L && m.timelineAt() < 1751320800000L));
            }
        }
    }

    @Test
    void demoExportsTheBundledSample() throws Exception {
        Path out = tmp.resolve("demo");
        Result r = run("demo", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("What it made"), r.out());
        assertTrue(r.out().contains("conversations/"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("html/index.html")), "the demo renders its HTML site");
        assertTrue(Files.isDirectory(out.resolve("index")), "and builds its search index");
        Cli.Result verify = run("verify", out.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        validate(out);
        // A second demo run replaces the first.
        assertEquals(0, run("demo", "--out", out.toString(), "-q").code());
    }

    @Test
    void helpAndVersionTeach() {
        Result help = run("export", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--conversation") && help.out().contains("Examples:")
                && help.out().contains("Exit codes"), help.out());
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("chat-archive "), version.out());
        Result none = run();
        assertEquals(ExitCode.USAGE, none.code());
    }

    /** Checks the archive against the format's schemas; returns how many JSON documents were checked. */
    /** An attachment without where its bytes are (the source points at a file, the archive at its copy). */
    static Attachment described(Attachment a) {
        return a == null ? null : new Attachment(a.contentType(), a.fileName(), a.size(), null, a.width(), a.height(),
                a.durationMs(), a.kind(), a.caption(), null, null, null, null);
    }

    static Message described(Message m) {
        return Attachments.map(m, ExportCommandTest::described);
    }

    static Conversation described(Conversation c) {
        return new Conversation(c.id(), c.kind(), c.title(), c.participantIds(), described(c.avatar()), c.sourceApp(),
                c.extra());
    }

    static long validate(Path dir) throws Exception {
        ArchiveSchemas.Report report = ArchiveSchemas.check(dir);
        assertEquals(List.of(), report.problems());
        return report.documents();
    }

    private static Path copyOfSample(String name) throws Exception {
        Path copy = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(sample)) {
            for (Path p : s.toList()) {
                Path d = copy.resolve(sample.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
        return copy;
    }

    private static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            // The search index is derived and not byte-reproducible (Lucene's segment ids are random); the search
            // tests check what it finds.
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !dir.relativize(p).startsWith("index")).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertNoStaging() {
        try (Stream<Path> s = Files.list(tmp)) {
            List<String> staging = s.map(p -> p.getFileName().toString()).filter(n -> n.contains("partial")
                    && n.startsWith(".")).toList();
            assertEquals(List.of(), staging, "no staging folder left");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
