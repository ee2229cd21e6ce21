package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import org.chatarchive.fixtures.SignalEraCorpus;
import org.chatarchive.fixtures.SignalProfiles;

/** {@code export} on a profile of every schema era: a valid archive, and every source row accounted for. */
class EraExportTest {

    static final java.util.List<String> ERAS = SignalEraCorpus.ERAS;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @FieldSource("ERAS")
    void everyRowIsExportedOrExcludedWithAReason(String era) throws Exception {
        Path profile = SignalProfiles.build(SignalEraCorpus.spec(era), tmp.resolve("profile"));
        Path out = tmp.resolve("archive");
        Cli.Result r = Cli.run("export", profile.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("every row accounted for"), r.out());
        ExportCommandTest.validate(out);

        JsonNode archive = new ObjectMapper().readTree(out.resolve("archive.json").toFile());
        long rows = 0;
        long exported = 0;
        long excluded = 0;
        for (JsonNode line : archive.at("/extra/accounting")) {
            assertTrue(line.path("unexplained").isMissingNode(), line.toString());
            rows += line.get("sourceRows").asLong();
            exported += line.get("exported").asLong();
            for (JsonNode n : line.path("excluded")) {
                excluded += n.asLong();
            }
        }
        assertEquals(rows, exported + excluded);
        long expected = SignalEraCorpus.messages(era) - SignalEraCorpus.stories(era);
        assertEquals(expected, exported, "messages the corpus writes for " + era + ", stories aside");
        assertEquals(expected, archive.at("/counts/messages").asLong());
        assertEquals(SignalEraCorpus.stories(era), archive.at("/counts/excluded.stories").asLong());
    }
}
