package org.chatarchive.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every operator and filter of the query language against the fixture, by exact hit sets. */
class QueryLanguageTest {

    @TempDir
    static Path tmp;
    static ArchiveSearch search;

    @BeforeAll
    static void build() throws IOException {
        Path archive = Fixture.write(tmp.resolve("archive"));
        Indexer.update(archive, Indexer.Options.defaults());
        search = ArchiveSearch.open(archive);
    }

    @AfterAll
    static void close() throws IOException {
        search.close();
    }

    static Set<String> hits(String query, ZoneId zone) throws IOException {
        SearchResults r = search.search(query, zone, SortOrder.RELEVANCE, 100);
        Set<String> ids = new TreeSet<>();
        r.hits().forEach(h -> ids.add(h.messageId()));
        assertEquals(ids.size(), r.total(), "total of " + query);
        assertEquals(r.total(), search.count(query, zone), "count of " + query);
        return ids;
    }

    static Set<String> ids(String list) {
        return list.isBlank() ? Set.of() : new TreeSet<>(List.of(list.trim().split("\\s+")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # free text, case and accents
            cafe                              | m1 m2
            CAFÉ                              | m1 m2
            café                              | m1 m2
            cafe tomorrow                     | m1
            cafe AND tomorrow                 | m1
            tomorrow OR bakery                | m1 m2
            cafe -tomorrow                    | m2
            cafe NOT tomorrow                 | m2
            (tomorrow OR bakery) AND sure     | m2
            "see you at the cafe"             | m2
            "cafe see"                        | 
            "meet the"~2                      | m1
            bakery                            | m2
            beach                             | m3 m6
            beach*                            | m3 m6 m8
            BEACH*                            | m3 m6 m8
            favorite~                         | m17
            favorite                          |
            changed group name                | m12
            # non-Latin scripts
            привет                            | m13
            ВСТРЕЧА                           | m13
            встреч*                           | m13
            مرحبا                             | m14
            東京                              | m15
            タワー                             | m15
            東                                | m15
            東京タワー                         | m15
            京東                              |
            ερχεται                           | m16
            σοφια                             | m16
            ΣΟΦΊΑ                             | m16
            สวัสดี                             | m18
            # from:
            from:alice                        | m1 m3 m5 m7 m11 m12
            from:ALICE                        | m1 m3 m5 m7 m11 m12
            from:muller                       | m1 m3 m5 m7 m11 m12
            from:"alice müller"               | m1 m3 m5 m7 m11 m12
            from:alice.42                     | m1 m3 m5 m7 m11 m12
            from:5551234                      | m1 m3 m5 m7 m11 m12
            from:"+15551234567"               | m1 m3 m5 m7 m11 m12
            from:signal\\:bob                 | m6 m9 m10 m13 m17 m18
            from:zoe                          | m14 m15
            from:me                           | m2 m4 m8 m16
            from:nobody                       |
            from:ali*                         | m1 m3 m5 m7 m11 m12
            # in:
            in:family                         | m6 m7 m8 m9 m10 m11 m12
            in:работа                         | m13 m14 m15 m16 m17 m18
            in:РАБОТА                         | m13 m14 m15 m16 m17 m18
            in:alice                          | m1 m2 m3 m4 m5
            in:nowhere                        |
            # dates (Europe/Berlin)
            before:2023-03                    | m1 m2
            before:2023                       |
            on:2023-02-14                     | m1 m2
            on:2023-06-30                     | m3
            on:2023-07                        | m4 m5 m6 m7
            after:2023-06-30                  | m4 m5 m6 m7 m8 m9 m10 m11 m12
            after:2023                        | m10 m11 m12
            after:2023-03-03 before:2023-03-06 | m16 m17
            # has:
            has:attachment                    | m3 m7 m9 m10
            has:image                         | m3
            has:video                         | m9
            has:audio                         | m7
            has:voice                         | m7
            has:file                          | m10
            has:link                          | m4
            has:sticker                       | m11
            has:quote                         | m8
            has:reaction                      | m6
            HAS:IMAGE                         | m3
            # is:
            is:edited                         | m2
            is:deleted                        | m5
            is:outgoing                       | m2 m4 m8 m16
            is:incoming                       | m1 m3 m5 m6 m7 m9 m10 m11 m13 m14 m15 m17 m18
            # filename:
            filename:beach                    | m3
            filename:final                    | m9
            filename:report                   | m10
            filename:REPORT                   | m10
            filename:*.pdf                    | m10
            filename:rep*                     | m10
            filename:"report 2023"            | m10
            # combinations and negations
            from:bob after:2023-06 beach      | m6
            from:alice has:attachment         | m3 m7
            in:family -has:attachment         | m6 m8 m11 m12
            -is:incoming                      | m2 m4 m8 m12 m16
            NOT is:incoming                   | m2 m4 m8 m12 m16
            from:alice OR from:zoe            | m1 m3 m5 m7 m11 m12 m14 m15
            (from:bob OR from:zoe) in:работа -has:link | m13 m14 m15 m17 m18
            """)
    void query(String query, String expected) throws IOException {
        assertEquals(ids(expected == null ? "" : expected), hits(query, Fixture.BERLIN), query);
    }

    @Test
    void datesAreReadInTheGivenZone() throws IOException {
        // m4 is 2023-07-01 00:30 in Berlin, which is 2023-06-30 22:30 UTC.
        assertEquals(ids("m3"), hits("on:2023-06-30", Fixture.BERLIN));
        assertEquals(ids("m3 m4"), hits("on:2023-06-30", ZoneOffset.UTC));
    }

    @Test
    void sortsByDateBothWays() throws IOException {
        assertEquals(List.of("m12", "m11", "m7", "m5", "m3", "m1"), order("from:alice", SortOrder.NEWEST));
        assertEquals(List.of("m1", "m3", "m5", "m7", "m11", "m12"), order("from:alice", SortOrder.OLDEST));
        assertEquals(List.of("m12", "m11"), search.search("from:alice", Fixture.BERLIN, SortOrder.NEWEST, 2).hits()
                .stream().map(Hit::messageId).toList());
        assertEquals(6, search.search("from:alice", Fixture.BERLIN, SortOrder.NEWEST, 2).total());
    }

    private static List<String> order(String q, SortOrder order) throws IOException {
        return search.search(q, Fixture.BERLIN, order, 100).hits().stream().map(Hit::messageId).toList();
    }

    @Test
    void hitsCarryNamesTextSnippetAndLink() throws IOException {
        Hit h = search.search("perfect", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals("m6", h.messageId());
        assertEquals("Family \ud83c\udfd6", h.conversationTitle());
        assertEquals("Bob Stone", h.senderName());
        assertEquals("the beach was perfect, photos below", h.text());
        assertEquals("the beach was [perfect], photos below", h.snippet().marked("[", "]"));
        assertEquals(Fixture.at(2023, 7, 14, 18, 22), h.at());
        assertTrue(h.link().matches("conversations/c-[0-9a-f]{16}\\.jsonl#m-m6"), h.link());
    }

    @Test
    void anEditedMessageIsHighlightedInTheVersionThatMatched() throws IOException {
        Hit h = search.search("bakery", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals("Sure, see you at the cafe", h.text());
        assertEquals("Sure, see you at the [bakery]", h.snippet().marked("[", "]"));
    }

    @Test
    void aNameThatMatchesNobodyIsReported() throws IOException {
        assertEquals(List.of("from:nobody matches nobody in this archive"),
                search.search("from:nobody", Fixture.BERLIN, SortOrder.RELEVANCE, 10).notes());
    }

    @Test
    void contextComesFromTheStore() throws IOException {
        Hit h = search.search("has:video", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals(List.of("m8", "m9", "m10"), search.context(h, 1).stream().map(m -> m.id()).toList());
        Hit first = search.search("tomorrow", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals(List.of("m1", "m2", "m3"), search.context(first, 2).stream().map(m -> m.id()).toList());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            cafe AND                | 9  | the query ends too early
            (cafe                   | 6  | the query ends too early
            cafe)                   | 5  | unexpected ')'
            !!!                     | 2  | unexpected '!'
            "unclosed               | 1  | a quote or an escape (\\) is not closed
            foo:bar                 | 1  | unknown filter 'foo:'
            has:banana              | 5  | has:banana is not known
            is:happy                | 4  | is:happy is not known
            before:yesterday        | 1  | 'yesterday' is not a date
            on:2023-13              | 1  | is not a valid date
            has:ima*                | 1  | has: does not take patterns
            date:[2020 TO 2021]     | 0  | ranges [a TO b] are not supported
            '   '                   | 0  | the query is empty
            @#%                     | 0  | the query has nothing to search for
            """)
    void syntaxErrorsSayWhereAndWhat(String query, int column, String says) {
        QuerySyntaxException e = assertThrows(QuerySyntaxException.class,
                () -> search.search(query, Fixture.BERLIN, SortOrder.RELEVANCE, 10));
        assertTrue(e.getMessage().contains(says), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
    }
}
