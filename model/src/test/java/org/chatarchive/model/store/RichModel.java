package org.chatarchive.model.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

/** A small archive that uses every record type and field of the model, and writes it. */
final class RichModel {

    static final String OWNER = "signal:11111111-1111-4111-8111-111111111111";
    static final String ALICE = "signal:22222222-2222-4222-8222-222222222222";
    static final String BOB = "signal:33333333-3333-4333-8333-333333333333";
    static final String DIRECT = "signal-conv:aaaaaaaa-0000-4000-8000-000000000001";
    static final String GROUP = "signal-conv:aaaaaaaa-0000-4000-8000-000000000002";
    static final String EMPTY = "signal-conv:aaaaaaaa-0000-4000-8000-000000000003";

    static final byte[] PHOTO = "not really a jpeg, but bytes \u00e9\u00e8".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final byte[] PDF = "%PDF-1.7 pretend".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RichModel() {
    }

    /** The stored form of {@code bytes} (an attachment of the rich model) under extension {@code ext}. */
    static StoredFile stored(byte[] bytes, String ext) {
        String sha = ArchiveLayout.sha256Hex(bytes);
        return new StoredFile(sha, bytes.length, ArchiveLayout.storePath(sha, ext));
    }

    static List<Participant> participants() {
        return List.of(
                new Participant(OWNER, "Me", "profile", "+15550000001", "me.01", true, Map.of(), null),
                new Participant(ALICE, "Alice \u00c5str\u00f6m \ud83c\udf3b", "nickname", "+15550000002", null, false,
                        Map.of("profileKeyKnown", true, "colors", List.of("ultramarine", 3)),
                        new Attachment("image/jpeg", null, 2048L, null, 64, 64, null, AttachmentKind.IMAGE, null,
                                Availability.FILE_MISSING, "the avatar file is gone", null, null)),
                new Participant(BOB, "+1 555-000-0003", "phone", "+15550000003", null, false, null, null));
    }

    static List<Conversation> conversations(boolean refs) {
        Attachment avatar = new Attachment("image/png", null, 12L, null, 96, 96, null, AttachmentKind.IMAGE, null,
                Availability.NOT_EXPORTED, "avatars are not exported by this option", null, (refs ? "avatars/x.png" : null));
        return List.of(
                new Conversation(DIRECT, ConversationKind.DIRECT, "Alice \u00c5str\u00f6m \ud83c\udf3b",
                        List.of(OWNER, ALICE), null, "signal-desktop", Map.of()),
                new Conversation(GROUP, ConversationKind.GROUP, "Family \ud83c\udfd6", List.of(OWNER, ALICE, BOB),
                        avatar, "signal-desktop", Map.of("groupVersion", 2, "accessControl", Map.of("members", "ADMIN"))),
                new Conversation(EMPTY, ConversationKind.NOTE_TO_SELF, "Note to Self", List.of(OWNER), null,
                        "signal-desktop", null));
    }

