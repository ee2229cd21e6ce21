package org.chatarchive.renderers.rsmf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.Selection;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.StoredFile;
import org.chatarchive.model.store.WriteOptions;

/** Test archives for RSMF: one group chat using every feature across two days, and long generated chats. */
final class RsmfFixture {

    static final String OWNER = "signal:owner";
    static final String ALICE = "signal:alice";
    static final String DAVID = "signal:david";
    static final String CONV = "signal-conv:every-feature";
    /** 2024-03-09T23:30:00Z: half an hour before midnight UTC. */
    static final long T0 = 1_710_027_000_000L;

    private RsmfFixture() {
    }

    static ArchiveHeader header() {
        return new ArchiveHeader("chat-archive 0.1.0-test",
                List.of(new SourceInfo("signal-desktop", "7.40.0", 1360, "ab".repeat(32), "config.json key", Map.of())),
                OWNER, new Selection(true, null, null, null, null, null, null), Map.of(), Map.of());
    }

    static List<Participant> people() {
        return List.of(new Participant(OWNER, "Me Owner", "profile", "+15550000001", null, true, Map.of()),
                new Participant(ALICE, "Alice Åström 🌻", "nickname", "+15550000002", null, false,
                        Map.of("serviceId", "a1b2c3")),
                new Participant(DAVID, "דוד כהן \"Dudi\"", "profile", null, "david.42", false, Map.of()));
    }

