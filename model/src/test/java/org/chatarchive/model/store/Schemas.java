package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The archive format's JSON Schemas, loaded from the model's resources, and checks of written archives. */
final class Schemas {

    static final String BASE = "https://chatarchive.org/schema/1/";
    static final String RESOURCES = "classpath:org/chatarchive/model/schema/";
    static final List<String> FILES = List.of("archive.schema.json", "participants.schema.json", "message.schema.json");

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, RESOURCES)));

    static final JsonSchema ARCHIVE = load("archive.schema.json");
    static final JsonSchema PARTICIPANTS = load("participants.schema.json");
    static final JsonSchema MESSAGE = load("message.schema.json");

    private Schemas() {
    }

    private static JsonSchema load(String name) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(BASE + name));
        schema.initializeValidators(); // resolve every $ref now, so a broken one fails here
        return schema;
    }

    static JsonNode raw(String name) throws IOException {
        try (var in = Schemas.class.getResourceAsStream("/org/chatarchive/model/schema/" + name)) {
            return PLAIN.readTree(in);
        }
    }

    static Set<ValidationMessage> check(JsonSchema schema, String json) throws IOException {
        return schema.validate(PLAIN.readTree(json));
    }

    /** Validates every file of the archive at {@code dir}; returns how many JSON documents were checked. */
    static long validateArchive(Path dir) throws IOException {
        return validateArchive(dir, Long.MAX_VALUE);
    }

    /** As {@link #validateArchive(Path)}, checking at most the first {@code maxLines} lines of each conversation. */
    static long validateArchive(Path dir, long maxLines) throws IOException {
        long checked = 0;
        assertValid(ARCHIVE, dir.resolve("archive.json"), 0, Files.readString(dir.resolve("archive.json")));
        assertValid(PARTICIPANTS, dir.resolve("participants.json"), 0, Files.readString(dir.resolve("participants.json")));
        checked += 2;
        try (Stream<Path> files = Files.list(dir.resolve("conversations"))) {
            for (Path file : files.sorted().toList()) {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    long n = 0;
                    while (n < maxLines && (line = in.readLine()) != null) {
                        assertValid(MESSAGE, file, ++n, line);
                        checked++;
                    }
                }
            }
        }
        // Everything else is an attachment at its content address.
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.equals("archive.json") || rel.equals("participants.json")
                        || ArchiveLayout.MESSAGES_FILE.matcher(rel).matches()) {
                    continue;
                }
                assertTrue(ArchiveLayout.STORE_PATH.matcher(rel).matches(), "unexpected file " + rel);
                String name = p.getFileName().toString();
                assertEquals(name.substring(0, name.indexOf('.')), ArchiveLayout.sha256Hex(Files.readAllBytes(p)), rel);
            }
        }
        return checked;
    }

    private static void assertValid(JsonSchema schema, Path file, long line, String json) throws IOException {
        Set<ValidationMessage> errors = check(schema, json);
        assertTrue(errors.isEmpty(), file.getFileName() + (line > 0 ? " line " + line : "") + ": " + errors);
    }
}
