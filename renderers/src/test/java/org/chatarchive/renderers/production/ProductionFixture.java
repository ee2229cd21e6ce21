package org.chatarchive.renderers.production;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Selection;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.StoredFile;
import org.chatarchive.model.store.WriteOptions;

/**
 * A small archive for production tests: a group chat over two UTC days (around midnight) with two stored
 * attachments and one whose bytes are missing, names and titles holding the load-file delimiters, and a direct
 * chat long enough to need several pages.
 */
final class ProductionFixture {

    static final String OWNER = "signal:owner";
    static final String BOB = "signal:bob";
    static final String GROUP = "signal-conv:group";
    static final String DIRECT = "signal-conv:direct";
    /** A name holding the DAT delimiters and multi-value characters. */
    static final String BOB_NAME = "Bob; Smith \\ Jr þ®";
    static final String GROUP_TITLE = "Deal; talks \\ 2024 þ";
    static final long T0 = 1_709_938_800_000L; // 2024-03-08T23:00:00Z
    static final String MISSING_ID = "m-missing";

    private ProductionFixture() {
    }

    static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(30, 90, 160));
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static void write(Path out) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(List.of(
                    new Participant(OWNER, "Jane Owner", "profile", "+15550000001", null, true, Map.of()),
                    new Participant(BOB, BOB_NAME, "profile", "+15550000002", null, false, Map.of())));
            StoredFile photo = w.storeAttachment(new ByteArrayInputStream(png()), "image/png", "site.png");
            StoredFile note = w.storeAttachment(new ByteArrayInputStream("the contract terms\n".getBytes(
                    StandardCharsets.UTF_8)), "text/plain", "terms.txt");
            Conversation group = new Conversation(GROUP, ConversationKind.GROUP, GROUP_TITLE, List.of(OWNER, BOB),
                    null, "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(group)) {
                cw.write(Message.text("m-1", GROUP, BOB, Direction.INCOMING, T0, null, "Late on the 8th,\nsecond line"));
                Attachment img = new Attachment("image/png", "site.png", null, null, 64, 48, null,
                        AttachmentKind.IMAGE, null, null, null, null, null).stored(photo.sha256(), photo.size(),
                        photo.storePath());
                Attachment txt = new Attachment("text/plain", "terms.txt", null, null, null, null, null,
                        AttachmentKind.FILE, null, null, null, null, null).stored(note.sha256(), note.size(),
                        note.storePath());
                cw.write(new Message("m-files", GROUP, OWNER, Direction.OUTGOING, T0 + 1_800_000L, null, null,
                        "Files for the 8th", null, List.of(img, txt), null, null, null, null, null, null, null,
                        null, null, null, null));
                Attachment gone = new Attachment("audio/aac", "voice.aac", 3000L, null, null, null, 4200L,
                        AttachmentKind.VOICE_NOTE, null, null, null, null, null)
                        .missing(Availability.NOT_DOWNLOADED, "the app never downloaded it");
                cw.write(new Message(MISSING_ID, GROUP, BOB, Direction.INCOMING, T0 + 3_600_000L + 60_000, null, null,
                        "A voice note on the 9th", null, List.of(gone), null, null, null, null, null, null, null,
                        null, null, null, null));
                cw.write(new Message("m-photo2", GROUP, BOB, Direction.INCOMING, T0 + 3_700_000L, null, null,
                        "Same photo again", null, List.of(img), null, null, null, null, null, null, null,
                        null, null, null, null));
                cw.finish();
            }
            Conversation direct = new Conversation(DIRECT, ConversationKind.DIRECT, BOB_NAME, List.of(OWNER, BOB),
                    null, "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(direct)) {
                for (int i = 0; i < 120; i++) {
                    boolean mine = i % 2 == 0;
                    cw.write(Message.text("d-" + i, DIRECT, mine ? OWNER : BOB, mine ? Direction.OUTGOING
                            : Direction.INCOMING, T0 + 7_200_000L + i * 60_000L, null, "Message number " + i
                            + " of a long day, with enough words to fill a line or two of the transcript."));
                }
                cw.finish();
            }
            w.commit(new ArchiveHeader("chat-archive test", List.of(new SourceInfo("signal-desktop", "7.40.0", 1360,
                    "cd".repeat(32), "config.json key", Map.of())), OWNER,
                    new Selection(true, null, null, null, null, null, null), Map.of(), Map.of()));
        }
    }
}
