package org.chatarchive.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AttachmentsTest {

    static Attachment att(String name) {
        return new Attachment("image/png", name, 1L, null, null, null, null, AttachmentKind.IMAGE, null, null, null,
                null, "ref:" + name);
    }

    static Message everywhere() {
        Message base = Message.text("m", "c", "s", Direction.INCOMING, 1L, 2L, "hi");
        return new Message(base.id(), base.conversationId(), base.senderId(), base.direction(), base.sentAt(),
                base.receivedAt(), null, base.body(), null, List.of(att("own1"), att("own2")),
                new Quote(null, 5L, null, "q", null, List.of(att("quote")), false), null,
                List.of(new EditVersion(1L, null, "old", null, List.of(att("edit")))), null, null,
                List.of(new LinkPreview("https://x", null, null, null, att("preview")),
                        new LinkPreview("https://y", null, null, null, null)),
                new Sticker("p", 1, "🙂", att("sticker")),
                List.of(new SharedContact("Ann", null, null, null, att("contact"))), null, null, null);
    }

    @Test
    void visitsEveryAttachmentOnce() {
        List<String> seen = new ArrayList<>();
        Attachments.forEach(everywhere(), a -> seen.add(a.fileName()));
        assertEquals(List.of("own1", "own2", "quote", "edit", "preview", "sticker", "contact"), seen);
        assertEquals(7, Attachments.count(everywhere()));
    }

    @Test
    void replacesEveryAttachment() {
        Message out = Attachments.map(everywhere(), a -> a.stored("h-" + a.fileName(), 3, "attachments/x"));
        List<Availability> kinds = new ArrayList<>();
        Attachments.forEach(out, a -> kinds.add(a.availability()));
        assertEquals(List.of(Availability.STORED), kinds.stream().distinct().toList());
        assertEquals("h-sticker", out.sticker().image().sha256());
        assertEquals("h-contact", out.contacts().get(0).avatar().sha256());
        assertEquals("h-edit", out.edits().get(0).attachments().get(0).sha256());
        assertEquals(null, out.previews().get(1).image());
        assertEquals("old", out.edits().get(0).body());
    }

    @Test
    void unchangedMessageIsReturnedAsIs() {
        Message m = everywhere();
        assertSame(m, Attachments.map(m, a -> a));
    }
}