    static void everyFeature(Path out) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(people());
            StoredFile doc = w.storeAttachment(new ByteArrayInputStream("contract text".getBytes(StandardCharsets.UTF_8)),
                    "application/pdf", "contract.pdf");
            StoredFile photo = w.storeAttachment(new ByteArrayInputStream(new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}),
                    "image/png", "beach.png");
            Conversation c = new Conversation(CONV, ConversationKind.GROUP, "Family 🏖 Семья", List.of(OWNER, ALICE, DAVID),
                    null, "signal-desktop", Map.of("groupVersion", 2));
            try (ConversationWriter cw = w.beginConversation(c)) {
                for (Message m : messages(doc, photo)) {
                    cw.write(m);
                }
                cw.finish();
            }
            w.commit(header());
        }
    }

    static List<Message> messages(StoredFile doc, StoredFile photo) {
        List<Message> out = new ArrayList<>();
        long t = T0;
        Attachment pdf = new Attachment("application/pdf", "contract.pdf", null, null, null, null, null,
                AttachmentKind.FILE, "signed copy", null, null, null, null).stored(doc.sha256(), doc.size(), doc.storePath());
        out.add(new Message("m1", CONV, OWNER, Direction.OUTGOING, t, null, null, "Contract attached",
                null, List.of(pdf), null, null, null,
                List.of(new Receipt(ALICE, DeliveryStatus.READ, t + 60_000), new Receipt(DAVID, DeliveryStatus.DELIVERED,
                        t + 5_000), new Receipt(DAVID, DeliveryStatus.FAILED, null)),
                null, null, null, null, null, null, null));
        t += 20 * 60_000; // 23:50Z
        String styled = "Hi \uFFFC, signed, thanks";
        out.add(new Message("m2", CONV, ALICE, Direction.INCOMING, t, t + 900, null, styled,
                List.of(new BodyRange(3, 1, RangeStyle.MENTION, OWNER), new BodyRange(6, 6, RangeStyle.BOLD, null)),
                null, new Quote("m1", T0, OWNER, "Contract attached", null, null, false),
                List.of(new Reaction(OWNER, "👍", t + 1000), new Reaction(DAVID, "👍", null), new Reaction(DAVID, "❤️", null)),
                List.of(new EditVersion(t - 60_000, null, "Hi, signd", null, null)),
                null, null, null, null, null, null, null, Map.of("unmappedField", "kept")));
        t += 20 * 60_000; // 00:10Z the next day
        Attachment img = new Attachment("image/png", "beach.png", null, null, 80, 60, null, AttachmentKind.IMAGE,
                null, null, null, null, null).stored(photo.sha256(), photo.size(), photo.storePath());
        Attachment voice = new Attachment("audio/aac", null, 3000L, null, null, null, 4200L, AttachmentKind.VOICE_NOTE,
                null, null, null, null, null).missing(Availability.NOT_DOWNLOADED, "the app never downloaded it");
        out.add(new Message("m3", CONV, DAVID, Direction.INCOMING, t, null, null, "Photo and a voice note",
                null, List.of(img, voice), new Quote("m1", T0, OWNER, "Contract attached", null, null, false),
                null, null, null, null, null, null, null, null, null, null));
        t += 60_000;
        out.add(new Message("m4", CONV, DAVID, Direction.INCOMING, t, null, null, null, null, null, null, null,
                null, null, new MessageFlags(false, false, null, null, true, t + 10_000, null), null, null, null, null,
                null, null));
        t += 60_000;
        out.add(new Message("m5", CONV, null, Direction.SYSTEM, t, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null,
                new SystemEvent(EventType.CALL, ALICE, null, "Missed video call", new CallInfo("video", Direction.INCOMING,
                        "missed", t, 0L), null, null), null));
        t += 60_000;
        out.add(Message.text("m6", CONV, OWNER, Direction.OUTGOING, t, null, "Line one\nLine two with = sign and a"
                + " very long tail ".repeat(12)));
        return out;
    }

    /**
     * Events the source gives no sender or actor: calls in a direct chat (one incoming, one outgoing) and a notice in
     * a group, as Signal Desktop's older call rows, WhatsApp's "created group" lines and the like come in.
     */
    static void withoutSenders(Path out) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(people());
            Conversation direct = new Conversation("signal-conv:direct", ConversationKind.DIRECT, "Alice Åström 🌻",
                    List.of(OWNER, ALICE), null, "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(direct)) {
                cw.write(new Message("call-in", direct.id(), null, Direction.SYSTEM, T0, null, null, null, null, null,
                        null, null, null, null, null, null, null, null, null, new SystemEvent(EventType.CALL, null, null,
                        "Incoming video call", new CallInfo("video", Direction.INCOMING, "accepted", T0, 60_000L), null,
                        null), null));
                cw.write(new Message("call-out", direct.id(), null, Direction.SYSTEM, T0 + 60_000, null, null, null,
                        null, null, null, null, null, null, null, null, null, null, null, new SystemEvent(EventType.CALL,
                        null, null, "Outgoing voice call", new CallInfo("audio", Direction.OUTGOING, "missed",
                        T0 + 60_000, 0L), null, null), null));
                cw.finish();
            }
            Conversation group = new Conversation("signal-conv:group", ConversationKind.GROUP, "Семья, Family",
                    List.of(OWNER, ALICE, DAVID), null, "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(group)) {
                cw.write(new Message("notice", group.id(), null, Direction.SYSTEM, T0, null, null, null, null, null,
                        null, null, null, null, null, null, null, null, null, new SystemEvent(EventType.GROUP_CHANGE,
                        null, null, "The group was created", null, null, null), null));
                cw.finish();
            }
            w.commit(header());
        }
    }

    /** A direct chat of {@code n} messages, one every {@code stepMs} from {@code start}. */
    static void generated(Path out, int n, long start, long stepMs) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(people());
            Conversation c = new Conversation("signal-conv:long", ConversationKind.DIRECT, "Alice Åström 🌻",
                    List.of(OWNER, ALICE), null, "signal-desktop", null);
            try (ConversationWriter cw = w.beginConversation(c)) {
                for (int i = 0; i < n; i++) {
                    boolean mine = i % 3 == 0;
                    cw.write(Message.text("m" + i, c.id(), mine ? OWNER : ALICE, mine ? Direction.OUTGOING
                            : Direction.INCOMING, start + i * stepMs, null, "Message number " + i));
                }
                cw.finish();
            }
            w.commit(header());
        }
    }
}
