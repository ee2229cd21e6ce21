package org.chatarchive.renderers.pdf;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.LinkPreview;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.SharedContact;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.renderers.time.ZonedTimes;

/** Lays out one message as a block of rows: header, markers, quote, body, attachments, edits, reactions. */
final class MessageBlocks {

    private static final float SIZE = 10;
    private static final float SMALL = 8.5f;
    private static final float INDENT = 14;
    private static final float[] BAR = {0.62f, 0.62f, 0.62f};
    private static final Set<String> DRAWABLE = Set.of("image/jpeg", "image/jpg", "image/png", "image/gif", "image/bmp");

    private final TextLayout layout;
    private final Map<String, String> names;
    private final ZonedTimes times;
    private final float imageLongEdge;
    private final Path archiveDir;
    private long imagesDrawn;
    /**
     * For an attachment of a message (not of an earlier version or a sticker): the placeholder of the number it
     * is produced under, laid out now and drawn when known ({@link StyledText#LATE}), or null.
     */
    private java.util.function.Function<Attachment, String> produced = a -> null;

    MessageBlocks(TextLayout layout, Map<String, String> names, ZoneId zone, float imageLongEdge, Path archiveDir) {
        this.layout = layout;
        this.names = names;
        this.times = new ZonedTimes(zone);
        this.imageLongEdge = imageLongEdge;
        this.archiveDir = archiveDir;
    }

    /** Sets where the numbers that attachments are produced under come from (see {@link #produced}). */
    void producedAs(java.util.function.Function<Attachment, String> placeholder) {
        this.produced = placeholder == null ? a -> null : placeholder;
    }

    long imagesDrawn() {
        return imagesDrawn;
    }

    /** The display name of a participant (the id when there is none). */
    String rawName(String id) {
        if (id == null) {
            return "(unknown)";
        }
        String n = names.get(id);
        return n == null || n.isBlank() ? id : n;
    }

    /**
     * The display name as a bidi isolate (FSI ... PDI), so that a right-to-left name does not pull the text
     * around it (times, punctuation) into its direction.
     */
    String name(String id) {
        return "\u2068" + rawName(id) + "\u2069";
    }

    String time(Long epochMs) {
        return epochMs == null ? "(no time)" : times.full(epochMs);
    }

    private List<Row> text(StyledText st, float indent, float size, TextLayout.Align align) {
        List<Row> rows = new ArrayList<>();
        for (Row r : layout.layout(st, PdfFile.CONTENT_W - indent, size, align)) {
            rows.add(indent == 0 ? r : r.shift(indent));
        }
        return rows;
    }

    private List<Row> line(String s, int style, float indent) {
        return text(StyledText.plain(s, style), indent, SMALL, TextLayout.Align.LEFT);
    }

    /** A centred day heading. */
    List<Row> dayHeading(String day) {
        List<Row> rows = new ArrayList<>();
        rows.add(Row.gap(6));
        rows.addAll(text(StyledText.plain(day, StyledText.BOLD | StyledText.MUTED), 0, SIZE, TextLayout.Align.CENTER));
        rows.add(Row.gap(4));
        return rows;
    }

