package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.MessageRevision;
import org.chatarchive.model.Reaction;

class MessageMergeTest {

    static Message msg(String body, List<Reaction> reactions, List<EditVersion> edits, MessageFlags flags) {
        return new Message("m1", "c1", "p1", Direction.INCOMING, 1000L, 1001L, null, body, null, null, null,
                reactions, edits, null, flags, null, null, null, null, null, null);
    }

    @Test
    void anUnchangedMessageKeepsItsBytes() throws Exception {
        Message first = MessageMerge.added(msg("hi", null, null, null), 1);
        Message again = MessageMerge.merge(first, msg("hi", null, null, null), 2);
        assertEquals(new String(CanonicalJson.lineBytes(first)), new String(CanonicalJson.lineBytes(again)));
        assertEquals(1, again.archive().firstSeenRun());
    }

    @Test
    void editVersionsAreKeptOnceEach() {
        EditVersion v1 = new EditVersion(1000L, 1001L, "hi", null, null);
        EditVersion v2 = new EditVersion(2000L, 2001L, "hi!", null, null);
        Message run1 = MessageMerge.added(msg("hi!", null, List.of(v1, v2), null), 1);
        // The app forgot the first version; a later edit adds a third.
        EditVersion v3 = new EditVersion(3000L, 3001L, "hi!!", null, null);
        Message run2 = MessageMerge.merge(run1, msg("hi!!", null, List.of(v2, v3), null), 2);
        assertEquals(List.of(v1, v2, v3), run2.edits());
        assertTrue(run2.archive().revisions().isEmpty(), "the old body is in the edit history already");
        Message run3 = MessageMerge.merge(run2, msg("hi!!", null, List.of(v2, v3), null), 3);
        assertEquals(3, run3.edits().size());
    }

    @Test
    void aRemovedReactionAndAReadStateChangeAreKeptAsRevisions() {
        Reaction r = new Reaction("p2", "👍", 1500L);
        MessageFlags unread = new MessageFlags(false, false, null, null, false, null, false);
        MessageFlags read = new MessageFlags(false, false, null, null, false, null, true);
        Message run1 = MessageMerge.added(msg("hi", List.of(r), null, unread), 1);
        Message run2 = MessageMerge.merge(run1, msg("hi", null, null, read), 2);
        assertTrue(run2.reactions().isEmpty());
        MessageRevision rev = run2.archive().revisions().get(0);
        assertEquals(2, rev.run());
        assertEquals(List.of("reactions", "flags"), rev.fields());
        assertEquals(List.of(r), rev.previous().reactions());
        assertEquals(Boolean.FALSE, rev.previous().flags().read());
        assertEquals("m1", rev.previous().id());
        assertNull(rev.previous().body(), "unchanged properties are not repeated");
    }

    @Test
    void deletedForEveryoneKeepsTheBodyItHad() {
        Message run1 = MessageMerge.added(msg("secret", null, null, null), 1);
        MessageFlags deleted = new MessageFlags(false, false, null, null, true, 5000L, null);
        Message run2 = MessageMerge.merge(run1, msg(null, null, null, deleted), 2);
        assertNull(run2.body());
        MessageRevision rev = run2.archive().revisions().get(0);
        assertEquals(List.of("body", "flags"), rev.fields());
        assertEquals("secret", rev.previous().body());
    }

    @Test
    void goneIsMarkedOnceWithTheLastRunThatSawIt() {
        Message run1 = MessageMerge.added(msg("hi", null, null, null), 1);
        Message gone = MessageMerge.gone(run1, 4);
        assertEquals(3, gone.archive().lastSeenRun());
        assertEquals(4, gone.archive().goneFromSourceRun());
        assertEquals(1, gone.archive().firstSeenRun());
        assertSame(gone, MessageMerge.gone(gone, 5));
        Message back = MessageMerge.merge(gone, msg("hi", null, null, null), 6);
        assertNull(back.archive().goneFromSourceRun(), "a message the source has again is no longer gone");
    }
}
