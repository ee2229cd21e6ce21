package org.chatarchive.readers.signal.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;

/**
 * Message features beyond plain text, one fixture row each: deleted for everyone, view-once (erased),
 * disappearing timers, payments, gift badges, story replies and reactions, and the one-line notifications.
 */
class SignalMessageFeaturesTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final long T0 = 1_710_000_000_000L;

    @TempDir
    static Path tmp;
    static List<Message> bob;

    @BeforeAll
    static void build() throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        spec.noteToSelf("c-self", "Owen Owner");
        String c = spec.privateChat("c-bob", "Bob Builder", "+15555550102", BOB);
        spec.incoming(c, "del", T0, null, null, Map.of("deletedForEveryone", true,
                "deletedForEveryoneTimestamp", T0 + 5_000));
        spec.message(Map.of("conversationId", c, "id", "vo", "type", "incoming", "sent_at", T0 + 1,
                "isViewOnce", 1, "isErased", 1));
        spec.message(Map.of("conversationId", c, "id", "exp", "type", "incoming", "sent_at", T0 + 2,
                "body", "this vanishes", "expireTimer", 3600, "expirationStartTimestamp", T0 + 10_000));
        spec.incoming(c, "pay", T0 + 3, null, null, Map.of("payment", Map.of("kind", 1, "note", "for the rope",
                "amountMob", "1.5")));
        spec.incoming(c, "gift", T0 + 4, null, null, Map.of("giftBadge", Map.of("state", "Redeemed", "level", 100)));
        spec.incoming(c, "sr", T0 + 5, "nice view!", null, Map.of("storyReplyContext",
                Map.of("authorAci", OWN, "messageId", "story-1")));
        spec.incoming(c, "sx", T0 + 6, null, null, Map.of("storyReaction",
                Map.of("emoji", "🔥", "targetAuthorAci", OWN, "targetTimestamp", T0 - 1000)));
        spec.message(Map.of("conversationId", c, "id", "key", "type", "keychange", "sent_at", T0 + 7,
                "json", Map.of("key_changed", c)));
        spec.message(Map.of("conversationId", c, "id", "ver", "type", "verified-change", "sent_at", T0 + 8,
                "json", Map.of("verifiedChanged", c, "verified", true, "local", true)));
        spec.message(Map.of("conversationId", c, "id", "prof", "type", "profile-change", "sent_at", T0 + 9,
                "json", Map.of("changedId", c, "profileChange", Map.of("type", "name", "oldName", "Bobby",
                        "newName", "Bob Builder"))));
        spec.message(Map.of("conversationId", c, "id", "num", "type", "change-number-notification",
                "sent_at", T0 + 10, "sourceServiceId", BOB));
        spec.message(Map.of("conversationId", c, "id", "merge", "type", "conversation-merge", "sent_at", T0 + 11,
                "json", Map.of("conversationMerge", Map.of("renderInfo", Map.of("type", "private",
                        "e164", "+15555550102")))));
        Path profile = SignalProfiles.build(spec, tmp.resolve("p"));
        try (SignalDesktopReader r = SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults())) {
            Conversation conv = r.conversations().stream().filter(x -> x.title().equals("Bob Builder"))
                    .findFirst().orElseThrow();
            bob = new ArrayList<>();
            r.messages(conv, bob::add);
        }
    }

    static Message byId(String id) {
        return bob.stream().filter(m -> id.equals(m.extra().get("sourceRowId"))).findFirst().orElseThrow();
    }

    @Test
    void deletedForEveryone() {
        Message m = byId("del");
        assertTrue(m.flags().deletedForEveryone());
        assertEquals(T0 + 5_000, m.flags().deletedAt());
        assertNull(m.body());
    }

    @Test
    void viewOnceAndErased() {
        Message m = byId("vo");
        assertTrue(m.flags().viewOnce());
        assertTrue(m.flags().erased());
        assertFalse(byId("exp").flags().viewOnce());
    }

    @Test
    void disappearingTimer() {
        Message m = byId("exp");
        assertEquals(3600, m.flags().expireTimerSeconds());
        assertEquals(T0 + 10_000, m.flags().expirationStartAt());
        assertNull(byId("vo").flags().expireTimerSeconds());
    }

    @Test
    void paymentsAndGiftBadgesAreKept() {
        @SuppressWarnings("unchecked")
        Map<String, Object> payment = (Map<String, Object>) byId("pay").extra().get("payment");
        assertEquals("for the rope", payment.get("note"));
        assertEquals("1.5", payment.get("amountMob"));
        @SuppressWarnings("unchecked")
        Map<String, Object> gift = (Map<String, Object>) byId("gift").extra().get("giftBadge");
        assertEquals("Redeemed", gift.get("state"));
    }

    @Test
    void storyRepliesAndReactionsNameTheStory() {
        Message reply = byId("sr");
        assertEquals("nice view!", reply.body());
        assertEquals(Map.of("authorId", "signal:" + OWN, "storyMessageId", "signal-msg:story-1"),
                reply.extra().get("storyReply"));
        assertEquals(Map.of("emoji", "🔥", "authorId", "signal:" + OWN, "storySentAt", T0 - 1000),
                byId("sx").extra().get("storyReaction"));
        assertNull(reply.extra().get("storyReplyContext"), "the raw context is replaced, not duplicated");
    }

    @Test
    void notificationsAreTypedEventsWithReadableText() {
        Message key = byId("key");
        assertEquals(Direction.SYSTEM, key.direction());
        assertEquals(EventType.SAFETY_NUMBER_CHANGE, key.event().type());
        assertEquals(List.of("signal:" + BOB), key.event().targetIds());
        assertEquals("The safety number with Bob Builder changed.", key.event().text());

        Message ver = byId("ver");
        assertEquals(EventType.VERIFIED_CHANGE, ver.event().type());
        assertEquals("Bob Builder was marked as verified.", ver.event().text());

        Message prof = byId("prof");
        assertEquals(EventType.PROFILE_CHANGE, prof.event().type());
        assertEquals("Bobby changed their name to Bob Builder.", prof.event().text());
        assertEquals("signal:" + BOB, prof.event().actorId());

        Message num = byId("num");
        assertEquals(EventType.NUMBER_CHANGE, num.event().type());
        assertEquals("Bob Builder changed their phone number.", num.event().text());

        Message merge = byId("merge");
        assertEquals(EventType.CONVERSATION_MERGE, merge.event().type());
        assertTrue(merge.event().details().containsKey("conversationMerge"));
    }
}
