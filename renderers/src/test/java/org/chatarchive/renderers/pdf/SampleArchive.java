package org.chatarchive.renderers.pdf;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.Selection;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.StoredFile;
import org.chatarchive.model.store.WriteOptions;

/** Test archives: one conversation using every feature in many scripts, and long generated ones. */
final class SampleArchive {

    static final String OWNER = "signal:owner";
    static final String ALICE = "signal:alice";
    static final String DAVID = "signal:david";
    static final String CONV = "signal-conv:every-feature";
    static final long T0 = 1_711_846_800_000L; // 2024-03-31T01:00:00Z: the night Berlin moves to summer time

    /** Message bodies in many scripts; each must come back from text extraction. */
    static final List<String> SCRIPTS = List.of(
            "Grüße aus Köln, ça va? Zażółć gęślą\u2060 jaźń. Tiếng Việt có dấu.",
            "Привет, как дела? Ще не вмерла України. Καλημέρα σε όλους!",
            "שלום עולם, מה שלומך היום?",
            "مرحبا بالعالم، كيف حالك اليوم؟ لا بأس",
            "今日は良い天気ですね。我们明天见面吧。",
            "नमस्ते दुनिया, आप कैसे हैं?",
            "สวัสดีครับ ยินดีที่ได้รู้จัก",
            "Emoji: 👍🏽 ❤️ 🎉 👨‍👩‍👧 🏳️‍🌈 😀");

    /** A private-use code point of plane 16: no font has it. */
    static final String NO_GLYPH = new String(Character.toChars(0x10FFFD));

    private SampleArchive() {
    }

