package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.junit.jupiter.api.Test;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.EventType;
import org.chatarchive.model.LinkPreview;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageArchive;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.MessageRevision;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.SharedContact;
import org.chatarchive.model.Sticker;
import org.chatarchive.model.SystemEvent;

/**
 * The hand-written message encoder against databind's reflective serialization: byte for byte, for the rich model,
 * for hand-picked edge cases and for thousands of seeded random messages; and each line read back as the message.
 */
class FastMessageEncoderTest {

    /** Strings that exercise escaping and UTF-8: quotes, backslashes, controls, separators, emoji, CJK. */
    private static final List<String> TRICKY = List.of(
            "", " ", "plain", "\"quoted\"", "back\\slash\\", "\\\"", "/slash/", "</script>",
            "\u0000\u0001\u0008\t\n\u000b\f\r\u001f\u007f", "line\nbreak\r\n", "\u2028\u2029", "\u0085\u00a0",
            "\ud83d\udc4d", "\ud83c\udf0a \u2764\ufe0f \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "\uFFFC",
            "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", "\ud55c\uad6d\uc5b4", "\u0639\u0631\u0628\u064a",
            "caf\u00e9 na\u00efve \u00c5str\u00f6m", "\ufeffbom", "\uffff\ufffe", "\ud800\udc00\udbff\udfff",
            "x".repeat(9000), "\u00e9".repeat(5000), "\ud83d\ude00".repeat(3000));

    @Test
    void encoderIsActive() {
        assertTrue(MessageEncoder.ACTIVE, "the hand-written encoder disabled itself: it no longer matches databind");
    }

    @Test
    void richModelIsByteIdentical() throws IOException {
        StoredFile photo = RichModel.stored(RichModel.PHOTO, "jpg");
        StoredFile pdf = RichModel.stored(RichModel.PDF, "pdf");
        int n = 0;
        for (boolean refs : new boolean[] {true, false}) {
            for (Conversation c : RichModel.conversations(refs)) {
                for (Message m : RichModel.messages(c.id(), photo, pdf, refs)) {
                    assertIdentical(m);
                    assertReadsBack(m, !refs);
                    n++;
                }
            }
        }
        assertEquals(16, n);
    }

    @Test
    void everyComponentSetAndUnset() throws IOException {
        Message full = full();
        assertIdentical(full);
        assertReadsBack(full, false);
        Message empty = new Message(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
        assertIdentical(empty);
        assertReadsBack(empty, true);
        // Each component alone, and everything but that component.
        for (int i = 0; i < 22; i++) {
            assertIdentical(only(full, i));
            assertIdentical(without(full, i));
            assertReadsBack(without(full, i), false);
        }
    }

    @Test
    void omissionRules() throws IOException {
        // Empty lists and maps as given (the constructors normalise null to empty).
        Message empties = new Message("m", "c", "s", Direction.INCOMING, 1L, null, null, "", List.of(), List.of(),
                null, List.of(), List.of(), List.of(), null, List.of(), null, List.of(), null, null, Map.of(), null);
        assertIdentical(empties);
        assertEquals("{\"id\":\"m\",\"conversationId\":\"c\",\"senderId\":\"s\",\"direction\":\"INCOMING\","
                + "\"sentAt\":1,\"body\":\"\"}\n", new String(CanonicalJson.lineBytes(empties), StandardCharsets.UTF_8));
        // Flags equal to NONE (another instance) are left out; a false nullable Boolean is kept.
        for (Boolean read : new Boolean[] {null, Boolean.FALSE, Boolean.TRUE}) {
            for (int bits = 0; bits < 8; bits++) {
                MessageFlags f = new MessageFlags((bits & 1) != 0, (bits & 2) != 0, null, null, (bits & 4) != 0, null,
                        read);
                assertIdentical(withFlags(empties, f));
            }
        }
        assertIdentical(withFlags(empties, new MessageFlags(false, false, null, null, false, null, null)));
        assertIdentical(withFlags(empties, new MessageFlags(false, false, 0, 0L, false, 0L, null)));
        assertEquals(-1, new String(CanonicalJson.lineBytes(withFlags(empties,
                new MessageFlags(false, false, null, null, false, null, null))), StandardCharsets.UTF_8).indexOf("flags"));
        // Quotes: all null with false, empty lists, true.
        for (boolean notFound : new boolean[] {false, true}) {
            assertIdentical(withQuote(empties, new Quote(null, null, null, null, null, null, notFound)));
            assertIdentical(withQuote(empties, new Quote("", 0L, "", "", List.of(), List.of(), notFound)));
        }
        // Null elements in lists are written as null.
        List<BodyRange> ranges = new ArrayList<>();
        ranges.add(null);
        ranges.add(new BodyRange(0, 0, null, null));
        List<Attachment> attachments = new ArrayList<>();
        attachments.add(null);
        List<Reaction> reactions = new ArrayList<>();
        reactions.add(null);
        List<Receipt> receipts = new ArrayList<>();
        receipts.add(null);
        List<EditVersion> edits = new ArrayList<>();
        edits.add(null);
        assertIdentical(new Message("m", "c", null, null, null, null, null, null, ranges, attachments,
                new Quote(null, null, null, null, ranges, attachments, false), reactions, edits, receipts, null,
                null, null, null, null, null, null, null));
    }

    @Test
    void numbersAtTheLimits() throws IOException {
        for (long v : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Integer.MAX_VALUE + 1L,
                Long.MAX_VALUE}) {
            int i = (int) v;
            Attachment a = new Attachment("t", null, v, null, i, Integer.MIN_VALUE, v, null, null, null, null, null,
                    null);
            Message m = new Message("m", "c", null, null, v, v, v, null,
                    List.of(new BodyRange(i, Integer.MAX_VALUE, RangeStyle.BOLD, null)), List.of(a),
                    new Quote(null, v, null, null, null, List.of(a), false), List.of(new Reaction("p", "e", v)),
                    null, List.of(new Receipt("p", DeliveryStatus.SENT, v)),
                    new MessageFlags(false, false, i, v, false, v, null), null, null, null, null, null,
                    Map.of("n", v), null);
            assertIdentical(m);
            assertReadsBack(m, false); // small longs in extra read back as Integer
        }
    }

