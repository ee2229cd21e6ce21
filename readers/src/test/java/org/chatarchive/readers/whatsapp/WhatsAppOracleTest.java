package org.chatarchive.readers.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.NodeTool;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;

/**
 * Generated chats in many header styles, read by this reader and by whatsapp-chat-parser 4.0.2 (an independent
 * implementation, run through {@code test-fixtures/node/whatsapp-oracle.mjs}); instants, authors and texts must
 * agree, and both must agree with what the generator wrote.
 *
 * <p>Known differences, kept out of the generated chats: the oracle takes a continuation line that starts with a
 * date and time in another shape (e.g. {@code 2016-04-29 10:30:00 was ...} inside a {@code dd/mm/yy} chat) for a new
 * system message, where this reader only accepts headers of the file's own shape; and the oracle keeps bidi marks in
 * system text, which this reader strips (the comparison strips them too); and the oracle keeps the file's final
 * line break at the end of the last message, which this reader drops (the comparison drops it too).
 */
class WhatsAppOracleTest {

    static final String[] AUTHORS = {"Alice", "Zoë Ünal", "Иван Петров", "李雷", "José 🎉", "+49 151 2345678",
            "Ana María", "O'Brien"};
    static final String[] WORDS = {"hello", "ça", "va", "🙂", "see", "you", "at", "8", "tomorrow", "Straße", "ok",
            "note: this", "what?", "привет", "東京", "1/2", "12:30", "—", "yes!", "a - b"};
    static final String[] SYSTEM = {"Messages and calls are end-to-end encrypted. No one outside of this chat, not"
            + " even WhatsApp, can read or listen to them.", "Alice added Иван Петров", "You changed the group"
            + " description", "Zoë Ünal left"};

    /** One header style. */
    record Style(String order, boolean fourDigitYear, char sep, boolean pad, boolean twelve, String ampm,
                 boolean narrowSpace, boolean seconds, boolean ios) {

        String header(LocalDateTime t) {
            String d = pad ? String.format("%02d", t.getDayOfMonth()) : String.valueOf(t.getDayOfMonth());
            String m = pad ? String.format("%02d", t.getMonthValue()) : String.valueOf(t.getMonthValue());
            String y = fourDigitYear ? String.valueOf(t.getYear()) : String.format("%02d", t.getYear() % 100);
            String date = switch (order) {
                case "DMY" -> d + sep + m + sep + y;
                case "MDY" -> m + sep + d + sep + y;
                default -> y + sep + m + sep + d;
            };
            int h = t.getHour();
            String time;
            if (twelve) {
                int h12 = h % 12 == 0 ? 12 : h % 12;
                boolean pm = h >= 12;
                String mark = pm ? ampm.replace('a', 'p').replace('A', 'P') : ampm;
                time = h12 + ":" + String.format("%02d", t.getMinute())
                        + (seconds ? ":" + String.format("%02d", t.getSecond()) : "")
                        + (narrowSpace ? "\u202F" : " ") + mark;
            } else {
                time = (pad ? String.format("%02d", h) : String.valueOf(h)) + ":" + String.format("%02d", t.getMinute())
                        + (seconds ? ":" + String.format("%02d", t.getSecond()) : "");
            }
            return ios ? "[" + date + ", " + time + "] " : date + ", " + time + " - ";
        }
    }

    /** What the generator wrote for one message. */
    record Expected(LocalDateTime at, String author, String text) {
    }

    static Style style(Random r) {
        String order = new String[] {"DMY", "MDY", "YMD"}[r.nextInt(3)];
        boolean four = order.equals("YMD") || r.nextBoolean();
        boolean twelve = r.nextBoolean();
        boolean ios = r.nextBoolean();
        return new Style(order, four, "/.-".charAt(r.nextInt(3)), r.nextBoolean(), twelve,
                new String[] {"AM", "am", "a. m.", "a.m."}[r.nextInt(4)], twelve && r.nextBoolean(),
                ios || r.nextInt(4) == 0, ios);
    }

