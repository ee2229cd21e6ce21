package org.chatarchive.search;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Quote;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Sticker;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.WriteOptions;

/**
 * A small archive with known answers: three conversations (a direct chat, a group, a group with a Cyrillic title),
 * messages m1 to m18 in several scripts, with every kind of attachment, edits, a deletion, a quote, a reaction, a
 * sticker and a system event. Times are given in Europe/Berlin.
 */
final class Fixture {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final String ME = "signal:me";
    static final String ALICE = "signal:alice";
    static final String BOB = "signal:bob";
    static final String ZOE = "signal:zoe";
    static final String DIRECT = "signal-conv:direct-alice";
    static final String FAMILY = "signal-conv:family";
    static final String WORK = "signal-conv:work";

    private Fixture() {
    }

    static List<Participant> participants() {
        return List.of(
                new Participant(ME, "Me Myself", "profile", "+15550000001", null, true, null),
                new Participant(ALICE, "Alice Müller", "profile", "+15551234567", "alice.42", false, null),
                new Participant(BOB, "Bob Stone", "profile", "+447700900123", null, false, null),
                new Participant(ZOE, "Zoë Ângelo", "profile", null, null, false, null));
    }

    static Map<Conversation, List<Message>> conversations() {
        Map<Conversation, List<Message>> all = new LinkedHashMap<>();
        Conversation direct = new Conversation(DIRECT, ConversationKind.DIRECT, "Alice", List.of(ME, ALICE), null,
                "signal-desktop", null);
        Conversation family = new Conversation(FAMILY, ConversationKind.GROUP, "Family \ud83c\udfd6",
                List.of(ME, ALICE, BOB), null, "signal-desktop", null);
        Conversation work = new Conversation(WORK, ConversationKind.GROUP, "Работа", List.of(ME, BOB, ZOE), null,
                "signal-desktop", null);

        List<Message> d = new ArrayList<>();
        d.add(text("m1", DIRECT, ALICE, at(2023, 2, 14, 10, 0), "Meet at the Café Central tomorrow?"));
        d.add(with(text("m2", DIRECT, ME, at(2023, 2, 14, 10, 5), "Sure, see you at the cafe"), b -> b.edits = List.of(
                new EditVersion(at(2023, 2, 14, 10, 4), null, "Sure, see you at the bakery", null, null))));
        d.add(with(text("m3", DIRECT, ALICE, at(2023, 6, 30, 23, 30), ""), b -> b.attachments = List.of(
                attachment("image/jpeg", "beach.jpg", AttachmentKind.IMAGE, "sunset at the beach"))));
        d.add(text("m4", DIRECT, ME, at(2023, 7, 1, 0, 30), "check https://example.org/trip"));
        d.add(with(text("m5", DIRECT, ALICE, at(2023, 7, 2, 9, 0), null), b -> b.flags =
                new MessageFlags(false, false, null, null, true, at(2023, 7, 2, 9, 1), null)));
        all.put(direct, d);

        List<Message> f = new ArrayList<>();
        f.add(with(text("m6", FAMILY, BOB, at(2023, 7, 14, 18, 22), "the beach was perfect, photos below"),
                b -> b.reactions = List.of(new Reaction(ALICE, "\u2764\ufe0f", at(2023, 7, 14, 18, 30)))));
        f.add(with(text("m7", FAMILY, ALICE, at(2023, 7, 14, 18, 25), null), b -> b.attachments = List.of(
                attachment("audio/mp4", "voice-2023.m4a", AttachmentKind.VOICE_NOTE, null))));
        f.add(with(text("m8", FAMILY, ME, at(2023, 8, 1, 12, 0), "Beaches are overrated"), b -> b.quote =
                new Quote("m6", at(2023, 7, 14, 18, 22), BOB, "the beach was perfect", null, null, false)));
        f.add(with(text("m9", FAMILY, BOB, at(2023, 8, 2, 12, 0), "look"), b -> b.attachments = List.of(
                attachment("video/mp4", "holiday_video.final.mp4", AttachmentKind.VIDEO, null))));
        f.add(with(text("m10", FAMILY, BOB, at(2024, 1, 5, 12, 0), "quarterly numbers attached"), b -> b.attachments =
                List.of(attachment("application/pdf", "Report-2023.pdf", AttachmentKind.FILE, null))));
        f.add(with(text("m11", FAMILY, ALICE, at(2024, 1, 6, 12, 0), null), b -> b.sticker =
                new Sticker("pack", 3, "\ud83d\ude00", null)));
        f.add(with(new Builder("m12", FAMILY, null, Direction.SYSTEM, at(2024, 1, 7, 12, 0), null), b -> b.event =
                new SystemEvent(EventType.GROUP_CHANGE, ALICE, null, "Alice changed the group name to Family", null,
                        null, null)));
        all.put(family, f);

        List<Message> w = new ArrayList<>();
        w.add(text("m13", WORK, BOB, at(2023, 3, 1, 9, 0), "Привет, как дела? Встреча в понедельник"));
        w.add(text("m14", WORK, ZOE, at(2023, 3, 2, 9, 0), "مَرْحَبًا يا صديقي"));
        w.add(text("m15", WORK, ZOE, at(2023, 3, 3, 9, 0), "東京タワーに行きました"));
        w.add(text("m16", WORK, ME, at(2023, 3, 4, 9, 0), "Σοφία είπε ότι ΈΡΧΕΤΑΙ"));
        w.add(text("m17", WORK, BOB, at(2023, 3, 5, 9, 0), "my favourite colour is blue"));
        w.add(text("m18", WORK, BOB, at(2023, 3, 6, 9, 0), "สวัสดีครับ"));
        all.put(work, w);
        return all;
    }