    /**
     * Messages of {@code conversation}; attachments already carry their stored form. With {@code refs}, attachments
     * carry source references (as a reader gives them); without, they are as read back from an archive.
     */
    static List<Message> messages(String conversation, StoredFile photo, StoredFile pdf, boolean refs) {
        List<Message> out = new ArrayList<>();
        if (conversation.equals(EMPTY)) {
            return out;
        }
        if (conversation.equals(DIRECT)) {
            Attachment photoAtt = new Attachment("image/jpeg", "IMG_0001.JPG", null, null, 4032, 3024, null,
                    AttachmentKind.IMAGE, "the beach \ud83c\udf0a", null, null, null, (refs ? "attachments.db/ab/cdef" : null))
                    .stored(photo.sha256(), photo.size(), photo.storePath());
            Attachment voice = new Attachment("audio/aac", null, 3000L, null, null, null, 4200L,
                    AttachmentKind.VOICE_NOTE, null, null, null, null, (refs ? "x/voice" : null))
                    .missing(Availability.NOT_DOWNLOADED, "the app never downloaded it");
            Attachment pdfAtt = new Attachment("application/pdf", "report.pdf", null, null, null, null, null,
                    AttachmentKind.FILE, null, null, null, null, (refs ? "x/pdf" : null)).stored(pdf.sha256(), pdf.size(), pdf.storePath());
            out.add(new Message("signal-msg:m1", DIRECT, ALICE, Direction.INCOMING, 1_700_000_000_000L,
                    1_700_000_000_500L, 1_700_000_000_200L,
                    "Hi \uFFFC, look: *bold* and \ud83d\udc4d emoji \"quoted\"\nline two\ttab \u2028 sep",
                    List.of(new BodyRange(3, 1, RangeStyle.MENTION, OWNER), new BodyRange(12, 6, RangeStyle.BOLD, null),
                            new BodyRange(23, 2, RangeStyle.ITALIC, null), new BodyRange(0, 2, RangeStyle.SPOILER, null),
                            new BodyRange(5, 1, RangeStyle.STRIKETHROUGH, null), new BodyRange(7, 3, RangeStyle.MONOSPACE, null)),
                    List.of(photoAtt, voice, pdfAtt), null,
                    List.of(new Reaction(OWNER, "\u2764\ufe0f", 1_700_000_001_000L), new Reaction(ALICE, "\ud83d\udc4d", null)),
                    List.of(new EditVersion(1_699_999_999_000L, 1_699_999_999_100L, "Hi, look",
                            List.of(new BodyRange(0, 2, RangeStyle.BOLD, null)), List.of(photoAtt))),
                    null,
                    new MessageFlags(false, false, 86_400, 1_700_000_000_600L, false, null, Boolean.FALSE),
                    List.of(new LinkPreview("https://example.org/a?b=c&d=\u00e9", "Example", "A page", 1_690_000_000_000L,
                            photoAtt)),
                    null, null, null, null,
                    extra()));
            out.add(new Message("signal-msg:m2", DIRECT, OWNER, Direction.OUTGOING, 1_700_000_100_000L, null, null,
                    "replying",
                    null, null,
                    new Quote("signal-msg:m1", 1_700_000_000_000L, ALICE, "Hi \uFFFC",
                            List.of(new BodyRange(3, 1, RangeStyle.MENTION, OWNER)),
                            List.of(new Attachment("image/jpeg", "IMG_0001.JPG", null, null, null, null, null,
                                    AttachmentKind.IMAGE, null, Availability.NOT_EXPORTED, "quote thumbnail", null, null)),
                            false),
                    null, null,
                    List.of(new Receipt(ALICE, DeliveryStatus.READ, 1_700_000_100_900L)),
                    new MessageFlags(true, true, null, null, false, null, null),
                    null, null, null, null, null, null));
            out.add(new Message("signal-msg:m3", DIRECT, ALICE, Direction.INCOMING, 1_700_000_200_000L, 1_700_000_200_001L,
                    null, null, null, null,
                    new Quote(null, 1_600_000_000_000L, BOB, null, null, null, true),
                    null, null, null,
                    new MessageFlags(false, false, null, null, true, 1_700_000_300_000L, Boolean.TRUE),
                    null,
                    new Sticker("0123456789abcdef0123456789abcdef", 7, "\ud83d\ude00",
                            new Attachment("image/webp", null, 100L, null, 512, 512, null, AttachmentKind.STICKER, null,
                                    Availability.FILE_MISSING, "the sticker file is gone", null, null)),
                    null, null, null, null));
        } else {
            out.add(new Message("signal-msg:g1", GROUP, BOB, Direction.INCOMING, 1_700_001_000_000L, 1_700_001_000_100L,
                    null, null, null, null, null, null, null, null, null, null, null,
                    List.of(new SharedContact("Carol", List.of("+15550000004", "+15550000005"), List.of("carol@example.org"),
                            "ACME", new Attachment("image/jpeg", null, null, null, null, null, null, AttachmentKind.IMAGE,
                            null, Availability.DECRYPTION_FAILED, "integrity check failed", null, null))),
                    null, null, null));
            out.add(new Message("signal-msg:g2", GROUP, OWNER, Direction.OUTGOING, 1_700_001_100_000L, null, null,
                    null, null, null, null, null, null,
                    List.of(new Receipt(ALICE, DeliveryStatus.DELIVERED, 1_700_001_100_500L),
                            new Receipt(BOB, DeliveryStatus.FAILED, null)),
                    null, null, null, null,
                    new Poll("Lunch?", List.of(new Poll.Option("Pizza", List.of(ALICE, OWNER)),
                            new Poll.Option("Sushi", List.of())), true, true),
                    null, null));
            out.add(new Message("signal-msg:g3", GROUP, null, Direction.SYSTEM, 1_700_001_200_000L, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null,
                    new SystemEvent(EventType.CALL, ALICE, List.of(OWNER, BOB), "Alice started a group call",
                            new CallInfo("group", Direction.INCOMING, "missed", 1_700_001_200_000L, 61_000L), null,
                            Map.of("callId", "12345678901234567890", "ringers", List.of(1, 2.5, "x", true))),
                    null));
            out.add(new Message("signal-msg:g4", GROUP, ALICE, Direction.SYSTEM, 1_700_001_300_000L, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null,
                    new SystemEvent(EventType.TIMER_CHANGE, ALICE, null, "Alice set the timer to 1 week", null, 604_800, null),
                    null));
            out.add(new Message("signal-msg:g5", GROUP, null, Direction.SYSTEM, 1_700_001_400_000L, null, null,
                    "", null, null, null, null, null, null, null, null, null, null, null,
                    new SystemEvent(EventType.OTHER, null, null, null, null, 0, Map.of("type", "unknown-thing")),
                    null));
        }
        return out;
    }

