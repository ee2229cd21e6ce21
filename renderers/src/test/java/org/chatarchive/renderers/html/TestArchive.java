package org.chatarchive.renderers.html;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.EventType;
import org.chatarchive.model.LinkPreview;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.Selection;
import org.chatarchive.model.SharedContact;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.Sticker;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.StoredFile;
import org.chatarchive.model.store.WriteOptions;

/**
 * A small archive that uses every feature the HTML shows: a group with styled text, mentions, spoilers, quotes,
 * reactions, edits, deletions, view-once, timers, calls and other events, previews, a sticker, a real photo, a
 * voice note, a file, a missing attachment, right-to-left text and hostile markup; and a direct chat long enough
 * for several pages across months.
 */
final class TestArchive {

    static final String OWNER = "signal:11111111-1111-4111-8111-111111111111";
    static final String ALICE = "signal:22222222-2222-4222-8222-222222222222";
    static final String BOB = "signal:33333333-3333-4333-8333-333333333333";
    static final String GROUP = "signal-conv:aaaaaaaa-0000-4000-8000-000000000001";
    static final String DIRECT = "signal-conv:aaaaaaaa-0000-4000-8000-000000000002";
    static final String EMPTY = "signal-conv:aaaaaaaa-0000-4000-8000-000000000003";

    /** 2023-07-14T16:00:00Z, a summer afternoon (Berlin is at +02:00). */
    static final long T0 = 1_689_350_400_000L;
    static final long MIN = 60_000L;
    static final long DAY = 86_400_000L;
    /** Messages in the direct chat; with page size 10 that is 4 pages. */
    static final int DIRECT_MESSAGES = 35;

    static final String XSS_BODY = "<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3)"
            + " <a href=\"javascript:alert(4)\">click</a> & \"quotes\"";

    private TestArchive() {
    }

    static List<Participant> participants() {
        return List.of(
                new Participant(OWNER, "Me Myself", "profile", "+15550000001", null, true, Map.of()),
                new Participant(ALICE, "Alice \u00c5str\u00f6m \ud83c\udf3b", "nickname", "+15550000002", null, false, null),
                new Participant(BOB, "\u05d1\u05d5\u05d1 Bob", "profile", "+15550000003", null, false, null));
    }

    static Message text(String id, String conv, String sender, long at, String body) {
        Direction d = OWNER.equals(sender) ? Direction.OUTGOING : Direction.INCOMING;
        return Message.text(id, conv, sender, d, at, at + 500, body);
    }

    static Message with(Message m, List<BodyRange> ranges, List<Attachment> atts, Quote q, List<Reaction> reactions,
                        List<EditVersion> edits, List<Receipt> receipts, MessageFlags flags, List<LinkPreview> previews,
                        Sticker sticker, List<SharedContact> contacts, Poll poll, SystemEvent event) {
        return new Message(m.id(), m.conversationId(), m.senderId(), event != null ? Direction.SYSTEM : m.direction(),
                m.sentAt(), m.receivedAt(), null, m.body(), ranges, atts, q, reactions, edits, receipts, flags, previews,
                sticker, contacts, poll, event, null);
    }

    static byte[] png(int w, int h, Color color) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A short silent WAV file the browser can play. */
    static byte[] wav() {
        int samples = 8000;
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        return b.array();
    }

    static Attachment stored(StoredFile f, String type, String name, Integer w, Integer h, Long durationMs,
                             AttachmentKind kind, String caption) {
        return new Attachment(type, name, f.size(), f.sha256(), w, h, durationMs, kind, caption, Availability.STORED,
                null, f.storePath(), null);
    }

