package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;

/** Test shorthands over {@link ArchiveSchemas}: validation that fails the test with every problem listed. */
final class Schemas {

    static final List<String> FILES = ArchiveSchemas.FILES;
    static final JsonSchema ARCHIVE = ArchiveSchemas.ARCHIVE;
    static final JsonSchema PARTICIPANTS = ArchiveSchemas.PARTICIPANTS;
    static final JsonSchema MESSAGE = ArchiveSchemas.MESSAGE;

    private Schemas() {
    }

    static JsonNode raw(String name) throws IOException {
        return ArchiveSchemas.raw(name);
    }

    static Set<ValidationMessage> check(JsonSchema schema, String json) throws IOException {
        return ArchiveSchemas.check(schema, json);
    }

    /** Validates every file of the archive at {@code dir}; returns how many JSON documents were checked. */
    static long validateArchive(Path dir) throws IOException {
        return validateArchive(dir, Long.MAX_VALUE);
    }

    /** As {@link #validateArchive(Path)}, checking at most the first {@code maxLines} lines of each conversation. */
    static long validateArchive(Path dir, long maxLines) throws IOException {
        ArchiveSchemas.Report report = ArchiveSchemas.check(dir, maxLines);
        assertEquals(List.of(), report.problems());
        return report.documents();
    }
}
