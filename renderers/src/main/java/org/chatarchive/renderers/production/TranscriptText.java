package org.chatarchive.renderers.production;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.chatarchive.model.Reaction;
import org.chatarchive.renderers.pdf.PlainBody;
import org.chatarchive.renderers.time.ZonedTimes;

/**
 * The extracted text of one transcript, written from the archive rather than read back from the PDF, so that it
 * holds the messages' own characters (no reordering of right-to-left text, no hyphenation): a header naming the
 * document, then one entry per message with its time and offset, sender and text, and a line per attachment
 * with the Bates number it was produced under.
 */
final class TranscriptText {

    private final Map<String, String> names;
    private final ZonedTimes times;
    private final StringBuilder out = new StringBuilder();

    TranscriptText(Map<String, String> names, ZoneId zone) {
        this.names = names;
        this.times = new ZonedTimes(zone);
    }

    /** The header: label and value pairs, one a line, then a blank line. */
    TranscriptText header(List<String[]> lines) {
        for (String[] l : lines) {
            out.append(l[0]).append(": ").append(l[1]).append('\n');
        }
        out.append('\n');
        return this;
    }

    /** One message; {@code nativeBates} gives each stored attachment's Bates number (null for none). */
    TranscriptText message(Message m, Map<Attachment, String> nativeBates) {
        long at = m.timelineAt();
        out.append('[').append(at == 0 ? "time unknown" : times.full(at))
                .append("] ").append(name(m.senderId() != null ? m.senderId()
                        : m.event() != null ? m.event().actorId() : null));
        if (m.direction() == Direction.SYSTEM || m.event() != null) {
            out.append(" (system event").append(m.event() != null && m.event().type() != null
                    ? ": " + m.event().type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') : "").append(')');
        }
        out.append(':');
        if (m.flags().deletedForEveryone()) {
            out.append(" [deleted for everyone]");
        }
        String body = m.body() == null ? "" : PlainBody.of(m.body(), m.ranges(), this::name);
        if (!body.isEmpty()) {
            out.append(' ').append(body.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\n    "));
        }
        out.append('\n');
        if (m.quote() != null) {
            out.append("    replying to ").append(name(m.quote().authorId()));
            if (m.quote().text() != null) {
                String q = m.quote().text().replaceAll("\\s+", " ").strip();
                out.append(": ").append(q.length() <= 120 ? q : q.substring(0, 117) + "...");
            }
            out.append('\n');
        }
        if (!m.edits().isEmpty()) {
            out.append("    edited; earlier versions:\n");
            for (var v : m.edits()) {
                out.append("      ").append(v.body() == null ? "" : v.body().replace("\n", " ")).append('\n');
            }
        }
        for (Attachment a : m.attachments()) {
            out.append("    attachment: ").append(a.fileName() != null ? a.fileName() : "(no file name)");
            if (a.contentType() != null) {
                out.append(", ").append(a.contentType());
            }
            if (a.size() != null) {
                out.append(", ").append(a.size()).append(" bytes");
            }
            String b = nativeBates.get(a);
            if (b != null) {
                out.append(", produced as ").append(b);
            } else {
                out.append(", not produced: ").append(a.missingReason() != null ? a.missingReason() : "its bytes are not"
                        + " in the archive");
            }
            if (a.sha256() != null) {
                out.append(", SHA-256 ").append(a.sha256());
            }
            if (a.caption() != null && !a.caption().isBlank()) {
                out.append(", caption: ").append(a.caption().replace("\n", " "));
            }
            out.append('\n');
        }
        if (!m.reactions().isEmpty()) {
            out.append("    reactions:");
            for (Reaction r : m.reactions()) {
                out.append(' ').append(r.emoji()).append(' ').append(name(r.participantId())).append(';');
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        }
        return this;
    }

    private String name(String id) {
        if (id == null) {
            return "(unknown)";
        }
        String n = names.get(id);
        return n == null || n.isBlank() ? id : n;
    }

    /** The text, with CRLF line ends (what review platforms' text viewers expect). */
    String text() {
        return out.toString().replace("\n", "\r\n");
    }
}
