package org.chatarchive.readers.signal.desktop;

import java.util.List;
import java.util.Map;

import org.chatarchive.fixtures.SignalProfileSpec;

/**
 * The same conversations written into a profile of each schema era, so that what the reader makes of each era
 * can be compared with the others and with a golden file.
 *
 * <p>Direct chat with quotes, mentions, styles, reactions, an edit, an attachment and a stale JSON read state;
 * a group with mentions, a quote, reactions and an attachment; a contact known only by phone number; Note to Self; a call; a timer change; a story (excluded by the
 * reader); the last two messages only in the WAL. Before 45 there are no stories, before 80 no edits (the
 * edited message is a plain one there), and in {@code v38} the group is a GV1 group.
 */
final class EraCorpus {

    static final List<String> ERAS = List.of("v38", "v80", "v1000", "v1300", "current");

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final String CAROL = "cccccccc-0000-4000-8000-000000000003";
    static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    static final long T0 = 1_690_000_000_000L;
    /** Messages only in the WAL, besides the story. */
    static final int IN_WAL = 2;

    private EraCorpus() {
    }

    /** Whether the era's schema has stories (45). */
    static boolean hasStories(String era) {
        return !era.equals("v38");
    }

    /** Whether the era's schema has edits (80). */
    static boolean hasEdits(String era) {
        return !era.equals("v38");
    }

    /** Message rows in the era's corpus, stories included. */
    static int messages(String era) {
        return 16 - (hasStories(era) ? 0 : 1);
    }

    /** Story rows in the era's corpus (the reader excludes them). */
    static int stories(String era) {
        return hasStories(era) ? 1 : 0;
    }

