package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.junit.jupiter.api.Test;

/**
 * The byte scan that counts a kept message line ({@link ConversationMerge#scanCounts}) against Jackson's reading
 * of the same line ({@link ConversationMerge#readCounts}): the same counts, or no answer (then Jackson reads it).
 */
class LineCountsTest {

    @Test
    void everyRichModelMessageScansAsJacksonReadsIt() throws IOException {
        StoredFile photo = RichModel.stored(RichModel.PHOTO, "jpg");
        StoredFile pdf = RichModel.stored(RichModel.PDF, "pdf");
        int withAttachments = 0;
        int n = 0;
        for (boolean refs : new boolean[] {true, false}) {
            for (Conversation c : RichModel.conversations(refs)) {
                for (Message m : RichModel.messages(c.id(), photo, pdf, refs)) {
                    byte[] line = CanonicalJson.lineBytes(m);
                    ConversationMerge.LineCounts scanned = ConversationMerge.scanCounts(line);
                    assertNotNull(scanned, new String(line, StandardCharsets.UTF_8));
                    assertEquals(ConversationMerge.readCounts(line), scanned);
                    assertEquals(m.attachments().size(), scanned.attachments());
                    withAttachments += m.attachments().isEmpty() ? 0 : 1;
                    n++;
                }
            }
        }
        assertEquals(16, n);
        assertEquals(true, withAttachments > 0);
    }

    @Test
    void handMadeLines() throws IOException {
        expect("{\"id\":\"a\",\"sentAt\":5,\"attachments\":[{\"x\":[1,2,{\"attachments\":[1]}]},{}],\"receivedAt\":7}",
                5L, 7L, 2);
        // names inside nested values are not the message's
        expect("{\"quote\":{\"sentAt\":9,\"attachments\":[1,2,3]},\"sentAt\":3}", 3L, null, 0);
        // brackets, quotes and backslashes inside strings
        expect("{\"body\":\"a \\\"[{\\\" b\\\\\",\"sentAt\":1,\"attachments\":[\"]\",\"}\"]}", 1L, null, 2);
        expect("{\"sentAt\":null,\"receivedAt\":-12}", null, -12L, 0);
        expect("{\"attachments\":\"x\",\"sentAt\":0}", 0L, null, 0);
        // an attachments value that is an object is skipped whole (Jackson's reading stopped inside it before)
        expect("{\"attachments\":{\"a\":[1]},\"sentAt\":3}", 3L, null, 0);
        expect("{ \"sentAt\" : 4 , \"attachments\" : [ 1 , 2 ] }", 4L, null, 2);
        expect("{}", null, null, 0);
        expect("{\"attachments\":[]}", null, null, 0);
        // repeated names: the last time, every attachments array
        expect("{\"sentAt\":1,\"sentAt\":2,\"attachments\":[1],\"attachments\":[2,3]}", 2L, null, 3);
        expect("{\"sentAt\":999999999999999999}", 999999999999999999L, null, 0);
    }

    @Test
    void linesTheScanLeavesToJackson() throws IOException {
        for (String line : List.of("{\"sentAt\":1.5}", "{\"sentAt\":1e3}", "{\"sentAt\":12345678901234567890}",
                "{\"a\\\"b\":1,\"sentAt\":2}", "{\"sentAt\":1} x", "[1]", "{\"sentAt\":01}", "{\"sentAt\":\"5\"}")) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertNull(ConversationMerge.scanCounts(b), line);
        }
        // what Jackson makes of some of them: the counting is its as before
        assertEquals(new ConversationMerge.LineCounts(null, null, 0),
                ConversationMerge.readCounts("{\"sentAt\":1.5}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new ConversationMerge.LineCounts(2L, null, 0),
                ConversationMerge.readCounts("{\"a\\\"b\":1,\"sentAt\":2}".getBytes(StandardCharsets.UTF_8)));
        for (String broken : List.of("{\"sentAt\":1,\"body\":\"abc", "{\"sentAt\":1,\"x\":[1,2", "{\"sentAt\"",
                "{\"sentAt\":1,")) {
            assertNull(ConversationMerge.scanCounts(broken.getBytes(StandardCharsets.UTF_8)), broken);
            assertThrows(IOException.class,
                    () -> ConversationMerge.readCounts(broken.getBytes(StandardCharsets.UTF_8)), broken);
        }
    }

    /** Random objects as Jackson writes them: the scan answers each, as Jackson reads it. */
    @Test
    void randomObjects() throws IOException {
        Random r = new Random(20261126);
        String[] names = {"id", "sentAt", "receivedAt", "attachments", "body", "quote", "extra", "reactions"};
        int withAttachments = 0;
        for (int k = 0; k < 2000; k++) {
            Map<String, Object> o = new LinkedHashMap<>();
            int fields = r.nextInt(8);
            for (int f = 0; f < fields; f++) {
                String name = names[r.nextInt(names.length)];
                Object v = switch (name) {
                    case "sentAt", "receivedAt" -> r.nextInt(4) == 0 ? null
                            : (r.nextBoolean() ? 1 : -1) * (r.nextLong() >>> 8) % 100_000_000_000_000_000L;
                    case "attachments" -> r.nextInt(5) == 0 ? value(r, 2) : list(r, 3);
                    default -> value(r, 3);
                };
                o.put(name, v);
            }
            byte[] line = CanonicalJson.mapper().writeValueAsBytes(o);
            ConversationMerge.LineCounts scanned = ConversationMerge.scanCounts(line);
            assertNotNull(scanned, new String(line, StandardCharsets.UTF_8));
            assertEquals(ConversationMerge.readCounts(line), scanned, new String(line, StandardCharsets.UTF_8));
            withAttachments += scanned.attachments() > 0 ? 1 : 0;
        }
        assertEquals(true, withAttachments > 100);
    }

    private static List<Object> list(Random r, int depth) {
        List<Object> l = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            l.add(value(r, depth - 1));
        }
        return l;
    }

    private static Object value(Random r, int depth) {
        String[] texts = {"", "plain", "\"q\"", "back\\slash", "[{", "}]", ",:", "\u00e9\u65e5\ud83d\udc4d",
                "line\nbreak\t", "\u0000\u001f"};
        int kind = depth <= 0 ? r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextInt(3) == 0 ? r.nextDouble() * 1e6 : r.nextLong();
            case 3, 4 -> texts[r.nextInt(texts.length)];
            case 5 -> list(r, depth);
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put(i % 2 == 0 ? "attachments" : texts[r.nextInt(texts.length)], value(r, depth - 1));
                }
                yield m;
            }
        };
    }

    private static void expect(String line, Long sentAt, Long receivedAt, int attachments) throws IOException {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        ConversationMerge.LineCounts want = new ConversationMerge.LineCounts(sentAt, receivedAt, attachments);
        assertEquals(want, ConversationMerge.readCounts(b), "Jackson: " + line);
        assertEquals(want, ConversationMerge.scanCounts(b), "scan: " + line);
    }
}
