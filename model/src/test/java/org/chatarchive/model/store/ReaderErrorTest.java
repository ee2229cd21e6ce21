package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.SystemEvent;

class ReaderErrorTest {

    @TempDir
    Path tmp;

    private Path writeSmall(int messages) throws Exception {
        Path out = tmp.resolve("a");
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            try (ConversationWriter cw = w.beginConversation(StoreTest.conversation("signal-conv:x"))) {
                for (int i = 1; i <= messages; i++) {
                    cw.write(Message.text("signal-msg:" + i, "signal-conv:x", "signal:a", Direction.INCOMING, (long) i, null, "m" + i));
                }
                cw.finish();
            }
            w.commit(StoreTest.header());
        }
        Schemas.validateArchive(out);
        return out;
    }

    private static List<Message> readAll(ArchiveReader r) throws Exception {
        ConversationEntry e = r.info().conversations().get(0);
        try (Stream<Message> s = r.messages(e)) {
            return s.toList();
        }
    }

    @Test
    void malformedLineNamesFileAndLine() throws Exception {
        Path out = writeSmall(5);
        Path file = out.resolve(ArchiveLayout.messagesFile("signal-conv:x"));
        List<String> lines = Files.readAllLines(file);
        lines.set(2, lines.get(2).substring(0, 20));
        Files.write(file, lines);
        ArchiveReader r = ArchiveReader.open(out);
        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> readAll(r));
        assertEquals(ArchiveLayout.messagesFile("signal-conv:x"), e.file());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(ArchiveLayout.messagesFile("signal-conv:x") + " line 3: "), e.getMessage());

        lines.set(2, "{\"id\":\"signal-msg:3\",\"conversationId\":\"signal-conv:x\",\"direction\":\"INCOMING\",\"sentAt\":\"soon\"}");
        Files.write(file, lines);
        e = assertThrows(ArchiveFormatException.class, () -> readAll(r));
        assertEquals(3, e.line());

        lines.set(2, "{\"id\":\"signal-msg:3\",\"conversationId\":\"signal-conv:y\",\"direction\":\"INCOMING\"}");
        Files.write(file, lines);
        e = assertThrows(ArchiveFormatException.class, () -> readAll(r));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("another conversation"), e.getMessage());

        lines.set(2, lines.get(2).replace("signal-conv:y", "signal-conv:x"));
        Files.write(file, lines.subList(0, 4));
        e = assertThrows(ArchiveFormatException.class, () -> readAll(ArchiveReader.open(out)));
        assertTrue(e.getMessage().contains("holds 4 messages but archive.json says 5"), e.getMessage());

        Files.write(file, new byte[] {'{', (byte) 0xC3, '}', '\n'});
        e = assertThrows(ArchiveFormatException.class, () -> readAll(ArchiveReader.open(out)));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void newerMajorVersionIsRefusedClearly() throws Exception {
        Path out = writeSmall(1);
        Path json = out.resolve("archive.json");
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\": 1,", "\"formatVersion\": 2,"));
        UnsupportedFormatVersionException e = assertThrows(UnsupportedFormatVersionException.class,
                () -> ArchiveReader.open(out));
        assertEquals(2, e.found());
        assertEquals(1, e.supported());
        assertEquals("archive.json: archive format version 2 is newer than this program reads (version 1); "
                + "update chat-archive to read it", e.getMessage());
    }

    @Test
    void notAnArchive() throws Exception {
        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> ArchiveReader.open(tmp));
        assertTrue(e.getMessage().contains("archive.json: is missing"), e.getMessage());
        Files.writeString(tmp.resolve("archive.json"), "{\"hello\":1}");
        e = assertThrows(ArchiveFormatException.class, () -> ArchiveReader.open(tmp));
        assertTrue(e.getMessage().contains("no formatVersion"), e.getMessage());
        Files.writeString(tmp.resolve("archive.json"), "{\"formatVersion\":1,");
        e = assertThrows(ArchiveFormatException.class, () -> ArchiveReader.open(tmp));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void messagesFileOutsideTheLayoutIsRefused() throws Exception {
        Path out = writeSmall(1);
        Path json = out.resolve("archive.json");
        String text = Files.readString(json);
        Files.writeString(json, text.replace(ArchiveLayout.messagesFile("signal-conv:x"), "../../../etc/passwd"));
        ArchiveFormatException e = assertThrows(ArchiveFormatException.class, () -> ArchiveReader.open(out));
        assertTrue(e.getMessage().contains("messagesFile"), e.getMessage());
    }

    @Test
    void newerMinorRevisionIsReadAndWhatWasDroppedIsReported() throws Exception {
        Path out = writeSmall(2);
        Path json = out.resolve("archive.json");
        Files.writeString(json, Files.readString(json).replace("\"formatVersion\": 1,",
                "\"formatVersion\": 1,\n  \"futureTop\": {\"a\": [1, 2]},"));
        Path file = out.resolve(ArchiveLayout.messagesFile("signal-conv:x"));
        List<String> lines = Files.readAllLines(file);
        lines.set(0, lines.get(0).replace("\"direction\"", "\"mood\":{\"x\":1},\"direction\""));
        lines.set(1, lines.get(1).replace("\"direction\":\"INCOMING\"", "\"direction\":\"TELEPATHIC\""));
        Files.write(file, lines);
        ArchiveReader r = ArchiveReader.open(out);
        List<Message> read = readAll(r);
        assertEquals(2, read.size());
        assertEquals("m1", read.get(0).body());
        assertEquals(null, read.get(1).direction());
        assertEquals(Set.of("ArchiveInfo.futureTop", "Message.mood", "Direction=TELEPATHIC"), r.dropped());
    }

    @Test
    void awkwardTextSurvives() throws Exception {
        String lone = "broken \ud83d surrogate, nul \u0000, bell \u0007, bidi \u202e, bom \ufeff, emoji \ud83e\udd73";
        Path out = tmp.resolve("a");
        Message m = new Message("signal-msg:1", "signal-conv:x", null, Direction.SYSTEM, 1L, null, null, lone,
                null, null, null, null, null, null, null, null, null, null, null,
                new SystemEvent(EventType.OTHER, null, null, lone, null, null, java.util.Map.of(lone, lone)), null);
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            try (ConversationWriter cw = w.beginConversation(StoreTest.conversation("signal-conv:x"))) {
                cw.write(m);
                cw.finish();
            }
            w.commit(StoreTest.header());
        }
        byte[] bytes = Files.readAllBytes(out.resolve(ArchiveLayout.messagesFile("signal-conv:x")));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.contains("emoji \ud83e\udd73"), "emoji as UTF-8: " + text);
        assertTrue(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)) != null, "valid UTF-8");
        assertEquals(List.of(m), readAll(ArchiveReader.open(out)));
        Schemas.validateArchive(out);
    }
}
