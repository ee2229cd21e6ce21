package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;

/**
 * {@code export} on Telegram and WhatsApp exports: the source type is recognised from the path, and the
 * archive is as valid as a Signal one. Uses the third-party conformance exports in ../shared/conformance.
 */
class OtherSourcesTest {

    @TempDir
    Path tmp;

    static Path conformance(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("conformance").resolve(name);
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        Assumptions.assumeTrue(false, "shared/conformance/" + name + " not found above the working directory;"
                + " skipping the " + name + " export tests");
        return null;
    }

    @Test
    void telegramExportFolderIsRecognisedAndExported() throws Exception {
        Path export = conformance("telegram").resolve("telegram_2020-01");
        Path out = tmp.resolve("tg");
        Cli.Result r = Cli.run("export", export.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        ExportCommandTest.validate(out);
        JsonNode archive = new ObjectMapper().readTree(out.resolve("archive.json").toFile());
        assertEquals("telegram-desktop", archive.at("/sources/0/type").asText());
        // The message count equals the export's own count of messages over its chats.
        JsonNode source = new ObjectMapper().readTree(export.resolve("result.json").toFile());
        long expected = 0;
        for (JsonNode chat : source.at("/chats/list")) {
            expected += chat.path("messages").size();
        }
        for (JsonNode chat : source.at("/left_chats/list")) {
            expected += chat.path("messages").size();
        }
        assertEquals(expected, archive.at("/counts/messages").asLong(), archive.get("counts").toString());

        // Media in the export folder are stored; each stored blob is the bytes of a file of the export.
        assertTrue(archive.at("/counts/attachments.stored").asLong() > 0, archive.get("counts").toString());
        java.util.Set<String> exportHashes = new java.util.HashSet<>();
        try (Stream<Path> files = Files.walk(export)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                exportHashes.add(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        try (Stream<Path> blobs = Files.walk(out.resolve("attachments"))) {
            for (Path b : blobs.filter(Files::isRegularFile).toList()) {
                String name = b.getFileName().toString();
                assertTrue(exportHashes.contains(name.substring(0, name.indexOf('.'))), name);
            }
        }
    }

    @Test
    void whatsappTextIsRecognisedWithOwnerAndZone() throws Exception {
        Path chat = conformance("whatsapp-text").resolve("chat-miner").resolve("test_ddmmyy_24hrs.txt");
        Path out = tmp.resolve("wa");
        Cli.Result r = Cli.run("export", chat.toString(), "--out", out.toString(),
                "--zone", "UTC", "--me", "John Doe", "--title", "Lorem");
        assertEquals(0, r.code(), r.err() + r.out());
        ExportCommandTest.validate(out);
        ArchiveReader reader = ArchiveReader.open(out);
        assertEquals("whatsapp:John Doe", reader.info().ownerId());
        ConversationEntry entry = reader.info().conversations().get(0);
        assertEquals("Lorem", entry.conversation().title());
        try (Stream<Message> s = reader.messages(entry)) {
            List<Message> ms = s.toList();
            Message first = ms.get(0);
            assertEquals(Direction.OUTGOING, first.direction(), "--me makes John Doe's messages outgoing");
            assertEquals(java.time.Instant.parse("2019-01-01T11:25:00Z").toEpochMilli(), first.sentAt());
            assertTrue(ms.stream().anyMatch(m -> m.direction() == Direction.INCOMING));
        }
    }

    @Test
    void signalBackupsAreRecognisedAndExplainWhatIsWrong() throws Exception {
        // A remote (server) backup file cannot be read offline: said plainly, nothing written.
        Path remote = tmp.resolve("backup.bin");
        byte[] head = "SBACKUP\u0001".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(remote, java.util.Arrays.copyOf(head, 4096));
        Cli.Result r = Cli.run("export", remote.toString(), "--out", tmp.resolve("o1").toString());
        assertEquals(ExitCode.SOURCE, r.code(), r.err());
        assertTrue(r.err().contains("offline"), r.err());
        assertFalse(Files.exists(tmp.resolve("o1")));

        // A plaintext export whose main.jsonl is damaged: the line is named.
        Path export = Files.createDirectories(tmp.resolve("signal-export-2026-01-01"));
        Files.writeString(export.resolve("main.jsonl"), "{\"version\":\"1\",\"backupTimeMs\":\"1\"}\n{\"account\": {\n");
        Cli.Result bad = Cli.run("export", export.toString(), "--out", tmp.resolve("o2").toString());
        assertEquals(ExitCode.SOURCE, bad.code(), bad.err());
        assertTrue(bad.err().contains("line 2"), bad.err());
        assertFalse(Files.exists(tmp.resolve("o2")));
    }

    @Test
    void unrecognisedFileAndBadTypeAreExplained() throws Exception {
        Path junk = Files.writeString(tmp.resolve("notes.txt"), "just some notes\nnothing else\n");
        Cli.Result r = Cli.run("export", junk.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(ExitCode.SOURCE, r.code(), r.err());
        assertTrue(r.err().contains("--source-type"), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));

        Cli.Result bad = Cli.run("export", junk.toString(), "--out",
                tmp.resolve("o").toString(), "--source-type", "icq");
        assertEquals(ExitCode.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().contains("signal-desktop|signal-backup|telegram|whatsapp"), bad.err());
    }
}