    static List<Message> group(StoredFile photo, StoredFile thumb, StoredFile voice, StoredFile pdf, StoredFile sticker,
                               StoredFile video) {
        List<Message> out = new ArrayList<>();
        long t = T0;
        out.add(with(text("msg:g1", GROUP, ALICE, t, "Hi \uFFFC, look: bold italic strike mono and a secret!"),
                List.of(new BodyRange(3, 1, RangeStyle.MENTION, OWNER), new BodyRange(12, 4, RangeStyle.BOLD, null),
                        new BodyRange(17, 6, RangeStyle.ITALIC, null), new BodyRange(24, 6, RangeStyle.STRIKETHROUGH, null),
                        new BodyRange(31, 4, RangeStyle.MONOSPACE, null), new BodyRange(42, 6, RangeStyle.SPOILER, null)),
                null, null, List.of(new Reaction(OWNER, "\u2764\ufe0f", t + MIN), new Reaction(BOB, "\u2764\ufe0f", t + 2 * MIN),
                        new Reaction(BOB, "\ud83d\ude02", null)),
                null, null, null, null, null, null, null, null));
        out.add(with(text("msg:g2", GROUP, BOB, t + MIN, "\u05e9\u05dc\u05d5\u05dd \u05dc\u05db\u05d5\u05dc\u05dd! \u0645\u0631\u062d\u0628\u0627 (right to left)"),
                null, List.of(stored(photo, "image/png", "beach.png", 640, 400, null, AttachmentKind.IMAGE, "The beach \ud83c\udf0a")),
                null, null, null, null, null, null, null, null, null, null));
        out.add(with(text("msg:g3", GROUP, OWNER, t + 2 * MIN, "Replying to Alice"),
                null, null, new Quote("msg:g1", t, ALICE, "Hi \uFFFC, look", List.of(new BodyRange(3, 1, RangeStyle.MENTION, OWNER)),
                        null, false),
                null, List.of(new EditVersion(t + 2 * MIN, null, "Replyin to Alise", null, null)),
                List.of(new Receipt(ALICE, DeliveryStatus.READ, t + 3 * MIN), new Receipt(BOB, DeliveryStatus.DELIVERED, t + 3 * MIN)),
                null, null, null, null, null, null));
        out.add(with(text("msg:g4", GROUP, ALICE, t + 3 * MIN, XSS_BODY), null, null, null, null, null, null, null,
                null, null, null, null, null));
        out.add(with(text("msg:g5", GROUP, BOB, t + 4 * MIN, null), null, null, null, null, null, null,
                new MessageFlags(false, false, null, null, true, t + 5 * MIN, null), null, null, null, null, null));
        out.add(with(text("msg:g6", GROUP, ALICE, t + 5 * MIN, null), null, null, null, null, null, null,
                new MessageFlags(true, true, null, null, false, null, null), null, null, null, null, null));
        out.add(with(text("msg:g7", GROUP, ALICE, t + 6 * MIN, "This one disappears"), null, null, null, null, null, null,
                new MessageFlags(false, false, 86_400, t + 6 * MIN, false, null, null), null, null, null, null, null));
        out.add(with(text("msg:g8", GROUP, null, t + 7 * MIN, null), null, null, null, null, null, null, null, null,
                null, null, null, new SystemEvent(EventType.CALL, ALICE, null, null,
                        new CallInfo("video", Direction.INCOMING, "missed", t + 7 * MIN, null), null, null)));
        out.add(with(text("msg:g9", GROUP, null, t + 8 * MIN, null), null, null, null, null, null, null, null, null,
                null, null, null, new SystemEvent(EventType.TIMER_CHANGE, ALICE, null, "Alice set the disappearing message timer to 1 week",
                        null, 604_800, null)));
        out.add(with(text("msg:g10", GROUP, BOB, t + 9 * MIN, "Read this https://example.org/article?id=1&x=2 now"),
                null, null, null, null, null, null, null,
                List.of(new LinkPreview("https://example.org/article?id=1&x=2", "An article", "What it is about",
                        null, stored(thumb, "image/png", null, 64, 64, null, AttachmentKind.IMAGE, null))),
                null, null, null, null));
        out.add(with(text("msg:g11", GROUP, ALICE, t + 10 * MIN, null), null, null, null, null, null, null, null, null,
                new Sticker("0123456789abcdef", 3, "\ud83d\ude00", stored(sticker, "image/png", null, 128, 128, null,
                        AttachmentKind.STICKER, null)), null, null, null));
        out.add(with(text("msg:g12", GROUP, OWNER, t + 11 * MIN, null), null,
                List.of(stored(voice, "audio/wav", null, null, null, 1000L, AttachmentKind.VOICE_NOTE, null),
                        stored(pdf, "application/pdf", "minutes.pdf", null, null, null, AttachmentKind.FILE, null),
                        stored(video, "video/mp4", "clip.mp4", 320, 240, 75_000L, AttachmentKind.VIDEO, "Waves"),
                        new Attachment("image/jpeg", "lost.jpg", 2_500_000L, null, 800, 600, null, AttachmentKind.IMAGE,
                                null, Availability.NOT_DOWNLOADED, "the app never downloaded it", null, null)),
                null, null, null, null, null, null, null, null, null, null));
        out.add(with(text("msg:g13", GROUP, BOB, t + 12 * MIN, null), null, null, null, null, null, null, null, null, null,
                List.of(new SharedContact("Carol", List.of("+15550000004"), List.of("carol@example.org"), "ACME", null)),
                new Poll("Lunch?", List.of(new Poll.Option("Pizza", List.of(ALICE, OWNER)), new Poll.Option("Sushi", List.of(BOB))),
                        false, true), null));
        out.add(with(text("msg:g14", GROUP, ALICE, t + 13 * MIN, "\ud83d\udc4d\ud83c\udffd"), null, null, null, null, null,
                null, null, null, null, null, null, null));
        out.add(with(text("msg:g15", GROUP, null, t + 14 * MIN, null), null, null, null, null, null, null, null, null,
                null, null, null, new SystemEvent(EventType.GROUP_CHANGE, OWNER, List.of(BOB), "You added Bob.", null, null, null)));
        return out;
    }