    /** The corpus as a spec for {@code era}; eras from 1270 on get their first {@code legacyRows} rows written the old way. */
    static SignalProfileSpec spec(String era) {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100").key(KEY).era(era);
        spec.item("pni", "PNI:eeeeeeee-0000-4000-8000-00000000000e");
        String self = spec.noteToSelf("c-self", "Owen Owner");
        String bob = spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        String carol = spec.privateChat("c-carol", "Carol Кэрол", "+15555550103", CAROL);
        // A contact known only by phone number: its messages name the sender by `source` alone.
        spec.conversation(Map.of("id", "c-dave", "type", "private", "profileName", "Dave Dial",
                "e164", "+15555550104"));
        String group = "c-group";
        if (era.equals("v38")) {
            // A GV1 group: members are conversation ids, no membersV2.
            spec.conversation(Map.of("id", group, "type", "group", "name", "Climbing 🧗",
                    "groupId", "Z3YxLWdyb3VwLWlk", "members", List.of(self, bob, carol),
                    "json", Map.of("groupVersion", 1, "members", List.of(self, bob, carol))));
        } else {
            spec.group(group, "Climbing 🧗", "Z3JvdXAtaWQtMzItYnl0ZXMtbG9uZy4uLi4uLi4uLi4=", List.of(self, bob, carol));
        }

        // The JSON read state is a stale copy (1 = unread); the column says read.
        spec.message(Map.of("conversationId", bob, "id", "b1", "type", "incoming", "sent_at", T0,
                "body", "Hi 👋 — ça va?", "json", Map.of("readStatus", 1)));
        spec.message(Map.of("conversationId", bob, "id", "b2", "type", "outgoing", "sent_at", T0 + 60_000,
                "body", "Fine, look:", "attachments", List.of(Map.of("contentType", "image/jpeg", "size", 48_213,
                        "fileName", "crag.jpg", "width", 1024, "height", 768, "path", "ab/abcdef0123"))));
        spec.incoming(bob, "b3", T0 + 120_000, "Bold and \uFFFC", null, Map.of(
                "bodyRanges", List.of(Map.of("start", 0, "length", 4, "style", 1),
                        Map.of("start", 9, "length", 1, "mentionAci", OWN)),
                "reactions", List.of(Map.of("emoji", "❤️", "fromId", self, "targetTimestamp", T0 + 120_000,
                        "timestamp", T0 + 130_000)),
                "quote", Map.of("id", T0 + 60_000, "authorAci", OWN, "text", "Fine, look:",
                        "attachments", List.of(Map.of("contentType", "image/jpeg", "fileName", "crag.jpg")),
                        "referencedMessageNotFound", false)));
        spec.outgoing(bob, "b4", T0 + 180_000, "second version", !hasEdits(era) ? Map.of() : Map.of(
                "editHistory", List.of(
                        Map.of("body", "second version", "timestamp", T0 + 200_000, "received_at_ms", T0 + 200_000),
                        Map.of("body", "first version", "timestamp", T0 + 180_000, "received_at_ms", T0 + 180_000)),
                "editMessageTimestamp", T0 + 200_000));
        spec.incoming(group, "g1", T0 + 240_000, "Привет \uFFFC!", CAROL, Map.of(
                "bodyRanges", List.of(Map.of("start", 7, "length", 1, "mentionAci", BOB),
                        Map.of("start", 0, "length", 6, "style", 2)),
                "reactions", List.of(
                        Map.of("emoji", "👍", "fromId", bob, "targetTimestamp", T0 + 240_000, "timestamp", T0 + 250_000),
                        Map.of("emoji", "😂", "fromId", self, "targetTimestamp", T0 + 240_000, "timestamp", T0 + 245_000))));
        spec.incoming(group, "g2", T0 + 300_000, "שלום", BOB, Map.of(
                "quote", Map.of("id", T0 + 240_000, "authorAci", CAROL, "text", "Привет \uFFFC!",
                        "bodyRanges", List.of(Map.of("start", 7, "length", 1, "mentionAci", BOB)),
                        "attachments", List.of(), "referencedMessageNotFound", false)));
        spec.message(Map.of("conversationId", group, "id", "g3", "type", "outgoing", "sent_at", T0 + 360_000,
                "body", "See you at 6", "attachments", List.of(Map.of("contentType", "application/pdf",
                        "size", 90_112, "fileName", "topo.pdf"))));
        spec.message(Map.of("conversationId", "c-dave", "id", "d1", "type", "incoming", "sent_at", T0 + 380_000,
                "body", "new number, who dis", "source", "+15555550104"));
        spec.message(Map.of("conversationId", carol, "id", "call1", "type", "call-history", "sent_at", T0 + 400_000,
                "json", Map.of("callId", "4242")));
        spec.call(Map.of("callId", "4242", "peerId", CAROL, "mode", "Direct", "type", "Video",
                "direction", "Outgoing", "status", "Accepted", "timestamp", T0 + 400_000,
                "endedTimestamp", T0 + 400_000 + 125_000));
        spec.message(Map.of("conversationId", carol, "id", "timer1", "type", "timer-notification",
                "sent_at", T0 + 500_000, "expireTimer", 604800,
                "json", Map.of("expirationTimerUpdate", Map.of("expireTimer", 604800, "sourceServiceId", CAROL))));
        spec.incoming(carol, "c2", T0 + 550_000, "vanishing soon", null, Map.of());
        spec.outgoing(self, "n1", T0 + 600_000, "note: buy rope");
        spec.outgoing(self, "n2", T0 + 610_000, "note: and chalk ~~no~~", Map.of(
                "bodyRanges", List.of(Map.of("start", 16, "length", 6, "style", 4))));
        spec.incoming(carol, "w1", T0 + 700_000, "only in the WAL");
        spec.outgoing(group, "w2", T0 + 710_000, "also in the WAL \uFFFC", Map.of(
                "bodyRanges", List.of(Map.of("start", 16, "length", 1, "mentionAci", CAROL))));
        if (hasStories(era)) {
            // Last, so that the messages before it get the same generated receive delays in every era.
            spec.message(Map.of("conversationId", bob, "id", "s1", "type", "story", "sent_at", T0 + 720_000,
                    "sourceServiceId", BOB, "json", Map.of("storyDistributionListId",
                            "00000000-0000-0000-0000-000000000000")));
        }
        spec.walUncheckpointed(IN_WAL + stories(era));
        if (era.equals("current") || era.equals("v1300")) {
            spec.legacyRows(4);
        }
        if (spec.messageCount() != messages(era)) {
            throw new IllegalStateException("corpus has " + spec.messageCount() + " messages");
        }
        return spec;
    }
}