    static Map<String, Object> extra() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", List.of(1, 2, Map.of("deep", "yes", "alpha", false)));
        nested.put("a", 3_000_000_000L);
        nested.put("pi", 3.25);
        nested.put("nothing", null);
        return Map.of("signal.unidentifiedDelivery", true, "signal.nested", nested, "signal.source", "desktop");
    }

    static ArchiveHeader header() {
        return new ArchiveHeader("chat-archive 0.1.0-test",
                List.of(new SourceInfo("signal-desktop", "7.40.0", 1360,
                        "0000000000000000000000000000000000000000000000000000000000000000", "config.json key",
                        Map.of("walFramesApplied", 12))),
                OWNER,
                new Selection(false, List.of("Family"), "2023-01", "2023-12", 1_672_531_200_000L, 1_704_067_200_000L,
                        "Europe/Berlin"),
                Map.of("excluded.filtered", 4),
                Map.of("note", "test archive"));
    }

    /** Writes the whole rich archive to {@code out} and returns what commit reports. */
    static CommittedArchive write(java.nio.file.Path out, WriteOptions options) throws java.io.IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, options)) {
            w.writeParticipants(participants());
            StoredFile photo = w.storeAttachment(new java.io.ByteArrayInputStream(PHOTO), "image/jpeg", "IMG_0001.JPG");
            StoredFile pdf = w.storeAttachment(new java.io.ByteArrayInputStream(PDF), "application/pdf", null);
            w.storeAttachment(new java.io.ByteArrayInputStream(PHOTO), "image/jpeg", "copy.jpeg");
            for (Conversation c : conversations(true)) {
                try (ConversationWriter cw = w.beginConversation(c)) {
                    for (Message m : messages(c.id(), photo, pdf, true)) {
                        cw.write(m);
                    }
                    cw.finish();
                }
            }
            return w.commit(header());
        }
    }
}
