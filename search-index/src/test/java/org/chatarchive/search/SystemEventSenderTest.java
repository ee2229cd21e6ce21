package org.chatarchive.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.chatarchive.model.CallInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.SystemEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A system event is sent by its actor: {@code from:} finds group changes, calls and timer changes by whoever made
 * them, and a hit names the actor as its sender. An event's targets are not its senders, and an event without an
 * actor has no sender.
 */
class SystemEventSenderTest {

    static final String GROUP = "signal-conv:events";

    @TempDir
    static Path tmp;
    static ArchiveSearch search;

    @BeforeAll
    static void build() throws IOException {
        Conversation c = new Conversation(GROUP, ConversationKind.GROUP, "Events",
                List.of(Fixture.ME, Fixture.ALICE, Fixture.BOB, Fixture.ZOE), null, "signal-desktop", null);
        List<Message> m = new ArrayList<>();
        m.add(Fixture.text("t1", GROUP, Fixture.BOB, Fixture.at(2024, 5, 1, 10, 0), "hello everyone"));
        m.add(event("e1", null, 1, new SystemEvent(EventType.GROUP_CHANGE, Fixture.ALICE, List.of(Fixture.ZOE),
                "Alice Müller added Zoë Ângelo.", null, null, null)));
        m.add(event("e2", null, 2, new SystemEvent(EventType.CALL, Fixture.BOB, null, "Bob Stone started a group call.",
                new CallInfo("group", Direction.INCOMING, "missed", null, null), null, null)));
        m.add(event("e3", null, 3, new SystemEvent(EventType.TIMER_CHANGE, Fixture.ME, null,
                "You set the disappearing message timer to 1 week.", null, 604_800, null)));
        m.add(event("e4", null, 4, new SystemEvent(EventType.SAFETY_NUMBER_CHANGE, null, List.of(Fixture.ZOE),
                "Your safety number with Zoë Ângelo changed.", null, null, null)));
        // A source that gives the event's message a sender: that sender it is.
        m.add(event("e5", Fixture.BOB, 5, new SystemEvent(EventType.TIMER_CHANGE, Fixture.BOB, null,
                "Bob Stone turned off disappearing messages.", null, 0, null)));
        search = Fixture.indexed(tmp.resolve("archive"), c, m);
    }

    static Message event(String id, String sender, int minute, SystemEvent e) {
        return Fixture.with(new Fixture.Builder(id, GROUP, sender, Direction.SYSTEM,
                Fixture.at(2024, 5, 1, 11, minute), null), b -> b.event = e);
    }

    @AfterAll
    static void close() throws IOException {
        search.close();
    }

    static Set<String> hits(String query) throws IOException {
        return Fixture.hits(search, query);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            from:alice                 | e1
            from:muller                | e1
            from:bob                   | t1 e2 e5
            from:me                    | e3
            from:zoe                   |
            from:bob call              | e2
            from:alice added           | e1
            -from:bob                  | e1 e3 e4
            timer                      | e3
            disappearing               | e3 e5
            """)
    void fromFindsEventsByTheirActor(String query, String expected) throws IOException {
        assertEquals(Fixture.ids(expected), hits(query), query);
    }

    @Test
    void aHitNamesTheActorAsSender() throws IOException {
        Hit group = search.search("added", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals("e1", group.messageId());
        assertEquals(Fixture.ALICE, group.senderId());
        assertEquals("Alice Müller", group.senderName());
        Hit call = search.search("call", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals(Fixture.BOB, call.senderId());
        Hit nobody = search.search("\"safety number\"", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals("e4", nobody.messageId());
        assertNull(nobody.senderId());
        assertNull(nobody.senderName());
    }
}