    static List<Message> direct() {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < DIRECT_MESSAGES; i++) {
            // spread over three months: days 0..34 from mid July
            long at = T0 + i * DAY + (i % 3) * MIN;
            String sender = i % 2 == 0 ? ALICE : OWNER;
            Message m = text("msg:d" + i, DIRECT, sender, at, "Direct message number " + i);
            if (i == 5) {
                // a quote of a later message (out-of-order sources have them), on page 2
                m = with(m, null, null, new Quote("msg:d15", T0 + 15 * DAY, ALICE, "Direct message number 15", null,
                        null, false), null, null, null, null, null, null, null, null, null);
            }
            if (i == 30) {
                m = with(m, null, null, new Quote(null, T0 - DAY, BOB, "something long gone",
                        null, List.of(new Attachment("image/jpeg", null, null, null, null, null, null, AttachmentKind.IMAGE,
                                null, Availability.NOT_EXPORTED, "quote thumbnail", null, null)), true),
                        null, null, null, null, null, null, null, null, null);
            }
            if (i == 25) {
                // a quote of a message on the first page
                m = with(m, null, null, new Quote("msg:d2", T0 + 2 * DAY + 2 * MIN, ALICE, "Direct message number 2", null,
                        null, false), null, null, null, null, null, null, null, null, null);
            }
            out.add(m);
        }
        return out;
    }

    /** Writes the archive into {@code out} (which must not exist). */
    static void write(Path out) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(participants());
            StoredFile photo = w.storeAttachment(new ByteArrayInputStream(png(640, 400, new Color(0x2c6bed))), "image/png", "beach.png");
            StoredFile thumb = w.storeAttachment(new ByteArrayInputStream(png(64, 64, new Color(0x00806a))), "image/png", null);
            StoredFile sticker = w.storeAttachment(new ByteArrayInputStream(png(128, 128, new Color(0xf5b400))), "image/png", null);
            StoredFile voice = w.storeAttachment(new ByteArrayInputStream(wav()), "audio/wav", null);
            StoredFile video = w.storeAttachment(new ByteArrayInputStream("not really an mp4".getBytes(StandardCharsets.US_ASCII)),
                    "video/mp4", "clip.mp4");
            StoredFile avatar = w.storeAttachment(new ByteArrayInputStream(png(96, 96, new Color(0x8f3bc2))), "image/png", null);
            StoredFile pdf = w.storeAttachment(new ByteArrayInputStream("%PDF-1.4 not really".getBytes(StandardCharsets.US_ASCII)),
                    "application/pdf", "minutes.pdf");
            try (ConversationWriter cw = w.beginConversation(new Conversation(GROUP, ConversationKind.GROUP,
                    "Family \ud83c\udfd6", List.of(OWNER, ALICE, BOB),
                    stored(avatar, "image/png", null, 96, 96, null, AttachmentKind.IMAGE, null), "signal-desktop", null))) {
                for (Message m : group(photo, thumb, voice, pdf, sticker, video)) {
                    cw.write(m);
                }
                cw.finish();
            }
            try (ConversationWriter cw = w.beginConversation(new Conversation(DIRECT, ConversationKind.DIRECT,
                    "Alice \u00c5str\u00f6m \ud83c\udf3b", List.of(OWNER, ALICE), null, "signal-desktop", null))) {
                for (Message m : direct()) {
                    cw.write(m);
                }
                cw.finish();
            }
            try (ConversationWriter cw = w.beginConversation(new Conversation(EMPTY, ConversationKind.NOTE_TO_SELF,
                    null, List.of(OWNER), null, "signal-desktop", null))) {
                cw.finish();
            }
            w.commit(new ArchiveHeader("chat-archive test", List.of(new SourceInfo("signal-desktop", "7.40.0", 1360, null,
                    "test", null)), OWNER, new Selection(true, null, null, null, null, null, null), null, null));
        }
    }
}
