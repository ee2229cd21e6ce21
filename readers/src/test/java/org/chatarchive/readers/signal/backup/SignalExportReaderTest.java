package org.chatarchive.readers.signal.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.source.SourceException;

/**
 * The plaintext export reader on main.jsonl written by libsignal's own BackupJsonExporter (the code Signal Desktop
 * and Android use) from frames that libsignal validated.
 */
class SignalExportReaderTest {

    static final String ALICE = "signal:" + BackupFixture.ALICE;
    static final String BOB = "signal:" + BackupFixture.BOB;
    static final String OWNER = "signal:" + BackupFixture.OWNER;

    @TempDir
    static Path shared;
    static BackupFixture fixture;
    static byte[] jsonl;

    @BeforeAll
    static void export() throws Exception {
        fixture = BackupFixture.standard();
        Path out = shared.resolve("main.jsonl");
        JsonNode r = Oracle.exportJsonl(fixture, out);
        assertTrue(r.path("ok").asBoolean(), r.toString());
        assertEquals(0, r.path("dropped").asInt());
        jsonl = Files.readAllBytes(out);
    }

    /** Lays the export out as Desktop does: {@code signal-export-<time>/main.jsonl} and {@code files/xx/name.ext}. */
    static Path layout(Path dir, boolean nested) throws Exception {
        Path export = Files.createDirectories(dir.resolve("signal-export-2026-01-02-10-00-00"));
        Path mainDir = nested ? Files.createDirectories(export.resolve("signal-backup-2026-01-02-10-00-00")) : export;
        Files.write(mainDir.resolve("main.jsonl"), jsonl);
        Files.writeString(mainDir.resolve("metadata.json"), "{\"version\":1}");
        for (BackupFixture.MediaFile m : fixture.media.values()) {
            Path d = Files.createDirectories(export.resolve("files").resolve(m.mediaName().substring(0, 2)));
            Files.write(d.resolve(m.mediaName() + "." + m.extension()), m.plaintext());
        }
        return dir;
    }

    static Map<String, List<Message>> read(SignalBackupReader r) throws SourceException {
        Map<String, List<Message>> out = new java.util.LinkedHashMap<>();
        for (Conversation c : r.conversations()) {
            List<Message> ms = new ArrayList<>();
            r.messages(c, ms::add);
            out.put(c.id(), ms);
        }
        return out;
    }

