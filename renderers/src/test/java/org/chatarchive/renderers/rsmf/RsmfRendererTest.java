package org.chatarchive.renderers.rsmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.chatarchive.renderers.production.CustodyLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RsmfRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The published schema, validated with a draft-07 validator with format assertions on. */
    static JsonSchema publishedSchema() throws IOException {
        Path schema = Conformance.require().resolve("RSMFManifestSchema/rsmf_schema_2_0_0.json");
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(schema.toFile()),
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }

    /** The zip's entries (name to bytes), from the EML's one attachment, decoded by mime4j. */
    static Map<String, byte[]> zipOf(Path rsmf) throws IOException {
        Message msg = parse(rsmf);
        Multipart mp = (Multipart) msg.getBody();
        Entity zip = mp.getBodyParts().get(1);
        Map<String, byte[]> out = new TreeMap<>();
        try (InputStream in = ((BinaryBody) zip.getBody()).getInputStream(); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }

    static JsonNode manifestOf(Path rsmf) throws IOException {
        return JSON.readTree(zipOf(rsmf).get(RsmfCheck.MANIFEST));
    }

    static Message parse(Path rsmf) throws IOException {
        DefaultMessageBuilder b = new DefaultMessageBuilder();
        b.setMimeEntityConfig(MimeConfig.STRICT);
        try (InputStream in = Files.newInputStream(rsmf)) {
            return b.parseMessage(in);
        }
    }

    static List<Path> rsmfFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".rsmf")).sorted().toList();
        }
    }

    private static RsmfSummary render(Path archive, RsmfOptions o, Path log) throws IOException {
        try (CustodyLog l = log == null ? CustodyLog.none() : CustodyLog.open(archive)) {
            return RsmfRenderer.render(archive, o.withGenerator("chat-archive test"), l);
        }
    }

    @Test
    void everyFeatureSlicesByUtcDayAndPassesThePublishedSchema(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        RsmfFixture.everyFeature(a);
        RsmfSummary s = render(a, RsmfOptions.defaults(), a);
        List<Path> files = rsmfFiles(a.resolve("rsmf"));
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().endsWith("-2024-03-09.rsmf"), files.toString());
        assertTrue(files.get(1).getFileName().toString().endsWith("-2024-03-10.rsmf"), files.toString());
        assertEquals(6, s.events());
        JsonSchema schema = publishedSchema();
        Set<String> collections = new HashSet<>();
        for (Path f : files) {
            JsonNode m = manifestOf(f);
            Set<ValidationMessage> errors = schema.validate(m);
            assertEquals(Set.of(), errors, f.toString());
            assertEquals(RsmfReport.Result.Passed, RsmfCheck.strict().checkFile(f).result(),
                    RsmfCheck.strict().checkFile(f).problems().toString());
            collections.add(m.get("eventcollectionid").asText());
            for (JsonNode e : m.get("events")) {
                assertTrue(e.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
            }
        }
        assertEquals(Set.of(RsmfFixture.CONV), collections, "slices of one conversation share the collection id");
        // The missing voice note is in the custody log, with its message id, and not inside the deliverables.
        String log = Files.readString(a.resolve(CustodyLog.FILE));
        assertTrue(log.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\tWARN\tmissing-attachment\tmessage m3 .*"), log);
        assertTrue(log.contains("rsmf-file\trsmf/"), log);
        assertEquals(1, s.warnings());
    }

    @Test
    void manifestMapsEditsReactionsReceiptsRepliesDeletionsAndCustomFields(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        RsmfFixture.everyFeature(a);
        render(a, RsmfOptions.defaults().withMatter("Doe v. Roe"), null);
        List<Path> files = rsmfFiles(a.resolve("rsmf"));
        JsonNode day1 = manifestOf(files.get(0));
        JsonNode conv = day1.get("conversations").get(0);
        assertEquals("signal", conv.get("platform").asText());
        assertEquals("channel", conv.get("type").asText());
        assertEquals(RsmfFixture.OWNER, conv.get("custodian").asText());
        assertTrue(conv.get("custom").toString().contains("Doe v. Roe"));
        assertTrue(conv.get("custom").toString().contains("2024-03-09T00:00:00.000Z/2024-03-10T00:00:00.000Z"));
        JsonNode alice = day1.get("participants").get(1);
        assertEquals("+15550000002", alice.get("account_id").asText());
        assertFalse(alice.has("email"), "phone numbers are not email addresses");
        assertTrue(alice.get("custom").toString().contains("a1b2c3"));

        JsonNode m1 = day1.get("events").get(0);
        assertEquals("outgoing", m1.get("direction").asText());
        assertEquals("2024-03-09T23:30:00.000Z", m1.get("timestamp").asText());
        JsonNode rr = m1.get("read_receipts");
        assertEquals(2, rr.size());
        assertEquals("read", rr.get(0).get("action").asText());
        assertEquals(RsmfFixture.ALICE, rr.get(0).get("participant").asText());
        assertEquals("delivered", rr.get(1).get("action").asText());
        assertTrue(m1.get("custom").toString().contains("failed"), "a failed receipt is kept in custom");
        String attId = m1.get("attachments").get(0).get("id").asText();
        assertEquals("contract.pdf", m1.get("attachments").get(0).get("display").asText());
        assertEquals("contract text", new String(zipOf(files.get(0)).get(attId), StandardCharsets.UTF_8));

        JsonNode m2 = day1.get("events").get(1);
        assertEquals("m1", m2.get("parent").asText());
        assertEquals("Hi @Me Owner, signed, thanks", m2.get("body").asText());
        JsonNode edit = m2.get("edits").get(0);
        assertEquals("Hi, signd", edit.get("previous").asText());
        assertEquals("Hi @Me Owner, signed, thanks", edit.get("new").asText());
        assertEquals(RsmfFixture.ALICE, edit.get("participant").asText());
        JsonNode thumbs = m2.get("reactions").get(0);
        assertEquals("👍", thumbs.get("value").asText());
        assertEquals(2, thumbs.get("count").asInt());
        assertEquals(List.of(RsmfFixture.OWNER, RsmfFixture.DAVID), List.of(thumbs.get("participants").get(0).asText(),
                thumbs.get("participants").get(1).asText()));
        assertTrue(m2.get("custom").toString().contains("unmappedField"), "unmapped source fields go to custom");

        JsonNode day2 = manifestOf(files.get(1));
        JsonNode m3 = day2.get("events").get(0);
        assertNull(m3.get("parent"), "the quoted message is in another file: no dangling parent");
        assertTrue(m3.get("custom").toString().contains("Reply to"));
        assertEquals(1, m3.get("attachments").size(), "only attachments with bytes are in the zip");
        assertTrue(m3.get("custom").toString().contains("not available"));
        assertTrue(day2.get("events").get(1).get("deleted").asBoolean());
        JsonNode call = day2.get("events").get(2);
        assertEquals("disclaimer", call.get("type").asText());
        assertEquals(RsmfFixture.ALICE, call.get("participant").asText());
        assertEquals("Missed video call", call.get("body").asText());
        assertFalse(call.has("direction"));
        // Every event's custom values are non-empty (the schema's minLength 1).
        for (JsonNode e : day2.get("events")) {
            for (JsonNode c : e.path("custom")) {
                assertFalse(c.get("value").asText().isEmpty());
            }
        }
    }

    @Test
    void emlLayerRoundTripsThroughMime4j(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        RsmfFixture.everyFeature(a);
        render(a, RsmfOptions.defaults().withCustodian("Jane Ünicode-Custodian").withMatter("Doe v. Roe"), null);
        Path f = rsmfFiles(a.resolve("rsmf")).get(0);
        byte[] raw = Files.readAllBytes(f);
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("X-RSMF-Version: 2.0.0\r\n"), "X-RSMF-Version is the first header");
        int headerEnd = text.indexOf("\r\n\r\n");
        // Only the X-RSMF- fields hold non-ASCII text, as UTF-8 (RFC 6532): Relativity reads them literally, not as
        // RFC 2047 encoded-words. Everything else, the body included, is ASCII.
        String field = "";
        int lineStart = 0;
        for (int i = 0; i < raw.length; i++) {
            if (i == lineStart && i < headerEnd && raw[i] != ' ' && raw[i] != '\t') {
                field = text.substring(i, text.indexOf(':', i));
            }
            if (raw[i] == '\n') {
                assertEquals('\r', raw[i - 1], "bare LF at byte " + i);
                lineStart = i + 1;
            }
            if ((raw[i] & 0xff) >= 0x80) {
                assertTrue(i < headerEnd && field.startsWith("X-RSMF-"), "non-ASCII byte at " + i + " in " + field);
            }
        }
        for (String line : text.split("\r\n")) {
            assertTrue(line.length() <= 78, "line longer than 78 octets: " + line);
        }
        String head = new String(raw, 0, headerEnd, StandardCharsets.UTF_8);
        assertTrue(head.contains("\r\nX-RSMF-Custodian: Jane Ünicode-Custodian\r\n"), head);
        assertFalse(head.contains("X-RSMF-Participants: =?"), head);
        Map<String, String> rawFields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String l : head.replace("\r\n ", " ").split("\r\n")) {
            rawFields.putIfAbsent(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip());
        }

        Message msg = parse(f);
        assertEquals("multipart/mixed", msg.getMimeType());
        Multipart mp = (Multipart) msg.getBody();
        assertEquals(2, mp.getBodyParts().size());
        Entity body = mp.getBodyParts().get(0);
        assertEquals("text/plain", body.getMimeType());
        assertNull(body.getDispositionType());
        String transcript;
        try (var r = ((TextBody) body.getBody()).getReader()) {
            StringBuilder sb = new StringBuilder();
            r.transferTo(new java.io.Writer() {
                @Override public void write(char[] c, int o, int l) { sb.append(c, o, l); }
                @Override public void flush() { }
                @Override public void close() { }
            });
            transcript = sb.toString();
        }
        assertTrue(transcript.contains("Alice Åström 🌻: Hi @Me Owner, signed, thanks"), transcript);
        assertTrue(transcript.contains("reactions: 👍 Me Owner; 👍 דוד כהן \"Dudi\"; ❤️ דוד כהן \"Dudi\""), transcript);
        Entity zip = mp.getBodyParts().get(1);
        assertEquals("attachment", zip.getDispositionType());
        assertEquals("rsmf.zip", zip.getFilename());
        assertEquals("base64", zip.getContentTransferEncoding());

        JsonNode m = manifestOf(f);
        // From is the custodian; To and X-RSMF-Participants are every participant; names decode exactly.
        Mailbox from = msg.getFrom().get(0);
        assertEquals("Jane Ünicode-Custodian", from.getName());
        assertEquals("+15550000001@signal.invalid", from.getAddress());
        List<String> to = new ArrayList<>();
        msg.getTo().flatten().forEach(x -> to.add(x.getName()));
        List<String> names = new ArrayList<>();
        m.get("participants").forEach(p -> names.add(p.get("display").asText()));
        assertEquals(names, to);
        assertEquals("Family 🏖 Семья - 2024-03-09", msg.getSubject());
        assertEquals(Instant.parse("2024-03-09T23:30:00Z"), msg.getDate().toInstant());
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Field fl : msg.getHeader().getFields()) {
            h.put(fl.getName(), DecoderUtil.decodeEncodedWords(fl.getBody(), DecodeMonitor.SILENT).strip());
        }
        rawFields.forEach((k, v) -> {
            if (k.startsWith("X-RSMF-")) {
                h.put(k, v); // the X-RSMF- values as written, which is how Relativity reads them
            }
        });
        // Folded only after a comma, so the members read back exactly as the manifest's display names.
        assertEquals(String.join(", ", names), h.get("X-RSMF-Participants"));
        assertEquals(String.valueOf(m.get("events").size()), h.get("X-RSMF-EventCount"));
        assertEquals("1", h.get("X-RSMF-AttachmentCount"));
        assertEquals("2024-03-09T23:30:00.000Z", h.get("X-RSMF-BeginDate"));
        assertEquals(m.get("events").get(m.get("events").size() - 1).get("timestamp").asText(), h.get("X-RSMF-EndDate"));
        assertEquals(m.get("eventcollectionid").asText(), h.get("X-RSMF-EventCollectionID"));
        assertEquals("Jane Ünicode-Custodian", h.get("X-RSMF-Custodian"));
        assertEquals("Signal", h.get("X-RSMF-Application"));
        assertEquals("Doe v. Roe", h.get("X-RSMF-Matter"));
        assertEquals("UTC", h.get("X-RSMF-SliceZone"));
        assertNotNull(msg.getMessageId());
    }

    @Test
    void twoRunsGiveIdenticalBytes(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        RsmfFixture.everyFeature(a);
        RsmfFixture.everyFeature(b);
        RsmfSummary sa = render(a, RsmfOptions.defaults(), a);
        RsmfSummary sb = render(b, RsmfOptions.defaults(), b);
        assertEquals(sa.files(), sb.files());
        for (Path f : rsmfFiles(a.resolve("rsmf"))) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(f),
                    Files.readAllBytes(b.resolve("rsmf").resolve(f.getFileName()))), f.toString());
        }
        // Rendering again over the earlier output replaces it with the same bytes.
        RsmfSummary again = render(a, RsmfOptions.defaults(), a);
        assertEquals(sa.files(), again.files());
    }

    @Test
    void theGateRejectsAManifestThatBreaksTheRulesAndLeavesNoFile(@TempDir Path tmp) throws IOException {
        var root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        root.put("version", "2.0.0");
        root.putArray("participants").addObject().put("id", "p1");
        var c = root.putArray("conversations").addObject();
        c.put("id", "c1");
        c.put("platform", "signal");
        c.putArray("participants").add("p1");
        var e = root.putArray("events").addObject();
        e.put("type", "message");
        e.put("conversation", "c1");
        e.put("participant", "p2");
        e.put("timestamp", "2024-03-09T10:00:00.000Z");
        ManifestMapper.Mapped bad = new ManifestMapper.Mapped(root, "text", List.of(), List.of());
        RsmfValidationException ex = assertThrows(RsmfValidationException.class, () -> RsmfFileWriter.write(
                tmp.resolve("x.rsmf"), "x.rsmf", bad, tmp, new RsmfFileWriter.Headers("g", "Signal", null, "p1", "s",
                        null, "UTC", null, "signal"), RsmfOptions.MAX_BYTES));
        assertTrue(ex.report().has("ManifestInvalidEventParticipant"), ex.getMessage());
        assertTrue(ex.getMessage().contains("ManifestInvalidEventParticipant"));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }
        // A file attachment the zip does not carry fails too.
        e.put("participant", "p1");
        e.putArray("attachments").addObject().put("id", "missing.pdf");
        RsmfValidationException ex2 = assertThrows(RsmfValidationException.class, () -> RsmfFileWriter.write(
                tmp.resolve("x.rsmf"), "x.rsmf", bad, tmp, new RsmfFileWriter.Headers("g", "Signal", null, "p1", "s",
                        null, "UTC", null, "signal"), RsmfOptions.MAX_BYTES));
        assertTrue(ex2.report().has("AttachmentNotFound"), ex2.getMessage());
    }

    @Test
    void everyEventHasAParticipantEvenWhenTheSourceNamesNone(@TempDir Path tmp) throws IOException {
        // Relativity's validator warns about an event without a participant (ManifestUndefinedParticipantId and
        // ManifestInvalidEventParticipant); the source's sender-less calls and notices are attributed instead.
        Path a = tmp.resolve("a");
        RsmfFixture.withoutSenders(a);
        render(a, RsmfOptions.defaults(), null);
        Map<String, JsonNode> events = new TreeMap<>();
        for (Path f : rsmfFiles(a.resolve("rsmf"))) {
            RsmfReport r = RsmfCheck.strict().checkFile(f);
            assertTrue(r.problems().isEmpty(), f + ": " + r.problems());
            JsonNode m = manifestOf(f);
            for (JsonNode e : m.get("events")) {
                events.put(e.get("id").asText(), e);
                List<String> members = new ArrayList<>();
                m.get("conversations").get(0).get("participants").forEach(p -> members.add(p.asText()));
                assertTrue(members.contains(e.path("participant").asText()), e.toString());
            }
        }
        assertEquals(Set.of("call-in", "call-out", "notice"), events.keySet());
        assertEquals(RsmfFixture.ALICE, events.get("call-in").get("participant").asText(), "the other side called");
        assertEquals(RsmfFixture.OWNER, events.get("call-out").get("participant").asText(), "the custodian called");
        assertEquals(RsmfFixture.OWNER, events.get("notice").get("participant").asText(), "recorded by the custodian");
        for (JsonNode e : events.values()) {
            assertTrue(e.get("custom").toString().contains("not recorded in the source; attributed to "), e.toString());
        }
    }

    @Test
    void theShippedSchemaIsThePublishedOne() throws IOException {
        Path published = Conformance.require().resolve("RSMFManifestSchema/rsmf_schema_2_0_0.json");
        try (InputStream in = RsmfCheck.class.getResourceAsStream(RsmfCheck.SCHEMA_RESOURCE)) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(published), in.readAllBytes()));
        }
        assertNotNull(RsmfCheck.class.getResource("rsmf_schema_2_0_0.LICENSE.txt"), "the licence travels with it");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static InputStream stream(String s) {
        return new ByteArrayInputStream(bytes(s));
    }

    static ZoneId zone(String id) {
        return ZoneId.of(id);
    }
}
