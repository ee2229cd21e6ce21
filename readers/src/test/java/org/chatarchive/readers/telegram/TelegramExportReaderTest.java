package org.chatarchive.readers.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.BodyRange;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Message;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.source.SourceException;

/** The Telegram reader on small hand-written exports: single-chat layout, reactions, unknown fields, bad input. */
class TelegramExportReaderTest {

    @TempDir
    Path tmp;

    static final String SINGLE_CHAT = """
            {
             "name": "Bob",
             "type": "personal_chat",
             "id": 4242,
             "messages": [
              {
               "id": 1,
               "type": "message",
               "date": "2024-10-01T12:00:00",
               "date_unixtime": "1727784000",
               "from": "Bob Б",
               "from_id": "user4242",
               "text": [{"type": "mention_name", "text": "Al 🙂", "user_id": 7}, " hi ", {"type": "bold", "text": "you"}],
               "text_entities": [{"type": "mention_name", "text": "Al 🙂", "user_id": 7},
                                 {"type": "plain", "text": " hi "}, {"type": "bold", "text": "you"}],
               "shiny_new_field": {"a": 1},
               "reactions": [
                {"type": "emoji", "count": 2, "emoji": "👍",
                 "recent": [{"from": "Al", "from_id": "user7", "date": "2024-10-01T12:01:00"}]},
                {"type": "custom_emoji", "count": 1, "document_id": "chats/chat_1/stickers/x.webp", "recent": []}
               ]
              },
              {
               "id": 2,
               "type": "message",
               "date": "2024-10-01T12:02:00",
               "date_unixtime": "1727784120",
               "edited": "2024-10-01T12:03:00",
               "edited_unixtime": "1727784180",
               "from": "Al",
               "from_id": "user7",
               "reply_to_message_id": 1,
               "shiny_new_field": 2,
               "text": "ok"
              }
             ]
            }
            """;

    Path write(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void singleChatExportWithReactionsMentionsAndAnUnknownField() throws Exception {
        Path file = write("result.json", SINGLE_CHAT);
        assertTrue(TelegramExportReader.looksLike(tmp));
        assertTrue(TelegramExportReader.looksLike(file));
        try (TelegramExportReader r = TelegramExportReader.open(file, TelegramExportReader.Options.defaults())) {
            assertNull(r.ownerId());
            assertEquals(1, r.conversations().size());
            Conversation c = r.conversations().get(0);
            assertEquals("telegram-chat:4242", c.id());
            assertEquals("Bob", c.title());
            assertEquals(ConversationKind.DIRECT, c.kind());
            assertEquals(List.of("telegram:user4242", "telegram:user7"), c.participantIds());
            List<Message> msgs = new ArrayList<>();
            r.messages(c, msgs::add);
            assertEquals(2, msgs.size());

            Message first = msgs.get(0);
            assertEquals("Al 🙂 hi you", first.body());
            assertEquals(1_727_784_000_000L, first.sentAt());
            BodyRange mention = first.ranges().get(0);
            assertEquals(new BodyRange(0, 5, RangeStyle.MENTION, "telegram:user7"), mention);
            BodyRange bold = first.ranges().get(1);
            assertEquals("you", first.body().substring(bold.start(), bold.start() + bold.length()));
            assertEquals(List.of(new Reaction("telegram:user7", "👍",
                    java.time.LocalDateTime.parse("2024-10-01T12:01:00").toInstant(java.time.ZoneOffset.UTC)
                            .toEpochMilli())), first.reactions());
            List<?> counts = (List<?>) first.extra().get("reactionCounts");
            assertEquals(2, counts.size());
            assertEquals(2L, ((Map<?, ?>) counts.get(0)).get("count"));
            assertEquals(Map.of("a", 1), first.extra().get("shiny_new_field"));

            Message second = msgs.get(1);
            assertEquals("telegram-msg:4242:1", second.quote().messageId());
            assertEquals("Al 🙂 hi you", second.quote().text());
            assertEquals("telegram:user4242", second.quote().authorId());
            assertEquals(1_727_784_180_000L, second.extra().get("editedAt"));
            assertEquals(2, second.extra().get("shiny_new_field"));

            List<String> unknown = r.warnings().stream().filter(w -> w.contains("shiny_new_field")).toList();
            assertEquals(1, unknown.size(), r.warnings().toString());
            // The reaction's local date is read as UTC, and said once.
            assertEquals(1, r.warnings().stream().filter(w -> w.contains("UTC was assumed")).count());
        }
    }

    @Test
    void byteOrderMarkDoesNotShiftTheMessageOffsets() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = SINGLE_CHAT.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        Path file = tmp.resolve("result.json");
        Files.write(file, all);
        try (TelegramExportReader r = TelegramExportReader.open(tmp, TelegramExportReader.Options.defaults())) {
            List<Message> msgs = new ArrayList<>();
            r.messages(r.conversations().get(0), msgs::add);
            assertEquals(2, msgs.size());
        }
    }

