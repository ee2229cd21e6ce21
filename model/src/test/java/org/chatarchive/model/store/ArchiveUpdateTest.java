package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;

class ArchiveUpdateTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondRunIsKeptOutWhileTheFirstHoldsTheLock() throws Exception {
        Path dir = tmp.resolve("a");
        try (ArchiveUpdate first = ArchiveUpdate.begin(dir)) {
            assertThrows(ArchiveLockedException.class, () -> ArchiveUpdate.begin(dir));
        }
        try (ArchiveUpdate again = ArchiveUpdate.begin(dir)) {
            assertEquals(ArchiveUpdate.Recovery.NOTHING, again.recovered());
        }
    }

    @Test
    void uncommittedChangesAreDiscardedAndCommittedOnesFinished() throws Exception {
        Path dir = tmp.resolve("b");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("archive.json"), "old");
        // A run that staged a file but never committed.
        Path txn = Files.createDirectories(dir.resolve(ArchiveUpdate.TXN));
        Files.writeString(txn.resolve("archive.json"), "new");
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            assertEquals(ArchiveUpdate.Recovery.ROLLED_BACK, u.recovered());
        }
        assertEquals("old", Files.readString(dir.resolve("archive.json")));
        // A run that committed and was killed after moving one of two files.
        Files.createDirectories(txn.resolve("conversations"));
        Files.writeString(txn.resolve("archive.json"), "new");
        Files.writeString(txn.resolve(ArchiveUpdate.COMMITTED), "committed\n");
        Files.createDirectories(dir.resolve("conversations"));
        Files.writeString(dir.resolve("conversations/c.jsonl"), "moved already");
        assertTrue(ArchiveUpdate.interrupted(dir));
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            assertEquals(ArchiveUpdate.Recovery.ROLLED_FORWARD, u.recovered());
        }
        assertEquals("new", Files.readString(dir.resolve("archive.json")));
        assertEquals("moved already", Files.readString(dir.resolve("conversations/c.jsonl")));
        assertFalse(ArchiveUpdate.interrupted(dir));
    }

    @Test
    void anAttachmentAlreadyInTheStoreIsNotStoredAgain() throws Exception {
        Path dir = tmp.resolve("c");
        StoredFile first;
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            first = u.storeAttachment(new java.io.ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)),
                    "text/plain", "a.txt");
            u.commit();
        }
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            StoredFile again = u.storeAttachment(new java.io.ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)),
                    "text/plain", "b.dat");
            assertEquals(first.storePath(), again.storePath());
            assertEquals(0, u.attachmentFilesAdded());
        }
    }

    static Message m(String id, long at, String body) {
        return Message.text(id, "conv", "p", Direction.INCOMING, at, null, body);
    }

    @Test
    void aMergeKeepsGoneMessagesInTheirPlaceAndLeavesAnUnchangedFileAlone() throws Exception {
        Path dir = tmp.resolve("d");
        Conversation c = new Conversation("conv", ConversationKind.DIRECT, "Chat", List.of(), null, null, null);
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir);
             ConversationMerge cm = new ConversationMerge(u, c, null, 1)) {
            for (String id : List.of("a", "b", "c")) {
                cm.put(m(id, id.charAt(0), id));
            }
            assertEquals(3, cm.finish().messageCount());
            u.commit();
        }
        String file = ArchiveLayout.messagesFile("conv");
        byte[] run1 = Files.readAllBytes(dir.resolve(file));
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir);
             ConversationMerge cm = new ConversationMerge(u, c, dir.resolve(file), 2)) {
            for (String id : List.of("a", "b", "c")) {
                assertEquals(ConversationMerge.Outcome.UNCHANGED, cm.put(m(id, id.charAt(0), id)));
            }
            cm.finish();
            assertFalse(cm.changed(), "nothing changed, so the archive keeps its file");
        }
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir);
             ConversationMerge cm = new ConversationMerge(u, c, dir.resolve(file), 3)) {
            cm.put(m("a", 'a', "a"));
            cm.put(m("c", 'c', "c edited"));
            cm.put(m("d", 'd', "d"));
            ConversationEntry e = cm.finish();
            assertEquals(4, e.messageCount());
            assertEquals(1, cm.added());
            assertEquals(1, cm.updated());
            assertEquals(1, cm.goneNow());
            u.commit();
        }
        List<String> lines = Files.readAllLines(dir.resolve(file));
        assertTrue(lines.get(1).startsWith("{\"id\":\"b\"") && lines.get(1).contains("\"goneFromSourceRun\":3"), lines.get(1));
        assertTrue(lines.get(2).contains("c edited") && lines.get(2).contains("\"revisions\""), lines.get(2));
        assertTrue(lines.get(3).contains("\"firstSeenRun\":3"), lines.get(3));
        assertFalse(java.util.Arrays.equals(run1, Files.readAllBytes(dir.resolve(file))));
    }
}
