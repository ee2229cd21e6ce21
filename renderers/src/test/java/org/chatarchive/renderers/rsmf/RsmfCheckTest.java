package org.chatarchive.renderers.rsmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relativity's four deliberately broken samples are rejected, each for its own reason. */
class RsmfCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sample1ManifestWithoutParticipantIdIsASchemaViolation() throws IOException {
        Path m = Conformance.require().resolve("Documentation/Sample1/rsmf_manifest.json");
        RsmfReport r = RsmfCheck.lenient().checkManifest(Files.readAllBytes(m));
        assertEquals(RsmfReport.Result.Failed, r.result());
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("ManifestSchemaViolation")
                && p.where().equals("$.participants[0]") && p.message().contains("'id'")), r.problems().toString());
        // The published schema, used on its own, agrees.
        Set<ValidationMessage> v = RsmfRendererTest.publishedSchema().validate(JSON.readTree(m.toFile()));
        assertTrue(v.stream().anyMatch(x -> x.getType().equals("required") && x.getMessage().contains("id")), v.toString());
    }

    @Test
    void sample2ZipMissingItsAvatarPassesWithAWarning() throws IOException {
        Path z = Conformance.require().resolve("Documentation/Sample2/rsmf.zip");
        RsmfReport r = RsmfCheck.lenient().checkZip(z);
        assertEquals(RsmfReport.Result.PassedWithWarnings, r.result(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("AvatarNotFound") && p.where().equals("AV1")),
                r.problems().toString());
    }

    @Test
    void sample3RsmfWithASecondEmlAttachmentFails() throws IOException {
        Path f = Conformance.require().resolve("Documentation/Sample3/sample.rsmf");
        RsmfReport r = RsmfCheck.lenient().checkFile(f);
        assertEquals(RsmfReport.Result.Failed, r.result());
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("EmlExtraAttachment")
                && p.where().equals("avatar.png")), r.problems().toString());
        assertFalse(r.has("EmlMissingZip"), "its rsmf.zip is found: " + r.problems());
        // The strict gate also names what this project never writes: LF line ends, version not first.
        RsmfReport strict = RsmfCheck.strict().checkFile(f);
        assertTrue(strict.has("EmlLineEnding") && strict.has("EmlVersionNotFirst"), strict.problems().toString());
    }

    @Test
    void sample4IntegerIdUndefinedParticipantAndUndefinedProperty() throws IOException {
        Path m = Conformance.require().resolve("Documentation/Sample4/rsmf_manifest.json");
        RsmfReport r = RsmfCheck.lenient().checkManifest(Files.readAllBytes(m));
        assertEquals(RsmfReport.Result.Failed, r.result());
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("ManifestSchemaViolation")
                && p.where().equals("$.participants[0].id")), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("ManifestInvalidConversationParticipant")
                && p.message().contains("\"2\"")), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("ManifestUndefinedProperty")
                && p.where().equals("$.events[0].attachment")
                && p.severity() == RsmfProblem.Severity.WARNING), r.problems().toString());
        Set<ValidationMessage> v = RsmfRendererTest.publishedSchema().validate(JSON.readTree(m.toFile()));
        assertTrue(v.stream().anyMatch(x -> x.getType().equals("type")), v.toString());
    }

    @Test
    void offsetlessTimestampsAndEmptyCustomValuesFailTheSchema() {
        String m = "{\"version\":\"2.0.0\",\"participants\":[{\"id\":\"p1\",\"custom\":[{\"name\":\"n\",\"value\":\"\"}]}],"
                + "\"conversations\":[{\"id\":\"c1\",\"platform\":\"signal\",\"participants\":[\"p1\"]}],"
                + "\"events\":[{\"type\":\"message\",\"conversation\":\"c1\",\"participant\":\"p1\","
                + "\"timestamp\":\"2018-09-11T09:45:00\"}]}";
        RsmfReport r = RsmfCheck.lenient().checkManifest(m.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("TimestampWithoutOffset")
                && p.where().equals("$.events[0].timestamp")), r.problems().toString());
        assertTrue(RsmfCheck.strict().checkManifest(m.getBytes(java.nio.charset.StandardCharsets.UTF_8)).errors().stream()
                .anyMatch(p -> p.category().equals("TimestampWithoutOffset")));
        assertTrue(r.problems().stream().anyMatch(p -> p.category().equals("ManifestSchemaViolation")
                && p.where().equals("$.participants[0].custom[0].value")), r.problems().toString());
    }

    @Test
    void unreferencedZipFilesAndMissingAttachmentsFail(@TempDir Path tmp) throws IOException {
        Path zip = tmp.resolve("rsmf.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry(RsmfCheck.MANIFEST));
            z.write(("{\"version\":\"2.0.0\",\"participants\":[{\"id\":\"p1\"}],\"conversations\":[{\"id\":\"c1\","
                    + "\"platform\":\"signal\",\"participants\":[\"p1\"]}],\"events\":[{\"type\":\"message\","
                    + "\"conversation\":\"c1\",\"participant\":\"p1\",\"timestamp\":\"2024-01-01T00:00:00Z\","
                    + "\"parent\":\"nope\",\"attachments\":[{\"id\":\"a.pdf\"}]}]}").getBytes());
            z.putNextEntry(new java.util.zip.ZipEntry("stray.png"));
            z.write(1);
        }
        RsmfReport lenient = RsmfCheck.lenient().checkZip(zip);
        assertTrue(lenient.has("AttachmentNotFound") && lenient.has("UnreferencedFile"), lenient.problems().toString());
        assertTrue(lenient.problems().stream().anyMatch(p -> p.category().equals("ManifestInvalidParent")
                && p.severity() == RsmfProblem.Severity.WARNING));
        assertTrue(RsmfCheck.strict().checkZip(zip).problems().stream().anyMatch(p ->
                p.category().equals("ManifestInvalidParent") && p.severity() == RsmfProblem.Severity.ERROR));
    }

    /** An everyFeature file, rendered, whose header block is then rewritten by {@code edit}. */
    private static Path rewritten(Path tmp, String name, java.util.function.UnaryOperator<String> edit)
            throws IOException {
        Path a = tmp.resolve("archive");
        if (!Files.isDirectory(a)) {
            RsmfFixture.everyFeature(a);
            try (var log = org.chatarchive.renderers.production.CustodyLog.none()) {
                RsmfRenderer.render(a, RsmfOptions.defaults().withGenerator("chat-archive test"), log);
            }
        }
        Path f;
        try (var s = Files.list(a.resolve("rsmf"))) {
            f = s.filter(p -> p.toString().endsWith(".rsmf")).sorted().findFirst().orElseThrow();
        }
        String text = Files.readString(f, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        Path out = tmp.resolve(name + ".rsmf");
        Files.writeString(out, edit.apply(text.substring(0, end)) + text.substring(end), StandardCharsets.UTF_8);
        return out;
    }

    private static String participantsLine(String head) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("X-RSMF-Participants:.*?\r\n(?! )",
                java.util.regex.Pattern.DOTALL).matcher(head + "\r\n");
        assertTrue(m.find(), head);
        return m.group();
    }

    @Test
    void participantsHeaderIsReadAsRelativityReadsIt(@TempDir Path tmp) throws IOException {
        // What we write (UTF-8 names, folded after a comma) passes both checks.
        Path ours = rewritten(tmp, "ours", h -> h);
        String line = participantsLine(Files.readString(ours, StandardCharsets.UTF_8).substring(0,
                Files.readString(ours, StandardCharsets.UTF_8).indexOf("\r\n\r\n")));
        assertTrue(line.contains("Alice Åström 🌻"), line);
        assertTrue(RsmfCheck.strict().checkFile(ours).problems().isEmpty(), RsmfCheck.strict().checkFile(ours)
                .problems().toString());
        // Relativity's validator takes RFC 2047 encoded-words literally: an encoded list is a mismatch (a warning,
        // PassedWithWarnings), as is a name folded across two lines; the gate refuses both.
        String names = "Me Owner, Alice Åström 🌻, דוד כהן \"Dudi\"";
        Map<String, String> variants = Map.of(
                "encoded", "X-RSMF-Participants: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(
                        names.getBytes(StandardCharsets.UTF_8)) + "?=\r\n",
                "folded-inside-a-name", "X-RSMF-Participants: Me Owner, Alice\r\n Åström 🌻, דוד כהן \"Dudi\"\r\n",
                "one-missing", "X-RSMF-Participants: Me Owner, Alice Åström 🌻\r\n");
        for (var v : variants.entrySet()) {
            Path f = rewritten(tmp, v.getKey(), h -> h.replace(participantsLine(h).replaceAll("\r\n$", ""),
                    v.getValue().replaceAll("\r\n$", "")));
            RsmfReport lenient = RsmfCheck.lenient().checkFile(f);
            assertTrue(lenient.problems().stream().anyMatch(p -> p.category().equals("RSMFHeaderParticipantsMismatch")
                    && p.severity() == RsmfProblem.Severity.WARNING), v.getKey() + ": " + lenient.problems());
            assertTrue(lenient.errors().isEmpty(), v.getKey() + ": " + lenient.problems());
            assertTrue(RsmfCheck.strict().checkFile(f).errors().stream().anyMatch(p ->
                    p.category().equals("RSMFHeaderParticipantsMismatch")), v.getKey());
        }
        // Encoded-words in any X-RSMF- field are refused by the gate; UTF-8 elsewhere in the header too.
        Path custodian = rewritten(tmp, "custodian", h -> h.replace("X-RSMF-Application: Signal",
                "X-RSMF-Application: =?UTF-8?B?U2lnbmFs?="));
        assertTrue(RsmfCheck.strict().checkFile(custodian).has("EmlEncodedRsmfHeader"));
        assertTrue(RsmfCheck.lenient().checkFile(custodian).problems().isEmpty());
        Path subject = rewritten(tmp, "subject", h -> h.replaceFirst("(?m)^Subject: .*$", "Subject: Семья"));
        assertTrue(RsmfCheck.strict().checkFile(subject).has("EmlNonAsciiHeader"));
    }

    @Test
    void eventsNeedAParticipantWhoIsInTheirConversation() {
        String head = "{\"version\":\"2.0.0\",\"participants\":[{\"id\":\"p1\"},{\"id\":\"p2\"}],"
                + "\"conversations\":[{\"id\":\"c1\",\"platform\":\"signal\",\"participants\":[\"p1\"]}],\"events\":[";
        String t = ",\"conversation\":\"c1\",\"timestamp\":\"2024-01-01T00:00:00Z\"}";
        // No participant: Relativity warns ManifestUndefinedParticipantId (and ManifestInvalidEventParticipant).
        byte[] none = (head + "{\"type\":\"disclaimer\",\"body\":\"Missed call\"" + t + "]}")
                .getBytes(StandardCharsets.UTF_8);
        RsmfReport lenient = RsmfCheck.lenient().checkManifest(none);
        assertTrue(lenient.problems().stream().anyMatch(p -> p.category().equals("ManifestUndefinedParticipantId")
                && p.severity() == RsmfProblem.Severity.WARNING && p.where().equals("$.events[0].participant")),
                lenient.problems().toString());
        assertTrue(RsmfCheck.strict().checkManifest(none).errors().stream().anyMatch(p ->
                p.category().equals("ManifestUndefinedParticipantId")));
        // Defined, but not a member of the conversation and never joined it.
        byte[] outsider = (head + "{\"type\":\"message\",\"participant\":\"p2\"" + t + "]}")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(RsmfCheck.strict().checkManifest(outsider).errors().stream().anyMatch(p ->
                p.category().equals("ManifestInvalidEventParticipant")), RsmfCheck.strict().checkManifest(outsider)
                .problems().toString());
        // A join before the message makes them a member; a leave ends it.
        byte[] joined = (head + "{\"type\":\"join\",\"participant\":\"p2\"" + t + ",{\"type\":\"message\","
                + "\"participant\":\"p2\"" + t + "]}").getBytes(StandardCharsets.UTF_8);
        assertTrue(RsmfCheck.strict().checkManifest(joined).problems().isEmpty(),
                RsmfCheck.strict().checkManifest(joined).problems().toString());
        byte[] left = (head + "{\"type\":\"leave\",\"participant\":\"p1\"" + t + ",{\"type\":\"message\","
                + "\"participant\":\"p1\"" + t + "]}").getBytes(StandardCharsets.UTF_8);
        assertTrue(RsmfCheck.strict().checkManifest(left).has("ManifestInvalidEventParticipant"));
    }
}