    @Test
    void truncatedExportIsCorruptWithALocation() throws Exception {
        String truncated = SINGLE_CHAT.substring(0, SINGLE_CHAT.indexOf("\"reply_to_message_id\""));
        Path file = write("result.json", truncated);
        SourceException e = assertThrows(SourceException.class,
                () -> TelegramExportReader.open(file, TelegramExportReader.Options.defaults()));
        assertEquals(SourceException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("result.json"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*line \\d+, column \\d+.*"), e.getMessage());
    }

    @Test
    void truncatedConformanceExportIsCorrupt() throws Exception {
        Path export = Conformance.export("telegram_2020-01");
        byte[] bytes = Files.readAllBytes(export.resolve("result.json"));
        Path file = tmp.resolve("result.json");
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        SourceException e = assertThrows(SourceException.class,
                () -> TelegramExportReader.open(tmp, TelegramExportReader.Options.defaults()));
        assertEquals(SourceException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("line "), e.getMessage());
    }

    @Test
    void malformedJsonInsideAMessageIsCorrupt() throws Exception {
        Path file = write("result.json", SINGLE_CHAT.replace("\"text\": \"ok\"", "\"text\": ok"));
        SourceException e = assertThrows(SourceException.class,
                () -> TelegramExportReader.open(file, TelegramExportReader.Options.defaults()));
        assertEquals(SourceException.Kind.CORRUPT, e.kind());
        int line = SINGLE_CHAT.substring(0, SINGLE_CHAT.indexOf("\"text\": \"ok\"")).split("\n", -1).length;
        assertTrue(e.getMessage().contains("line " + line + ","), e.getMessage());
    }

    @Test
    void otherJsonIsNotASource() throws Exception {
        Path file = write("other.json", "{\"version\": 1, \"items\": [1, 2, 3]}");
        assertFalse(TelegramExportReader.looksLike(file));
        SourceException e = assertThrows(SourceException.class,
                () -> TelegramExportReader.open(file, TelegramExportReader.Options.defaults()));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, e.kind());
        assertTrue(e.getMessage().contains("\"chats\""), e.getMessage());

        Path array = write("array.json", "[1, 2]");
        assertEquals(SourceException.Kind.NOT_A_SOURCE, assertThrows(SourceException.class,
                () -> TelegramExportReader.open(array, TelegramExportReader.Options.defaults())).kind());
        Path text = write("notes.json", "hello, world");
        assertEquals(SourceException.Kind.NOT_A_SOURCE, assertThrows(SourceException.class,
                () -> TelegramExportReader.open(text, TelegramExportReader.Options.defaults())).kind());
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertFalse(TelegramExportReader.looksLike(empty));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, assertThrows(SourceException.class,
                () -> TelegramExportReader.open(empty, TelegramExportReader.Options.defaults())).kind());
    }

    @Test
    void leftChatsAndSavedMessagesAreListed() throws Exception {
        Path file = write("result.json", """
                {"personal_information": {"user_id": 5, "first_name": "Me", "username": "me_here"},
                 "chats": {"about": "x", "list": [
                   {"type": "saved_messages", "id": 5, "messages": [
                     {"id": 1, "type": "message", "date": "2023-01-01T00:00:00", "date_unixtime": "1672531200",
                      "from": "Me", "from_id": "user5", "text": [{"type": "mention", "text": "@me_here"}],
                      "text_entities": [{"type": "mention", "text": "@me_here"}]}]}]},
                 "left_chats": {"about": "y", "list": [
                   {"name": "Old", "type": "private_supergroup", "id": 9, "messages": []}]}}
                """);
        try (TelegramExportReader r = TelegramExportReader.open(file, TelegramExportReader.Options.defaults())) {
            assertEquals("telegram:user5", r.ownerId());
            List<Conversation> cs = r.conversations();
            assertEquals(2, cs.size());
            assertEquals(ConversationKind.NOTE_TO_SELF, cs.get(0).kind());
            assertEquals("Saved Messages", cs.get(0).title());
            assertEquals(true, cs.get(1).extra().get("left"));
            List<Message> msgs = new ArrayList<>();
            r.messages(cs.get(0), msgs::add);
            // An @username that is the owner's resolves to a mention.
            assertEquals(List.of(new BodyRange(0, 8, RangeStyle.MENTION, "telegram:user5")), msgs.get(0).ranges());
            msgs.clear();
            r.messages(cs.get(1), msgs::add);
            assertTrue(msgs.isEmpty());
        }
    }
}
