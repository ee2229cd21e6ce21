package org.chatarchive.readers.telegram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.RangeStyle;

/** The reader against the third-party Telegram Desktop exports in {@code shared/conformance/telegram}. */
class TelegramConformanceTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> exports() throws Exception {
        return Conformance.all();
    }

    /** All messages of all conversations, by conversation id. */
    static Map<String, List<Message>> read(TelegramExportReader r) throws Exception {
        Map<String, List<Message>> out = new LinkedHashMap<>();
        for (Conversation c : r.conversations()) {
            List<Message> list = new ArrayList<>();
            r.messages(c, list::add);
            out.put(c.id(), list);
        }
        return out;
    }

    static Message find(Map<String, List<Message>> all, String id) {
        return all.values().stream().flatMap(List::stream).filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no message " + id));
    }

    /** The chats of an export as a plain Jackson tree: chats.list + left_chats.list, or the single chat. */
    static List<JsonNode> chatsOf(JsonNode root) {
        List<JsonNode> chats = new ArrayList<>();
        if (root.has("messages")) {
            chats.add(root);
        }
        for (String key : List.of("chats", "left_chats")) {
            root.path(key).path("list").forEach(chats::add);
        }
        return chats;
    }

    @ParameterizedTest
    @MethodSource("exports")
    void countsMatchAPlainTreeRead(Path export) throws Exception {
        JsonNode root = JSON.readTree(export.resolve("result.json").toFile());
        List<JsonNode> chats = chatsOf(root);
        try (TelegramExportReader r = TelegramExportReader.open(export, TelegramExportReader.Options.defaults())) {
            assertEquals(chats.size(), r.conversations().size(), "conversations in " + export.getFileName());
            Map<String, List<Message>> all = read(r);
            for (JsonNode chat : chats) {
                String convId = "telegram-chat:" + chat.get("id").asText();
                assertTrue(all.containsKey(convId), convId);
                List<Message> got = all.get(convId);
                assertEquals(chat.get("messages").size(), got.size(), "messages in " + convId);
                for (int i = 0; i < got.size(); i++) {
                    JsonNode m = chat.get("messages").get(i);
                    Message msg = got.get(i);
                    assertEquals("telegram-msg:" + chat.get("id").asText() + ":" + m.get("id").asText(), msg.id());
                    assertEquals(convId, msg.conversationId());
                    assertNotNull(msg.sentAt(), msg.id());
                    if (m.has("date_unixtime")) {
                        assertEquals(Long.parseLong(m.get("date_unixtime").asText()) * 1000, msg.sentAt(), msg.id());
                    } else {
                        // No zone given: the local date is read as UTC.
                        assertEquals(LocalDateTime.parse(m.get("date").asText()).toInstant(ZoneOffset.UTC)
                                .toEpochMilli(), msg.sentAt(), msg.id());
                    }
                    assertEquals("service".equals(m.get("type").asText()), msg.event() != null, msg.id());
                    assertEntities(m, msg);
                }
            }
            assertEquals("telegram:user11111111", r.ownerId());
            assertEquals(sha256(export.resolve("result.json")), r.info().databaseSha256());
            assertEquals("telegram-desktop", r.info().type());
        }
    }

    /** Every non-plain entity of the JSON shows up as a range or an extra entity over exactly its text. */
    static void assertEntities(JsonNode m, Message msg) {
        JsonNode ents = m.has("text_entities") ? m.get("text_entities") : m.get("text");
        List<String> expected = new ArrayList<>();
        if (ents != null && ents.isArray()) {
            for (JsonNode e : ents) {
                if (e.isObject() && !"plain".equals(e.get("type").asText()) && !e.get("text").asText().isEmpty()) {
                    expected.add(canonical(e.get("type").asText()) + ":" + e.get("text").asText());
                }
            }
        }
        List<String> got = new ArrayList<>();
        String body = msg.body() == null ? "" : msg.body();
        for (BodyRange br : msg.ranges()) {
            got.add(canonical(br.style().name().toLowerCase()) + ":"
                    + body.substring(br.start(), br.start() + br.length()));
        }
        Object extra = msg.extra().get("entities");
        if (extra != null) {
            for (Object o : (List<?>) extra) {
                Map<?, ?> e = (Map<?, ?>) o;
                String type = (String) e.get("type");
                if ("pre".equals(type)) {
                    continue; // also a MONOSPACE range; kept here for its language
                }
                int start = (Integer) e.get("start");
                int length = (Integer) e.get("length");
                got.add(canonical(type) + ":" + body.substring(start, start + length));
            }
        }
        expected.sort(null);
        got.sort(null);
        assertEquals(expected, got, "entities of " + msg.id());
    }

    static String canonical(String type) {
        return switch (type) {
            case "code", "pre", "monospace" -> "mono";
            case "mention_name" -> "mention";
            default -> type;
        };
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    // ------------------------------------------------------------------------------------------ 2020-01

    @Test
    void integerEraFullExportWithMedia() throws Exception {
        Path export = Conformance.export("telegram_2020-01");
        try (TelegramExportReader r = TelegramExportReader.open(export.resolve("result.json"),
                TelegramExportReader.Options.defaults())) {
            Participant owner = r.participants().get(0);
            assertEquals("telegram:user11111111", owner.id());
            assertTrue(owner.owner());
            assertEquals("Aaaaa Aaaaaaaaaaa", owner.displayName());
            assertEquals("+998 91 1234567", owner.phone());
            assertEquals("@frozenspider", owner.username());

            List<Conversation> convs = r.conversations();
            assertEquals(List.of("telegram-chat:8123123123", "telegram-chat:9777777777", "telegram-chat:4321012345",
                    "telegram-chat:9333333333"), convs.stream().map(Conversation::id).toList());
            assertEquals("ppppppp gggggg", convs.get(0).title());
            assertEquals(ConversationKind.GROUP, convs.get(0).kind());
            assertEquals("Vvvvv", convs.get(1).title());
            assertEquals(ConversationKind.DIRECT, convs.get(1).kind());
            assertEquals("telegram:user11111111", convs.get(0).participantIds().get(0));
            assertTrue(convs.get(0).participantIds().containsAll(List.of("telegram:user22222222",
                    "telegram:user44444444", "telegram:user555555555", "telegram:user333333333")));
            // A chat without a name is titled after the other person (here: one without a name either).
            assertEquals("Deleted account (user32507588)", convs.get(2).title());

            Map<String, List<Message>> all = read(r);
            String g = "telegram-msg:8123123123:";
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("UTC was assumed")), r.warnings().toString());
            assertEquals(1, r.warnings().stream().filter(w -> w.contains("UTC was assumed")).count());

            Message hello = find(all, g + "4730");
            assertEquals("telegram:user44444444", hello.senderId());
            assertEquals(Direction.INCOMING, hello.direction());
            assertEquals("Видел)", hello.body());
            assertEquals(LocalDateTime.parse("2016-11-09T00:36:45").toInstant(ZoneOffset.UTC).toEpochMilli(),
                    hello.sentAt());
            assertFalse(hello.extra().containsKey("editedAt"), "1970 placeholder is not an edit");

            Message own = find(all, g + "10415");
            assertEquals(Direction.OUTGOING, own.direction());
            assertEquals("девиз Вольво:\nhttp://cs5.pikabu.ru/post_img/big/2015/12/04/5/1449210847155432089.jpgгыгы",
                    own.body());

            Message styled = find(all, g + "31325");
            String b = styled.body();
            assertTrue(b.endsWith("bold textitalic textstrikethrough text"), b);
            assertEquals(List.of(RangeStyle.MONOSPACE, RangeStyle.BOLD, RangeStyle.ITALIC, RangeStyle.STRIKETHROUGH),
                    styled.ranges().stream().map(BodyRange::style).toList());
            BodyRange bold = styled.ranges().get(1);
            assertEquals("bold text", b.substring(bold.start(), bold.start() + bold.length()));
            BodyRange strike = styled.ranges().get(3);
            assertEquals("strikethrough text", b.substring(strike.start(), strike.start() + strike.length()));

            Message code = find(all, g + "67346");
            BodyRange mono = code.ranges().get(0);
            assertEquals("-a -3", code.body().substring(mono.start(), mono.start() + mono.length()));
            assertEquals(LocalDateTime.parse("2018-11-17T00:58:05").toInstant(ZoneOffset.UTC).toEpochMilli(),
                    code.extra().get("editedAt"));
            List<?> links = (List<?>) code.extra().get("entities");
            Map<?, ?> link = (Map<?, ?>) links.get(0);
            assertEquals("link", link.get("type"));
            int ls = (Integer) link.get("start");
            assertEquals("https://habr.com/post/335436/",
                    code.body().substring(ls, ls + (Integer) link.get("length")));

            Message textLink = find(all, g + "70625");
            assertEquals(RangeStyle.BOLD, textLink.ranges().get(0).style());
            Message href = find(all, g + "78768");
            assertTrue(((List<?>) href.extra().get("entities")).stream().map(e -> (Map<?, ?>) e)
                    .anyMatch(e -> "https://www.urbandictionary.com/define.php?term=Soy%20Boy".equals(e.get("href"))
                            && "мему про Сой-боев".equals(href.body().substring((Integer) e.get("start"),
                            (Integer) e.get("start") + (Integer) e.get("length")))));

            // An @username that is not the owner's cannot be resolved: kept as an extra entity, not a MENTION.
            Message mention = find(all, g + "62613");
            assertTrue(mention.ranges().stream().noneMatch(x -> x.style() == RangeStyle.MENTION));
            assertTrue(((List<?>) mention.extra().get("entities")).stream()
                    .anyMatch(e -> "mention".equals(((Map<?, ?>) e).get("type"))));
            assertEquals("Samarkand & Самарканд", mention.extra().get("forwardedFrom"));

            Message reply = find(all, g + "39740");
            assertEquals(g + "39739", reply.quote().messageId());
            assertEquals("telegram:user555555555", reply.quote().authorId());
            assertEquals("Reply to this!", reply.quote().text());
            assertFalse(reply.quote().referencedMessageNotFound());

            // Media that is in the export folder resolves, and its bytes open.
            Message sticker = find(all, g + "4744");
            assertEquals("😆", sticker.sticker().emoji());
            Attachment stickerImage = sticker.sticker().image();
            assertEquals(AttachmentKind.STICKER, stickerImage.kind());
            assertEquals("chats/chat_01/stickers/sticker.webp", stickerImage.sourceRef());
            assertBytes(r, stickerImage, export.resolve("chats/chat_01/stickers/sticker.webp"));
            assertEquals("chats/chat_01/stickers/sticker.webp_thumb.jpg", sticker.extra().get("thumbnail"));

            Message voice = find(all, g + "10355");
            Attachment v = voice.attachments().get(0);
            assertEquals(AttachmentKind.VOICE_NOTE, v.kind());
            assertEquals("audio/mpeg", v.contentType());
            assertEquals(2000L, v.durationMs());
            assertEquals("test.mp3", v.fileName());
            assertNull(v.availability());
            assertEquals(Files.size(export.resolve("chats/chat_01/voice_messages/test.mp3")), v.size());
            assertBytes(r, v, export.resolve("chats/chat_01/voice_messages/test.mp3"));
            assertEquals("@saytextbot", voice.extra().get("viaBot"));

            Attachment photo = find(all, g + "4725").attachments().get(0);
            assertEquals(AttachmentKind.IMAGE, photo.kind());
            assertEquals(1280, photo.width());
            assertEquals(723, photo.height());
            assertBytes(r, photo, export.resolve("chats/chat_01/group_photo_2.jpg"));

            Attachment gif = find(all, g + "10699").attachments().get(0);
            assertEquals(AttachmentKind.GIF, gif.kind());
            assertEquals(Availability.NOT_DOWNLOADED, gif.availability());
            assertTrue(gif.missingReason().contains("File not included"), gif.missingReason());
            assertNull(gif.sourceRef());
            assertEquals(11000L, gif.durationMs());
            assertEquals(AttachmentKind.VIDEO, find(all, g + "38952").attachments().get(0).kind());

            Message photoCaption = find(all, g + "39125");
            assertEquals("Всех с наступающим!🐶🍾🎄", photoCaption.body());
            assertEquals(Availability.NOT_DOWNLOADED, photoCaption.attachments().get(0).availability());

            Message contact = find(all, g + "74752");
            assertEquals("Vvvvv Vvvvvvvvv", contact.contacts().get(0).displayName());
            assertEquals(List.of("+7 910 041 13 85"), contact.contacts().get(0).phones());
            Message vcard = find(all, g + "129125");
            assertEquals(List.of("+998 90 9222229"), vcard.contacts().get(0).phones());
            assertBytes(r, vcard.attachments().get(0), export.resolve("chats/chat_08/contacts/contact_1.vcard"));

            Message location = find(all, g + "129455");
            Map<?, ?> loc = (Map<?, ?>) location.extra().get("location");
            assertEquals(41.328109, ((Number) loc.get("latitude")).doubleValue(), 1e-9);
            assertEquals(132, ((Number) loc.get("livePeriodSeconds")).intValue());
            assertNotNull(location.extra().get("editedAt"));

            Message poll = find(all, g + "132894");
            assertEquals("Вечерний Мудозвон – это...", poll.poll().question());
            assertEquals(5, poll.poll().options().size());
            assertEquals("Ургант", poll.poll().options().get(2).text());
            assertFalse(poll.poll().ended());
            assertEquals(36084, ((Number) ((Map<?, ?>) poll.extra().get("poll")).get("totalVoters")).intValue());

            // Service messages.
            Message created = find(all, g + "4720");
            assertEquals(Direction.SYSTEM, created.direction());
            assertEquals(EventType.GROUP_CHANGE, created.event().type());
            assertEquals("telegram:user22222222", created.event().actorId());
            assertEquals(List.of("telegram:user22222222", "telegram:user555555555", "telegram:user11111111",
                    "telegram:user44444444"), created.event().targetIds());
            assertTrue(created.event().text().startsWith("Wwwwww Www created the group \"ppppppp gggggg\""));
            Message groupPhoto = find(all, g + "4721");
            assertEquals(EventType.GROUP_CHANGE, groupPhoto.event().type());
            assertBytes(r, groupPhoto.attachments().get(0), export.resolve("chats/chat_01/group_photo_1.jpg"));
            assertEquals("Ddddddd Uuuuuuuu left the group.", find(all, g + "4722").event().text());
            Message pin = find(all, g + "4740");
            assertEquals(EventType.PIN, pin.event().type());
            assertEquals(g + "4723", pin.event().details().get("pinnedMessageId"));
            assertEquals(EventType.GROUP_CHANGE, find(all, g + "4756").event().type());
            assertEquals(List.of("telegram:user777777777"), find(all, g + "4756").event().targetIds());

            String d = "telegram-msg:9777777777:";
            Message missed = find(all, d + "40149");
            assertEquals(EventType.CALL, missed.event().type());
            assertEquals("missed", missed.event().call().status());
            assertEquals(Direction.INCOMING, missed.event().call().direction());
            assertNull(missed.event().call().durationMs());
            Message call = find(all, d + "40163");
            assertEquals(77_000L, call.event().call().durationMs());
            assertEquals("hangup", call.event().call().status());
            assertEquals("Call from Vvvvv Vvvvvvvvv (1 min 17 s).", call.event().text());
            assertEquals(Availability.NOT_DOWNLOADED, find(all, d + "124030").attachments().get(0).availability());
            assertEquals(AttachmentKind.FILE, find(all, d + "124030").attachments().get(0).kind());
            // A sticker in another chat's media folder.
            assertBytes(r, find(all, d + "124133").sticker().image(),
                    export.resolve("chats/chat_02/stickers/sticker (8).webp"));

            assertEquals(EventType.OTHER, find(all, "telegram-msg:9333333333:91190").event().type());

            // Equal timestamps keep file order.
            assertEquals(List.of("Message from null-names contact", "These messages...",
                    "...have the same timestamp...", "...but different IDs...",
                    "...and we expect order to be preserved."),
                    all.get("telegram-chat:4321012345").stream().map(Message::body).toList());
        }
    }

    static void assertBytes(TelegramExportReader r, Attachment a, Path expected) throws Exception {
        try (InputStream in = r.openAttachment(a)) {
            assertArrayEquals(Files.readAllBytes(expected), in.readAllBytes(), a.sourceRef());
        }
    }

    @Test
    void localZoneOptionShiftsLocalDates() throws Exception {
        Path export = Conformance.export("telegram_2020-01");
        try (TelegramExportReader r = TelegramExportReader.open(export,
                new TelegramExportReader.Options(java.time.ZoneId.of("Asia/Tashkent")))) {
            List<Message> msgs = new ArrayList<>();
            r.messages(r.conversations().get(0), msgs::add);
            assertEquals(LocalDateTime.parse("2016-11-09T00:26:24").toInstant(ZoneOffset.ofHours(5)).toEpochMilli(),
                    msgs.get(0).sentAt());
            assertTrue(r.warnings().stream().noneMatch(w -> w.contains("UTC was assumed")));
        }
    }

    @Test
    void mediaAbsentFromTheFolderGetsAReason(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path export = Conformance.export("telegram_2020-01");
        Files.copy(export.resolve("result.json"), tmp.resolve("result.json"));
        try (TelegramExportReader r = TelegramExportReader.open(tmp, TelegramExportReader.Options.defaults())) {
            Map<String, List<Message>> all = read(r);
            Attachment voice = find(all, "telegram-msg:8123123123:10355").attachments().get(0);
            assertEquals(Availability.FILE_MISSING, voice.availability());
            assertTrue(voice.missingReason().contains("chats/chat_01/voice_messages/test.mp3"), voice.missingReason());
            assertNull(voice.sourceRef());
        }
    }

    // ------------------------------------------------------------------------------------------ string-id era

    @Test
    void stringIdEra2021() throws Exception {
        try (TelegramExportReader r = TelegramExportReader.open(Conformance.export("telegram_2021-05"),
                TelegramExportReader.Options.defaults())) {
            Map<String, List<Message>> all = read(r);
            Message hello = find(all, "telegram-msg:123123123:4730");
            assertEquals("telegram:user44444444", hello.senderId());
            assertEquals("Hello there!", hello.body());
            Message migrated = find(all, "telegram-msg:123123123:4721");
            assertEquals(EventType.GROUP_CHANGE, migrated.event().type());
            assertEquals("telegram:channel8112233", migrated.event().actorId());
            assertTrue(r.participants().stream().anyMatch(p -> p.id().equals("telegram:channel8112233")
                    && p.displayName().equals("My Old Group")));
        }
    }

    @Test
    void textEntities2023() throws Exception {
        try (TelegramExportReader r = TelegramExportReader.open(Conformance.export("telegram_2023-01"),
                TelegramExportReader.Options.defaults())) {
            Map<String, List<Message>> all = read(r);
            Message m = find(all, "telegram-msg:123123123:111111");
            assertEquals("this contains a lot of stuff: 😁http://mylink.org/HIDE ME", m.body());
            assertEquals(1_479_387_460_000L, m.sentAt());
            BodyRange spoiler = m.ranges().get(0);
            assertEquals(RangeStyle.SPOILER, spoiler.style());
            assertEquals("HIDE ME", m.body().substring(spoiler.start(), spoiler.start() + spoiler.length()));
            Map<?, ?> emoji = (Map<?, ?>) ((List<?>) m.extra().get("entities")).get(0);
            assertEquals("custom_emoji", emoji.get("type"));
            assertEquals(30, emoji.get("start"));
            assertEquals(2, emoji.get("length")); // one emoji, two UTF-16 code units
            assertEquals("chats/chat_004/stickers/sticker (62).webp", emoji.get("documentId"));
            Message invite = find(all, "telegram-msg:123123123:111112");
            assertEquals(EventType.GROUP_CHANGE, invite.event().type());
            assertEquals("Aaaaa Aaaaaaaaaaa added someone.", invite.event().text());
            Message suggest = find(all, "telegram-msg:123123123:111114");
            assertEquals(Availability.NOT_DOWNLOADED, suggest.attachments().get(0).availability());
            assertTrue(r.warnings().stream().noneMatch(w -> w.contains("UTC was assumed")), r.warnings().toString());
        }
    }

    @Test
    void blockquote2023() throws Exception {
        try (TelegramExportReader r = TelegramExportReader.open(Conformance.export("telegram_2023-11"),
                TelegramExportReader.Options.defaults())) {
            Message m = read(r).get("telegram-chat:123123123").get(0);
            assertEquals("This has blockquote!My blockquote text", m.body());
            assertEquals(Direction.OUTGOING, m.direction());
            Map<?, ?> quote = (Map<?, ?>) ((List<?>) m.extra().get("entities")).get(0);
            assertEquals("blockquote", quote.get("type"));
            assertEquals(20, quote.get("start"));
            assertEquals(18, quote.get("length"));
        }
    }

    @Test
    void crossChatReplyAndTimer2024() throws Exception {
        try (TelegramExportReader r = TelegramExportReader.open(Conformance.export("telegram_2024-01"),
                TelegramExportReader.Options.defaults())) {
            List<Message> msgs = read(r).get("telegram-chat:123123123");
            Message reply = msgs.get(0);
            assertNull(reply.quote().messageId());
            assertTrue(reply.quote().referencedMessageNotFound());
            Map<?, ?> to = (Map<?, ?>) reply.extra().get("replyTo");
            assertEquals(1234567L, ((Number) to.get("messageId")).longValue());
            assertEquals("channel9876543210", to.get("peerId"));
            Message ttl = msgs.get(1);
            assertEquals(EventType.TIMER_CHANGE, ttl.event().type());
            assertEquals(2_678_400, ttl.event().timerSeconds());
            assertEquals("Aaaaa Aaaaaaaaaaa set messages to auto-delete after 31 days.", ttl.event().text());
        }
    }
}