    /** Writes the fixture archive into {@code dir} (replacing it). */
    static Path write(Path dir) throws IOException {
        return write(dir, conversations());
    }

    /** Writes an archive of these conversations into {@code dir} (replacing it). */
    static Path write(Path dir, Map<Conversation, List<Message>> conversations) throws IOException {
        try (ArchiveWriter w = ArchiveWriter.create(dir, new WriteOptions(true))) {
            w.writeParticipants(participants());
            for (Map.Entry<Conversation, List<Message>> e : conversations.entrySet()) {
                try (ConversationWriter cw = w.beginConversation(e.getKey())) {
                    for (Message m : e.getValue()) {
                        cw.write(m);
                    }
                    cw.finish();
                }
            }
            w.commit(new ArchiveHeader("chat-archive test", null, ME, null, null, null));
        }
        return dir;
    }

    /**
     * Writes an archive of one conversation into {@code dir} (replacing it), indexes it and opens it for search;
     * the caller closes the search.
     */
    static ArchiveSearch indexed(Path dir, Conversation conversation, List<Message> messages) throws IOException {
        Path archive = write(dir, Map.of(conversation, messages));
        Indexer.update(archive, Indexer.Options.defaults());
        return ArchiveSearch.open(archive);
    }

    /** The ids of the messages {@code query} finds (up to 100), read in Berlin, in sorted order. */
    static Set<String> hits(ArchiveSearch search, String query) throws IOException {
        Set<String> ids = new TreeSet<>();
        search.search(query, BERLIN, SortOrder.RELEVANCE, 100).hits().forEach(h -> ids.add(h.messageId()));
        return ids;
    }

    /** The ids of a test table's expected column: space-separated, or none when the cell is empty. */
    static Set<String> ids(String expected) {
        return expected == null ? Set.of() : new TreeSet<>(List.of(expected.trim().split("\\s+")));
    }

    static long at(int y, int mo, int d, int h, int mi) {
        return LocalDateTime.of(y, mo, d, h, mi).atZone(BERLIN).toInstant().toEpochMilli();
    }

    static Attachment attachment(String type, String name, AttachmentKind kind, String caption) {
        return new Attachment(type, name, 10L, null, null, null, null, kind, caption, Availability.NOT_DOWNLOADED,
                "not downloaded", null, null);
    }

    static Message text(String id, String conv, String sender, long at, String body) {
        return new Builder(id, conv, sender, sender == null ? Direction.SYSTEM : sender.equals(ME) ? Direction.OUTGOING
                : Direction.INCOMING, at, body).build();
    }

    static Message with(Message m, java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(m.id(), m.conversationId(), m.senderId(), m.direction(), m.sentAt(), m.body());
        change.accept(b);
        return b.build();
    }

    static Message with(Builder b, java.util.function.Consumer<Builder> change) {
        change.accept(b);
        return b.build();
    }

    /** The parts of a message the fixture varies. */
    static final class Builder {
        final String id;
        final String conv;
        final String sender;
        final Direction direction;
        final long at;
        final String body;
        List<Attachment> attachments;
        Quote quote;
        List<Reaction> reactions;
        List<EditVersion> edits;
        MessageFlags flags;
        Sticker sticker;
        SystemEvent event;

        Builder(String id, String conv, String sender, Direction direction, long at, String body) {
            this.id = id;
            this.conv = conv;
            this.sender = sender;
            this.direction = direction;
            this.at = at;
            this.body = body;
        }

        Message build() {
            return new Message(id, conv, sender, direction, at, at + 1000, null, body, null, attachments, quote,
                    reactions, edits, null, flags, null, sticker, null, null, event, null);
        }
    }
}