    @Test
    void readsEveryKindFromLibsignalsExport(@TempDir Path dir) throws Exception {
        Path root = layout(dir, false);
        assertTrue(SignalBackupReader.looksLike(root));
        try (SignalBackupReader r = SignalBackupReader.open(root, SignalBackupReader.Options.defaults())) {
            assertEquals("signal-export", r.info().type());
            assertEquals("Desktop 8.20.0", r.info().appVersion());
            assertEquals(OWNER, r.ownerId(), "the owner is inferred from the group membership");
            assertEquals("Olivia Owner", r.participants().get(0).displayName());
            assertTrue(r.participants().get(0).owner());

            Map<String, String> names = new java.util.HashMap<>();
            r.participants().forEach(p -> names.put(p.id(), p.displayName() + "/" + p.nameSource()));
            assertEquals("Alice Anders/system-contact", names.get(ALICE));
            assertEquals("Bobby/nickname", names.get(BOB));
            assertEquals("Carol/profile", names.get("signal-phone:+15551230003"));

            List<Conversation> convs = r.conversations();
            assertEquals(6, convs.size());
            String group = "signal-group:" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(BackupFixture.MASTER_KEY);
            Conversation g = convs.stream().filter(c -> c.id().equals(group)).findFirst().orElseThrow();
            assertEquals(ConversationKind.GROUP, g.kind());
            assertEquals("Family 🏡", g.title());
            assertEquals(List.of(OWNER, ALICE, BOB), g.participantIds());
            assertTrue(convs.stream().anyMatch(c -> c.id().equals("signal-note:self")
                    && c.kind() == ConversationKind.NOTE_TO_SELF));
            assertTrue(convs.stream().anyMatch(c -> c.id().equals("signal-direct:+15551230003")
                    && Boolean.TRUE.equals(c.extra().get("archived"))));

            Map<String, List<Message>> all = read(r);
            assertEquals(r.messageCountHint(), all.values().stream().mapToLong(List::size).sum());
            List<Message> alice = all.get("signal-direct:" + BackupFixture.ALICE);
            assertEquals(20, alice.size());

            Message hello = alice.get(0);
            assertEquals(Direction.INCOMING, hello.direction());
            assertEquals(ALICE, hello.senderId());
            assertEquals(BackupFixture.T0 + 1000, hello.sentAt());
            assertEquals(BackupFixture.T0 + 1100, hello.receivedAt());
            assertEquals(BackupFixture.T0 + 1050, hello.serverAt());
            assertEquals(RangeStyle.BOLD, hello.ranges().get(0).style());
            assertEquals(6, hello.ranges().get(0).start());
            assertEquals(OWNER, hello.reactions().get(0).participantId());
            assertEquals("👍", hello.reactions().get(0).emoji());
            assertEquals("signal-sent:signal-direct:" + BackupFixture.ALICE + "/" + ALICE + "/"
                    + (BackupFixture.T0 + 1000), hello.id());

            Message reply = alice.get(1);
            assertEquals(Direction.OUTGOING, reply.direction());
            assertEquals(hello.id(), reply.quote().messageId(), "the quote points at the message by its identity");
            assertEquals(DeliveryStatus.READ, reply.receipts().get(0).status());
            assertEquals(ALICE, reply.receipts().get(0).participantId());

            Message edited = alice.get(2);
            assertEquals("See you at 8", edited.body());
            assertEquals(List.of("See you at 7", "See you at 7:30"),
                    edited.edits().stream().map(e -> e.body()).toList());

            Attachment photo = alice.get(3).attachments().get(0);
            assertEquals("beach.jpg", photo.fileName());
            assertEquals("the beach", photo.caption());
            assertEquals(AttachmentKind.IMAGE, photo.kind());
            assertEquals(640, photo.width());
            assertNull(photo.availability());
            try (InputStream in = r.openAttachment(photo)) {
                assertArrayEquals(fixture.media.values().iterator().next().plaintext(), in.readAllBytes());
            }
            Attachment voice = alice.get(4).attachments().get(0);
            assertEquals(AttachmentKind.VOICE_NOTE, voice.kind());
            assertEquals(Availability.FILE_MISSING, voice.availability(), "absent from files/: recorded, not fatal");

            Message longText = alice.get(5);
            assertEquals(3008, longText.body().length());
            assertTrue(longText.body().endsWith(" the end"));
            assertEquals("Signal", alice.get(6).previews().get(0).title());
            assertEquals(3, alice.get(7).sticker().stickerId());
            assertEquals("🐱", alice.get(7).sticker().emoji());
            assertEquals("Dora D", alice.get(8).contacts().get(0).displayName());
            assertEquals(List.of("+15551230099"), alice.get(8).contacts().get(0).phones());
            assertTrue(alice.get(9).flags().deletedForEveryone());
            assertTrue(alice.get(10).flags().viewOnce());
            assertTrue(alice.get(10).flags().erased());
            assertEquals("for lunch", ((Map<?, ?>) alice.get(11).extra().get("payment")).get("note"));
            assertEquals("😂", alice.get(12).body());
            assertEquals(Boolean.TRUE, alice.get(12).extra().get("storyReply"));

            Message call = alice.get(13);
            assertEquals(Direction.SYSTEM, call.direction());
            assertEquals(EventType.CALL, call.event().type());
            assertEquals("video", call.event().call().media());
            assertEquals("missed", call.event().call().status());
            assertEquals(EventType.TIMER_CHANGE, alice.get(14).event().type());
            assertEquals(604800, alice.get(14).event().timerSeconds());
            assertEquals(EventType.PROFILE_CHANGE, alice.get(15).event().type());
            assertEquals(EventType.SAFETY_NUMBER_CHANGE, alice.get(16).event().type());
            assertEquals(EventType.CONVERSATION_MERGE, alice.get(17).event().type());
            assertEquals(EventType.CONVERSATION_MERGE, alice.get(18).event().type());
            assertEquals(EventType.PROFILE_CHANGE, alice.get(19).event().type());

            List<Message> family = all.get(group);
            assertEquals(EventType.GROUP_CHANGE, family.get(0).event().type());
            assertEquals(OWNER, family.get(0).event().actorId());
            assertEquals(List.of(BOB), family.get(0).event().targetIds());
            assertEquals(List.of("groupCreationUpdate", "groupMemberAddedUpdate"),
                    family.get(0).event().details().get("updates"));
            assertEquals("You created the group. You added Bobby.", family.get(0).event().text());
            assertEquals(ALICE, family.get(1).event().actorId());
            Message mention = family.get(2);
            assertEquals(RangeStyle.MENTION, mention.ranges().get(0).style());
            assertEquals(ALICE, mention.ranges().get(0).mentionId());
            Message poll = family.get(3);
            assertEquals("Pizza?", poll.poll().question());
            assertEquals(List.of(ALICE, BOB), poll.poll().options().get(0).voterIds());
            assertTrue(poll.poll().ended());
            assertEquals(EventType.POLL_END, family.get(4).event().type());
            assertEquals(poll.id(), family.get(4).event().details().get("targetMessageId"));
            assertEquals(EventType.CALL, family.get(5).event().type());
            assertEquals(60_000L, family.get(5).event().call().durationMs());
            assertEquals(BOB, family.get(5).event().actorId());
            assertEquals(86400, family.get(6).event().timerSeconds());

            assertEquals("remember the milk", all.get("signal-note:self").get(0).body());
            assertEquals(Direction.OUTGOING, all.get("signal-note:self").get(0).direction());
            assertEquals("signal-release:notes", all.get("signal-release:notes").get(0).senderId());

            // What the export cannot hold is said; settings this schema does not name are counted, not fatal.
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("disappearing messages")));
            @SuppressWarnings("unchecked")
            Map<String, Long> unknown = (Map<String, Long>) r.info().extra().get("unknownFields");
            assertEquals(1L, unknown.get("frame.account.accountSettings.appTheme"));
            assertEquals(1L, unknown.get("frame.account.accountSettings.callsUseLessDataSetting"));
        }
    }

    @Test
    void findsMainOneLevelDownAndMediaInTheParent(@TempDir Path dir) throws Exception {
        Path root = layout(dir, true);
        try (SignalBackupReader r = SignalBackupReader.open(root, null)) {
            Map<String, List<Message>> all = read(r);
            Attachment photo = all.get("signal-direct:" + BackupFixture.ALICE).get(3).attachments().get(0);
            assertNotNull(photo.sourceRef(), "files/ is a sibling of the signal-backup-* folder");
        }
    }

    @Test
    void readsAZipAndGivesTheSameMessages(@TempDir Path dir) throws Exception {
        Path folder = layout(dir.resolve("folder"), false);
        Path zip = dir.resolve("signal-export-2026-01-02-10-00-00.zip");
        Path export = folder.resolve("signal-export-2026-01-02-10-00-00");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            try (var walk = Files.walk(export)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    z.putNextEntry(new ZipEntry(export.relativize(p).toString().replace('\\', '/')));
                    z.write(Files.readAllBytes(p));
                    z.closeEntry();
                }
            }
        }
        assertTrue(SignalBackupReader.looksLike(zip));
        Map<String, List<Message>> fromFolder;
        try (SignalBackupReader r = SignalBackupReader.open(folder, null)) {
            fromFolder = read(r);
        }
        try (SignalBackupReader r = SignalBackupReader.open(zip, null)) {
            Map<String, List<Message>> fromZip = read(r);
            assertEquals(fromFolder.keySet(), fromZip.keySet());
            for (String k : fromFolder.keySet()) {
                assertEquals(fromFolder.get(k).stream().map(m -> m.id() + "|" + m.body()).toList(),
                        fromZip.get(k).stream().map(m -> m.id() + "|" + m.body()).toList(), k);
            }
            Attachment photo = fromZip.get("signal-direct:" + BackupFixture.ALICE).get(3).attachments().get(0);
            try (InputStream in = r.openAttachment(photo)) {
                assertEquals(41, in.readAllBytes().length);
            }
        }
    }

    @Test
    void aTruncatedExportNamesTheFrameAndReadsNothing(@TempDir Path dir) throws Exception {
        String text = new String(jsonl, StandardCharsets.UTF_8);
        int cut = text.indexOf("\"remoteDeletedMessage\"");
        Files.writeString(dir.resolve("main.jsonl"), text.substring(0, cut));
        long frame = text.substring(0, cut).chars().filter(c -> c == '\n').count();
        SourceException e = assertThrows(SourceException.class, () -> SignalBackupReader.open(dir, null));
        assertEquals(SourceException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("at frame " + frame + " (line " + (frame + 1) + ")"), e.getMessage());
    }

    @Test
    void notAnExport(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertFalse(SignalBackupReader.looksLike(dir));
        SourceException e = assertThrows(SourceException.class, () -> SignalBackupReader.open(dir, null));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, e.kind());
    }
}
