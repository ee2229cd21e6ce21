package org.chatarchive.readers.whatsapp;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.EventType;

/** The markers WhatsApp writes into message text: attachments, omitted media, deletions, edits, system lines. */
final class Markers {

    private Markers() {
    }

    /** iOS {@code <attached: 00000012-PHOTO-2021-01-01-10-00-00.jpg>}, also with spaces inside the brackets. */
    static final Pattern IOS_ATTACHED = Pattern.compile("<\\s*\u200E?attached:\\s*([^>]+?)\\s*>");
    /** Older iOS {@code 2015-08-04-PHOTO-00004762.jpg <attached>}. */
    static final Pattern IOS_OLD_ATTACHED = Pattern.compile("^(\\S+\\.\\w{1,5})\\s*<\u200E?attached>");
    /** Android {@code IMG-20210101-WA0001.jpg (file attached)}, and its translations. */
    static final Pattern ANDROID_ATTACHED = Pattern.compile("^(.+?\\.\\w{1,5})\\s\\((?:file attached|Datei angehängt"
            + "|fichier joint|archivo adjunto|file allegato|arquivo anexado|bestand bijgevoegd|dosya ekli"
            + "|прикреплённый файл|прикреплен файл|plik załączony)\\)$");
    /** Android without media: {@code <Media omitted>} and translations. */
    static final Pattern MEDIA_OMITTED = Pattern.compile("^<(?:Media omitted|Medien ausgeschlossen|Médias omis"
            + "|Multimedia omitido|Archivo omitido|Media omessi|Mídia oculta|Arquivo de mídia oculto"
            + "|Media weggelaten|Медиафайлы опущены|Без медиафайлов)>$", Pattern.CASE_INSENSITIVE);
    /** iOS without media: {@code image omitted}, {@code video omitted}, ... */
    static final Pattern IOS_OMITTED = Pattern.compile("^(image|video|audio|sticker|document|GIF|Contact card)"
            + " omitted$", Pattern.CASE_INSENSITIVE);

    static final List<String> DELETED = List.of("This message was deleted", "You deleted this message",
            "Diese Nachricht wurde gelöscht.", "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht.",
            "Du hast diese Nachricht gelöscht", "Se eliminó este mensaje.", "Se eliminó este mensaje",
            "Eliminaste este mensaje.", "Eliminaste este mensaje", "Ce message a été supprimé",
            "Vous avez supprimé ce message", "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio",
            "Essa mensagem foi apagada", "Você apagou esta mensagem", "Dit bericht is verwijderd",
            "Je hebt dit bericht verwijderd");

    static final Pattern EDITED = Pattern.compile("\\s*<(?:This message was edited|Diese Nachricht wurde bearbeitet"
            + "|Ce message a été modifié|Questo messaggio è stato modificato|Este mensaje fue editado"
            + "|Esta mensagem foi editada|Dit bericht is bewerkt)>$");

    static final Pattern TIMER = Pattern.compile("disappearing messages|message timer|Nachrichten-Timer"
            + "|selbstlöschende|mensajes temporales|messages éphémères", Pattern.CASE_INSENSITIVE);
    static final Pattern GROUP = Pattern.compile("created group|created this group|\\badded\\b|\\bremoved\\b"
            + "|\\bleft$|\\bjoined\\b|changed the subject|changed this group|changed the group"
            + "|changed the description|deleted the group|were added|invite link|is now an admin|no longer an admin"
            + "|hat die Gruppe|hat .* hinzugefügt|ha creado el grupo|a créé le groupe|ha creato il gruppo",
            Pattern.CASE_INSENSITIVE);
    /** System lines that only occur in groups. */
    static final Pattern GROUP_ONLY = Pattern.compile("created group|created this group|\\badded\\b|\\bremoved\\b"
            + "|\\bleft$|changed the subject|changed this group|changed the group|were added|joined using"
            + "|hat die Gruppe|ha creado el grupo|a créé le groupe|ha creato il gruppo", Pattern.CASE_INSENSITIVE);

    /** An attachment named in a message's first line. */
    record Named(String fileName, int start, int end) {
    }

    /** The attachment file name the first line of {@code text} names, if any. */
    static Named attachment(String firstLine) {
        String line = ExportParser.stripLeadingMarks(firstLine);
        int off = firstLine.length() - line.length();
        Matcher m = IOS_ATTACHED.matcher(line);
        if (m.find()) {
            return new Named(m.group(1).strip(), off + m.start(), off + m.end());
        }
        m = IOS_OLD_ATTACHED.matcher(line);
        if (m.find()) {
            return new Named(m.group(1), off + m.start(), off + m.end());
        }
        m = ANDROID_ATTACHED.matcher(line);
        if (m.find()) {
            return new Named(m.group(1).strip(), off + m.start(), off + m.end());
        }
        return null;
    }

    static EventType eventType(String text) {
        if (TIMER.matcher(text).find()) {
            return EventType.TIMER_CHANGE;
        }
        if (GROUP.matcher(text).find()) {
            return EventType.GROUP_CHANGE;
        }
        return EventType.OTHER;
    }

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"),
            Map.entry("mp4", "video/mp4"), Map.entry("3gp", "video/3gpp"), Map.entry("mov", "video/quicktime"),
            Map.entry("opus", "audio/ogg"), Map.entry("ogg", "audio/ogg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("mp3", "audio/mpeg"), Map.entry("pdf", "application/pdf"),
            Map.entry("vcf", "text/vcard"), Map.entry("txt", "text/plain"), Map.entry("zip", "application/zip"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));

    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /** What a file is, from WhatsApp's naming ({@code IMG-}, {@code PTT-}, {@code -PHOTO-}, ...) or its type. */
    static AttachmentKind kind(String fileName) {
        String n = fileName.toUpperCase(Locale.ROOT);
        if (n.startsWith("PTT-") || n.contains("-AUDIO-") && n.endsWith(".OPUS")) {
            return AttachmentKind.VOICE_NOTE;
        }
        if (n.startsWith("STK-") || n.contains("-STICKER-")) {
            return AttachmentKind.STICKER;
        }
        if (n.contains("-GIF-") || n.endsWith(".GIF")) {
            return AttachmentKind.GIF;
        }
        if (n.startsWith("DOC-")) {
            return AttachmentKind.FILE;
        }
        String type = contentType(fileName);
        if (type.startsWith("image/")) {
            return AttachmentKind.IMAGE;
        }
        if (type.startsWith("video/")) {
            return AttachmentKind.VIDEO;
        }
        if (type.startsWith("audio/")) {
            return AttachmentKind.AUDIO;
        }
        return AttachmentKind.FILE;
    }

    static AttachmentKind omittedKind(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "image":
                return AttachmentKind.IMAGE;
            case "video":
                return AttachmentKind.VIDEO;
            case "audio":
                return AttachmentKind.AUDIO;
            case "sticker":
                return AttachmentKind.STICKER;
            case "gif":
                return AttachmentKind.GIF;
            default:
                return AttachmentKind.FILE;
        }
    }
}
