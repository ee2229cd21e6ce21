package org.chatarchive.readers.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * Reads a WhatsApp "Export chat" file: the {@code .txt}, or the {@code .zip} WhatsApp makes with the text file
 * ({@code _chat.txt} on iOS, {@code WhatsApp Chat with X.txt} on Android) and the media.
 *
 * <p>The file has no time zone, no sender ids and no owner. Times are read in {@link Options#zone()} (a local time
 * that does not exist in that zone, in a daylight-saving gap, moves forward; one that exists twice takes the earlier
 * instant). Participants are keyed by the display name the file shows ({@code whatsapp:<name>}). The owner is the
 * author named {@link Options#me()}; their messages are OUTGOING. Without {@code me} the owner is unknown
 * ({@link #ownerId()} is null) and every message written by a person is INCOMING; author-less lines are SYSTEM.
 *
 * <p>For a {@code .txt} outside a zip, attachments are looked for next to it (an unzipped export).
 */
public final class WhatsAppExportReader implements ChatSource {

    static final String SOURCE_TYPE = "whatsapp-export";
    static final String SOURCE_APP = "whatsapp";
    static final String ID_PREFIX = "whatsapp:";

    /**
     * Options for opening an export.
     *
     * @param zone  the zone the export's times are in (the exporting phone's); null for the system zone
     * @param me    the owner's name as the file shows it, or null when unknown
     * @param title the conversation title, or null to take it from the file name
     */
    public record Options(ZoneId zone, String me, String title) {
        public static Options defaults() {
            return new Options(null, null, null);
        }

        ZoneId zoneOrSystem() {
            return zone == null ? ZoneId.systemDefault() : zone;
        }
    }

    private static final Pattern AUTHOR = Pattern.compile("^(.+?):\\s(.*)$", Pattern.DOTALL);
    private static final Pattern BIDI = Pattern.compile("[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]");
    private static final Pattern TITLE = Pattern.compile("^(?:WhatsApp Chat with |WhatsApp-Chat mit |Chat de WhatsApp"
            + " con |Discussion WhatsApp avec |Chat WhatsApp con |Conversa do WhatsApp com |WhatsApp-chat met )(.+)$");

    private final Path path;
    private final Options options;
    private final ZipFile zip;
    private final Path mediaDir;
    private final String textName;
    private final String sha256;
    private final ExportParser.Result parsed;
    private final List<String> warnings = new ArrayList<>();
    private final List<Participant> participants;
    private final String ownerId;
    private final Conversation conversation;
    private final Set<String> entries;

    private WhatsAppExportReader(Path path, Options options, ZipFile zip, String textName, byte[] bytes)
            throws SourceException {
        this.path = path;
        this.options = options;
        this.zip = zip;
        this.textName = textName;
        this.mediaDir = zip == null ? path.toAbsolutePath().getParent() : null;
        this.sha256 = hex(sha256(bytes));
        String what = "\"" + fileName(textName) + "\"";
        this.parsed = ExportParser.parse(decode(bytes), what);
        warnings.addAll(parsed.warnings());
        this.entries = zip == null ? Set.of() : zipNames(zip);

        String title = options.title() != null ? options.title() : titleFrom(path, textName);
        Set<String> authors = new LinkedHashSet<>();
        boolean groupLine = false;
        for (ExportParser.Entry e : parsed.entries()) {
            String[] split = splitAuthor(e.text.toString());
            if (split != null) {
                authors.add(split[0]);
            } else if (Markers.GROUP_ONLY.matcher(e.text).find()) {
                groupLine = true;
            }
        }
        String me = options.me() == null ? null : cleanName(options.me());
        List<Participant> people = new ArrayList<>();
        if (me != null) {
            people.add(new Participant(ID_PREFIX + me, me, "export-name", null, null, true, null));
            if (!authors.contains(me)) {
                warnings.add("No message in " + what + " is written by \"" + me + "\", the name given as the owner.");
            }
        }
        for (String a : authors) {
            if (!a.equals(me)) {
                people.add(new Participant(ID_PREFIX + a, a, "export-name", null, null, false, null));
            }
        }
        this.participants = List.copyOf(people);
        this.ownerId = me == null ? null : ID_PREFIX + me;
        Set<String> everyone = new LinkedHashSet<>(authors);
        if (me != null) {
            everyone.add(me);
        }
        ConversationKind kind = everyone.size() > 2 || groupLine ? ConversationKind.GROUP : ConversationKind.DIRECT;
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("lineFormat", parsed.lineFormat());
        extra.put("dateOrder", parsed.dateOrder());
        this.conversation = new Conversation("whatsapp-conv:"
                + hex(sha256(title.getBytes(StandardCharsets.UTF_8))).substring(0, 16), kind, title,
                people.stream().map(Participant::id).toList(), null, SOURCE_APP, extra);
    }

    /**
     * Opens an export.
     *
     * @throws SourceException {@link Kind#NOT_A_SOURCE} for a missing or empty file or a zip without a chat text
     *                         file, {@link Kind#UNSUPPORTED} when the lines do not start with a date this reader
     *                         understands, {@link Kind#IO} when the file cannot be read
     */
    public static WhatsAppExportReader open(Path path, Options options) throws SourceException {
        Options opts = options == null ? Options.defaults() : options;
        if (!Files.isRegularFile(path)) {
            throw new SourceException(Kind.NOT_A_SOURCE, "\"" + path.getFileName() + "\" is not a file; expected a"
                    + " WhatsApp chat export (.txt or .zip).");
        }
        if (isZip(path)) {
            ZipFile zip;
            try {
                zip = new ZipFile(path.toFile(), StandardCharsets.UTF_8);
            } catch (ZipException e) {
                throw new SourceException(Kind.CORRUPT, "\"" + path.getFileName() + "\" is not a readable zip file ("
                        + e.getMessage() + ").", e);
            } catch (IOException e) {
                throw new SourceException(Kind.IO, "\"" + path.getFileName() + "\" could not be read ("
                        + e.getMessage() + ").", e);
            }
            try {
                ZipEntry text = chatEntry(zip);
                if (text == null) {
                    throw new SourceException(Kind.NOT_A_SOURCE, "\"" + path.getFileName() + "\" holds no chat text"
                            + " file; a WhatsApp export zip has \"_chat.txt\" or \"WhatsApp Chat with <name>.txt\".");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(text)) {
                    bytes = in.readAllBytes();
                }
                return new WhatsAppExportReader(path, opts, zip, text.getName(), bytes);
            } catch (SourceException | RuntimeException e) {
                closeQuietly(zip);
                throw e;
            } catch (IOException e) {
                closeQuietly(zip);
                throw new SourceException(Kind.CORRUPT, "The chat text in \"" + path.getFileName()
                        + "\" could not be read (" + e.getMessage() + ").", e);
            }
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "\"" + path.getFileName() + "\" could not be read (" + e.getMessage()
                    + ").", e);
        }
        return new WhatsAppExportReader(path, opts, null, path.getFileName().toString(), bytes);
    }

    /** Whether {@code path} looks like a WhatsApp export: a text file, or a zip holding one, whose first line is dated. */
    public static boolean looksLike(Path path) {
        if (path == null || !Files.isRegularFile(path)) {
            return false;
        }
        try {
            if (isZip(path)) {
                try (ZipFile zip = new ZipFile(path.toFile(), StandardCharsets.UTF_8)) {
                    ZipEntry text = chatEntry(zip);
                    if (text == null) {
                        return false;
                    }
                    try (InputStream in = zip.getInputStream(text)) {
                        return firstLineIsHeader(in.readNBytes(4096));
                    }
                }
            }
            if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")) {
                return false;
            }
            try (InputStream in = Files.newInputStream(path)) {
                return firstLineIsHeader(in.readNBytes(4096));
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean firstLineIsHeader(byte[] head) {
        for (String line : decode(head).split("\r\n|\r|\n")) {
            String l = line.startsWith("\uFEFF") ? line.substring(1) : line;
            if (!l.isBlank()) {
                return ExportParser.looksLikeHeader(l);
            }
        }
        return false;
    }

    private static boolean isZip(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code _chat.txt}, else a {@code WhatsApp…txt}, else the only other {@code .txt}, outside {@code __MACOSX}. */
    private static ZipEntry chatEntry(ZipFile zip) {
        List<ZipEntry> texts = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            ZipEntry e = en.nextElement();
            if (!e.isDirectory() && e.getName().toLowerCase(Locale.ROOT).endsWith(".txt")
                    && !e.getName().startsWith("__MACOSX")) {
                texts.add(e);
            }
        }
        for (ZipEntry e : texts) {
            if (fileName(e.getName()).equals("_chat.txt")) {
                return e;
            }
        }
        for (ZipEntry e : texts) {
            if (fileName(e.getName()).toLowerCase(Locale.ROOT).startsWith("whatsapp")) {
                return e;
            }
        }
        return texts.size() == 1 ? texts.get(0) : null;
    }

    private static Set<String> zipNames(ZipFile zip) {
        Set<String> names = new LinkedHashSet<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            names.add(en.nextElement().getName());
        }
        return names;
    }

    /** "WhatsApp Chat with Alice.txt" or ".zip" gives "Alice"; {@code _chat.txt} takes the zip's name. */
    static String titleFrom(Path path, String textName) {
        String name = fileName(textName);
        if (name.equals("_chat.txt")) {
            name = path.getFileName().toString();
        }
        String base = name.replaceFirst("(?i)\\.(txt|zip)$", "");
        Matcher m = TITLE.matcher(base);
        return m.matches() ? m.group(1).strip() : base;
    }

    @Override
    public SourceInfo info() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("zone", options.zoneOrSystem().getId());
        extra.put("file", fileName(path.toString()));
        extra.put("textFile", fileName(textName));
        extra.put("lineFormat", parsed.lineFormat());
        extra.put("dateOrder", parsed.dateOrder());
        extra.put("twelveHour", parsed.twelveHour());
        extra.put("seconds", parsed.seconds());
        extra.put("lines", parsed.entries().size());
        return new SourceInfo(SOURCE_TYPE, null, null, sha256, null, extra);
    }

    @Override
    public List<Participant> participants() {
        return participants;
    }

    @Override
    public String ownerId() {
        return ownerId;
    }

    @Override
    public List<Conversation> conversations() {
        return List.of(conversation);
    }

    @Override
    public void messages(Conversation c, Consumer<Message> sink) throws SourceException {
        if (!conversation.id().equals(c.id())) {
            return;
        }
        ZoneId zone = options.zoneOrSystem();
        for (ExportParser.Entry e : parsed.entries()) {
            sink.accept(map(e, e.time.atZone(zone).toInstant().toEpochMilli()));
        }
    }

    private Message map(ExportParser.Entry e, long at) {
        String text = e.text.toString();
        String[] split = splitAuthor(text);
        String convId = conversation.id();
        if (split == null) {
            String line = BIDI.matcher(text).replaceAll("").strip();
            int marked = text.indexOf(": \u200E");
            if (marked > 0 && !text.startsWith("\u200E") && isIosSystemBody(text.substring(marked + 2))) {
                line = BIDI.matcher(text.substring(marked + 2)).replaceAll("").strip();
            }
            EventType type = Markers.eventType(line);
            String id = messageId(e, at, "");
            return new Message(id, convId, null, Direction.SYSTEM, at, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, new SystemEvent(type, null, null, line, null, null, null),
                    null);
        }
        String author = split[0];
        String body = split[1];
        String senderId = ID_PREFIX + author;
        Direction dir = senderId.equals(ownerId) ? Direction.OUTGOING : Direction.INCOMING;
        Map<String, Object> extra = new LinkedHashMap<>();
        List<Attachment> attachments = new ArrayList<>();
        boolean viewOnce = false;
        boolean deleted = false;

        Matcher edited = Markers.EDITED.matcher(body);
        if (edited.find()) {
            body = body.substring(0, edited.start());
            extra.put("edited", true);
        }
        String firstLine = body.split("\n", 2)[0];
        String firstClean = BIDI.matcher(firstLine).replaceAll("").strip();
        String rest = body.contains("\n") ? body.substring(body.indexOf('\n') + 1) : "";
        Markers.Named named = Markers.attachment(firstLine);
        Matcher iosOmitted = Markers.IOS_OMITTED.matcher(firstClean);
        if (named != null) {
            attachments.add(attachment(named.fileName()));
            String left = (firstLine.substring(0, named.start()) + firstLine.substring(named.end()));
            left = BIDI.matcher(left).replaceAll("").strip();
            body = join(left, rest);
        } else if (Markers.MEDIA_OMITTED.matcher(firstClean).matches()) {
            attachments.add(new Attachment(null, null, null, null, null, null, null, null, null,
                    Availability.NOT_EXPORTED, "The export was made without media.", null, null));
            body = join("", rest);
        } else if (iosOmitted.matches()) {
            attachments.add(new Attachment(null, null, null, null, null, null, null,
                    Markers.omittedKind(iosOmitted.group(1)), null, Availability.NOT_EXPORTED,
                    "The export was made without media.", null, null));
            body = join("", rest);
        } else if (body.strip().equals("null")) {
            viewOnce = true;
            body = null;
        } else if (Markers.DELETED.contains(BIDI.matcher(body).replaceAll("").strip())) {
            deleted = true;
            body = null;
        }
        MessageFlags flags = viewOnce || deleted
                ? new MessageFlags(viewOnce, false, null, null, deleted, null, null) : null;
        return new Message(messageId(e, at, author), convId, senderId, dir, at, null, null, body, null, attachments,
                null, null, null, null, flags, null, null, null, null, null, extra);
    }

    private static String join(String first, String rest) {
        String s = first.isEmpty() ? rest : rest.isEmpty() ? first : first + "\n" + rest;
        return s.isEmpty() ? null : s;
    }

    private Attachment attachment(String fileName) {
        String ct = Markers.contentType(fileName);
        AttachmentKind kind = Markers.kind(fileName);
        String ref = null;
        Long size = null;
        if (zip != null) {
            ref = resolveInZip(fileName);
            if (ref != null) {
                long s = zip.getEntry(ref).getSize();
                size = s >= 0 ? s : null;
            }
        } else if (mediaDir != null && !fileName.contains("/") && !fileName.contains("\\")) {
            Path p = mediaDir.resolve(fileName);
            if (Files.isRegularFile(p)) {
                ref = fileName;
                try {
                    size = Files.size(p);
                } catch (IOException ignored) {
                    size = null;
                }
            }
        }
        Attachment a = new Attachment(ct, fileName, size, null, null, null, null, kind, null, null, null, null, ref);
        if (ref == null) {
            return a.missing(Availability.FILE_MISSING, "The message names \"" + fileName + "\", but the export "
                    + (zip != null ? "zip does not contain it." : "folder does not contain it."));
        }
        return a;
    }

    private String resolveInZip(String fileName) {
        String dir = textName.contains("/") ? textName.substring(0, textName.lastIndexOf('/') + 1) : "";
        if (entries.contains(dir + fileName)) {
            return dir + fileName;
        }
        if (entries.contains(fileName)) {
            return fileName;
        }
        for (String n : entries) {
            if (fileName(n).equalsIgnoreCase(fileName)) {
                return n;
            }
        }
        return null;
    }

    @Override
    public InputStream openAttachment(Attachment attachment) throws SourceException, IOException {
        String ref = attachment.sourceRef();
        if (ref == null) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "The attachment \"" + attachment.fileName()
                    + "\" is not in the export.");
        }
        if (zip != null) {
            ZipEntry e = entries.contains(ref) ? zip.getEntry(ref) : null;
            if (e == null) {
                throw new SourceException(Kind.ATTACHMENT_MISSING, "\"" + ref + "\" is not in the export zip.");
            }
            return zip.getInputStream(e);
        }
        Path p = mediaDir.resolve(ref).normalize();
        if (!p.startsWith(mediaDir) || !Files.isRegularFile(p)) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "\"" + ref + "\" is not next to the export file.");
        }
        return Files.newInputStream(p);
    }

    @Override
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    @Override
    public void close() throws SourceException {
        if (zip != null) {
            try {
                zip.close();
            } catch (IOException e) {
                throw new SourceException(Kind.IO, "Closing \"" + path.getFileName() + "\" failed (" + e.getMessage()
                        + ").", e);
            }
        }
    }

    /** {@code [author, text]} for a line written by a person, or null for a system line. */
    static String[] splitAuthor(String text) {
        // iOS writes system lines with a leading U+200E; a person's text never starts with one.
        if (text.startsWith("\u200E") || text.startsWith("\u200F")) {
            return null;
        }
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        Matcher m = AUTHOR.matcher(first);
        if (!m.matches()) {
            return null;
        }
        String author = cleanName(m.group(1));
        if (author.isEmpty() || isIosSystemBody(m.group(2))) {
            return null;
        }
        return new String[] {author, m.group(2) + (nl < 0 ? "" : text.substring(nl))};
    }

    /**
     * iOS writes system lines as "chat name: U+200E text"; U+200E also starts its media markers, which are not
     * system lines.
     */
    static boolean isIosSystemBody(String body) {
        if (!body.startsWith("\u200E")) {
            return false;
        }
        String clean = BIDI.matcher(body).replaceAll("").strip();
        return Markers.attachment(body) == null && !Markers.IOS_OMITTED.matcher(clean).matches()
                && !Markers.MEDIA_OMITTED.matcher(clean).matches();
    }

    /** A name without bidi marks, the {@code ~ } WhatsApp puts before non-contacts, and outer spaces. */
    static String cleanName(String raw) {
        String s = BIDI.matcher(raw).replaceAll("").replace('\u00A0', ' ').replace('\u202F', ' ').strip();
        if (s.startsWith("~")) {
            s = s.substring(1).strip();
        }
        return s;
    }

    private String messageId(ExportParser.Entry e, long at, String author) {
        String key = conversation.title() + "\u0000" + e.lineNumber + "\u0000" + at + "\u0000" + author;
        return "whatsapp-msg:" + hex(sha256(key.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String fileName(String name) {
        String n = name.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
