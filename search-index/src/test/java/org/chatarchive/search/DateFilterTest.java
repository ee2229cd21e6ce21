package org.chatarchive.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code before:}, {@code after:} and {@code on:} at the edges of days: before DATE began, after DATE ended, during
 * DATE, each read in the zone given (UTC, a half-hour offset, a day of 23 hours), to the millisecond.
 */
class DateFilterTest {

    static final String CONV = "signal-conv:dates";

    @TempDir
    static Path tmp;
    static ArchiveSearch search;

    /** Message ids to their instants: the last and first milliseconds around UTC midnights, and Berlin's DST night. */
    static final Map<String, String> AT = new LinkedHashMap<>();

    static {
        AT.put("d1", "2024-03-09T23:59:59.999Z");
        AT.put("d2", "2024-03-10T00:00:00Z");
        AT.put("d3", "2024-03-10T23:59:59.999Z");
        AT.put("d4", "2024-03-11T00:00:00Z");
        AT.put("d5", "2024-03-30T22:59:59.999Z"); // 23:59:59.999 on 30 March in Berlin
        AT.put("d6", "2024-03-30T23:00:00Z");     // 00:00 on 31 March in Berlin (+01:00)
        AT.put("d7", "2024-03-31T21:59:59.999Z"); // 23:59:59.999 on 31 March in Berlin (+02:00 since 03:00)
        AT.put("d8", "2024-03-31T22:00:00Z");     // 00:00 on 1 April in Berlin
    }

    @BeforeAll
    static void build() throws IOException {
        Conversation c = new Conversation(CONV, ConversationKind.GROUP, "Dates", List.of(Fixture.ME, Fixture.ALICE),
                null, "signal-desktop", null);
        List<Message> messages = new ArrayList<>();
        AT.forEach((id, at) -> messages.add(Fixture.text(id, CONV, Fixture.ALICE, Instant.parse(at).toEpochMilli(),
                "tick")));
        search = Fixture.indexed(tmp.resolve("archive"), c, messages);
    }

    @AfterAll
    static void close() throws IOException {
        search.close();
    }

    @ParameterizedTest(name = "[{index}] {0} in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            on:2024-03-10                          | UTC           | d2 d3
            before:2024-03-10                      | UTC           | d1
            after:2024-03-10                       | UTC           | d4 d5 d6 d7 d8
            after:2024-03-09 before:2024-03-11     | UTC           | d2 d3
            on:2024-03-09                          | UTC           | d1
            on:2024-03-11                          | UTC           | d4
            on:2024-03                             | UTC           | d1 d2 d3 d4 d5 d6 d7 d8
            before:2024-03                         | UTC           |
            after:2024-02                          | UTC           | d1 d2 d3 d4 d5 d6 d7 d8
            after:2024                             | UTC           |
            on:2024-03-31                          | UTC           | d7 d8
            # +05:30: 10 March is 2024-03-09T18:30Z to 2024-03-10T18:30Z
            on:2024-03-10                          | Asia/Kolkata  | d1 d2
            before:2024-03-10                      | Asia/Kolkata  |
            after:2024-03-10                       | Asia/Kolkata  | d3 d4 d5 d6 d7 d8
            # Berlin's 31 March 2024 has 23 hours
            on:2024-03-31                          | Europe/Berlin | d6 d7
            before:2024-03-31                      | Europe/Berlin | d1 d2 d3 d4 d5
            after:2024-03-31                       | Europe/Berlin | d8
            on:2024-03                             | Europe/Berlin | d1 d2 d3 d4 d5 d6 d7
            """)
    void daysAreReadInTheZone(String query, String zone, String expected) throws IOException {
        Set<String> want = Fixture.ids(expected);
        Set<String> got = new TreeSet<>();
        search.search(query + " tick", ZoneId.of(zone), SortOrder.OLDEST, 100).hits()
                .forEach(h -> got.add(h.messageId()));
        assertEquals(want, got, query + " in " + zone);
        assertEquals(want.size(), search.count(query, ZoneId.of(zone)), query + " in " + zone);
    }
}
