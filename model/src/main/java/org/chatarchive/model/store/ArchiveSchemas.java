package org.chatarchive.model.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * The archive format's JSON Schemas (shipped in this module's resources) and a check of a whole archive
 * directory against them: every JSON document, and every other file's content address.
 */
public final class ArchiveSchemas {

    /** The schemas' base URI; it maps to the bundled resources, nothing is fetched. */
    public static final String BASE = "https://chatarchive.org/schema/1/";
    static final String RESOURCES = "classpath:org/chatarchive/model/schema/";
    /** The schema files, by name. */
    public static final List<String> FILES = List.of("archive.schema.json", "participants.schema.json",
            "message.schema.json");

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, RESOURCES)));

    /** {@code archive.json}. */
    public static final JsonSchema ARCHIVE = load("archive.schema.json");
    /** {@code participants.json}. */
    public static final JsonSchema PARTICIPANTS = load("participants.schema.json");
    /** One line of a conversation's JSON Lines file. */
    public static final JsonSchema MESSAGE = load("message.schema.json");

    /**
     * The result of checking an archive.
     *
     * @param documents JSON documents checked (files plus message lines)
     * @param problems  one line per problem, naming the file (and line); empty when the archive is valid
     */
    public record Report(long documents, List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private ArchiveSchemas() {
    }

    private static JsonSchema load(String name) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(BASE + name));
        schema.initializeValidators(); // resolve every $ref now, so a broken one fails here
        return schema;
    }

    /** The raw schema document {@code name}. */
    public static JsonNode raw(String name) throws IOException {
        try (InputStream in = ArchiveSchemas.class.getResourceAsStream("/org/chatarchive/model/schema/" + name)) {
            return PLAIN.readTree(in);
        }
    }

    /** Validation messages for one JSON text against {@code schema}. */
    public static Set<ValidationMessage> check(JsonSchema schema, String json) throws IOException {
        return schema.validate(PLAIN.readTree(json));
    }

    /** Checks every file of the archive at {@code dir}. */
    public static Report check(Path dir) throws IOException {
        return check(dir, Long.MAX_VALUE);
    }

    /** As {@link #check(Path)}, checking at most the first {@code maxLines} lines of each conversation. */
    public static Report check(Path dir, long maxLines) throws IOException {
        List<String> problems = new ArrayList<>();
        long checked = 0;
        checkFile(ARCHIVE, dir, ArchiveLayout.ARCHIVE_JSON, problems);
        checkFile(PARTICIPANTS, dir, ArchiveLayout.PARTICIPANTS_JSON, problems);
        checked += 2;
        Path conversations = dir.resolve(ArchiveLayout.CONVERSATIONS_DIR);
        if (Files.isDirectory(conversations)) {
            try (Stream<Path> files = Files.list(conversations)) {
                for (Path file : files.sorted().toList()) {
                    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                        String line;
                        long n = 0;
                        while (n < maxLines && (line = in.readLine()) != null) {
                            n++;
                            Set<ValidationMessage> errors = check(MESSAGE, line);
                            if (!errors.isEmpty()) {
                                problems.add(dir.relativize(file) + " line " + n + ": " + errors);
                            }
                            checked++;
                        }
                    }
                }
            }
        }
        // Everything else, but for the renders, index and log beside the archive and a backup's private copy of
        // its source, is an attachment at its address.
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.equals(ArchiveLayout.ARCHIVE_JSON) || rel.equals(ArchiveLayout.PARTICIPANTS_JSON)
                        || rel.equals(Manifest.FILE) || rel.equals(ArchiveUpdate.LOCK)
                        || ArchiveLayout.MESSAGES_FILE.matcher(rel).matches()
                        || ArchiveLayout.besideTheArchive(rel) || rel.startsWith(ArchiveLayout.MIRROR_DIR + "/")) {
                    continue;
                }
                if (!ArchiveLayout.STORE_PATH.matcher(rel).matches()) {
                    problems.add(rel + ": not part of the archive format");
                    continue;
                }
                String name = p.getFileName().toString();
                String hash = ArchiveLayout.sha256Hex(Files.readAllBytes(p));
                if (!name.substring(0, name.indexOf('.')).equals(hash)) {
                    problems.add(rel + ": content SHA-256 is " + hash + ", not its name");
                }
            }
        }
        return new Report(checked, List.copyOf(problems));
    }

    private static void checkFile(JsonSchema schema, Path dir, String name, List<String> problems) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            problems.add(name + ": missing");
            return;
        }
        Set<ValidationMessage> errors = check(schema, Files.readString(file, StandardCharsets.UTF_8));
        if (!errors.isEmpty()) {
            problems.add(name + ": " + errors);
        }
    }
}
