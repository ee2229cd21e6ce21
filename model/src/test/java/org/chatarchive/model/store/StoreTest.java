package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;

class StoreTest {

    @TempDir
    Path tmp;

    @Test
    void sameContentGivesByteIdenticalTrees() throws Exception {
        CommittedArchive a = RichModel.write(tmp.resolve("one"), WriteOptions.defaults());
        CommittedArchive b = RichModel.write(tmp.resolve("two"), WriteOptions.defaults());
        Map<String, byte[]> first = tree(tmp.resolve("one"));
        Map<String, byte[]> second = tree(tmp.resolve("two"));
        assertEquals(first.keySet(), second.keySet());
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name), second.get(name), name);
        }
        assertEquals(a.archiveJsonSha256(), b.archiveJsonSha256());
        Schemas.validateArchive(tmp.resolve("one"));
        Schemas.validateArchive(tmp.resolve("two"));
        assertEquals(7, first.size(), first.keySet().toString()); // archive, participants, 3 conversations, 2 files
        for (Map.Entry<String, byte[]> e : first.entrySet()) {
            if (!e.getKey().startsWith("attachments/")) {
                String text = new String(e.getValue(), StandardCharsets.UTF_8);
                assertFalse(text.contains("\r"), e.getKey());
                assertFalse(text.contains("partial"), e.getKey());
                assertTrue(text.isEmpty() || text.endsWith("\n"), e.getKey());
            }
        }
    }

    @Test
    void contentAddressingKeepsOneFilePerContent() throws Exception {
        byte[] bytes = "hello attachment".getBytes(StandardCharsets.UTF_8);
        // SHA-256 of "hello attachment", computed independently (sha256sum).
        String sha = "7fa36b95d5c98859ed72b4787f3c28b29eaa103970786755c9711cbb19be631c";
        Path out = tmp.resolve("a");
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            StoredFile first = w.storeAttachment(new ByteArrayInputStream(bytes), "image/jpeg", "Photo.JPEG");
            StoredFile again = w.storeAttachment(new ByteArrayInputStream(bytes), "application/octet-stream", "other.png");
            StoredFile noName = w.storeAttachment(new ByteArrayInputStream(new byte[] {1, 2, 3}), "image/jpeg; q=1", null);
            StoredFile unknown = w.storeAttachment(new ByteArrayInputStream(new byte[] {4}), "application/x-what", "no ext.");
            StoredFile empty = w.storeAttachment(new ByteArrayInputStream(new byte[0]), null, "../../evil/name.$$$");
            assertEquals(new StoredFile(sha, bytes.length, "attachments/" + sha.substring(0, 2) + "/" + sha + ".jpeg"), first);
            assertEquals(first, again);
            assertTrue(noName.storePath().endsWith(".jpg"));
            assertTrue(unknown.storePath().endsWith(".bin"));
            assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", empty.sha256());
            assertEquals("attachments/e3/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.bin", empty.storePath());
            w.commit(header());
        }
        // written in the background: complete once committed
        assertArrayEquals(bytes, Files.readAllBytes(out.resolve("attachments/" + sha.substring(0, 2) + "/" + sha + ".jpeg")));
        try (Stream<Path> files = Files.walk(out.resolve("attachments"))) {
            assertEquals(4, files.filter(Files::isRegularFile).count(), "one file per distinct content, no temp files");
        }
        assertEquals(4, ArchiveReader.open(out).info().counts().get("attachmentFiles"));
        Schemas.validateArchive(out);
    }

    @Test
    void extensionRules() {
        assertEquals("jpg", ArchiveLayout.extension("a.JPG", "image/png"));
        assertEquals("png", ArchiveLayout.extension("no-extension", "image/png"));
        assertEquals("png", ArchiveLayout.extension("dir.d/file", "IMAGE/PNG"));
        assertEquals("bin", ArchiveLayout.extension(".hidden", null));
        assertEquals("bin", ArchiveLayout.extension("x.verylongextension", null));
        assertEquals("bin", ArchiveLayout.extension("x.t\u00e4r", null));
        assertEquals("m4a", ArchiveLayout.extension(null, "audio/mp4"));
        assertEquals("conversations/c-" + ArchiveLayout.sha256Hex("x".getBytes(StandardCharsets.UTF_8)).substring(0, 16)
                + ".jsonl", ArchiveLayout.messagesFile("x"));
    }

    @Test
    void abortAndUncommittedCloseLeaveNoTrace() throws Exception {
        Path out = tmp.resolve("a");
        Path staging;
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            staging = w.stagingDir();
            w.writeParticipants(RichModel.participants());
            w.storeAttachment(new ByteArrayInputStream(RichModel.PHOTO), "image/jpeg", null);
            ConversationWriter cw = w.beginConversation(conversation("signal-conv:x"));
            cw.write(Message.text("signal-msg:1", "signal-conv:x", null, Direction.INCOMING, 1L, null, "secret"));
            assertTrue(Files.isDirectory(staging));
            assertEquals(out.getParent(), staging.getParent());
            assertTrue(staging.getFileName().toString().startsWith(".a.partial-"));
            // no commit: the exception path of a run
        }
        assertFalse(Files.exists(staging));
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }

        ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults());
        w.abort();
        w.abort();
        assertFalse(Files.exists(w.stagingDir()));
        assertThrows(IllegalStateException.class, () -> w.writeParticipants(List.of()));
    }

    @Test
    void unfinishedConversationOrForeignMessageIsRefused() throws Exception {
        try (ArchiveWriter w = ArchiveWriter.create(tmp.resolve("a"), WriteOptions.defaults())) {
            ConversationWriter cw = w.beginConversation(conversation("signal-conv:x"));
            assertThrows(IllegalArgumentException.class, () -> cw.write(
                    Message.text("signal-msg:1", "signal-conv:other", null, Direction.INCOMING, 1L, null, "x")));
            assertThrows(IllegalStateException.class, () -> w.beginConversation(conversation("signal-conv:x")));
            assertThrows(IllegalStateException.class, () -> w.commit(header()));
        }
        assertFalse(Files.exists(tmp.resolve("a")));
    }

    @Test
    void refusesNonEmptyDirectoryUpFrontWithoutForce() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("a"));
        Files.writeString(out.resolve("keep.txt"), "precious");
        ArchiveExistsException e = assertThrows(ArchiveExistsException.class,
                () -> ArchiveWriter.create(out, WriteOptions.defaults()));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertTrue(e.getMessage().contains("another directory"), e.getMessage());
        assertEquals("precious", Files.readString(out.resolve("keep.txt")));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(out), left.toList(), "no staging directory was made");
        }
        Path file = Files.writeString(tmp.resolve("f"), "x");
        assertThrows(ArchiveExistsException.class, () -> ArchiveWriter.create(file, new WriteOptions(true)));
    }

    @Test
    void emptyDirectoryIsReplacedAndForceReplacesOldContentOnlyAtCommit() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("a"));
        RichModel.write(out, WriteOptions.defaults());
        assertTrue(Files.exists(out.resolve("archive.json")));
        Schemas.validateArchive(out);

        Files.writeString(out.resolve("old-file.txt"), "from last time");
        try (ArchiveWriter w = ArchiveWriter.create(out, new WriteOptions(true))) {
            w.writeParticipants(List.of());
            assertTrue(Files.exists(out.resolve("old-file.txt")), "old content stays while the new one is written");
            w.abort();
        }
        assertTrue(Files.exists(out.resolve("old-file.txt")), "an aborted forced run keeps the old archive");

        CommittedArchive c;
        try (ArchiveWriter w = ArchiveWriter.create(out, new WriteOptions(true))) {
            try (ConversationWriter cw = w.beginConversation(conversation("signal-conv:x"))) {
                cw.write(Message.text("signal-msg:1", "signal-conv:x", null, Direction.INCOMING, 5L, null, "new"));
                cw.finish();
            }
            c = w.commit(header());
        }
        assertFalse(Files.exists(out.resolve("old-file.txt")));
        assertEquals(1, c.info().conversations().size());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(out), left.toList(), "no staging or old directory left beside it");
        }
        Schemas.validateArchive(out);
    }

    @Test
    void filesAndDirectoriesArePrivate() throws Exception {
        assumeTrue(PrivateFiles.POSIX, "POSIX permissions");
        Path out = tmp.resolve("a");
        RichModel.write(out, WriteOptions.defaults());
        try (Stream<Path> all = Files.walk(out)) {
            for (Path p : all.toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", perms, out.relativize(p).toString());
            }
        }
    }

    @Test
    void countsGivenByTheCallerMustAgree() throws Exception {
        try (ArchiveWriter w = ArchiveWriter.create(tmp.resolve("a"), WriteOptions.defaults())) {
            ArchiveHeader bad = new ArchiveHeader("g", null, null, null, Map.of("messages", 3), null);
            assertThrows(IllegalArgumentException.class, () -> w.commit(bad));
        }
        try (ArchiveWriter w = ArchiveWriter.create(tmp.resolve("b"), WriteOptions.defaults())) {
            CommittedArchive c = w.commit(new ArchiveHeader("g", null, null, null, Map.of("messages", 0L), null));
            assertEquals(0, c.info().counts().get("messages"));
        }
        Schemas.validateArchive(tmp.resolve("b"));
    }

    static Conversation conversation(String id) {
        return new Conversation(id, ConversationKind.DIRECT, "T", List.of(), null, "test", null);
    }

    static ArchiveHeader header() {
        return new ArchiveHeader("chat-archive test", null, null, null, null, null);
    }

    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
