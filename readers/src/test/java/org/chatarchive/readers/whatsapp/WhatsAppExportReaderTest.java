package org.chatarchive.readers.whatsapp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.source.SourceException;

/** Zips with media, markers, owner and kind, and bad input. */
class WhatsAppExportReaderTest {

    static final WhatsAppExportReader.Options UTC = new WhatsAppExportReader.Options(ZoneOffset.UTC, null, null);
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4, 5};

    static Path zip(Path dir, String name, String textName, String text, String mediaName, byte[] media)
            throws Exception {
        Path z = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(z))) {
            if (textName != null) {
                out.putNextEntry(new ZipEntry(textName));
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            if (mediaName != null) {
                out.putNextEntry(new ZipEntry(mediaName));
                out.write(media);
                out.closeEntry();
            }
        }
        return z;
    }

    static List<Message> read(WhatsAppExportReader r) throws SourceException {
        List<Message> all = new ArrayList<>();
        r.messages(r.conversations().get(0), all::add);
        return all;
    }

    @Test
    void iosZipResolvesAttachmentsAndReportsMissingOnes(@TempDir Path tmp) throws Exception {
        String photo = "00000012-PHOTO-2021-01-01-10-00-00.jpg";
        String text = "\u200E[13/01/2021, 09:59:58] Alice: \u200EMessages and calls are end-to-end encrypted.\n"
                + "[13/01/2021, 10:00:00] Alice: \u200E<attached: " + photo + ">\n"
                + "[13/01/2021, 10:00:05] Bob: \u200E<attached: 00000013-PHOTO-2021-01-01-10-00-05.jpg>\n"
                + "[13/01/2021, 10:01:00] Bob: nice\u202Fview\n";
        Path z = zip(tmp, "WhatsApp Chat - Alice.zip", "_chat.txt", text, photo, JPEG);
        assertTrue(WhatsAppExportReader.looksLike(z));
        try (WhatsAppExportReader r = WhatsAppExportReader.open(z,
                new WhatsAppExportReader.Options(ZoneId.of("Europe/Berlin"), "Bob", null))) {
            assertEquals("WhatsApp Chat - Alice", r.conversations().get(0).title());
            assertEquals("whatsapp:Bob", r.ownerId());
            assertEquals(ConversationKind.DIRECT, r.conversations().get(0).kind());
            assertEquals("Europe/Berlin", r.info().extra().get("zone"));
            assertEquals("ios", r.info().extra().get("lineFormat"));
            List<Message> ms = read(r);
            assertEquals(4, ms.size());
            assertEquals(Direction.SYSTEM, ms.get(0).direction());
            assertEquals("Messages and calls are end-to-end encrypted.", ms.get(0).event().text());
            assertEquals(List.of("whatsapp:Bob", "whatsapp:Alice"), r.participants().stream().map(p -> p.id()).toList());
            Message found = ms.get(1);
            assertEquals(LocalDateTime.of(2021, 1, 13, 10, 0).atZone(ZoneId.of("Europe/Berlin")).toInstant()
                    .toEpochMilli(), found.sentAt());
            assertEquals(Direction.INCOMING, found.direction());
            assertNull(found.body());
            Attachment a = found.attachments().get(0);
            assertEquals(photo, a.sourceRef());
            assertEquals(AttachmentKind.IMAGE, a.kind());
            assertEquals("image/jpeg", a.contentType());
            assertEquals(JPEG.length, a.size());
            try (InputStream in = r.openAttachment(a)) {
                assertArrayEquals(JPEG, in.readAllBytes());
            }
            Message missing = ms.get(2);
            assertEquals(Direction.OUTGOING, missing.direction());
            Attachment b = missing.attachments().get(0);
            assertEquals(Availability.FILE_MISSING, b.availability());
            assertTrue(b.missingReason().contains("00000013-PHOTO-2021-01-01-10-00-05.jpg"), b.missingReason());
            assertThrows(SourceException.class, () -> r.openAttachment(b));
            assertEquals("nice\u202Fview", ms.get(3).body());
            assertEquals(4, ms.stream().map(Message::id).distinct().count());
        }
    }

    @Test
    void androidTextWithMarkersNextToItsMedia(@TempDir Path tmp) throws Exception {
        String text = "13/06/2023, 21:25 - Messages and calls are end-to-end encrypted. Tap to learn more.\n"
                + "13/06/2023, 21:26 - Carol created group \"Climbing\"\n"
                + "13/06/2023, 21:27 - Carol: IMG-20230613-WA0001.jpg (file attached)\n"
                + "look at this\n"
                + "13/06/2023, 21:28 - Dave: <Media omitted>\n"
                + "13/06/2023, 21:29 - Dave: null\n"
                + "13/06/2023, 21:30 - Carol: This message was deleted\n"
                + "13/06/2023, 21:31 - Dave: see you at 8 <This message was edited>\n"
                + "13/06/2023, 21:32 - Carol updated the message timer. New messages will disappear after 7 days.\n"
                + "13/06/2023, 21:33 - ~\u202FErin: hi\n";
        Path f = tmp.resolve("WhatsApp Chat with Climbing.txt");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        Files.write(tmp.resolve("IMG-20230613-WA0001.jpg"), JPEG);
        assertTrue(WhatsAppExportReader.looksLike(f));
        try (WhatsAppExportReader r = WhatsAppExportReader.open(f, UTC)) {
            assertEquals("Climbing", r.conversations().get(0).title());
            assertEquals(ConversationKind.GROUP, r.conversations().get(0).kind());
            assertNull(r.ownerId());
            assertEquals(List.of("whatsapp:Carol", "whatsapp:Dave", "whatsapp:Erin"),
                    r.participants().stream().map(p -> p.id()).toList());
            List<Message> ms = read(r);
            assertEquals(9, ms.size());
            assertEquals(EventType.OTHER, ms.get(0).event().type());
            assertEquals(EventType.GROUP_CHANGE, ms.get(1).event().type());
            assertEquals("look at this", ms.get(2).body());
            try (InputStream in = r.openAttachment(ms.get(2).attachments().get(0))) {
                assertArrayEquals(JPEG, in.readAllBytes());
            }
            Attachment omitted = ms.get(3).attachments().get(0);
            assertEquals(Availability.NOT_EXPORTED, omitted.availability());
            assertTrue(omitted.missingReason().contains("without media"));
            assertTrue(ms.get(4).flags().viewOnce());
            assertTrue(ms.get(5).flags().deletedForEveryone());
            assertNull(ms.get(5).body());
            assertEquals("see you at 8", ms.get(6).body());
            assertEquals(true, ms.get(6).extra().get("edited"));
            assertEquals(EventType.TIMER_CHANGE, ms.get(7).event().type());
            assertEquals(Direction.SYSTEM, ms.get(7).direction());
            assertEquals("whatsapp:Erin", ms.get(8).senderId());
            assertTrue(ms.stream().filter(m -> m.senderId() != null).allMatch(m -> m.direction() == Direction.INCOMING));
        }
    }

    @Test
    void twelveHourMarkersAndAmbiguousOrder(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("chat.txt");
        Files.writeString(f, "3/6/18, 12:05\u202Fa. m. - A: one\n3/6/18, 12:10 p. m. - B: two\n"
                + "3/6/18, 1:55 PM - A: three\n", StandardCharsets.UTF_8);
        try (WhatsAppExportReader r = WhatsAppExportReader.open(f, UTC)) {
            List<Message> ms = read(r);
            assertEquals(LocalDateTime.of(2018, 6, 3, 0, 5).toInstant(ZoneOffset.UTC).toEpochMilli(), ms.get(0).sentAt());
            assertEquals(LocalDateTime.of(2018, 6, 3, 12, 10).toInstant(ZoneOffset.UTC).toEpochMilli(), ms.get(1).sentAt());
            assertEquals(LocalDateTime.of(2018, 6, 3, 13, 55).toInstant(ZoneOffset.UTC).toEpochMilli(), ms.get(2).sentAt());
            assertEquals(1, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).contains("day before month"));
            assertEquals("DMY", r.info().extra().get("dateOrder"));
        }
    }

    @Test
    void unknownDateFormatIsUnsupportedAndQuotesTheLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("chat.txt");
        Files.writeString(f, "Monday 3 June 2018 at 13:55, A wrote: hi\n", StandardCharsets.UTF_8);
        assertFalse(WhatsAppExportReader.looksLike(f));
        SourceException e = assertThrows(SourceException.class, () -> WhatsAppExportReader.open(f, UTC));
        assertEquals(SourceException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("\"Monday 3 June 2018 at 13:55, A wrote: hi\""), e.getMessage());
        assertTrue(e.getMessage().contains("Understood:"), e.getMessage());
    }

    @Test
    void zipWithoutTextIsNotASource(@TempDir Path tmp) throws Exception {
        Path z = zip(tmp, "photos.zip", null, null, "IMG-1.jpg", JPEG);
        assertFalse(WhatsAppExportReader.looksLike(z));
        SourceException e = assertThrows(SourceException.class, () -> WhatsAppExportReader.open(z, UTC));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, e.kind());
        assertTrue(e.getMessage().contains("_chat.txt"), e.getMessage());
    }

    @Test
    void emptyFileIsNotASource(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("WhatsApp Chat with Nobody.txt");
        Files.writeString(f, "\n\n", StandardCharsets.UTF_8);
        SourceException e = assertThrows(SourceException.class, () -> WhatsAppExportReader.open(f, UTC));
        assertEquals(SourceException.Kind.NOT_A_SOURCE, e.kind());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Path none = tmp.resolve("missing.txt");
        assertEquals(SourceException.Kind.NOT_A_SOURCE,
                assertThrows(SourceException.class, () -> WhatsAppExportReader.open(none, UTC)).kind());
    }
}
