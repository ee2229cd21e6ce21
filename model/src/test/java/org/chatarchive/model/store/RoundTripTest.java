package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;

class RoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void everyRecordAndFieldSurvivesWriteAndRead() throws Exception {
        Path out = tmp.resolve("archive");
        CommittedArchive committed = RichModel.write(out, WriteOptions.defaults());

        ArchiveReader reader = ArchiveReader.open(out);
        ArchiveInfo info = reader.info();
        assertEquals(committed.info(), info);
        assertEquals(ArchiveInfo.FORMAT_VERSION, info.formatVersion());
        ArchiveHeader h = RichModel.header();
        assertEquals(h.generator(), info.generator());
        assertEquals(h.sources(), info.sources());
        assertEquals(h.ownerId(), info.ownerId());
        assertEquals(h.selection(), info.selection());
        assertEquals(h.extra(), info.extra());
        assertEquals(Map.of("attachmentFiles", 2, "attachments", 3, "conversations", 3, "excluded.filtered", 4,
                "messages", 8), info.counts());
        assertEquals(RichModel.participants(), reader.participants());

        List<ConversationEntry> entries = info.conversations();
        assertEquals(RichModel.conversations(false), entries.stream().map(ConversationEntry::conversation).toList());
        StoredFile photo = RichModel.stored(RichModel.PHOTO, "jpg");
        StoredFile pdf = RichModel.stored(RichModel.PDF, "pdf");
        for (ConversationEntry e : entries) {
            List<Message> expected = RichModel.messages(e.conversation().id(), photo, pdf, false);
            List<Message> read;
            try (Stream<Message> messages = reader.messages(e)) {
                read = messages.toList();
            }
            assertEquals(expected, read, e.conversation().id());
            assertEquals(expected.size(), e.messageCount());
            assertEquals(ArchiveLayout.messagesFile(e.conversation().id()), e.messagesFile());
            if (expected.isEmpty()) {
                assertNull(e.firstAt());
                assertNull(e.lastAt());
            } else {
                assertEquals(expected.get(0).timelineAt(), e.firstAt());
                assertEquals(expected.get(expected.size() - 1).timelineAt(), e.lastAt());
            }
        }
        assertTrue(reader.dropped().isEmpty(), reader.dropped().toString());
        assertEquals(ArchiveWriter.archiveJsonSha256(out), committed.archiveJsonSha256());
        assertEquals(ArchiveLayout.sha256Hex(Files.readAllBytes(out.resolve("archive.json"))), committed.archiveJsonSha256());
    }

    @Test
    void canonicalFormOmitsDefaultsAndKeepsMeaningfulFalse() throws Exception {
        Path out = tmp.resolve("archive");
        RichModel.write(out, WriteOptions.defaults());
        String direct = Files.readString(out.resolve(ArchiveLayout.messagesFile(RichModel.DIRECT)), StandardCharsets.UTF_8);
        String[] lines = direct.split("\n", -1);
        assertEquals(4, lines.length, "three lines, each ending in \\n");
        assertEquals("", lines[3]);
        // Property order is record component order.
        assertTrue(lines[0].startsWith("{\"id\":\"signal-msg:m1\",\"conversationId\":"), lines[0]);
        // read=false is kept (it means unread), viewOnce=false is omitted, sourceRef is never written.
        assertTrue(lines[0].contains("\"flags\":{\"expireTimerSeconds\":86400,\"expirationStartAt\":1700000000600,\"read\":false}"), lines[0]);
        assertFalse(direct.contains("sourceRef"));
        assertFalse(direct.contains("attachments.db"));
        assertEquals(1, direct.split(":null", -1).length - 1, "nulls are omitted, except the one inside an extra map");
        // Map keys sorted at every depth; a null inside extra is kept.
        assertTrue(lines[0].contains("\"extra\":{\"signal.nested\":{\"a\":3000000000,\"nothing\":null,\"pi\":3.25,"
                + "\"z\":[1,2,{\"alpha\":false,\"deep\":\"yes\"}]},\"signal.source\":\"desktop\",\"signal.unidentifiedDelivery\":true}"), lines[0]);
        // Non-ASCII is written as UTF-8, control characters escaped, U+2028 kept raw inside the line.
        assertTrue(lines[0].contains("\ud83d\udc4d emoji \\\"quoted\\\"\\nline two\\ttab \u2028 sep"), lines[0]);
        // MessageFlags.NONE and empty lists are omitted entirely.
        String group = Files.readString(out.resolve(ArchiveLayout.messagesFile(RichModel.GROUP)), StandardCharsets.UTF_8);
        assertFalse(group.contains("\"flags\""));
        assertFalse(group.contains("[]"));
        assertTrue(group.contains("{\"text\":\"Sushi\"}"), group);
        assertTrue(group.contains("\"body\":\"\""), "an empty body is not a missing body");
        assertTrue(group.contains("\"timerSeconds\":0"));

        String archiveJson = Files.readString(out.resolve("archive.json"), StandardCharsets.UTF_8);
        assertTrue(archiveJson.startsWith("{\n  \"formatVersion\": 1,\n  \"generator\": \"chat-archive 0.1.0-test\",\n"), archiveJson);
        assertTrue(archiveJson.endsWith("}\n"));
        assertFalse(archiveJson.contains("\r"));
        String participants = Files.readString(out.resolve("participants.json"), StandardCharsets.UTF_8);
        assertTrue(participants.startsWith("{\n  \"formatVersion\": 1,\n  \"participants\": [\n    {\n      \"id\": "), participants);
    }
}
