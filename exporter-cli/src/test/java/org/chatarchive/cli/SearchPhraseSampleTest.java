package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.search.ArchiveSearch;
import org.chatarchive.search.Hit;
import org.chatarchive.search.SortOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phrases on the committed sample (eight languages in six scripts, CJK, Thai and Devanagari among them, emoji and
 * punctuation): any run of whole words of a message's text, quoted, finds that message; and system events are
 * found by their actor with {@code from:}.
 */
class SearchPhraseSampleTest {

    private static final Pattern WORDLIKE = Pattern.compile("[\\p{L}\\p{N}]");

    @TempDir
    Path tmp;

    private Path export() {
        Path archive = tmp.resolve("archive");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"export", SignalProfiles.committedSample().toString(), "--out",
                archive.toString(), "--quiet"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return archive;
    }

    @Test
    void anyRunOfWholeWordsOfAMessageFindsIt() throws Exception {
        Path archive = export();
        Random random = new Random(20240310);
        List<String> failures = new ArrayList<>();
        int messages = 0;
        int phrases = 0;
        try (ArchiveSearch search = ArchiveSearch.open(archive)) {
            ArchiveReader reader = ArchiveReader.open(archive);
            for (ConversationEntry e : reader.info().conversations()) {
                List<Message> all;
                try (Stream<Message> s = reader.messages(e)) {
                    all = s.toList();
                }
                for (Message m : all) {
                    if (m.body() == null || m.body().isBlank()) {
                        continue;
                    }
                    messages++;
                    // The message's conversation and UTC day keep the hits few; the phrase is what is tested.
                    String filters = " in:" + quoted(e.conversation().id()) + " on:"
                            + Instant.ofEpochMilli(m.timelineAt()).atZone(ZoneOffset.UTC).toLocalDate();
                    for (String phrase : slices(m.body().strip().split("\\s+"), random)) {
                        if (!WORDLIKE.matcher(phrase).find()) {
                            continue;
                        }
                        phrases++;
                        String query = quoted(phrase) + filters;
                        List<String> ids = search.search(query, ZoneOffset.UTC, SortOrder.OLDEST, 1000).hits().stream()
                                .map(Hit::messageId).toList();
                        if (!ids.contains(m.id())) {
                            failures.add(m.id() + " not found by " + query);
                        }
                    }
                }
            }
        }
        assertTrue(messages > 300, "messages with text: " + messages);
        assertTrue(phrases > 3000, "phrases: " + phrases);
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " failures");
    }

    /**
     * Runs of words to try: every run of up to four words, the whole text, and a few longer runs picked at random.
     */
    private static List<String> slices(String[] words, Random random) {
        List<String> out = new ArrayList<>();
        for (int from = 0; from < words.length; from++) {
            for (int to = from + 1; to <= Math.min(words.length, from + 4); to++) {
                out.add(String.join(" ", List.of(words).subList(from, to)));
            }
        }
        if (words.length > 4) {
            out.add(String.join(" ", words));
            for (int i = 0; i < 5; i++) {
                int from = random.nextInt(words.length - 4);
                int to = from + 5 + random.nextInt(words.length - from - 4);
                out.add(String.join(" ", List.of(words).subList(from, to)));
            }
        }
        return out;
    }

    @Test
    void systemEventsAreFoundByTheirActor() throws Exception {
        Path archive = export();
        ArchiveReader reader = ArchiveReader.open(archive);
        int events = 0;
        try (ArchiveSearch search = ArchiveSearch.open(archive)) {
            for (ConversationEntry e : reader.info().conversations()) {
                List<Message> withActor;
                try (Stream<Message> s = reader.messages(e)) {
                    withActor = s.filter(m -> m.event() != null && m.event().actorId() != null).toList();
                }
                for (Message m : withActor) {
                    String sender = m.senderId() != null ? m.senderId() : m.event().actorId();
                    String query = "from:" + quoted(sender) + " in:" + quoted(e.conversation().id());
                    List<Hit> hits = search.search(query, ZoneOffset.UTC, SortOrder.OLDEST, 10_000).hits();
                    Hit hit = hits.stream().filter(h -> h.messageId().equals(m.id())).findFirst().orElse(null);
                    assertTrue(hit != null, m.id() + " (" + m.event().type() + ") not found by " + query);
                    assertEquals(sender, hit.senderId(), m.id());
                    events++;
                }
            }
        }
        assertTrue(events >= 3, "events with an actor: " + events);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
