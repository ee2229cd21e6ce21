package org.chatarchive.renderers.rsmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