    /** The rows of one message. */
    List<Row> message(Message m) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (m.event() != null) {
            rows.addAll(event(m));
        } else {
            rows.addAll(regular(m));
        }
        rows.add(Row.gap(7));
        if (!rows.isEmpty()) {
            rows.get(0).anchor = m.id();
        }
        return rows;
    }

    private List<Row> event(Message m) {
        SystemEvent e = m.event();
        StringBuilder s = new StringBuilder(time(m.timelineAt() == 0 ? null : m.timelineAt())).append(" \u00b7 ");
        String what = e.text();
        if (e.call() != null) {
            what = (what == null ? "" : what + " \u00b7 ") + call(e.call());
        }
        if (what == null || what.isBlank()) {
            what = e.type().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            if (e.actorId() != null) {
                what = name(e.actorId()) + ": " + what;
            }
            if (e.timerSeconds() != null) {
                what += " (" + duration(e.timerSeconds() * 1000L) + ")";
            }
        }
        s.append(what);
        if (m.body() != null && !m.body().isEmpty()) {
            s.append(" \u00b7 ").append(m.body());
        }
        List<Row> rows = new ArrayList<>();
        rows.addAll(text(StyledText.plain(s.toString(), StyledText.MUTED | StyledText.ITALIC), 0, SMALL + 0.5f,
                TextLayout.Align.CENTER));
        return rows;
    }

    private String call(CallInfo c) {
        List<String> p = new ArrayList<>();
        if (c.direction() != null) {
            p.add(c.direction().name().toLowerCase(Locale.ROOT));
        }
        p.add((c.media() == null ? "" : c.media() + " ") + "call");
        if (c.status() != null) {
            p.add(c.status());
        }
        if (c.durationMs() != null && c.durationMs() > 0) {
            p.add(duration(c.durationMs()));
        }
        return String.join(", ", p);
    }

    static String duration(long ms) {
        long s = ms / 1000;
        if (s == 0) {
            return ms + " ms";
        }
        long d = s / 86400, h = s % 86400 / 3600, min = s % 3600 / 60, sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (d > 0) {
            b.append(d).append(d == 1 ? " day " : " days ");
        }
        if (h > 0) {
            b.append(h).append(" h ");
        }
        if (min > 0) {
            b.append(min).append(" min ");
        }
        if (sec > 0) {
            b.append(sec).append(" s ");
        }
        return b.toString().trim();
    }

    private List<Row> regular(Message m) throws IOException {
        List<Row> rows = new ArrayList<>();
        StyledText head = StyledText.plain(name(m.senderId()), StyledText.BOLD)
                .append("   " + time(m.sentAt() != null ? m.sentAt() : m.receivedAt()), StyledText.MUTED);
        if (!m.edits().isEmpty()) {
            head = head.append("   edited", StyledText.MUTED | StyledText.ITALIC);
        }
        rows.addAll(text(head, 0, SIZE, TextLayout.Align.LEFT));

        MessageFlags f = m.flags();
        if (f.deletedForEveryone()) {
            rows.addAll(line("[Deleted for everyone" + (f.deletedAt() != null ? " at " + time(f.deletedAt()) : "")
                    + "]", StyledText.MUTED | StyledText.ITALIC, 0));
        }
        if (f.viewOnce()) {
            rows.addAll(line("[View-once message" + (f.erased() ? "; its content was erased after viewing" : "") + "]",
                    StyledText.MUTED | StyledText.ITALIC, 0));
        }
        if (f.expireTimerSeconds() != null && f.expireTimerSeconds() > 0) {
            rows.addAll(line("[Disappearing message: timer " + duration(f.expireTimerSeconds() * 1000L)
                    + (f.expirationStartAt() != null ? ", started " + time(f.expirationStartAt()) : "") + "]",
                    StyledText.MUTED | StyledText.ITALIC, 0));
        }
        if (m.quote() != null) {
            rows.addAll(quote(m.quote()));
        }
        StyledText body = StyledText.of(m.body(), m.ranges(), 0, this::name);
        rows.addAll(text(body, 0, SIZE, TextLayout.Align.AUTO));
        if (hasSpoiler(body)) {
            rows.addAll(line("[Spoiler: the hidden text is shown in full, on a grey background]",
                    StyledText.MUTED | StyledText.ITALIC, 0));
        }
        if (m.sticker() != null) {
            rows.addAll(line("Sticker " + (m.sticker().emoji() == null ? "" : m.sticker().emoji()), StyledText.MUTED, 0));
            if (m.sticker().image() != null) {
                rows.addAll(attachment(m.sticker().image(), 0, null));
            }
        }
        for (Attachment a : m.attachments()) {
            rows.addAll(attachment(a, 0, produced.apply(a)));
        }
        for (LinkPreview p : m.previews()) {
            StringBuilder s = new StringBuilder("Link preview: ").append(p.url() == null ? "" : p.url());
            if (p.title() != null) {
                s.append(" \u2014 ").append(p.title());
            }
            if (p.description() != null) {
                s.append(" \u2014 ").append(p.description());
            }
            rows.addAll(line(s.toString(), StyledText.MUTED, INDENT));
        }
        for (SharedContact c : m.contacts()) {
            List<String> p = new ArrayList<>();
            p.add(c.displayName() == null ? "(no name)" : c.displayName());
            p.addAll(c.phones());
            p.addAll(c.emails());
            if (c.organization() != null) {
                p.add(c.organization());
            }
            rows.addAll(line("Shared contact: " + String.join(" \u00b7 ", p), StyledText.MUTED, INDENT));
        }
        if (m.poll() != null) {
            rows.addAll(poll(m.poll()));
        }
        if (!m.edits().isEmpty()) {
            rows.addAll(line("Edited; earlier versions, oldest first:", StyledText.MUTED | StyledText.ITALIC, 0));
            int n = 1;
            for (EditVersion v : m.edits()) {
                rows.addAll(line("Version " + n++ + " \u00b7 " + time(v.sentAt() != null ? v.sentAt() : v.receivedAt()),
                        StyledText.MUTED, INDENT));
                rows.addAll(text(StyledText.of(v.body(), v.ranges(), 0, this::name), INDENT, SIZE - 0.5f,
                        TextLayout.Align.AUTO));
                for (Attachment a : v.attachments()) {
                    rows.addAll(attachmentLine(a, INDENT, null));
                }
            }
        }
        if (!m.reactions().isEmpty()) {
            StyledText r = StyledText.plain("Reactions: ", StyledText.MUTED);
            boolean first = true;
            for (Reaction x : m.reactions()) {
                r = r.append(first ? "" : "  \u00b7  ", StyledText.MUTED).append(x.emoji(), 0)
                        .append(" " + name(x.participantId()), StyledText.MUTED);
                first = false;
            }
            rows.addAll(text(r, 0, SMALL, TextLayout.Align.LEFT));
        }
        if (!m.receipts().isEmpty()) {
            List<String> p = new ArrayList<>();
            for (Receipt r : m.receipts()) {
                p.add(name(r.participantId()) + " " + r.status().name().toLowerCase(Locale.ROOT)
                        + (r.at() != null ? " " + time(r.at()) : ""));
            }
            rows.addAll(line("Receipts: " + String.join(" \u00b7 ", p), StyledText.MUTED, 0));
        }
        return rows;
    }

    private static boolean hasSpoiler(StyledText st) {
        for (int s : st.styles()) {
            if ((s & StyledText.SPOILER) != 0) {
                return true;
            }
        }
        return false;
    }

    private List<Row> quote(Quote q) {
        List<Row> rows = new ArrayList<>();
        String who = q.authorId() == null ? "a message" : name(q.authorId());
        String head = "Reply to " + who + (q.sentAt() != null ? " (" + time(q.sentAt()) + ")" : "")
                + (q.referencedMessageNotFound() ? " \u2014 the quoted message is not in this archive" : "");
        rows.addAll(line(head, StyledText.MUTED | StyledText.ITALIC, INDENT));
        if (q.text() != null && !q.text().isEmpty()) {
            rows.addAll(text(StyledText.of(q.text(), q.ranges(), StyledText.MUTED, this::name), INDENT, SIZE - 1,
                    TextLayout.Align.AUTO));
        }
        for (Attachment a : q.attachments()) {
            rows.addAll(line("Attachment: " + (a.fileName() != null ? a.fileName() : kind(a)), StyledText.MUTED, INDENT));
        }
        for (Row r : rows) {
            r.rects.add(new Row.Rect(3, 0, 2, r.height, BAR));
            if (q.messageId() != null) {
                r.linkTo = q.messageId();
            }
        }
        return rows;
    }

    private List<Row> poll(Poll p) {
        List<Row> rows = new ArrayList<>();
        rows.addAll(line("Poll: " + (p.question() == null ? "" : p.question())
                + (p.allowMultiple() ? " (several answers allowed)" : "") + (p.ended() ? " (ended)" : ""), StyledText.BOLD, 0));
        for (Poll.Option o : p.options()) {
            List<String> voters = o.voterIds().stream().map(this::name).toList();
            rows.addAll(line("\u2022 " + o.text() + " \u2014 " + voters.size() + (voters.size() == 1 ? " vote" : " votes")
                    + (voters.isEmpty() ? "" : ": " + String.join(", ", voters)), 0, INDENT));
        }
        return rows;
    }

    private static String kind(Attachment a) {
        return a.kind() == null ? "file" : a.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The line of an attachment; {@code bates}: the placeholder of the number it is produced under, or null. */
    private List<Row> attachmentLine(Attachment a, float indent, String bates) {
        List<String> p = new ArrayList<>();
        p.add(a.fileName() != null ? a.fileName() : "(" + kind(a) + ", no file name)");
        if (a.contentType() != null) {
            p.add(a.contentType());
        }
        if (a.size() != null) {
            p.add(String.format(Locale.ROOT, "%,d bytes", a.size()));
        }
        if (a.width() != null && a.height() != null) {
            p.add(a.width() + "\u00d7" + a.height() + " px");
        }
        if (a.durationMs() != null) {
            p.add(duration(a.durationMs()));
        }
        List<String> q = new ArrayList<>();
        if (a.sha256() != null) {
            q.add("SHA-256 " + a.sha256());
        }
        if (a.availability() != null && a.availability() != Availability.STORED) {
            q.add("not available: " + a.availability().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + (a.missingReason() != null ? " (" + a.missingReason() + ")" : ""));
        }
        StyledText st = StyledText.plain("Attachment: " + String.join(" \u00b7 ", p), StyledText.MUTED);
        if (bates != null) {
            st = st.append(" \u00b7 produced as ", StyledText.MUTED).append(bates, StyledText.MUTED | StyledText.LATE);
        }
        if (!q.isEmpty()) {
            st = st.append(" \u00b7 " + String.join(" \u00b7 ", q), StyledText.MUTED);
        }
        List<Row> rows = new ArrayList<>(text(st, indent, SMALL, TextLayout.Align.LEFT));
        if (a.caption() != null && !a.caption().isEmpty()) {
            rows.addAll(text(StyledText.plain(a.caption(), 0), indent, SIZE - 0.5f, TextLayout.Align.AUTO));
        }
        return rows;
    }

    private List<Row> attachment(Attachment a, float indent, String bates) throws IOException {
        List<Row> rows = new ArrayList<>();
        BufferedImage img = image(a);
        if (img != null) {
            float w = img.getWidth();
            float h = img.getHeight();
            float pxW = a.width() != null && a.width() > 0 ? a.width() : w;
            float pxH = a.height() != null && a.height() > 0 ? a.height() : h;
            float longEdge = Math.min(imageLongEdge, Math.max(pxW, pxH) * 0.75f);
            float scale = longEdge / Math.max(w, h);
            float ptW = Math.min(w * scale, PdfFile.CONTENT_W - indent);
            float ptH = h * (ptW / w);
            float maxH = PdfFile.TOP - PdfFile.BOTTOM - 40;
            if (ptH > maxH) {
                ptW *= maxH / ptH;
                ptH = maxH;
            }
            Row r = new Row(ptH + 6);
            r.images.add(new Row.Image(indent, 3, ptW, ptH, downsample(img, ptW * 2, ptH * 2)));
            rows.add(r);
            imagesDrawn++;
        }
        rows.addAll(attachmentLine(a, indent, bates));
        return rows;
    }

    private BufferedImage image(Attachment a) {
        if (imageLongEdge <= 0 || a.availability() != Availability.STORED || a.storePath() == null
                || a.contentType() == null || !DRAWABLE.contains(a.contentType().toLowerCase(Locale.ROOT))
                || a.kind() == AttachmentKind.VOICE_NOTE) {
            return null;
        }
        Path p = archiveDir.resolve(a.storePath()).normalize();
        if (!p.startsWith(archiveDir.normalize()) || !Files.isRegularFile(p)) {
            return null;
        }
        try {
            return ImageIO.read(p.toFile());
        } catch (IOException | RuntimeException e) {
            return null; // not a readable image: it is listed as an attachment line only
        }
    }

    /** An RGB copy (alpha flattened on white) no larger than {@code maxW} x {@code maxH} pixels. */
    private static BufferedImage downsample(BufferedImage src, float maxW, float maxH) {
        double s = Math.min(1.0, Math.min(maxW / src.getWidth(), maxH / src.getHeight()));
        int w = Math.max(1, (int) Math.round(src.getWidth() * s));
        int h = Math.max(1, (int) Math.round(src.getHeight() * s));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
