package org.chatarchive.search;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexOptions;
import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.LinkPreview;
import org.chatarchive.model.Message;

/** Turns one message into its Lucene document (see {@link Fields}). */
final class MessageDocument {

    /** What counts as a link in text for {@code has:link}, besides link previews. */
    private static final Pattern LINK = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S");

    /**
     * Searchable, stored text with each word's character offsets in the postings, so that the highlighter reads the
     * offsets of a hit's matches from the index instead of analyzing the hit's text again (which, for phrases and
     * the default weight-matching, means building an in-memory index per hit).
     */
    private static final FieldType TEXT_TYPE = textType();

    private MessageDocument() {
    }

    private static FieldType textType() {
        FieldType t = new FieldType(TextField.TYPE_STORED);
        t.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        t.freeze();
        return t;
    }

    /** The document for {@code m}, the {@code ordinal}-th message (0-based) of its conversation file. */
    static Document of(Message m, long ordinal) {
        Document d = new Document();
        d.add(new StringField(Fields.ID, m.id(), Field.Store.YES));
        d.add(new StringField(Fields.CONVERSATION, m.conversationId(), Field.Store.YES));
        String sender = sender(m);
        if (sender != null) {
            d.add(new StringField(Fields.SENDER, sender, Field.Store.YES));
        }
        long at = m.timelineAt();
        d.add(new LongPoint(Fields.AT, at));
        d.add(new NumericDocValuesField(Fields.AT, at));
        d.add(new StoredField(Fields.AT, at));
        d.add(new NumericDocValuesField(Fields.ORDINAL, ordinal));
        d.add(new StoredField(Fields.ORDINAL, ordinal));

        // The body is always the first stored text value (empty when there is none): results show it as the text.
        d.add(new Field(Fields.TEXT, m.body() == null ? "" : m.body(), TEXT_TYPE));
        for (EditVersion e : m.edits()) {
            addText(d, e.body());
        }
        Set<String> has = new LinkedHashSet<>();
        for (Attachment a : m.attachments()) {
            has.add("attachment");
            addAttachment(d, a, has);
        }
        for (LinkPreview p : m.previews()) {
            has.add("link");
            addText(d, p.title());
            addText(d, p.description());
        }
        if (m.body() != null && LINK.matcher(m.body()).find()) {
            has.add("link");
        }
        if (m.sticker() != null) {
            has.add("sticker");
        }
        if (m.quote() != null) {
            has.add("quote");
        }
        if (!m.reactions().isEmpty()) {
            has.add("reaction");
        }
        if (m.event() != null) {
            addText(d, m.event().text());
        }
        if (m.poll() != null) {
            addText(d, m.poll().question());
            m.poll().options().forEach(o -> addText(d, o.text()));
        }
        for (String h : has) {
            d.add(new StringField(Fields.HAS, h, Field.Store.NO));
        }
        if (!m.edits().isEmpty()) {
            d.add(new StringField(Fields.IS, "edited", Field.Store.NO));
        }
        if (m.flags().deletedForEveryone()) {
            d.add(new StringField(Fields.IS, "deleted", Field.Store.NO));
        }
        if (m.direction() == Direction.OUTGOING) {
            d.add(new StringField(Fields.IS, "outgoing", Field.Store.NO));
        } else if (m.direction() == Direction.INCOMING) {
            d.add(new StringField(Fields.IS, "incoming", Field.Store.NO));
        }
        return d;
    }

    /**
     * Who sent {@code m}: its sender, or for a system event without one, the event's actor (who changed the group,
     * the timer, called, ...), as transcripts and RSMF exports name it. {@code null} for an event without an actor.
     */
    static String sender(Message m) {
        if (m.senderId() != null) {
            return m.senderId();
        }
        return m.event() != null ? m.event().actorId() : null;
    }

    private static void addAttachment(Document d, Attachment a, Set<String> has) {
        AttachmentKind kind = a.kind() != null ? a.kind() : kindOf(a.contentType());
        if (kind != null) {
            switch (kind) {
                case IMAGE, GIF -> has.add("image");
                case VIDEO -> has.add("video");
                case AUDIO -> has.add("audio");
                case VOICE_NOTE -> {
                    has.add("audio");
                    has.add("voice");
                }
                case STICKER -> has.add("sticker");
                case FILE, LONG_TEXT -> has.add("file");
            }
        }
        addText(d, a.caption());
        if (a.fileName() != null && !a.fileName().isEmpty()) {
            d.add(new TextField(Fields.FILENAME, a.fileName(), Field.Store.NO));
            d.add(new StringField(Fields.FILENAME_WHOLE, ChatAnalyzer.fold(a.fileName()), Field.Store.NO));
        }
    }

    /** The kind a content type suggests, for attachments whose source gave no kind. */
    private static AttachmentKind kindOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        if (t.startsWith("image/")) {
            return AttachmentKind.IMAGE;
        }
        if (t.startsWith("video/")) {
            return AttachmentKind.VIDEO;
        }
        if (t.startsWith("audio/")) {
            return AttachmentKind.AUDIO;
        }
        return AttachmentKind.FILE;
    }

    private static void addText(Document d, String text) {
        if (text != null && !text.isBlank()) {
            d.add(new Field(Fields.TEXT, text, TEXT_TYPE));
        }
    }
}