    static List<Expected> chat(Random r, Style s, StringBuilder out) {
        List<Expected> want = new ArrayList<>();
        // The first day is above 12 so that the day/month order is decidable, as in any chat longer than 12 days.
        LocalDateTime t = LocalDateTime.of(2015 + r.nextInt(10), 1 + r.nextInt(12), 13 + r.nextInt(16),
                r.nextInt(24), r.nextInt(60), s.seconds() ? r.nextInt(60) : 0);
        int n = 20 + r.nextInt(60);
        for (int i = 0; i < n; i++) {
            t = t.plusMinutes(r.nextInt(3000)).withSecond(s.seconds() ? r.nextInt(60) : 0);
            if (r.nextInt(12) == 0) {
                String sys = SYSTEM[r.nextInt(SYSTEM.length)];
                out.append(s.ios() && r.nextBoolean() ? "\u200E" : "").append(s.header(t)).append(sys).append('\n');
                want.add(new Expected(t, null, sys));
                continue;
            }
            String author = AUTHORS[r.nextInt(AUTHORS.length)];
            StringBuilder text = new StringBuilder();
            int lines = r.nextInt(6) == 0 ? 2 + r.nextInt(3) : 1;
            for (int l = 0; l < lines; l++) {
                if (l > 0) {
                    text.append('\n');
                }
                int words = 1 + r.nextInt(8);
                for (int w = 0; w < words; w++) {
                    text.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
                }
            }
            out.append(s.header(t)).append(author).append(": ").append(text).append('\n');
            want.add(new Expected(t, author, text.toString()));
        }
        return want;
    }

    @Test
    void generatedChatsAgreeWithTheOracle(@TempDir Path tmp) throws Exception {
        Random r = new Random(20240611L);
        int chats = 96;
        List<Path> files = new ArrayList<>();
        List<List<Expected>> expected = new ArrayList<>();
        List<Style> styles = new ArrayList<>();
        for (int c = 0; c < chats; c++) {
            Style s = style(r);
            StringBuilder sb = new StringBuilder();
            expected.add(chat(r, s, sb));
            Path f = tmp.resolve(String.format("chat-%03d.txt", c));
            Files.writeString(f, sb, StandardCharsets.UTF_8);
            files.add(f);
            styles.add(s);
        }
        List<String> args = files.stream().map(Path::toString).toList();
        JsonNode oracle = new ObjectMapper().readTree(NodeTool.run("whatsapp-oracle.mjs", args));

        int compared = 0;
        for (int c = 0; c < chats; c++) {
            Path f = files.get(c);
            String where = f.getFileName() + " " + styles.get(c);
            JsonNode theirs = oracle.get(f.toString());
            List<Message> ours = new ArrayList<>();
            try (WhatsAppExportReader reader = WhatsAppExportReader.open(f,
                    new WhatsAppExportReader.Options(ZoneOffset.UTC, null, null))) {
                reader.messages(reader.conversations().get(0), ours::add);
                assertTrue(reader.warnings().isEmpty(), where + ": " + reader.warnings());
            }
            List<Expected> want = expected.get(c);
            assertEquals(want.size(), ours.size(), "our count, " + where);
            assertEquals(want.size(), theirs.size(), "oracle count, " + where);
            for (int i = 0; i < want.size(); i++) {
                Expected w = want.get(i);
                Message m = ours.get(i);
                JsonNode o = theirs.get(i);
                String at = where + " #" + i;
                long instant = w.at().toInstant(ZoneOffset.UTC).toEpochMilli();
                assertEquals(instant, Instant.parse(o.get("date").asText()).toEpochMilli(), "oracle instant " + at);
                assertEquals(instant, m.sentAt(), "our instant " + at);
                if (w.author() == null) {
                    assertTrue(o.get("author").isNull(), "oracle system " + at);
                    assertEquals(Direction.SYSTEM, m.direction(), "our system " + at);
                    assertEquals(w.text(), stripBidi(oracleText(o, i == want.size() - 1)), "oracle text " + at);
                    assertEquals(w.text(), m.event().text(), "our text " + at);
                } else {
                    assertEquals(w.author(), o.get("author").asText(), "oracle author " + at);
                    assertEquals("whatsapp:" + w.author(), m.senderId(), "our author " + at);
                    assertEquals(w.text(), oracleText(o, i == want.size() - 1), "oracle text " + at);
                    assertEquals(w.text(), m.body(), "our text " + at);
                }
                compared++;
            }
        }
        assertTrue(compared > 3000, "compared " + compared);
        System.out.println("WhatsApp oracle: " + chats + " generated chats, " + compared + " messages compared");
    }

    /** The oracle's text; it keeps the file's final line break in the last message, which the reader drops. */
    static String oracleText(JsonNode o, boolean last) {
        String t = o.get("message").asText();
        return last ? t.replaceAll("\n+$", "") : t;
    }

    static String stripBidi(String s) {
        return s.replaceAll("[\u200E\u200F]", "").strip();
    }
}