    @Test
    void trickyStrings() throws IOException {
        for (String s : TRICKY) {
            Message m = stringsEverywhere(s);
            assertIdentical(m);
            assertReadsBack(m, true);
        }
    }

    @Test
    void loneSurrogatesFailOrSucceedAlike() {
        for (String s : List.of("\ud800", "a\udc00b", "\ud83d", "x\ud83dy", "\udfff\ud800", "\ud83d\ud83d\ude00")) {
            assertIdentical(stringsEverywhere(s));
            assertIdentical(Message.text("m", "c", null, null, null, null, s));
        }
    }

    @Test
    void everyEnumConstant() throws IOException {
        for (Direction d : Direction.values()) {
            assertIdentical(Message.text("m", "c", null, d, 1L, null, null));
        }
        for (RangeStyle s : RangeStyle.values()) {
            assertIdentical(withRanges(List.of(new BodyRange(1, 2, s, null))));
        }
        for (AttachmentKind k : AttachmentKind.values()) {
            for (Availability v : Availability.values()) {
                assertIdentical(withAttachments(List.of(new Attachment(null, null, null, null, null, null, null, k,
                        null, v, null, null, null))));
            }
        }
        for (DeliveryStatus s : DeliveryStatus.values()) {
            assertIdentical(new Message("m", "c", null, null, null, null, null, null, null, null, null, null, null,
                    List.of(new Receipt("p", s, null)), null, null, null, null, null, null, null, null));
        }
    }

    @Test
    void seededRandomMessages() throws IOException {
        Random random = new Random(20_240_611L);
        for (int i = 0; i < 5_000; i++) {
            Message m = randomMessage(random, 0);
            assertIdentical(m);
            assertReadsBack(m, true);
        }
    }