    static byte[] png(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.ORANGE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static ArchiveHeader header(String ownerId) {
        return new ArchiveHeader("chat-archive 0.1.0-test",
                List.of(new SourceInfo("signal-desktop", "7.40.0", 1360,
                        "ab".repeat(32), "config.json key", Map.of())),
                ownerId, new Selection(true, null, null, null, null, null, null), Map.of(), Map.of());
    }

    static List<Participant> people() {
        return List.of(new Participant(OWNER, "Me Owner", "profile", "+15550000001", null, true, Map.of()),
                new Participant(ALICE, "Alice Åström 🌻", "nickname", "+15550000002", null, false, Map.of()),
                new Participant(DAVID, "דוד כהן", "profile", null, null, false, Map.of()));
    }

    /** Writes to {@code out} an archive of one direct chat between the owner and Alice, holding {@code messages}. */
    static void directChat(Path out, String conversationId, String title, List<Message> messages) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(people());
            Conversation c = new Conversation(conversationId, ConversationKind.DIRECT, title, List.of(OWNER, ALICE), null,
                    "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(c)) {
                for (Message m : messages) {
                    cw.write(m);
                }
                cw.finish();
            }
            w.commit(header(OWNER));
        }
    }

    /** Writes the every-feature archive to {@code out}. */
    static void everyFeature(Path out) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(people());
            StoredFile photo = w.storeAttachment(new ByteArrayInputStream(png(800, 600)), "image/png", "beach.png");
            StoredFile doc = w.storeAttachment(new ByteArrayInputStream("contract text".getBytes(StandardCharsets.UTF_8)),
                    "application/pdf", "contract.pdf");
            Conversation c = new Conversation(CONV, ConversationKind.GROUP, "Family 🏖 Семья", List.of(OWNER, ALICE, DAVID),
                    null, "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(c)) {
                for (Message m : everyFeatureMessages(photo, doc)) {
                    cw.write(m);
                }
                cw.finish();
            }
            w.commit(header(OWNER));
        }
    }

    static List<Message> everyFeatureMessages(StoredFile photo, StoredFile doc) {
        List<Message> out = new ArrayList<>();
        long t = T0;
        String styled = "Hi \uFFFC, this is bold, italic, struck, mono and a secret.";
        out.add(new Message("m-styled", CONV, ALICE, Direction.INCOMING, t, t + 500, null, styled,
                List.of(new BodyRange(3, 1, RangeStyle.MENTION, OWNER), new BodyRange(14, 4, RangeStyle.BOLD, null),
                        new BodyRange(20, 6, RangeStyle.ITALIC, null), new BodyRange(28, 6, RangeStyle.STRIKETHROUGH, null),
                        new BodyRange(36, 4, RangeStyle.MONOSPACE, null), new BodyRange(47, 6, RangeStyle.SPOILER, null)),
                null, null, List.of(new Reaction(OWNER, "❤️", t + 1000), new Reaction(DAVID, "👍🏽", null)),
                List.of(new EditVersion(t - 60_000, null, "Hi, first draft", null, null),
                        new EditVersion(t - 30_000, null, "Hi, second draft", null, null)),
                null, null, null, null, null, null, null, null));
        int i = 0;
        for (String s : SCRIPTS) {
            t += 3_600_000; // one hour apart, across the DST change
            out.add(Message.text("m-script-" + i, CONV, i % 2 == 0 ? ALICE : DAVID, Direction.INCOMING, t, t + 100, s));
            i++;
        }
        t += 60_000;
        out.add(new Message("m-reply", CONV, OWNER, Direction.OUTGOING, t, null, null, "Replying to the Hebrew one",
                null, null, new Quote("m-script-2", T0 + 3 * 3_600_000L, DAVID, SCRIPTS.get(2), null, null, false),
                null, null, List.of(new Receipt(ALICE, DeliveryStatus.READ, t + 5000)), null, null, null, null, null,
                null, null));
        t += 60_000;
        Attachment img = new Attachment("image/png", "beach.png", null, null, 800, 600, null, AttachmentKind.IMAGE,
                "the beach at noon", null, null, null, null).stored(photo.sha256(), photo.size(), photo.storePath());
        Attachment pdf = new Attachment("application/pdf", "contract.pdf", null, null, null, null, null,
                AttachmentKind.FILE, null, null, null, null, null).stored(doc.sha256(), doc.size(), doc.storePath());
        Attachment voice = new Attachment("audio/aac", null, 3000L, null, null, null, 4200L, AttachmentKind.VOICE_NOTE,
                null, null, null, null, null).missing(Availability.NOT_DOWNLOADED, "the app never downloaded it");
        out.add(new Message("m-attach", CONV, ALICE, Direction.INCOMING, t, null, null, "Photos and files",
                null, List.of(img, pdf, voice), null, null, null, null, null, null, null, null, null, null, null));
        t += 60_000;
        out.add(new Message("m-deleted", CONV, DAVID, Direction.INCOMING, t, null, null, null, null, null, null, null,
                null, null, new MessageFlags(false, false, null, null, true, t + 10_000, null), null, null, null, null,
                null, null));
        t += 60_000;
        out.add(new Message("m-viewonce", CONV, ALICE, Direction.INCOMING, t, null, null, null, null, null, null, null,
                null, null, new MessageFlags(true, true, null, null, false, null, null), null, null, null, null, null, null));
        t += 60_000;
        out.add(new Message("m-expiring", CONV, OWNER, Direction.OUTGOING, t, null, null, "This disappears in a day",
                null, null, null, null, null, null, new MessageFlags(false, false, 86_400, t + 1000, false, null, null),
                null, null, null, null, null, null));
        t += 60_000;
        out.add(new Message("m-call", CONV, null, Direction.SYSTEM, t, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null,
                new SystemEvent(EventType.CALL, ALICE, null, null, new CallInfo("video", Direction.INCOMING, "missed", t,
                        0L), null, null), null));
        t += 60_000;
        out.add(new Message("m-poll", CONV, OWNER, Direction.OUTGOING, t, null, null, null, null, null, null, null, null,
                null, null, null, null, null, new Poll("Lunch?", List.of(new Poll.Option("Pizza", List.of(ALICE, OWNER)),
                new Poll.Option("Sushi", List.of())), true, false), null, null));
        t += 60_000;
        out.add(Message.text("m-noglyph", CONV, ALICE, Direction.INCOMING, t, null, "A private sign: " + NO_GLYPH + " end"));
        t += 86_400_000L; // the next day
        StringBuilder longText = new StringBuilder();
        for (int k = 0; k < 400; k++) {
            longText.append("Long message line ").append(k).append(" with some words to wrap across the page. ");
        }
        out.add(Message.text("m-long", CONV, OWNER, Direction.OUTGOING, t, null, longText.toString()));
        return out;
    }

    /** A conversation of {@code n} generated messages, one every {@code stepMs}. */
    static void generated(Path out, int n, long stepMs) throws IOException {
        String[] bodies = {"Short one.", "Are we still on for dinner tomorrow? I can bring dessert 🍰",
                "Привет! Как прошла поездка?", "שלום, מה נשמע?", "مرحبا، كيف حالك؟", "明天见！",
                "A somewhat longer message that wraps onto a second line because it keeps going and going for a bit."};
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(people());
            Conversation c = new Conversation("signal-conv:long", ConversationKind.DIRECT, "Alice Åström 🌻",
                    List.of(OWNER, ALICE), null, "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(c)) {
                for (int i = 0; i < n; i++) {
                    boolean mine = i % 3 == 0;
                    cw.write(Message.text("m" + i, c.id(), mine ? OWNER : ALICE, mine ? Direction.OUTGOING : Direction.INCOMING,
                            T0 + i * stepMs, null, bodies[i % bodies.length]));
                }
                cw.finish();
            }
            w.commit(header(OWNER));
        }
    }
}
