package org.chatarchive.cli;

import static org.chatarchive.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.chatarchive.fixtures.SignalProfiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.chatarchive.cli.Cli.Result;

/** {@code chat-archive index} and {@code search} end to end, on an export of the committed sample. */
class SearchCommandTest {

    @TempDir
    static Path tmp;
    static Path archive;

    @BeforeAll
    static void export() {
        archive = tmp.resolve("archive");
        Result r = run("export", SignalProfiles.committedSample().toString(), "--out", archive.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void exportBuildsTheIndexAndSearchFindsNonLatinText() {
        assertTrue(Files.isDirectory(archive.resolve("index")));
        Result r = run("search", archive.toString(), "привет", "--zone", "Europe/Berlin");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).matches("\\d+ hits? in \\d+ ms"), r.out());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\+0[12]:00  .* \"\\[Привет\\].*\"   "
                + "conversations/c-[0-9a-f]{16}\\.jsonl#m-[A-Za-z0-9_-]+"), lines.get(0));
        Result count = run("search", archive.toString(), "--count", "東京");
        assertEquals(0, count.code(), count.err());
        assertTrue(Long.parseLong(count.out().strip()) > 0, count.out());
    }

    @Test
    void aQueriesFileRunsEveryLineInOneProcessAndSaysHowLongTheyTook() throws Exception {
        Path terms = tmp.resolve("terms.txt");
        Files.writeString(terms, "# search terms\nпривет\n\n東京\n");
        Result counts = run("search", archive.toString(), "--queries-file", terms.toString(), "--count");
        assertEquals(0, counts.code(), counts.err());
        List<String> lines = counts.out().lines().toList();
        assertEquals(2, lines.size(), counts.out());
        assertEquals(run("search", archive.toString(), "--count", "東京").out().strip() + "\t東京", lines.get(1));
        assertTrue(counts.err().matches("(?s)2 queries in one process: p50 [\\d.]+ ms, p99 [\\d.]+ ms, slowest [\\d.]+ ms"
                + " \\(first [\\d.]+ ms\\)\\s*"), counts.err());

        Result hits = run("search", archive.toString(), "--queries-file", terms.toString());
        assertEquals(0, hits.code(), hits.err());
        assertTrue(hits.out().startsWith("# привет\n"), hits.out());
        assertTrue(hits.out().contains("\n# 東京\n"), hits.out());

        assertEquals(2, run("search", archive.toString(), "привет", "--queries-file", terms.toString()).code());
        assertEquals(2, run("search", archive.toString()).code());
    }

    @Test
    void jsonHasTheDocumentedFieldsInOrder() throws Exception {
        Result r = run("search", archive.toString(), "привет", "--json", "--limit", "1", "--context", "1",
                "--sort", "oldest", "--zone", "UTC");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        JsonNode hit = new ObjectMapper().readTree(lines.get(0));
        assertEquals(List.of("id", "conversationId", "conversation", "senderId", "sender", "instant", "epochMs", "text",
                "snippet", "highlights", "link", "score", "context"), iterate(hit.fieldNames()));
        assertTrue(hit.get("instant").asText().endsWith("Z"), hit.toString());
        assertTrue(hit.get("score").isNull());
        JsonNode span = hit.get("highlights").get(0);
        assertEquals("Привет", hit.get("snippet").asText().substring(span.get(0).asInt(), span.get(1).asInt()));
        assertTrue(hit.get("link").asText().endsWith("#" + org.chatarchive.model.Anchors.htmlAnchor(hit.get("id").asText())),
                hit.toString());
        long hits = 0;
        for (JsonNode c : hit.get("context")) {
            hits += c.get("hit").asBoolean() ? 1 : 0;
        }
        assertEquals(1, hits);
    }

    @Test
    void aSyntaxErrorIsAUsageErrorThatPointsAtIt() {
        Result r = run("search", archive.toString(), "cafe AND");
        assertEquals(ExitCode.USAGE, r.code());
        assertTrue(r.err().contains("the query ends too early"), r.err());
        assertTrue(r.err().contains("  cafe AND\n") && r.err().contains("         ^"), r.err());
        assertFalse(r.err().contains("at org."), r.err());
    }

    @Test
    void aMissingIndexSaysHowToBuildItAndIndexDoes() throws Exception {
        Path copy = tmp.resolve("copy");
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(archive.relativize(p).toString());
                if (!archive.relativize(p).startsWith("index")) {
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        }
        Result r = run("search", copy.toString(), "hello");
        assertEquals(ExitCode.SOURCE, r.code());
        assertTrue(r.err().contains("build it with: chat-archive index " + copy), r.err());
        Result index = run("index", copy.toString(), "--quiet");
        assertEquals(0, index.code(), index.err());
        assertTrue(index.out().contains("indexed (no index yet)"), index.out());
        Result again = run("index", copy.toString(), "--quiet");
        assertTrue(again.out().startsWith("up to date"), again.out());
        assertEquals(0, run("search", copy.toString(), "hello").code());
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
