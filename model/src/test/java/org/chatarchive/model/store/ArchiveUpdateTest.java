package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /**
     * Whether an archived message has an attachment, wherever it sits, whose file is not stored: what a backup notes
     * again for a kept line (an attachment with no availability is a description only, meant to have no file).
     */
    private static boolean lacksAFile(Message m) {
        boolean[] lacks = new boolean[1];
        org.chatarchive.model.Attachments.forEach(m, a -> lacks[0] |= a.availability() != null
                && a.availability() != org.chatarchive.model.Availability.STORED);
        return lacks[0];
    }

    /** Writes {@code ms} as the first run's file of {@code c} in a new archive at {@code dir}; returns its entry. */
    private static ConversationEntry firstRun(Path dir, Conversation c, List<Message> ms) throws Exception {
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir);
             ConversationMerge cm = new ConversationMerge(u, c, null, 1)) {
            for (Message m : ms) {
                cm.put(m);
            }
            ConversationEntry e = cm.finish();
            u.commit();
            return e;
        }
    }

    static Message fromRow(String id, Long sentAt, Long receivedAt, String body, java.util.Map<String, Object> extra) {
        return new Message(id, "conv", "p", Direction.INCOMING, sentAt, receivedAt, null, body, null, null, null,
                null, null, null, null, null, null, null, null, null, extra, null);
    }

    /**
     * Lines kept by their source row are the archived bytes, and the conversation's entry counts them as it counts
     * messages put; a line that names a row twice (here inside a nested map) makes rows unusable.
     */
    @Test
    void linesKeptByRowAreTheArchivedBytesAndCountLikeMessagesPut() throws Exception {
        Path dir = tmp.resolve("rows");
        Conversation c = new Conversation("conv", ConversationKind.DIRECT, "Chat", List.of(), null, null, null);
        List<Message> ms = List.of(
                fromRow("a", null, 500L, "received only", java.util.Map.of("sourceRowId", "r-a")),
                fromRow("b", 2_000L, 2_100L, "b", java.util.Map.of("sourceRowId", "r-b", "z", "\"sourceRowId\":\"x")),
                fromRow("c", 3_000L, null, "c", java.util.Map.of("sourceRowId", "r-c")));
        String file = ArchiveLayout.messagesFile("conv");
        ConversationEntry written = firstRun(dir, c, ms);
        byte[] run1 = Files.readAllBytes(dir.resolve(file));
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir);
             ConversationMerge cm = new ConversationMerge(u, c, dir.resolve(file), 2, true)) {
            assertTrue(cm.rowsUsable(), "a row name inside a string does not count");
            assertEquals(java.util.Set.of("r-a", "r-b", "r-c"), cm.archivedRows());
            assertEquals("b", cm.archivedByRow("r-b").id());
            assertEquals(ConversationMerge.Kept.KEPT, cm.keepRow("r-a"));
            cm.put(ms.get(1));
            assertEquals(ConversationMerge.Kept.KEPT, cm.keepRow("r-c"));
            assertEquals(ConversationMerge.Kept.NOT_ARCHIVED, cm.keepRow("r-c"), "a line is kept once");
            assertEquals(ConversationMerge.Kept.NOT_ARCHIVED, cm.keepRow("r-none"));
            ConversationEntry e = cm.finish();
            assertEquals(written, e, "the same entry: count, first and last times");
            assertEquals(500L, e.firstAt());
            assertEquals(3, cm.unchanged());
            assertFalse(cm.changed(), "the same bytes, so the archive keeps its file");
        }
        assertArrayEquals(run1, Files.readAllBytes(dir.resolve(file)));
        // A nested map naming a row as well: which line is whose can no longer be told.
        Files.writeString(dir.resolve(file), Files.readString(dir.resolve(file)).replace("\"z\":",
                "\"y\":{\"sourceRowId\":\"r-q\"},\"z\":"));
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir);
             ConversationMerge cm = new ConversationMerge(u, c, dir.resolve(file), 2, true)) {
            assertFalse(cm.rowsUsable());
        }
    }

    /**
     * Kept lines are the archived bytes and are counted as messages put, whether the archived file is held in
     * memory or read line by line; each says whether it lacks a stored file as the line's bytes do.
     */
    @Test
    void linesKeptByRowFromMemoryOrFromTheFileSayWhetherTheyLackAFile() throws Exception {
        StoredFile photo = RichModel.stored(RichModel.PHOTO, "jpg");
        StoredFile pdf = RichModel.stored(RichModel.PDF, "pdf");
        int lacking = 0;
        int kept = 0;
        for (long hold : new long[] {ConversationMerge.HOLD_AT_MOST, 0}) {
            for (Conversation c : RichModel.conversations(true)) {
                List<Message> ms = new java.util.ArrayList<>();
                for (Message m : RichModel.messages(c.id(), photo, pdf, true)) {
                    var node = (com.fasterxml.jackson.databind.node.ObjectNode) CanonicalJson.mapper()
                            .readTree(CanonicalJson.lineBytes(m));
                    node.withObject("extra").put("sourceRowId", "row-" + ms.size());
                    ms.add(CanonicalJson.mapper().treeToValue(node, Message.class));
                }
                Path dir = tmp.resolve("lacking-" + hold + "-" + kept);
                ConversationEntry written = firstRun(dir, c, ms);
                String file = ArchiveLayout.messagesFile(c.id());
                byte[] run1 = Files.readAllBytes(dir.resolve(file));
                List<String> lines = List.of(new String(run1, StandardCharsets.UTF_8).split("\n"));
                try (ArchiveUpdate u = ArchiveUpdate.begin(dir);
                     ConversationMerge cm = new ConversationMerge(u, c, dir.resolve(file), 2, true, hold)) {
                    assertTrue(cm.rowsUsable());
                    for (int i = 0; i < ms.size(); i++) {
                        boolean lacks = lacksAFile(CanonicalJson.mapper().readValue(lines.get(i), Message.class));
                        lacking += lacks ? 1 : 0;
                        kept++;
                        assertEquals(lacks ? ConversationMerge.Kept.KEPT_LACKING_A_FILE : ConversationMerge.Kept.KEPT,
                                cm.keepRow("row-" + i), "line " + i);
                    }
                    assertEquals(written, cm.finish(), "the same entry: count, attachments, first and last times");
                    assertFalse(cm.changed());
                }
                assertArrayEquals(run1, Files.readAllBytes(dir.resolve(file)));
            }
        }
        assertTrue(lacking > 0 && lacking < kept, "lines lacking a file: " + lacking + " of " + kept);
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

    // ---- directory replacement

    private static void site(Path html, String... namesAndTexts) throws Exception {
        Files.createDirectories(html);
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            Path f = html.resolve(namesAndTexts[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, namesAndTexts[i + 1]);
        }
    }

    private static java.util.Map<String, String> tree(Path root) throws Exception {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.put(ArchiveUpdate.relative(root, p), Files.readString(p));
            }
        }
        return out;
    }

    private static final java.util.Map<String, String> OLD_SITE = java.util.Map.of("index.html", "old index",
            "c-1/p-1.html", "old page", "c-2/p-1.html", "kept page");
    private static final java.util.Map<String, String> NEW_SITE = java.util.Map.of("index.html", "new index",
            "c-2/p-1.html", "kept page", "c-3/p-1.html", "new page");

    private static void fill(Path root, java.util.Map<String, String> files) throws Exception {
        for (var e : files.entrySet()) {
            site(root, e.getKey(), e.getValue());
        }
    }

    @Test
    void aReplacedDirectoryTakesThePlaceOfTheOldOneOnCommit() throws Exception {
        Path dir = tmp.resolve("r");
        fill(dir.resolve("html"), OLD_SITE);
        Files.writeString(dir.resolve("archive.json"), "old");
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            Path staged = u.replaceDirectory("html");
            assertTrue(staged.startsWith(dir.resolve(ArchiveUpdate.TXN)), "staged inside the transaction folder");
            fill(staged, NEW_SITE);
            Files.delete(staged.resolve("c-2/p-1.html")); // an unchanged page is a link to the old one
            Files.createLink(staged.resolve("c-2/p-1.html"), dir.resolve("html/c-2/p-1.html"));
            u.write("archive.json", "new".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("html"), u.replacedDirectories());
            assertEquals(List.of("archive.json"), u.stagedFiles(), "the site is not among the staged files");
            assertEquals(List.of("html/c-2/p-1.html", "html/c-3/p-1.html", "html/index.html"),
                    u.replacedDirectoryFiles());
            assertTrue(u.isReplaced("html/c-1/p-1.html"));
            assertFalse(u.isReplaced("archive.json"));
            assertEquals(staged.resolve("index.html"), u.resolveAfterCommit("html/index.html"));
            assertEquals(u.staged("archive.json"), u.resolveAfterCommit("archive.json"));
            assertEquals(dir.resolve("participants.json"), u.resolveAfterCommit("participants.json"));
            Object inode = Files.getAttribute(dir.resolve("html/c-2/p-1.html"), "unix:ino");
            u.commit();
            assertEquals(inode, Files.getAttribute(dir.resolve("html/c-2/p-1.html"), "unix:ino"),
                    "a hard-linked file is the same file after the swap");
        }
        assertEquals(new java.util.TreeMap<>(NEW_SITE), tree(dir.resolve("html")));
        assertEquals("new", Files.readString(dir.resolve("archive.json")));
        assertFalse(ArchiveUpdate.interrupted(dir));
        // A directory the archive did not have is created.
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            fill(u.replaceDirectory("site2"), NEW_SITE);
            u.commit();
        }
        assertEquals(new java.util.TreeMap<>(NEW_SITE), tree(dir.resolve("site2")));
        assertThrows(IllegalArgumentException.class, () -> {
            try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
                u.replaceDirectory("../x");
            }
        });
    }

    @Test
    void anUncommittedDirectoryReplacementLeavesTheOldDirectory() throws Exception {
        Path dir = tmp.resolve("u");
        fill(dir.resolve("html"), OLD_SITE);
        // Closed without a commit.
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            fill(u.replaceDirectory("html"), NEW_SITE);
        }
        assertEquals(new java.util.TreeMap<>(OLD_SITE), tree(dir.resolve("html")));
        assertFalse(ArchiveUpdate.interrupted(dir));
        // Given up by the run before its commit (a failed render).
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            fill(u.replaceDirectory("html"), NEW_SITE);
            u.keepDirectory("html");
            assertEquals(List.of(), u.replacedDirectories());
            assertFalse(u.isReplaced("html/index.html"));
            u.commit();
        }
        assertEquals(new java.util.TreeMap<>(OLD_SITE), tree(dir.resolve("html")));
        // A run killed before its marker: the next begin throws the staged directory away.
        Path txn = dir.resolve(ArchiveUpdate.TXN);
        fill(txn.resolve(ArchiveUpdate.DIRECTORIES).resolve("new").resolve("html"), NEW_SITE);
        Files.writeString(txn.resolve("archive.json"), "new");
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            assertEquals(ArchiveUpdate.Recovery.ROLLED_BACK, u.recovered());
        }
        assertEquals(new java.util.TreeMap<>(OLD_SITE), tree(dir.resolve("html")));
        assertFalse(Files.exists(dir.resolve("archive.json")));
    }

    /** The states a commit can be killed in while swapping {@code html/}, made by hand; each is finished by recover. */
    enum SwapState {
        MARKER_ONLY, OLD_MOVED_ASIDE, NEW_MOVED_IN, OLD_PARTLY_DELETED, OLD_DELETED, OTHER_FILES_MOVED_ONLY,
        NO_OLD_DIRECTORY, NO_OLD_DIRECTORY_MOVED_IN
    }

    @Test
    void aDirectorySwapInterruptedAtAnyStepIsFinishedByTheNextRun() throws Exception {
        for (SwapState state : SwapState.values()) {
            Path dir = tmp.resolve("swap-" + state.name().toLowerCase(java.util.Locale.ROOT));
            Path html = dir.resolve("html");
            Path txn = dir.resolve(ArchiveUpdate.TXN);
            Path staged = txn.resolve(ArchiveUpdate.DIRECTORIES).resolve("new").resolve("html");
            Path aside = txn.resolve(ArchiveUpdate.DIRECTORIES).resolve("old").resolve("html");
            boolean hadOld = state != SwapState.NO_OLD_DIRECTORY && state != SwapState.NO_OLD_DIRECTORY_MOVED_IN;
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("archive.json"), "old");
            if (hadOld) {
                fill(html, OLD_SITE);
            }
            // What the run staged, and its marker.
            fill(staged, NEW_SITE);
            Files.createDirectories(aside.getParent());
            Files.writeString(txn.resolve("archive.json"), "new");
            Files.writeString(txn.resolve(ArchiveUpdate.COMMITTED), "committed\n");
            // How far its commit got.
            switch (state) {
                case MARKER_ONLY, NO_OLD_DIRECTORY -> { }
                case OTHER_FILES_MOVED_ONLY -> Files.move(txn.resolve("archive.json"), dir.resolve("archive.json"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                case OLD_MOVED_ASIDE -> Files.move(html, aside);
                case NEW_MOVED_IN, OLD_PARTLY_DELETED, OLD_DELETED -> {
                    Files.move(html, aside);
                    Files.move(staged, html);
                    if (state == SwapState.OLD_PARTLY_DELETED) {
                        Files.delete(aside.resolve("c-1/p-1.html"));
                        Files.delete(aside.resolve("c-1"));
                    } else if (state == SwapState.OLD_DELETED) {
                        PrivateFiles.deleteTree(aside);
                    }
                }
                case NO_OLD_DIRECTORY_MOVED_IN -> Files.move(staged, html);
            }
            assertEquals(ArchiveUpdate.Recovery.ROLLED_FORWARD, ArchiveUpdate.recover(dir), state.name());
            assertEquals(new java.util.TreeMap<>(NEW_SITE), tree(html), state.name());
            assertEquals("new", Files.readString(dir.resolve("archive.json")), state.name());
            assertFalse(ArchiveUpdate.interrupted(dir), state.name());
            // Recovering again finds nothing to do.
            assertEquals(ArchiveUpdate.Recovery.NOTHING, ArchiveUpdate.recover(dir), state.name());
        }
    }

    @Test
    void aReaderAfterCommitSeesTheStagedFilesAndTheArchivesOwnOtherwise() throws Exception {
        Path dir = tmp.resolve("o");
        Conversation a = new Conversation("a", ConversationKind.DIRECT, "A", List.of(), null, null, null);
        Conversation b = new Conversation("b", ConversationKind.DIRECT, "B", List.of(), null, null, null);
        ConversationEntry ea;
        ConversationEntry eb;
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            try (ConversationMerge cm = new ConversationMerge(u, a, null, 1)) {
                cm.put(Message.text("a1", "a", "p", Direction.INCOMING, 1L, null, "a1"));
                ea = cm.finish();
            }
            try (ConversationMerge cm = new ConversationMerge(u, b, null, 1)) {
                cm.put(Message.text("b1", "b", "p", Direction.INCOMING, 1L, null, "b1"));
                eb = cm.finish();
            }
            u.write(ArchiveLayout.ARCHIVE_JSON, CanonicalJson.prettyBytes(info(ea, eb)));
            u.commit();
        }
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            ConversationEntry ea2;
            try (ConversationMerge cm = new ConversationMerge(u, a, dir.resolve(ea.messagesFile()), 2)) {
                cm.put(Message.text("a1", "a", "p", Direction.INCOMING, 1L, null, "a1"));
                cm.put(Message.text("a2", "a", "p", Direction.INCOMING, 2L, null, "a2"));
                ea2 = cm.finish();
            }
            u.write(ArchiveLayout.ARCHIVE_JSON, CanonicalJson.prettyBytes(info(ea2, eb)));
            ArchiveReader after = u.readAfterCommit();
            assertEquals(2, after.info().conversations().get(0).messageCount());
            try (java.util.stream.Stream<Message> s = after.messages(after.info().conversations().get(0))) {
                assertEquals(List.of("a1", "a2"), s.map(Message::id).toList());
            }
            try (java.util.stream.Stream<Message> s = after.messages(after.info().conversations().get(1))) {
                assertEquals(List.of("b1"), s.map(Message::id).toList());
            }
            assertEquals(u.staged(ea.messagesFile()), after.resolve(ea.messagesFile()));
            assertEquals(dir.resolve(eb.messagesFile()), after.resolve(eb.messagesFile()));
            assertEquals(1, ArchiveReader.open(dir).info().conversations().get(0).messageCount(),
                    "the archive itself is as before until the commit");
        }
    }

    /**
     * The walk of an archive's files that a backup run starts when it takes the lock lists what {@code listFiles}
     * lists, with their sizes: never the lock, the transaction folder (what the run stages), the plaintext copy, the
     * index or the logs.
     */
    @Test
    void theWalkOfAnArchiveUnderWayListsItsFilesButNotWhatTheRunStages() throws Exception {
        Path dir = tmp.resolve("w");
        try (ArchiveUpdate u = ArchiveUpdate.begin(dir)) {
            fill(dir, java.util.Map.of("archive.json", "{}", "conversations/a.jsonl", "a\n", "notes.txt", "mine",
                    Manifest.FILE, "{}", ArchiveLayout.MIRROR_DIR + "/db.sqlite", "plain",
                    ArchiveLayout.INDEX_DIR + "/segments_1", "i", Manifest.LOGS_DIR + "/custody.log", "l",
                    "html/index.html", "<p>"));
            u.write("conversations/b.jsonl", "b\n".getBytes(StandardCharsets.UTF_8));
            java.util.SortedMap<String, java.nio.file.attribute.BasicFileAttributes> found =
                    Manifest.listFileAttributes(dir);
            assertEquals(List.of("archive.json", "conversations/a.jsonl", "html/index.html", "notes.txt"),
                    List.copyOf(found.keySet()));
            assertEquals(Manifest.listFiles(dir), List.copyOf(found.keySet()));
            assertEquals(4, found.get("notes.txt").size());
        }
    }

    private static org.chatarchive.model.ArchiveInfo info(ConversationEntry... entries) {
        return new org.chatarchive.model.ArchiveInfo(org.chatarchive.model.ArchiveInfo.FORMAT_VERSION, "test",
                List.of(), null, null, List.of(entries), java.util.Map.of(), java.util.Map.of());
    }
}
