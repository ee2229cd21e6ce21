package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;

class SchemaTest {

    @TempDir
    Path tmp;

    private static final String OK_LINE = "{\"id\":\"signal-msg:1\",\"conversationId\":\"signal-conv:c\",\"direction\":\"INCOMING\",\"sentAt\":1}";

    @Test
    void everyFileOfTheRichArchiveIsValid() throws Exception {
        Path out = tmp.resolve("a");
        RichModel.write(out, WriteOptions.defaults());
        long checked = Schemas.validateArchive(out);
        assertEquals(2 + 8, checked);
    }

    @Test
    void aPlainMessageIsValidAndTheNegativeCasesAreNot() throws Exception {
        assertTrue(Schemas.check(Schemas.MESSAGE, OK_LINE).isEmpty());
        assertTrue(Schemas.check(Schemas.MESSAGE, new String(CanonicalJson.lineBytes(
                Message.text("signal-msg:2", "signal-conv:c", null, Direction.SYSTEM, null, null, null)))).isEmpty());
        assertInvalid(OK_LINE.replace("}", ",\"surprise\":1}"), "surprise");
        assertInvalid(OK_LINE.replace("INCOMING", "SIDEWAYS"), "direction");
        assertInvalid(OK_LINE.replace("\"id\":\"signal-msg:1\",", ""), "id");
        assertInvalid(OK_LINE.replace("1}", "1,\"ranges\":[{\"start\":0,\"length\":1,\"style\":\"MENTION\"}]}"), "mentionId");
        assertInvalid(OK_LINE.replace("1}", "1,\"ranges\":[{\"start\":0,\"length\":1,\"style\":\"SHOUTING\"}]}"), "style");
        assertInvalid(OK_LINE.replace("1}", "1,\"attachments\":[{\"availability\":\"STORED\",\"sha256\":\"00\"}]}"), "sha256");
        assertInvalid(OK_LINE.replace("1}", "1,\"attachments\":[{\"availability\":\"STORED\",\"sha256\":\""
                + "0".repeat(64) + "\",\"size\":1,\"storePath\":\"../../etc/passwd\"}]}"), "storePath");
        assertInvalid(OK_LINE.replace("1}", "1,\"attachments\":[{\"availability\":\"FILE_MISSING\",\"storePath\":\"attachments/00/"
                + "0".repeat(64) + ".bin\"}]}"), "storePath");
        assertInvalid(OK_LINE.replace("1}", "1,\"event\":{\"type\":\"EARTHQUAKE\"}}"), "type");
        assertInvalid(OK_LINE.replace("1}", "1,\"attachments\":[]}"), "attachments");
        assertInvalid(OK_LINE.replace("1}", "1.5}"), "sentAt");
        assertInvalid(OK_LINE.replace("1}", "1,\"flags\":{\"viewOnce\":true,\"sparkly\":true}}"), "sparkly");
        assertTrue(Schemas.check(Schemas.MESSAGE, OK_LINE.replace("1}", "1,\"extra\":{\"any\":{\"thing\":[1,null]}}}")).isEmpty(),
                "extra is open");
        assertFalse(Schemas.check(Schemas.ARCHIVE, "{\"formatVersion\":2,\"generator\":\"x\",\"selection\":{},"
                + "\"counts\":{\"conversations\":0,\"messages\":0,\"attachments\":0,\"attachmentFiles\":0}}").isEmpty());
        assertTrue(Schemas.check(Schemas.ARCHIVE, "{\"formatVersion\":1,\"generator\":\"x\",\"selection\":{},"
                + "\"counts\":{\"conversations\":0,\"messages\":0,\"attachments\":0,\"attachmentFiles\":0}}").isEmpty());
        assertFalse(Schemas.check(Schemas.ARCHIVE, "{\"formatVersion\":1,\"generator\":\"x\",\"selection\":{},"
                + "\"counts\":{\"conversations\":0,\"messages\":-1,\"attachments\":0,\"attachmentFiles\":0}}").isEmpty());
        assertFalse(Schemas.check(Schemas.PARTICIPANTS, "{\"formatVersion\":1,\"participants\":[{\"id\":\"x\"}]}").isEmpty(),
                "ids are scoped");
    }

    private static void assertInvalid(String line, String mentioned) throws IOException {
        var errors = Schemas.check(Schemas.MESSAGE, line);
        assertFalse(errors.isEmpty(), "should be invalid: " + line);
        assertTrue(errors.stream().map(ValidationMessage::getMessage).anyMatch(m -> m.contains(mentioned)),
                mentioned + " not named in " + errors);
    }

    /** Every enum of the model is listed, constant for constant, under its own name in one schema's $defs. */
    @Test
    void schemaEnumsMatchTheModelEnums() throws Exception {
        Map<String, List<String>> inSchemas = new TreeMap<>();
        for (String file : Schemas.FILES) {
            JsonNode defs = Schemas.raw(file).path("$defs");
            defs.properties().forEach(e -> {
                if (e.getValue().has("enum")) {
                    List<String> constants = new ArrayList<>();
                    e.getValue().get("enum").forEach(c -> constants.add(c.asText()));
                    List<String> before = inSchemas.put(e.getKey(), constants);
                    assertEquals(null, before, e.getKey() + " is defined twice");
                }
            });
        }
        Map<String, List<String>> inCode = new TreeMap<>();
        for (Class<?> type : modelEnums()) {
            inCode.put(type.getSimpleName(), Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
        }
        assertTrue(inCode.size() >= 7, "found the model enums: " + inCode.keySet());
        assertEquals(inCode, inSchemas);
    }

    /** The enums in package org.chatarchive.model, found on disk so that a new one cannot be forgotten. */
    private static List<Class<?>> modelEnums() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(Direction.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/chatarchive/model");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName("org.chatarchive.model." + name.replace('$', '.').replace(".", "$"));
                if (type.isEnum()) {
                    out.add(type);
                }
            }
        }
        return out;
    }
}
