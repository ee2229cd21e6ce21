package org.chatarchive.renderers.pdf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveWriter;

/**
 * Writes an archive's conversations as PDF/A-2u files, one per conversation (or per day, month or year), reading
 * the archive store and streaming each conversation's messages page by page.
 *
 * <p>Output: {@code <out>/c-<16 hex>[-<slice>][-partN].pdf} (the conversation file's stem), and, when Bates
 * numbering is on, {@code <out>/bates.json} with each file's range.
 */
public final class PdfRenderer {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, d MMMM uuuu", Locale.ENGLISH);
    static final String PRODUCER = "chat-archive PDF renderer (Apache PDFBox 3.0.8)";

    private final ArchiveReader archive;
    private final PdfOptions options;
    private final Path outDir;
    private final FontLibrary fonts;
    private final GlyphReport glyphs = new GlyphReport();
    private final TextLayout layout;
    private final MessageBlocks blocks;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final List<Participant> participants;
    private final String archiveSha;
    private final List<PdfSummary.PdfFileInfo> files = new ArrayList<>();
    private final Listener listener;
    /** Which file recent messages went into (bounded), for quote links between the files of a conversation. */
    private final Map<String, String> placedIn = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > 20_000;
        }
    };
    private long nextBates;
    private long messages;

    /**
     * What a production needs from a PDF run: each message as it is placed, and room in the Bates sequence after
     * each file for the documents that belong to it (its attachments, produced as natives). Files are written one at
     * a time, so a listener can keep the current file's state.
     */
    public interface Listener {

        /** A message was placed in the file being written. */
        default void message(Message m) {
        }

        /**
         * The file {@code fileName}'s pages are known ({@code pages}, numbered from {@code firstBates}); called before
         * its page 1 is drawn.
         */
        default Family family(String fileName, long firstBates, int pages) {
            return Family.NONE;
        }

        /** The file was saved. */
        default void written(PdfSummary.PdfFileInfo file) throws IOException {
        }
    }

    /**
     * A file's family in the Bates sequence.
     *
     * @param summaryLines  label and value pairs added to page 1's summary
     * @param reservedAfter Bates numbers kept right after the file's pages (one per native, for example)
     */
    public record Family(List<String[]> summaryLines, long reservedAfter) {
        public static final Family NONE = new Family(List.of(), 0);
    }

    private PdfRenderer(ArchiveReader archive, PdfOptions options, Listener listener) throws IOException {
        this.archive = archive;
        this.options = options;
        this.listener = listener;
        this.outDir = options.outDir() != null ? options.outDir() : archive.dir().resolve("pdf");
        this.fonts = FontLibrary.load(FontLibrary.defaultFolders(options.fontFolders()));
        this.layout = new TextLayout(fonts, glyphs);
        this.participants = archive.participants();
        for (Participant p : participants) {
            names.put(p.id(), p.displayName());
        }
        this.blocks = new MessageBlocks(layout, names, options.zone(), options.imageLongEdge(), archive.dir());
        this.archiveSha = ArchiveWriter.archiveJsonSha256(archive.dir());
        this.nextBates = options.bates() == null ? 0 : options.bates().start();
    }

    /** Renders every conversation of the archive in {@code archiveDir}; see the class comment for the files. */
    public static PdfSummary render(Path archiveDir, PdfOptions options) throws IOException {
        return render(archiveDir, options, null);
    }

    /**
     * Renders every conversation, telling {@code listener} (when not null) each message and file; with a listener
     * no {@code bates.json} is written (the production's load file and manifest hold the ranges).
     */
    public static PdfSummary render(Path archiveDir, PdfOptions options, Listener listener) throws IOException {
        ArchiveReader archive = ArchiveReader.open(archiveDir);
        PdfRenderer r = new PdfRenderer(archive, options, listener != null ? listener : new Listener() {
        });
        try {
            for (ConversationEntry e : archive.info().conversations()) {
                r.conversation(e);
            }
            if (listener == null) {
                r.writeBatesFile();
            }
        } finally {
            r.fonts.close();
        }
        long pages = r.files.stream().mapToLong(PdfSummary.PdfFileInfo::pages).sum();
        return new PdfSummary(List.copyOf(r.files), pages, r.messages, r.glyphs.missingCount(), r.glyphs.examples(),
                r.glyphs.invisibleCount(), r.fonts.faceNames());
    }

    /** The file being written for one slice of a conversation, with what its summary page needs. */
    private final class Open {
        final PdfFile pdf;
        final String name;
        final String slice;
        final int part;
        long count;
        long attachments;
        Long first;
        Long last;
        LocalDate day;

        Open(String name, String slice, int part) throws IOException {
            this.name = name;
            this.slice = slice;
            this.part = part;
            this.pdf = new PdfFile(outDir.resolve(name), layout);
            String self = name;
            this.pdf.linkElsewhere(id -> {
                String f = placedIn.get(id);
                return f == null || f.equals(self) ? null : f;
            });
        }
    }

    private void conversation(ConversationEntry e) throws IOException {
        String stem = e.messagesFile().substring(e.messagesFile().lastIndexOf('/') + 1).replace(".jsonl", "");
        Open cur = null;
        try (Stream<Message> ms = archive.messages(e)) {
            Iterator<Message> it = ms.iterator();
            while (it.hasNext()) {
                Message m = it.next();
                ZonedDateTime t = Instant.ofEpochMilli(m.timelineAt()).atZone(options.zone());
                String slice = options.splitBy().key(t);
                if (cur == null || !slice.equals(cur.slice)) {
                    finish(e, cur);
                    cur = new Open(stem + (slice.isEmpty() ? "" : "-" + slice) + ".pdf", slice, 1);
                } else if (cur.pdf.pages() >= options.maxPagesPerFile()) {
                    finish(e, cur);
                    int part = cur.part + 1;
                    cur = new Open(stem + (slice.isEmpty() ? "" : "-" + slice) + "-part" + part + ".pdf", slice, part);
                }
                LocalDate day = t.toLocalDate();
                if (!day.equals(cur.day)) {
                    String heading = DAY.format(t);
                    List<Row> rows = blocks.dayHeading(heading);
                    float h = 0;
                    for (Row r : rows) {
                        h += r.height;
                    }
                    if (h + 40 > cur.pdf.room()) {
                        cur.pdf.place(List.of(Row.gap(cur.pdf.room() + 1))); // heading never alone at a page end
                    }
                    cur.pdf.bookmark(heading);
                    cur.pdf.place(rows);
                    cur.day = day;
                }
                cur.pdf.place(blocks.message(m));
                listener.message(m);
                placedIn.put(m.id(), cur.name);
                cur.count++;
                cur.attachments += m.attachments().size();
                if (m.timelineAt() != 0) {
                    cur.first = cur.first == null ? m.timelineAt() : cur.first;
                    cur.last = m.timelineAt();
                }
                messages++;
            }
        }
        if (cur == null) {
            cur = new Open(stem + ".pdf", "", 1); // an empty conversation still gets its summary
        }
        finish(e, cur);
    }

    private void finish(ConversationEntry e, Open f) throws IOException {
        if (f == null) {
            return;
        }
        try (PdfFile pdf = f.pdf) {
            int pages = pdf.pages();
            String begin = null;
            String end = null;
            BatesOptions b = options.bates();
            long base = nextBates;
            if (b != null) {
                begin = b.format(base);
                end = b.format(base + pages - 1);
                nextBates += pages;
            }
            Family family = listener.family(f.name, base, pages);
            nextBates += b == null ? 0 : family.reservedAfter();
            String title = title(e) + (f.slice.isEmpty() ? "" : " \u00b7 " + f.slice) + (f.part > 1 ? " \u00b7 part " + f.part : "");
            List<Row> summary = summaryRows(e, f, title, pages, begin, end, family.summaryLines());
            String header = title;
            Instant date = Instant.ofEpochMilli(f.last != null ? f.last : e.lastAt() != null ? e.lastAt() : 0L);
            String owner = archive.info().ownerId() == null ? "" : blocks.rawName(archive.info().ownerId());
            String window = f.first == null ? "no messages" : blocks.time(f.first) + " to " + blocks.time(f.last);
            PdfFile.Meta meta = new PdfFile.Meta(title, owner,
                    "Chat transcript, " + source(e) + ", " + window + " (" + options.zone().getId() + ")",
                    "chat-archive; " + e.conversation().id() + (begin != null ? "; Bates " + begin + "-" + end : ""),
                    options.generator(), PRODUCER, date,
                    String.join("\n", archiveSha, f.name, options.zone().getId(), options.splitBy().name(),
                            String.valueOf(options.imageLongEdge()), String.valueOf(begin), String.valueOf(end)),
                    xmpProperties(e, f, begin, end));
            pdf.finish(summary, header, b == null ? null : i -> b.format(base + i), meta);
            files.add(new PdfSummary.PdfFileInfo(outRelative(f.name), e.conversation().id(), f.slice, f.part, pages,
                    f.count, begin, end));
        }
        listener.written(files.get(files.size() - 1));
    }

    /** The file's own XMP properties ({@link PdfFile#PROPERTIES}). */
    private Map<String, String> xmpProperties(ConversationEntry e, Open f, String batesBegin, String batesEnd) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("conversationId", e.conversation().id());
        List<String> hashes = new ArrayList<>();
        for (SourceInfo s : archive.info().sources()) {
            if (s.databaseSha256() != null) {
                hashes.add(s.databaseSha256());
            }
        }
        if (!hashes.isEmpty()) {
            p.put("sourceSha256", String.join(",", hashes));
        }
        p.put("archiveSha256", archiveSha);
        p.put("timeZone", options.zone().getId());
        p.put("messageCount", String.valueOf(f.count));
        if (batesBegin != null) {
            p.put("batesBegin", batesBegin);
            p.put("batesEnd", batesEnd);
        }
        return p;
    }

    private String outRelative(String name) {
        Path p = outDir.resolve(name);
        Path root = archive.dir().toAbsolutePath().normalize();
        Path abs = p.toAbsolutePath().normalize();
        return (abs.startsWith(root) ? root.relativize(abs) : abs.getFileName()).toString().replace('\\', '/');
    }

    private static String title(ConversationEntry e) {
        String t = e.conversation().title();
        return t == null || t.isBlank() ? e.conversation().id() : t;
    }

    private String source(ConversationEntry e) {
        return e.conversation().sourceApp() != null ? e.conversation().sourceApp()
                : archive.info().sources().isEmpty() ? "unknown source" : archive.info().sources().get(0).type();
    }

    private List<Row> summaryRows(ConversationEntry e, Open f, String title, int pages, String begin, String end,
                                  List<String[]> extra) {
        ArchiveInfo info = archive.info();
        List<Row> rows = new ArrayList<>();
        float w = PdfFile.CONTENT_W;
        rows.addAll(layout.layout(StyledText.plain(title, StyledText.BOLD), w, 16, TextLayout.Align.LEFT));
        rows.addAll(layout.layout(StyledText.plain("Chat transcript \u00b7 " + e.conversation().kind().name()
                .toLowerCase(Locale.ROOT).replace('_', ' ') + " conversation", StyledText.MUTED), w, 10, TextLayout.Align.LEFT));
        rows.add(Row.gap(10));
        List<String[]> kv = new ArrayList<>(extra); // first, so that a long participant list never pushes it off
        kv.add(new String[]{"Source app", source(e)});
        for (SourceInfo s : info.sources()) {
            kv.add(new String[]{"Source", s.type() + (s.appVersion() != null ? " " + s.appVersion() : "")
                    + (s.schemaVersion() != null ? ", schema " + s.schemaVersion() : "")});
            kv.add(new String[]{"Source database SHA-256", s.databaseSha256() == null ? "(not recorded)" : s.databaseSha256()});
        }
        kv.add(new String[]{"Conversation id", e.conversation().id()});
        List<String> people = new ArrayList<>();
        int shown = 0;
        for (String id : e.conversation().participantIds()) {
            if (shown++ == 60) {
                people.add("and " + (e.conversation().participantIds().size() - 60) + " more");
                break;
            }
            Participant p = participants.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
            String n = blocks.name(id);
            if (p != null && p.phone() != null && !n.equals(p.phone())) {
                n += " (" + p.phone() + ")";
            }
            people.add(n);
        }
        kv.add(new String[]{"Participants", people.isEmpty() ? "(none recorded)" : String.join("; ", people)});
        kv.add(new String[]{"Archive owner (custodian)", info.ownerId() == null ? "(unknown)" : blocks.name(info.ownerId())});
        kv.add(new String[]{"Time zone", options.zone().getId() + "; every time shows its UTC offset, with the zone's rules"
                + " at that date"});
        kv.add(new String[]{"This file", String.format(Locale.ROOT, "%,d messages, %,d attachments, %,d pages", f.count,
                f.attachments, pages)});
        kv.add(new String[]{"This file's time window", f.first == null ? "(no messages)"
                : blocks.time(f.first) + " to " + blocks.time(f.last)});
        if (!f.slice.isEmpty() || f.part > 1) {
            kv.add(new String[]{"Part", (f.slice.isEmpty() ? "" : f.slice + ", ") + "file " + f.part});
        }
        kv.add(new String[]{"Whole conversation", String.format(Locale.ROOT, "%,d messages, %,d attachments", e.messageCount(),
                e.attachmentCount()) + (e.firstAt() == null ? "" : ", " + blocks.time(e.firstAt()) + " to " + blocks.time(e.lastAt()))});
        kv.add(new String[]{"Selection", info.selection() != null && info.selection().complete() ? "complete export"
                : "partial export" + (info.selection() != null && info.selection().from() != null ? ", from " + info.selection().from() : "")
                + (info.selection() != null && info.selection().to() != null ? ", to " + info.selection().to() : "")});
        kv.add(new String[]{"Archive", (info.generator() == null ? "" : info.generator() + ", ") + "archive.json SHA-256 " + archiveSha});
        if (begin != null) {
            kv.add(new String[]{"Bates range", begin + " to " + end});
        }
        for (String[] p : kv) {
            StyledText st = StyledText.plain(p[0] + ": ", StyledText.BOLD).append(p[1], 0);
            rows.addAll(layout.layout(st, w, 9.5f, TextLayout.Align.LEFT));
            rows.add(Row.gap(2));
        }
        return rows;
    }

    private void writeBatesFile() throws IOException {
        if (options.bates() == null || files.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("{\n  \"bates\": {\"prefix\": ").append(json(options.bates().prefix()))
                .append(", \"start\": ").append(options.bates().start())
                .append(", \"digits\": ").append(options.bates().digits())
                .append(", \"suffix\": ").append(json(options.bates().suffix())).append("},\n  \"files\": [\n");
        for (int i = 0; i < files.size(); i++) {
            PdfSummary.PdfFileInfo f = files.get(i);
            sb.append("    {\"path\": ").append(json(f.path())).append(", \"conversationId\": ").append(json(f.conversationId()))
                    .append(", \"slice\": ").append(json(f.slice())).append(", \"part\": ").append(f.part())
                    .append(", \"pages\": ").append(f.pages()).append(", \"messages\": ").append(f.messages())
                    .append(", \"begin\": ").append(json(f.batesBegin())).append(", \"end\": ").append(json(f.batesEnd()))
                    .append(i + 1 < files.size() ? "},\n" : "}\n");
        }
        sb.append("  ]\n}\n");
        Files.createDirectories(outDir);
        try (OutputStream out = Files.newOutputStream(outDir.resolve("bates.json"))) {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
