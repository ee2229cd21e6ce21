package org.chatarchive.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Every attachment a message holds, wherever it sits: the message's own, the quote's thumbnails, each earlier
 * version's, the link previews' images, the sticker's image and the shared contacts' pictures.
 */
public final class Attachments {

    private Attachments() {
    }

    /**
     * A copy of {@code m} with every attachment replaced by {@code f} applied to it, in the order
     * {@link #forEach} visits them. Returns {@code m} itself when nothing changed.
     */
    public static Message map(Message m, UnaryOperator<Attachment> f) {
        if (none(m)) {
            return m; // most messages: nothing to visit, and no copy to build and compare
        }
        List<Attachment> own = list(m.attachments(), f);
        Quote q = m.quote();
        Quote quote = q == null ? null : new Quote(q.messageId(), q.sentAt(), q.authorId(), q.text(), q.ranges(),
                list(q.attachments(), f), q.referencedMessageNotFound());
        List<EditVersion> edits = new ArrayList<>(m.edits().size());
        for (EditVersion v : m.edits()) {
            edits.add(new EditVersion(v.sentAt(), v.receivedAt(), v.body(), v.ranges(), list(v.attachments(), f)));
        }
        List<LinkPreview> previews = new ArrayList<>(m.previews().size());
        for (LinkPreview p : m.previews()) {
            previews.add(new LinkPreview(p.url(), p.title(), p.description(), p.date(), one(p.image(), f)));
        }
        Sticker s = m.sticker();
        Sticker sticker = s == null ? null : new Sticker(s.packId(), s.stickerId(), s.emoji(), one(s.image(), f));
        List<SharedContact> contacts = new ArrayList<>(m.contacts().size());
        for (SharedContact c : m.contacts()) {
            contacts.add(new SharedContact(c.displayName(), c.phones(), c.emails(), c.organization(),
                    one(c.avatar(), f)));
        }
        Message out = new Message(m.id(), m.conversationId(), m.senderId(), m.direction(), m.sentAt(), m.receivedAt(),
                m.serverAt(), m.body(), m.ranges(), own, quote, m.reactions(), edits, m.receipts(), m.flags(),
                previews, sticker, contacts, m.poll(), m.event(), m.extra(), m.archive());
        return out.equals(m) ? m : out;
    }

    /** Whether {@code m} holds no attachment anywhere. */
    public static boolean none(Message m) {
        if (!m.attachments().isEmpty() || m.quote() != null && !m.quote().attachments().isEmpty()) {
            return false;
        }
        for (EditVersion v : m.edits()) {
            if (!v.attachments().isEmpty()) {
                return false;
            }
        }
        for (LinkPreview p : m.previews()) {
            if (p.image() != null) {
                return false;
            }
        }
        if (m.sticker() != null && m.sticker().image() != null) {
            return false;
        }
        for (SharedContact c : m.contacts()) {
            if (c.avatar() != null) {
                return false;
            }
        }
        return true;
    }

    /** Calls {@code visit} with every attachment of {@code m}. */
    public static void forEach(Message m, Consumer<Attachment> visit) {
        map(m, a -> {
            visit.accept(a);
            return a;
        });
    }

    /** How many attachments {@code m} holds, wherever they sit. */
    public static int count(Message m) {
        int[] n = {0};
        forEach(m, a -> n[0]++);
        return n[0];
    }

    private static List<Attachment> list(List<Attachment> in, UnaryOperator<Attachment> f) {
        List<Attachment> out = new ArrayList<>(in.size());
        for (Attachment a : in) {
            out.add(one(a, f));
        }
        return out;
    }

    private static Attachment one(Attachment a, UnaryOperator<Attachment> f) {
        return a == null ? null : f.apply(a);
    }
}