    @Test
    void extraValuesOfEveryType() throws IOException {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", null);
        nested.put("emptyList", List.of());
        nested.put("emptyMap", Map.of());
        nested.put("b", false);
        nested.put("\uFF61", 1); // after the emoji in UTF-16 order, before it in code point order
        nested.put("\ud83d\ude00", 2);
        nested.put("a\"\n\\\u0000\u2028", 3);
        nested.put("caf\u00e9", "\u65e5\u672c");
        nested.put("", "");
        List<Object> withNulls = new ArrayList<>();
        withNulls.add(null);
        withNulls.add(List.of());
        withNulls.add(Map.of());
        withNulls.add(Arrays.asList((Object) null));
        withNulls.add(nested);
        List<Object> numbers = Arrays.asList(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE,
                Long.MAX_VALUE, 0L, (short) -5, Short.MAX_VALUE, (byte) 7, Byte.MIN_VALUE,
                new BigInteger("123456789012345678901234567890"), BigInteger.ZERO, new BigInteger("-1"),
                0.0, -0.0, 1e300, -1e-300, 1.5, 1e10, 1e-7, 100.0, 0.1, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                0.1f, -0.0f, 1e10f, Float.NaN, Float.MAX_VALUE,
                new BigDecimal("1E+10"), new BigDecimal("0.000"), new BigDecimal("-1.50"), BigDecimal.ZERO,
                new BigDecimal("1e-400"), new BigDecimal("123456789012345678901234567890.123456789"));
        List<Object> enums = Arrays.asList(Direction.INCOMING, RangeStyle.BOLD, DeliveryStatus.VIEWED, null,
                TimeUnitLike.WITH_BODY, TimeUnitLike.PLAIN);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("nested", nested);
        extra.put("nulls", withNulls);
        extra.put("numbers", numbers);
        extra.put("enums", enums);
        extra.put("true", true);
        extra.put("null", null);
        extra.put("set", new TreeSet<>(List.of("b", "a", "c")));
        extra.put("linkedSet", new LinkedHashSet<>(List.of("b", "a", "c")));
        extra.put("unmodifiable", Collections.unmodifiableMap(new LinkedHashMap<>(nested)));
        extra.put("deep", Map.of("a", Map.of("b", List.of(Map.of("c", List.of(List.of("d")))))));
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(e.getKey(), e.getValue());
            assertIdentical(withExtra(one));
            assertIdentical(withExtra(Map.of("k", Arrays.asList(e.getValue()))));
        }
        assertIdentical(withExtra(extra));
        assertEquals("{\"id\":\"m\",\"conversationId\":\"c\",\"extra\":{\"x\":{\"\":\"\",\"a\\\"\\n\\\\\\u0000\u2028\":3,"
                + "\"b\":false,\"caf\u00e9\":\"\u65e5\u672c\",\"emptyList\":[],\"emptyMap\":{},\"z\":null,"
                + "\"\ud83d\ude00\":2,\"\uFF61\":1}}}\n",
                new String(CanonicalJson.lineBytes(withExtra(Map.of("x", nested))), StandardCharsets.UTF_8));
        Map<String, Object> readable = new LinkedHashMap<>(extra);
        readable.remove("numbers");
        readable.remove("enums");
        readable.remove("set");
        readable.remove("linkedSet");
        readable.put("numbers", Arrays.asList(0, Integer.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
                new BigInteger("123456789012345678901234567890"), 0.0, -0.0, 1e300, 1.5, Double.MAX_VALUE));
        assertReadsBack(withExtra(readable), true);
    }

    @Test
    void extraMapsInTheirOwnOrder() throws IOException {
        // A sorted map keeps its own order, as databind keeps it; any other map is sorted by String order.
        TreeMap<String, Object> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("a", 1);
        reversed.put("b", 2);
        reversed.put("\ud83d\ude00", 3);
        reversed.put("\uFF61", 4);
        Map<String, Object> unsorted = new LinkedHashMap<>();
        unsorted.put("b", 1);
        unsorted.put("\uFF61", 2);
        unsorted.put("a", 3);
        unsorted.put("\ud83d\ude00", 4);
        unsorted.put("A", 5);
        // Two equal keys that are distinct objects: databind's sorted copy keeps one of them.
        Map<String, Object> identity = new IdentityHashMap<>();
        identity.put(new String("k"), 1);
        identity.put(new String("k"), 2);
        identity.put("j", 3);
        Map<String, Object> hashed = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            hashed.put("key" + i, i);
        }
        Map<String, Object> descending = new LinkedHashMap<>();
        for (int i = 40; i >= 0; i--) {
            descending.put("d" + (char) ('a' + i % 26) + i, i);
            if (i == 33) {
                assertIdentical(withExtra(Map.of("m", new LinkedHashMap<>(descending)))); // 8 entries
            }
        }
        for (Map<String, Object> map : List.of(reversed, unsorted, identity, hashed, descending)) {
            assertIdentical(withExtra(Map.of("m", map)));
            assertIdentical(withExtra(Map.of("m", List.of(map, map))));
        }
        assertIdentical(withExtra(unsorted));
        assertIdentical(withExtra(hashed));
    }

    @Test
    void extraValuesDatabindWritesItself() throws IOException {
        // Types the encoder leaves to databind, alone and next to values it writes itself.
        Map<Object, Object> integerKeys = new LinkedHashMap<>();
        integerKeys.put(2, "b");
        integerKeys.put(1, "a");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        nullKey.put("a", 2);
        List<Object> custom = new ArrayList<>() {
        };
        custom.add("in a subclass");
        Map<String, Object> customMap = new LinkedHashMap<>() {
        };
        customMap.put("b", 1);
        customMap.put("a", 2);
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        Object deep = "bottom";
        for (int i = 0; i < 300; i++) {
            deep = i % 2 == 0 ? List.of(deep) : Map.of("d", deep);
        }
        Iterable<String> iterable = () -> List.of("a", "b").iterator();
        List<Object> others = Arrays.asList(MessageFlags.NONE, new Reaction("p", "e", 1L),
                new Reaction(null, null, null), new String[] {"a", "b"}, new int[] {1, 2}, 'c',
                new AtomicLong(5), new BigDecimal("1.5") {
                }, Optional.empty(), Optional.of("x"), Instant.EPOCH, integerKeys, nullKey, custom, customMap,
                EnumSet.of(RangeStyle.BOLD, RangeStyle.ITALIC), new EnumMap<>(Map.of(Direction.SYSTEM, 1)),
                deep, iterable, new Properties(), cycle);
        // Keys that are not strings at the top (only by an unchecked cast): databind's property writer fails.
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Object> integerTopKeys = (Map) Map.of(1, "a", 2, List.of("b"));
        assertIdentical(withExtra(integerTopKeys));
        for (Object other : others) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("a", List.of(1, "x", Map.of("k", true)));
            extra.put("b", other);
            extra.put("c", Map.of("n", List.of(other)));
            extra.put("d", 2.5);
            assertIdentical(withExtra(extra));
            assertIdentical(withExtra(Map.of("only", other)));
        }
    }

    @Test
    void seededRandomNestedExtra() throws IOException {
        Random random = new Random(20_251_126L);
        for (int i = 0; i < 3_000; i++) {
            boolean readable = i % 2 == 0;
            Map<String, Object> extra = nestedMap(random, 0, readable);
            Message m = withExtra(extra);
            assertIdentical(m);
            if (i % 3 == 0) { // the same map also inside a full message
                Object[] c = components(full());
                c[20] = extra;
                assertIdentical(of(c));
            }
            if (readable) { // the others hold numbers that read back as another type, or maps in their own order
                assertReadsBack(m, true);
            }
        }
    }

    @Test
    void streamPathMatchesAcrossThreads() throws Exception {
        List<Message> messages = new ArrayList<>();
        Random random = new Random(7L);
        for (int i = 0; i < 500; i++) {
            messages.add(randomMessage(random, 0));
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (Message m : messages) {
            expected.write(CanonicalJson.jacksonLineBytes(m));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (Message m : messages) {
                        CanonicalJson.line(out, m);
                    }
                    return out.toByteArray();
                }));
            }
            for (Future<byte[]> r : results) {
                assertArrayEquals(expected.toByteArray(), r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failingMessagesFailAlike() {
        // Without the JDK 8 module databind refuses Optional and java.time values: a message it cannot write.
        for (Message m : failing()) {
            assertThrows(IOException.class, () -> CanonicalJson.jacksonLineBytes(m));
            assertIdentical(m);
        }
    }

    @Test
    void lineWriterWritesTheLinesOfLine() throws IOException {
        Random random = new Random(11L);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            messages.add(randomMessage(random, 0));
            if (i % 500 == 250) {
                messages.addAll(failing());
            }
        }
        ObjectWriter databind = CanonicalJson.mapper().writer().without(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        MessageLineWriter lines = new MessageLineWriter(actual);
        int failures = 0;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            try {
                databind.writeValue(expected, m);
                expected.write('\n');
            } catch (IOException e) {
                failures++;
                assertThrows(IOException.class, () -> lines.write(m));
                continue;
            }
            lines.write(m);
            if (random.nextInt(100) == 0) {
                lines.flush();
                assertArrayEquals(expected.toByteArray(), actual.toByteArray(), "after message " + i);
            }
        }
        lines.flush();
        assertEquals(2 * 6, failures);
        assertBytes(expected.toByteArray(), actual.toByteArray());
    }

    // --- assertions

    /**
     * The encoder itself, and both public entry points, write the bytes databind writes; or all fail, and then
     * leave the same partial output in the stream.
     */
    private static void assertIdentical(Message m) {
        byte[] jackson;
        try {
            jackson = CanonicalJson.jacksonLineBytes(m);
        } catch (IOException e) {
            ByteArrayOutputStream direct = new ByteArrayOutputStream();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            ByteArrayOutputStream slow = new ByteArrayOutputStream();
            assertThrows(IOException.class, () -> MessageEncoder.write(direct, m), () -> "only databind failed: " + m);
            assertThrows(IOException.class, () -> CanonicalJson.lineBytes(m));
            assertThrows(IOException.class, () -> CanonicalJson.line(stream, m));
            assertThrows(IOException.class, () -> CanonicalJson.mapper().writer().writeValue(slow, m));
            assertArrayEquals(slow.toByteArray(), direct.toByteArray(), "partial output on failure");
            assertArrayEquals(slow.toByteArray(), stream.toByteArray(), "partial output on failure");
            return;
        }
        try {
            ByteArrayOutputStream direct = new ByteArrayOutputStream();
            MessageEncoder.write(direct, m);
            direct.write('\n');
            assertBytes(jackson, direct.toByteArray());
            assertBytes(jackson, CanonicalJson.lineBytes(m));
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            CanonicalJson.line(stream, m);
            assertBytes(jackson, stream.toByteArray());
        } catch (IOException e) {
            throw new AssertionError("the encoder failed where databind did not: " + m, e);
        }
    }

    private static void assertBytes(byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            // Text first: a readable difference; then the bytes, should the text hide it.
            assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
            assertArrayEquals(expected, actual);
        }
    }

    /**
     * The line reads back with the archive's reader: as a message that writes the same line again, and, when
     * {@code equal} (no source references, which are never written), as an equal message.
     */
    private static void assertReadsBack(Message m, boolean equal) throws IOException {
        byte[] line = CanonicalJson.lineBytes(m);
        UnknownContent unknown = new UnknownContent();
        Message read = CanonicalJson.reader(Message.class, unknown).readValue(line);
        assertTrue(unknown.dropped().isEmpty(), unknown.dropped()::toString);
        assertArrayEquals(line, CanonicalJson.lineBytes(read));
        if (equal) {
            assertEquals(m, read);
        }
    }

    // --- fixed messages

    private static Attachment attachment(String s) {
        return new Attachment(s, s, 1L, s, 2, 3, 4L, AttachmentKind.VIDEO, s, Availability.NOT_DOWNLOADED, s, s,
                "source/ref");
    }

    private static Message stringsEverywhere(String s) {
        Attachment a = new Attachment(s, s, null, s, null, null, null, null, s, null, s, s, null);
        return new Message(s, s, s, Direction.OUTGOING, 1L, null, null, s,
                List.of(new BodyRange(0, 1, RangeStyle.MENTION, s)), List.of(a),
                new Quote(s, 2L, s, s, List.of(new BodyRange(0, 1, null, s)), List.of(a), true),
                List.of(new Reaction(s, s, null)), List.of(new EditVersion(1L, 2L, s, null, List.of(a))),
                List.of(new Receipt(s, null, null)), null, List.of(new LinkPreview(s, s, s, 3L, a)),
                new Sticker(s, 1, s, a), List.of(new SharedContact(s, List.of(s), List.of(s), s, a)),
                new Poll(s, List.of(new Poll.Option(s, List.of(s))), false, true),
                new SystemEvent(EventType.OTHER, s, List.of(s), s, new CallInfo(s, null, s, null, null), null,
                        Map.of("k", s)),
                Map.of("a", s, "b", List.of(s), "\u00e9" + s, Map.of(s, s)), null);
    }

    private static Message full() {
        Attachment a = attachment("image/png");
        List<BodyRange> ranges = List.of(new BodyRange(0, 1, RangeStyle.MENTION, "p"),
                new BodyRange(2, 3, RangeStyle.BOLD, null));
        Message previous = Message.text("old", "c", "s", Direction.INCOMING, 1L, 2L, "before");
        return new Message("m", "c", "s", Direction.INCOMING, 10L, 11L, 12L, "body", ranges, List.of(a),
                new Quote("q", 9L, "s", "quoted", ranges, List.of(a), true),
                List.of(new Reaction("p", "\ud83d\udc4d", 13L)),
                List.of(new EditVersion(8L, 9L, "first", ranges, List.of(a))),
                List.of(new Receipt("p", DeliveryStatus.VIEWED, 14L)),
                new MessageFlags(true, true, 60, 15L, true, 16L, Boolean.FALSE),
                List.of(new LinkPreview("https://example.org", "t", "d", 17L, a)),
                new Sticker("pack", 3, "\ud83d\ude00", a),
                List.of(new SharedContact("n", List.of("+1"), List.of("e@x"), "o", a)),
                new Poll("?", List.of(new Poll.Option("yes", List.of("p"))), true, false),
                new SystemEvent(EventType.CALL, "p", List.of("q"), "call",
                        new CallInfo("audio", Direction.OUTGOING, "ended", 18L, 19L), 20, Map.of("z", 1, "a", "b")),
                Map.of("x", true, "a", List.of(1, "two")),
                new MessageArchive(1, 2, 3, List.of(new MessageRevision(2, List.of("body"), previous))));
    }

    private static List<Message> failing() {
        Object[] c = components(full());
        c[20] = Map.of("a", 1, "optional", Optional.empty());
        Message badExtra = of(c);
        c = components(full());
        c[19] = new SystemEvent(EventType.OTHER, null, null, null, null, null, Map.of("at", Instant.EPOCH));
        Message badEvent = of(c);
        return List.of(badExtra, badEvent);
    }

    private static Object[] components(Message m) {
        return new Object[] {m.id(), m.conversationId(), m.senderId(), m.direction(), m.sentAt(), m.receivedAt(),
                m.serverAt(), m.body(), m.ranges(), m.attachments(), m.quote(), m.reactions(), m.edits(),
                m.receipts(), m.flags(), m.previews(), m.sticker(), m.contacts(), m.poll(), m.event(), m.extra(),
                m.archive()};
    }

    @SuppressWarnings("unchecked")
    private static Message of(Object[] c) {
        return new Message((String) c[0], (String) c[1], (String) c[2], (Direction) c[3], (Long) c[4], (Long) c[5],
                (Long) c[6], (String) c[7], (List<BodyRange>) c[8], (List<Attachment>) c[9], (Quote) c[10],
                (List<Reaction>) c[11], (List<EditVersion>) c[12], (List<Receipt>) c[13], (MessageFlags) c[14],
                (List<LinkPreview>) c[15], (Sticker) c[16], (List<SharedContact>) c[17], (Poll) c[18],
                (SystemEvent) c[19], (Map<String, Object>) c[20], (MessageArchive) c[21]);
    }

    private static Message only(Message m, int component) {
        Object[] all = components(m);
        Object[] c = new Object[all.length];
        c[component] = all[component];
        return of(c);
    }

    private static Message without(Message m, int component) {
        Object[] c = components(m);
        c[component] = null;
        return of(c);
    }

    private static Message withFlags(Message m, MessageFlags f) {
        Object[] c = components(m);
        c[14] = f;
        return of(c);
    }

    private static Message withQuote(Message m, Quote q) {
        Object[] c = components(m);
        c[10] = q;
        return of(c);
    }

    private static Message withExtra(Map<String, Object> extra) {
        return new Message("m", "c", null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, extra, null);
    }

    /** An enum with a constant that has a body, so that constant's class is not the enum's. */
    private enum TimeUnitLike {
        PLAIN,
        WITH_BODY {
            @Override
            public String toString() {
                return "body";
            }
        }
    }

    private static Message withRanges(List<BodyRange> ranges) {
        return new Message("m", "c", null, null, null, null, null, "b", ranges, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    private static Message withAttachments(List<Attachment> attachments) {
        return new Message("m", "c", null, null, null, null, null, null, null, attachments, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    // --- random messages: each component randomly null, empty or filled

    static Message randomMessage(Random r, int depth) {
        return new Message(str(r), str(r), str(r), pick(r, Direction.values()), lng(r), lng(r), lng(r), str(r),
                list(r, () -> range(r)), list(r, () -> attachment(r)), r.nextInt(4) == 0 ? quote(r) : null,
                list(r, () -> new Reaction(str(r), str(r), lng(r))),
                list(r, () -> new EditVersion(lng(r), lng(r), str(r), list(r, () -> range(r)),
                        list(r, () -> attachment(r)))),
                list(r, () -> new Receipt(str(r), pick(r, DeliveryStatus.values()), lng(r))),
                r.nextInt(3) == 0 ? flags(r) : null,
                list(r, () -> new LinkPreview(str(r), str(r), str(r), lng(r), maybe(r, () -> attachment(r)))),
                maybe(r, () -> new Sticker(str(r), integer(r), str(r), maybe(r, () -> attachment(r)))),
                list(r, () -> new SharedContact(str(r), list(r, () -> str(r)), list(r, () -> str(r)), str(r),
                        maybe(r, () -> attachment(r)))),
                maybe(r, () -> new Poll(str(r), list(r, () -> new Poll.Option(str(r), list(r, () -> str(r)))),
                        r.nextBoolean(), r.nextBoolean())),
                maybe(r, () -> new SystemEvent(pick(r, EventType.values()), str(r), list(r, () -> str(r)), str(r),
                        maybe(r, () -> new CallInfo(str(r), pick(r, Direction.values()), str(r), lng(r), lng(r))),
                        integer(r), map(r, 0))),
                map(r, 0),
                depth == 0 && r.nextInt(8) == 0
                        ? new MessageArchive(integer(r), integer(r), integer(r),
                                list(r, () -> new MessageRevision(r.nextInt(5), list(r, () -> str(r)),
                                        maybe(r, () -> randomMessage(r, depth + 1)))))
                        : null);
    }

    private static BodyRange range(Random r) {
        return new BodyRange(r.nextInt(200) - 2, r.nextInt(50), pick(r, RangeStyle.values()), str(r));
    }

    private static Attachment attachment(Random r) {
        return new Attachment(str(r), str(r), lng(r), str(r), integer(r), integer(r), lng(r),
                pick(r, AttachmentKind.values()), str(r), pick(r, Availability.values()), str(r), str(r), null);
    }

    private static Quote quote(Random r) {
        return new Quote(str(r), lng(r), str(r), str(r), list(r, () -> range(r)), list(r, () -> attachment(r)),
                r.nextBoolean());
    }

    private static MessageFlags flags(Random r) {
        Boolean[] read = {null, Boolean.FALSE, Boolean.TRUE};
        return new MessageFlags(r.nextBoolean(), r.nextBoolean(), integer(r), lng(r), r.nextBoolean(), lng(r),
                read[r.nextInt(3)]);
    }

    private static Map<String, Object> map(Random r, int depth) {
        int n = r.nextInt(4) == 0 ? r.nextInt(4) : 0;
        if (n == 0) {
            return r.nextBoolean() ? null : Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Object v = switch (r.nextInt(depth < 2 ? 7 : 5)) {
                case 0 -> str(r);
                case 1 -> r.nextInt(1000) - 500;
                case 2 -> r.nextBoolean();
                case 3 -> r.nextInt(10) / 4.0;
                case 4 -> "s" + r.nextInt(9);
                case 5 -> map(r, depth + 1);
                default -> Arrays.asList(str(r), r.nextInt(3), map(r, depth + 1));
            };
            out.put(r.nextInt(3) == 0 ? TRICKY.get(r.nextInt(20)) : "k" + r.nextInt(20), v);
        }
        return out;
    }

    /** Keys that escape, that are not ASCII, and that sort differently by UTF-16 unit and by code point. */
    private static final List<String> KEYS = List.of("a", "b", "A", "k1", "k10", "k2", "", " ", "\"", "\\", "\n",
            "\u0000", "\u2028", "caf\u00e9", "\u00e9", "\u65e5\u672c", "\uFF61", "\ud83d\ude00", "\ud83d\udc4d",
            "\uffff", "\ud800\udc00", "sourceRowId", "storyReply", "type", "a\"b");

    /**
     * A map like the ones readers put into {@code extra}, up to four levels deep; when {@code readable}, only with
     * values that read back as equal values, otherwise with every supported type and now and then one databind
     * writes itself.
     */
    private static Map<String, Object> nestedMap(Random r, int depth, boolean readable) {
        int n = r.nextInt(depth == 0 ? 8 : 5);
        Map<String, Object> out = switch (r.nextInt(readable ? 2 : 4)) {
            case 0 -> new LinkedHashMap<>();
            case 1 -> new HashMap<>();
            case 2 -> new TreeMap<>();
            default -> new TreeMap<>(Comparator.reverseOrder());
        };
        for (int i = 0; i < n; i++) {
            String key = r.nextInt(3) == 0 ? str(r) : KEYS.get(r.nextInt(KEYS.size()));
            out.put(key == null ? "null" : key, nestedValue(r, depth + 1, readable));
        }
        return out;
    }

    private static Object nestedValue(Random r, int depth, boolean readable) {
        int kinds = depth < 4 ? 20 : 17;
        switch (r.nextInt(kinds)) {
            case 0:
                return null;
            case 1:
                return str(r);
            case 2:
                return r.nextBoolean();
            case 3:
                return r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(100);
            case 4:
                long l = r.nextBoolean() ? (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : r.nextLong();
                return readable && l == (int) l ? (Object) (int) l : (Object) l;
            case 5:
                double[] doubles = {0.0, -0.0, 1e300, 1.5, 1e10, 1e-7, 100.0, Double.MAX_VALUE, Double.MIN_VALUE,
                        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
                double d = r.nextBoolean() ? doubles[r.nextInt(doubles.length)] : r.nextGaussian() * 1e6;
                return readable && !Double.isFinite(d) ? 0.25 : d;
            case 6:
                BigInteger big = BigInteger.valueOf(r.nextLong()).multiply(BigInteger.valueOf(r.nextLong()));
                return readable && big.bitLength() < 64 ? "small" : big;
            case 7:
                if (readable) {
                    return "no BigDecimal";
                }
                return new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(40) - 20);
            case 8:
                if (readable) {
                    return "no float";
                }
                float[] floats = {0.0f, -0.0f, 0.1f, 1e10f, Float.NaN, Float.MAX_VALUE};
                return floats[r.nextInt(floats.length)];
            case 9:
                return readable ? "no short" : (Object) (short) r.nextInt();
            case 10:
                return readable ? "no byte" : (Object) (byte) r.nextInt();
            case 11:
                return readable ? "no enum" : pick(r, RangeStyle.values());
            case 12:
                return List.of();
            case 13:
                return Map.of();
            case 14:
                return KEYS.get(r.nextInt(KEYS.size()));
            case 15:
                if (readable || r.nextInt(10) != 0) {
                    return TRICKY.get(r.nextInt(TRICKY.size() - 3));
                }
                Object[] others = {MessageFlags.NONE, Optional.empty(), new String[] {"a"}, 'c', Instant.EPOCH,
                        new AtomicLong(1), new Reaction("p", "e", null)};
                return others[r.nextInt(others.length)];
            case 16:
                return readable ? (Object) (r.nextInt(1000) - 500) : (Object) ((long) r.nextInt(1000) - 500);
            case 17:
            case 18:
                return nestedMap(r, depth, readable);
            default:
                int n = r.nextInt(5);
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(nestedValue(r, depth + 1, readable));
                }
                return readable || r.nextBoolean() ? list : Collections.unmodifiableList(list);
        }
    }

    private static <T> List<T> list(Random r, java.util.function.Supplier<T> element) {
        switch (r.nextInt(4)) {
            case 0:
                return null;
            case 1:
                return List.of();
            default:
                int n = 1 + r.nextInt(3);
                List<T> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    out.add(element.get());
                }
                return out;
        }
    }

    private static <T> T maybe(Random r, java.util.function.Supplier<T> value) {
        return r.nextInt(4) == 0 ? value.get() : null;
    }

    private static <T> T pick(Random r, T[] values) {
        return r.nextInt(5) == 0 ? null : values[r.nextInt(values.length)];
    }

    private static Long lng(Random r) {
        return switch (r.nextInt(6)) {
            case 0, 1 -> null;
            case 2 -> r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            case 3 -> (long) r.nextInt(3) - 1;
            default -> r.nextLong();
        };
    }

    private static Integer integer(Random r) {
        return switch (r.nextInt(5)) {
            case 0, 1 -> null;
            case 2 -> r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            default -> r.nextInt();
        };
    }

    private static String str(Random r) {
        switch (r.nextInt(5)) {
            case 0:
                return null;
            case 1:
                return TRICKY.get(r.nextInt(TRICKY.size() - 3)); // without the very long ones
            case 2:
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(12);
                for (int i = 0; i < n; i++) {
                    sb.appendCodePoint(codePoint(r));
                }
                return sb.toString();
            default:
                return "signal-msg:" + Long.toHexString(r.nextLong());
        }
    }

    /** Any code point but a lone surrogate (those are tested on their own). */
    private static int codePoint(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextInt(0x80);
            case 1 -> 0x80 + r.nextInt(0x800 - 0x80);
            case 2 -> {
                int c = 0x800 + r.nextInt(0x10000 - 0x800);
                yield Character.isSurrogate((char) c) ? 0x2028 : c;
            }
            case 3 -> 0x10000 + r.nextInt(0x110000 - 0x10000);
            default -> "\"\\\u2028\u0000\n".charAt(r.nextInt(5));
        };
    }
}
