package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Attachments;
import org.chatarchive.model.Availability;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveSchemas;

/**
 * Every kind of Signal Desktop attachment, written by the fixture generator as Signal stores it at rest,
 * exported through the command: decrypted into the store, or listed as missing with the reason.
 */
class AttachmentExportTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final long T0 = 1_700_000_000_000L;
    static final String LONG_TEXT = "Long message. ".repeat(250) + "The end ✓";

    @TempDir
    static Path tmp;
    static Path profile;
    static Path out;
    static String stdout;
    static int code;
    static Map<String, Message> byId = new HashMap<>();
    static ArchiveReader archive;

    static Map<String, Object> file(String contentType, String media, Object... more) {
        Map<String, Object> m = new HashMap<>();
        m.put("contentType", contentType);
        m.put("plaintextFile", "media/" + media);
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    static Map<String, Object> text(String contentType, String text, Object... more) {
        Map<String, Object> m = new HashMap<>();
        m.put("contentType", contentType);
        m.put("plaintextText", text);
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    static long t = T0;

    static void msg(SignalProfileSpec spec, String conv, String id, String body, List<?> attachments,
                    Map<String, ?> json, boolean legacy) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", id);
        m.put("conversationId", conv);
        m.put("type", "incoming");
        m.put("sent_at", t += 60_000);
        if (body != null) {
            m.put("body", body);
        }
        if (attachments != null) {
            m.put("attachments", attachments);
        }
        if (json != null) {
            m.put("json", json);
        }
        if (legacy) {
            m.put("attachmentsInJson", true);
        }
        spec.message(m);
    }

    @BeforeAll
    static void export() throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        String self = spec.noteToSelf("c-self", "Owen Owner");
        spec.conversation(Map.of("id", "c-bob", "type", "private", "profileName", "Bob", "e164", "+15555550102",
                "serviceId", BOB, "json", Map.of("profileAvatar", file("image/png", "avatar.png"))));
        spec.conversation(Map.of("id", "c-group", "type", "group", "name", "Pics", "groupId",
                "Z3JvdXAtaWQtMzItYnl0ZXMtbG9uZy4uLi4uLi4uLi4=", "members", List.of(self, "c-bob"),
                "json", Map.of("avatar", file("image/png", "sticker.png"))));
        String bob = "c-bob";
        msg(spec, bob, "m-img", null, List.of(file("image/png", "photo.png", "fileName", "photo.png", "width", 64,
                "height", 48)), null, false);
        msg(spec, bob, "m-img2", "again", List.of(file("image/png", "photo.png", "fileName", "photo.png")), null,
                false);
        msg(spec, bob, "m-video", null, List.of(text("video/mp4", "not really a video", "duration", 1.5)), null,
                false);
        msg(spec, bob, "m-audio", null, List.of(file("audio/wav", "beep.wav", "fileName", "beep.wav")), null, false);
        msg(spec, bob, "m-voice", null, List.of(file("audio/wav", "beep.wav", "flags", 1)), null, false);
        msg(spec, bob, "m-gif", null, List.of(file("image/gif", "tiny.gif", "flags", 8)), null, false);
        msg(spec, bob, "m-file", null, List.of(text("text/plain", "shopping list", "fileName", "list.txt")), null,
                false);
        msg(spec, bob, "m-sticker", null, null, Map.of("sticker", Map.of("packId", "pack1", "stickerId", 0,
                "emoji", "😀", "data", file("image/png", "sticker.png"))), false);
        msg(spec, bob, "m-sticker-installed", null, null, Map.of("sticker", Map.of("packId", "pack1",
                "stickerId", 1, "emoji", "🙂")), false);
        msg(spec, bob, "m-preview", "https://example.org/page", null, Map.of("preview", List.of(Map.of(
                "url", "https://example.org/page", "title", "A page", "image", file("image/png", "photo.png")))),
                false);
        msg(spec, bob, "m-contact", null, null, Map.of("contact", List.of(Map.of(
                "name", Map.of("givenName", "Ann", "familyName", "Lee"),
                "number", List.of(Map.of("value", "+15555550177", "type", 1)),
                "avatar", Map.of("avatar", file("image/png", "avatar.png"), "isProfile", false)))), false);
        msg(spec, bob, "m-quote", "nice photo", null, Map.of("quote", Map.of("id", T0 + 60_000, "authorAci", BOB,
                "text", "", "attachments", List.of(Map.of("contentType", "image/png", "fileName", "photo.png",
                        "thumbnail", file("image/png", "avatar.png"))))), false);
        String prefix = LONG_TEXT.substring(0, 2000);
        msg(spec, bob, "m-long", prefix, null, Map.of("bodyAttachment",
                text("text/x-signal-plain", LONG_TEXT)), false);
        msg(spec, bob, "m-long-missing", prefix, null, Map.of("bodyAttachment",
                text("text/x-signal-plain", LONG_TEXT, "omitFile", true)), false);
        msg(spec, bob, "m-v1", null, List.of(file("image/gif", "tiny.gif", "version", 1)), null, false);
        msg(spec, bob, "m-missing", null, List.of(text("image/png", "gone", "omitFile", true)), null, false);
        msg(spec, bob, "m-notdl", null, List.of(text("image/png", "never", "omitPath", true)), null, false);
        msg(spec, bob, "m-corrupt", null, List.of(text("image/png", "flipped", "corrupt", true)), null, false);
        msg(spec, bob, "m-hash", null, List.of(text("image/png", "mismatch", "wrongHash", true)), null, false);
        msg(spec, bob, "m-legacy", null, List.of(text("application/octet-stream", "legacy bytes",
                "fileName", "old.bin")), null, true);
        msg(spec, bob, "m-edit", "second", null, Map.of("editHistory", List.of(
                Map.of("timestamp", t + 30_000, "body", "second"),
                Map.of("timestamp", t + 60_000, "body", "first",
                        "attachments", List.of(text("text/plain", "first version file", "fileName", "v1.txt"))))),
                false);
        spec.message(Map.of("id", "m-group", "conversationId", "c-group", "type", "outgoing", "sent_at", t += 60_000,
                "body", "hello group"));
        ObjectNode tree = spec.toTree();
        ArrayNode packs = tree.putArray("stickerPacks");
        packs.addObject().put("id", "pack1").put("key", "a2V5").put("title", "Pack")
                .putArray("stickers").add(SignalProfileSpec.fromJson("{}").toTree()
                        .put("id", 1).put("emoji", "🙂").put("contentType", "image/png")
                        .put("plaintextFile", "media/sticker.png"));
        profile = SignalProfiles.build(SignalProfileSpec.fromJson(tree.toString()), tmp.resolve("profile"));

        out = tmp.resolve("archive");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        code = Main.run(new String[]{"export", profile.toString(), "--out", out.toString()}, new PrintWriter(o),
                new PrintWriter(e));
        stdout = o + e.toString();
        archive = ArchiveReader.open(out);
        for (ConversationEntry entry : archive.info().conversations()) {
            try (Stream<Message> s = archive.messages(entry)) {
                s.forEach(m -> byId.put((String) m.extra().get("sourceRowId"), m));
            }
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String mediaSha(String name) throws Exception {
        return sha256(Files.readAllBytes(Path.of(System.getProperty("user.dir")).resolve("..")
                .resolve("test-fixtures/node/media").resolve(name)));
    }

    static Attachment only(String id) {
        Message m = byId.get(id);
        assertNotNull(m, id);
        assertEquals(1, m.attachments().size(), id);
        return m.attachments().get(0);
    }

    static void assertStored(Attachment a, String sha) throws Exception {
        assertEquals(Availability.STORED, a.availability(), String.valueOf(a.missingReason()));
        assertEquals(sha, a.sha256());
        byte[] bytes = Files.readAllBytes(out.resolve(a.storePath()));
        assertEquals(sha, sha256(bytes), "stored bytes hash to the recorded SHA-256");
        assertEquals(bytes.length, a.size());
    }

    @Test
    void exportSucceedsAndSaysWhatWasMissing() {
        assertEquals(0, code, stdout);
        assertTrue(stdout.contains("Attachments 18 stored"), stdout);
        assertTrue(stdout.contains("5 missing (1 not downloaded, 2 file missing, 2 decryption failed"), stdout);
    }

    @Test
    void countsInArchiveJson() {
        Map<String, Object> c = archive.info().counts();
        assertEquals(18, ((Number) c.get("attachments.stored")).intValue());
        assertEquals(2, ((Number) c.get("attachments.missing.fileMissing")).intValue());
        assertEquals(1, ((Number) c.get("attachments.missing.notDownloaded")).intValue());
        assertEquals(2, ((Number) c.get("attachments.missing.decryptionFailed")).intValue());
    }

    /**
     * R13: every attachment the export could not store is a warning in the archive's custody log, with its
     * message's id and the reason, and the manifest notes how many and where they are.
     */
    @Test
    void missingAttachmentsAreCustodyLogWarningsWithTheirMessageIdsAndAManifestNote() throws Exception {
        List<String> log = Files.readAllLines(out.resolve("logs/custody.log"));
        java.util.function.BiPredicate<String, String> warned = (row, why) -> log.stream().anyMatch(l -> l.matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\tWARN\tmissing-attachment\tmessage "
                        + java.util.regex.Pattern.quote(byId.get(row).id()) + " in .*: attachment .* not stored: " + why + ".*"));
        assertTrue(warned.test("m-missing", "file missing, .*not in the profile"), log::toString);
        assertTrue(warned.test("m-notdl", "not downloaded"), log::toString);
        assertTrue(warned.test("m-corrupt", "decryption failed"), log::toString);
        assertTrue(warned.test("m-hash", "decryption failed"), log::toString);
        assertEquals(5, log.stream().filter(l -> l.contains("\tWARN\tmissing-attachment\t")).count(), log::toString);
        assertTrue(log.get(0).contains("\tINFO\texport-start\t"), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.contains("\tINFO\tsource\tsignal-desktop")), log::toString);
        String archiveSha = org.chatarchive.model.store.ArchiveWriter.archiveJsonSha256(out);
        assertTrue(log.stream().anyMatch(l -> l.endsWith("\tINFO\tarchive\tarchive.json sha256 " + archiveSha)),
                log::toString);
        org.chatarchive.model.store.Manifest manifest = org.chatarchive.model.store.Manifest.read(out);
        assertTrue(log.get(log.size() - 1).contains("\tINFO\tmanifest\tmanifest.json sha256 "), log::toString);
        Object notes = manifest.counts().get("notes");
        assertTrue(String.valueOf(notes).contains("5 attachment(s) of this run are not stored in the archive (")
                && String.valueOf(notes).contains("2 file missing") && String.valueOf(notes).contains("logs/custody.log"),
                String.valueOf(notes));
        assertTrue(manifest.files().stream().noneMatch(f -> f.path().startsWith("logs/")), "the log is not hashed");
    }

    @Test
    void archiveValidates() throws Exception {
        assertEquals(List.of(), ArchiveSchemas.check(out).problems());
    }

    @Test
    void twoMessagesSharingOneFileShareOneBlob() throws Exception {
        Attachment a = only("m-img");
        Attachment b = only("m-img2");
        assertStored(a, mediaSha("photo.png"));
        assertEquals(a.storePath(), b.storePath());
        assertEquals(64, a.width());
        assertEquals(AttachmentKind.IMAGE, a.kind());
        long blobs;
        try (Stream<Path> s = Files.walk(out.resolve("attachments"))) {
            blobs = s.filter(Files::isRegularFile).count();
        }
        assertEquals(((Number) archive.info().counts().get("attachmentFiles")).longValue(), blobs);
        // photo, avatar, sticker, beep, gif, video, list, legacy, edit file
        assertEquals(9, blobs);
    }

    @Test
    void kindsFollowContentTypeAndFlags() throws Exception {
        assertEquals(AttachmentKind.VIDEO, only("m-video").kind());
        assertEquals(1500L, only("m-video").durationMs());
        assertEquals(AttachmentKind.AUDIO, only("m-audio").kind());
        assertEquals(AttachmentKind.VOICE_NOTE, only("m-voice").kind());
        assertEquals(AttachmentKind.GIF, only("m-gif").kind());
        assertEquals(AttachmentKind.FILE, only("m-file").kind());
        assertStored(only("m-voice"), mediaSha("beep.wav"));
        assertStored(only("m-gif"), mediaSha("tiny.gif"));
        assertStored(only("m-file"), sha256("shopping list".getBytes(StandardCharsets.UTF_8)));
        assertEquals("list.txt", only("m-file").fileName());
        assertTrue(only("m-file").storePath().endsWith(".txt"), only("m-file").storePath());
    }

    @Test
    void legacyPlainFileAndLegacyJsonAttachmentsAreStored() throws Exception {
        assertStored(only("m-v1"), mediaSha("tiny.gif"));
        assertEquals(only("m-gif").storePath(), only("m-v1").storePath(), "same bytes, one blob");
        assertStored(only("m-legacy"), sha256("legacy bytes".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void missingNotDownloadedAndDamagedFilesAreListedWithReasons() {
        Attachment missing = only("m-missing");
        assertEquals(Availability.FILE_MISSING, missing.availability());
        assertTrue(missing.missingReason().contains("not in the profile"), missing.missingReason());
        assertNull(missing.storePath());
        assertEquals(Availability.NOT_DOWNLOADED, only("m-notdl").availability());
        Attachment corrupt = only("m-corrupt");
        assertEquals(Availability.DECRYPTION_FAILED, corrupt.availability());
        assertTrue(corrupt.missingReason().contains("MAC"), corrupt.missingReason());
        Attachment hash = only("m-hash");
        assertEquals(Availability.DECRYPTION_FAILED, hash.availability());
        assertTrue(hash.missingReason().contains("SHA-256"), hash.missingReason());
        assertNull(hash.storePath());
    }

    @Test
    void stickersPreviewsContactsAndQuoteThumbnails() throws Exception {
        Message s = byId.get("m-sticker");
        assertEquals("pack1", s.sticker().packId());
        assertEquals("😀", s.sticker().emoji());
        assertEquals(AttachmentKind.STICKER, s.sticker().image().kind());
        assertStored(s.sticker().image(), mediaSha("sticker.png"));
        Message installed = byId.get("m-sticker-installed");
        assertStored(installed.sticker().image(), mediaSha("sticker.png"));

        Message p = byId.get("m-preview");
        assertEquals("A page", p.previews().get(0).title());
        assertStored(p.previews().get(0).image(), mediaSha("photo.png"));

        Message c = byId.get("m-contact");
        assertEquals("Ann Lee", c.contacts().get(0).displayName());
        assertEquals(List.of("+15555550177"), c.contacts().get(0).phones());
        assertStored(c.contacts().get(0).avatar(), mediaSha("avatar.png"));

        Message q = byId.get("m-quote");
        Attachment thumb = q.quote().attachments().get(0);
        assertEquals("photo.png", thumb.fileName());
        assertStored(thumb, mediaSha("avatar.png"));
        assertEquals(byId.get("m-img").id(), q.quote().messageId());
    }

    @Test
    void longMessageBodyIsTheFullTextWhenTheFileIsThere() {
        Message m = byId.get("m-long");
        assertEquals(LONG_TEXT, m.body());
        assertTrue(m.attachments().isEmpty());
        Message missing = byId.get("m-long-missing");
        assertEquals(LONG_TEXT.substring(0, 2000), missing.body());
        Attachment a = only("m-long-missing");
        assertEquals(AttachmentKind.LONG_TEXT, a.kind());
        assertEquals(Availability.FILE_MISSING, a.availability());
    }

    @Test
    void earlierVersionsKeepTheirAttachments() throws Exception {
        Message m = byId.get("m-edit");
        assertEquals("first", m.edits().get(0).body());
        assertStored(m.edits().get(0).attachments().get(0),
                sha256("first version file".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void avatarsOfPeopleAndChats() throws Exception {
        Participant bob = archive.participants().stream().filter(p -> p.id().equals("signal:" + BOB)).findFirst()
                .orElseThrow();
        assertStored(bob.avatar(), mediaSha("avatar.png"));
        Map<String, Attachment> convAvatars = new HashMap<>();
        for (ConversationEntry e : archive.info().conversations()) {
            convAvatars.put(e.conversation().title(), e.conversation().avatar());
        }
        assertStored(convAvatars.get("Bob"), mediaSha("avatar.png"));
        assertStored(convAvatars.get("Pics"), mediaSha("sticker.png"));
    }

    @Test
    void noSourceReferenceOrKeyReachesTheArchive() throws Exception {
        List<Path> jsonFiles = new ArrayList<>();
        try (Stream<Path> s = Files.walk(out)) {
            s.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".jsonl")).forEach(jsonFiles::add);
        }
        assertTrue(jsonFiles.size() >= 3);
        for (Path p : jsonFiles) {
            String text = Files.readString(p);
            assertTrue(!text.contains("localKey") && !text.contains("sourceRef") && !text.contains("ma|"), p.toString());
        }
        int[] all = {0};
        byId.values().forEach(m -> all[0] += Attachments.count(m));
        assertEquals(18 + 5 - 3, all[0], "message attachments (avatars are on people and chats)");
    }
}
