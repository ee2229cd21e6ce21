package org.chatarchive.renderers.production;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.PrivateFiles;
import org.chatarchive.renderers.pdf.BatesOptions;
import org.chatarchive.renderers.pdf.PdfOptions;
import org.chatarchive.renderers.pdf.PdfRenderer;
import org.chatarchive.renderers.pdf.PdfSummary;
import org.chatarchive.renderers.pdf.SplitBy;

/**
 * Writes a production set from an archive: Bates-stamped PDF/A transcripts, one per conversation per calendar day
 * in the production zone (the RSMF slicing; a day over the page limit continues in another document), each
 * followed in the Bates sequence by its attachments as natives (one number each), extracted text per transcript,
 * a DAT load file with one row per document, and, when asked, single-page TIFF images of every transcript page
 * with an OPT file.
 *
 * <pre>
 * DATA/&lt;volume&gt;.dat   load file (UTF-8 with BOM, þ qualifier, U+0014 separator, ® newline, CRLF)
 * DATA/&lt;volume&gt;.opt   image cross-reference (only with page images)
 * PDF/c-&lt;16 hex&gt;-&lt;day&gt;[-partN].pdf   transcripts (PDF/A-2u, Bates number on every page)
 * NATIVES/&lt;Bates&gt;.&lt;ext&gt;   attachments, named by their Bates number
 * TEXT/&lt;Bates&gt;.txt    each transcript's text, named by its first Bates number, and the text of each plain-text or PDF native
 * IMAGES/&lt;Bates&gt;.tif  one image per transcript page (only with page images)
 * </pre>
 *
 * Bates numbers run without gaps or repeats across the whole production: transcript pages, then that
 * transcript's natives, then the next transcript. Every path in the load files is relative to the production
 * folder, with {@code \} separators. Everything written is deterministic; wall-clock times go only to the custody
 * log, which the caller keeps outside the hashed set.
 */
public final class ProductionWriter implements PdfRenderer.Listener {

    /** The DAT columns, in order. */
    public static final List<String> FIELDS = List.of("BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH",
            "PARENTBATES", "ATTACHBATES", "DOCTYPE", "CUSTODIAN", "MATTER", "SOURCEAPP", "CONVERSATIONID",
            "CONVERSATION", "CONVERSATIONTYPE", "SLICEDAY", "SLICEPART", "TIMEZONE", "PARTICIPANTS", "FROM",
            "MESSAGEID", "DATEBEGINUTC", "DATEENDUTC", "MESSAGECOUNT", "ATTACHMENTCOUNT", "PAGECOUNT", "FILENAME",
            "FILEEXT", "MIMETYPE", "FILESIZE", "SHA256", "MD5HASH", "NATIVEPATH", "TEXTPATH", "PDFPATH");

    public static final String DATA_DIR = "DATA";
    public static final String PDF_DIR = "PDF";
    public static final String NATIVES_DIR = "NATIVES";
    public static final String TEXT_DIR = "TEXT";
    public static final String IMAGES_DIR = "IMAGES";

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ArchiveReader archive;
    private final ProductionOptions options;
    private final Path out;
    private final CustodyLog log;
    private final BatesOptions bates;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, ConversationEntry> conversations = new LinkedHashMap<>();
    private final String custodian;
    private final DatFile dat = new DatFile(FIELDS);
    private final OptFile opt = new OptFile();
    private final EdrmXml edrm = new EdrmXml();
    private final List<ProductionSummary.Document> documents = new ArrayList<>();

    // The transcript being written.
    private final List<Message> messages = new ArrayList<>();
    private final List<Native> natives = new ArrayList<>();
    private long firstBates;
    private int pages;

    private long totalPages;
    private long nativeCount;
    private long images;
    private long missingAttachments;
    private long lastNumber = -1;

    /** An attachment produced as a native, with the message it came with. */
    private record Native(Message message, Attachment attachment) {
    }

    /** A native as produced: its Bates number, its file in NATIVES/ and its text file in TEXT/ (or null). */
    private record Produced(String number, FileHashes file, FileHashes text) {
    }

    private ProductionWriter(ArchiveReader archive, ProductionOptions options, Path out, CustodyLog log)
            throws IOException {
        this.archive = archive;
        this.options = options;
        this.out = out;
        this.log = log;
        this.bates = options.bates();
        for (Participant p : archive.participants()) {
            names.put(p.id(), p.displayName());
        }
        for (ConversationEntry e : archive.info().conversations()) {
            conversations.put(e.conversation().id(), e);
        }
        String owner = archive.info().ownerId();
        this.custodian = options.custodian() != null ? options.custodian()
                : owner != null && names.get(owner) != null ? names.get(owner) : owner;
    }

    /**
     * Writes the production of the archive in {@code archiveDir} into {@code out}, an empty folder (the caller's
     * staging folder), logging every step and warning to {@code log}.
     */
    public static ProductionSummary write(Path archiveDir, ProductionOptions options, Path out, CustodyLog log)
            throws IOException {
        ArchiveReader archive = ArchiveReader.open(archiveDir);
        for (String d : List.of(DATA_DIR, PDF_DIR, NATIVES_DIR, TEXT_DIR)) {
            PrivateFiles.ensureDirectory(out.resolve(d));
        }
        if (options.pageImages()) {
            PrivateFiles.ensureDirectory(out.resolve(IMAGES_DIR));
        }
        BatesOptions b = options.bates();
        log.step("production-start", "Bates " + b.format(b.start()) + " on (prefix \"" + b.prefix() + "\", "
                + b.digits() + " digits, suffix \"" + b.suffix() + "\"), transcripts of one day in "
                + options.zone().getId() + ", at most " + options.maxPagesPerFile() + " pages each"
                + (options.custodian() != null ? ", custodian " + options.custodian() : "")
                + (options.matter() != null ? ", matter " + options.matter() : "")
                + (options.pageImages() ? ", page images " + options.imageDpi() + " dpi" : ", no page images")
                + "; archive.json sha256 " + ArchiveWriter.archiveJsonSha256(archiveDir));
        ProductionWriter w = new ProductionWriter(archive, options, out, log);
        PdfOptions pdf = PdfOptions.defaults().withOutDir(out.resolve(PDF_DIR)).withZone(options.zone())
                .withSplitBy(SplitBy.DAY).withBates(b).withMaxPagesPerFile(options.maxPagesPerFile())
                .withGenerator(options.generator());
        PdfSummary s = PdfRenderer.render(archiveDir, pdf, w);
        return w.finish(s);
    }

    @Override
    public boolean produces(Attachment a) {
        return a.storePath() != null;
    }

    @Override
    public void message(Message m) {
        messages.add(m);
        for (Attachment a : m.attachments()) {
            if (produces(a)) {
                natives.add(new Native(m, a));
            } else {
                missingAttachments++;
                log.warn("missing-attachment", "message " + m.id() + " in " + m.conversationId() + ": attachment "
                        + (a.fileName() != null ? a.fileName() : "(no file name)")
                        + (a.contentType() != null ? " (" + a.contentType() + ")" : "") + " not produced: "
                        + (a.availability() != null ? a.availability().name().toLowerCase(Locale.ROOT) + ", " : "")
                        + (a.missingReason() != null ? a.missingReason() : "its bytes are not in the archive"));
            }
        }
    }

    @Override
    public PdfRenderer.Family family(String fileName, long first, int pageCount) {
        this.firstBates = first;
        this.pages = pageCount;
        return new PdfRenderer.Family(familyLines(first, pageCount, natives.size()), natives.size());
    }

    @Override
    public PdfRenderer.Family familyPreview(String fileName, long first, int pageCount, long attachments) {
        return new PdfRenderer.Family(familyLines(first, pageCount, attachments), 0);
    }

    /**
     * The lines the production adds to a transcript's summary: the custodian (the archive owner's name unless
     * {@code --custodian} named someone), the matter and the family's Bates range.
     */
    private List<String[]> familyLines(long first, int pageCount, long nativeCount) {
        long end = first + pageCount - 1;
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[]{"Custodian", custodian == null ? "(unknown)"
                : custodian + (options.custodian() == null ? " (the archive owner; no custodian was named)" : "")});
        if (options.matter() != null) {
            lines.add(new String[]{"Matter", options.matter()});
        }
        lines.add(new String[]{"Production Bates range", bates.format(first) + " to " + bates.format(end + nativeCount)
                + " (this transcript " + bates.format(first) + " to " + bates.format(end)
                + (nativeCount == 0 ? "; no attachments produced" : "; " + nativeCount + " attachment"
                + (nativeCount == 1 ? "" : "s") + " produced as natives " + bates.format(end + 1)
                + (nativeCount == 1 ? "" : " to " + bates.format(end + nativeCount))) + ")"});
        return lines;
    }

    @Override
    public void written(PdfSummary.PdfFileInfo info) throws IOException {
        if (firstBates != lastNumber + 1 && lastNumber >= 0) {
            throw new IllegalStateException("Bates numbers are not continuous: " + bates.format(firstBates)
                    + " follows " + bates.format(lastNumber));
        }
        String pdfName = info.path().substring(info.path().lastIndexOf('/') + 1);
        String pdfRel = PDF_DIR + "/" + pdfName;
        long end = firstBates + pages - 1;
        long familyEnd = end + natives.size();
        String beg = bates.format(firstBates);
        String begAttach = beg;
        String endAttach = bates.format(familyEnd);
        ConversationEntry e = conversations.get(info.conversationId());
        FileHashes pdfHash = FileHashes.of(out.resolve(pdfRel), pdfRel);

        // Natives: copied from the archive's store under their Bates number.
        Map<Attachment, String> nativeBates = new IdentityHashMap<>();
        List<String> nativeNumbers = new ArrayList<>();
        List<Produced> produced = new ArrayList<>();
        long n = end;
        for (Native nv : natives) {
            n++;
            String num = bates.format(n);
            nativeBates.put(nv.attachment(), num);
            nativeNumbers.add(num);
            String ext = nv.attachment().storePath().substring(nv.attachment().storePath().lastIndexOf('.') + 1);
            String rel = NATIVES_DIR + "/" + num + "." + ext;
            copy(archive.dir().resolve(nv.attachment().storePath()), out.resolve(rel));
            FileHashes h = FileHashes.of(out.resolve(rel), rel);
            if (nv.attachment().sha256() != null && !nv.attachment().sha256().equals(h.sha256())) {
                log.warn("native-hash-mismatch", "message " + nv.message().id() + ": " + rel + " has SHA-256 "
                        + h.sha256() + ", the archive recorded " + nv.attachment().sha256());
            }
            String nativeText = NativeText.extract(out.resolve(rel), nv.attachment().contentType(), ext);
            FileHashes textHash = nativeText == null ? null : writeText(TEXT_DIR + "/" + num + ".txt", nativeText);
            produced.add(new Produced(num, h, textHash));
            log.step("native", rel + " message " + nv.message().id() + " sha256 " + h.sha256() + " md5 " + h.md5()
                    + (textHash == null ? ", no extracted text" : ", text " + textHash.path()));
        }

        // Extracted text.
        String textRel = TEXT_DIR + "/" + beg + ".txt";
        List<String[]> header = new ArrayList<>();
        header.add(new String[]{"Document", beg + " to " + bates.format(end) + " (" + pdfRel + ")"});
        header.add(new String[]{"Family", begAttach + " to " + endAttach});
        header.add(new String[]{"Conversation", title(e) + " (" + info.conversationId() + ")"});
        header.add(new String[]{"Day", (info.slice().isEmpty() ? "(no messages)" : info.slice() + " in "
                + options.zone().getId()) + (info.part() > 1 ? ", part " + info.part() : "")});
        header.add(new String[]{"Custodian", custodian == null ? "(unknown)" : custodian});
        if (options.matter() != null) {
            header.add(new String[]{"Matter", options.matter()});
        }
        TranscriptText text = new TranscriptText(names, options.zone()).header(header);
        for (Message m : messages) {
            text.message(m, nativeBates);
        }
        FileHashes textHash = writeText(textRel, text.text());

        // Page images and their cross-reference lines.
        List<Path> files = new ArrayList<>();
        if (options.pageImages()) {
            List<String> ids = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            for (long p = firstBates; p <= end; p++) {
                String id = bates.format(p);
                ids.add(id);
                paths.add(IMAGES_DIR + "\\" + id + ".tif");
                files.add(out.resolve(IMAGES_DIR).resolve(id + ".tif"));
            }
            PageImages.write(out.resolve(pdfRel), files, options.imageDpi());
            opt.document(options.volume(), ids, paths);
            images += files.size();
        }

        // Load file rows: the transcript, then its natives.
        Long first = null;
        Long last = null;
        for (Message m : messages) {
            if (m.timelineAt() != 0) {
                first = first == null ? m.timelineAt() : first;
                last = m.timelineAt();
            }
        }
        List<String> people = new ArrayList<>();
        if (e != null) {
            for (String id : e.conversation().participantIds()) {
                people.add(name(id));
            }
        }
        String attachBates = DatFile.multi(nativeNumbers);
        dat.add(row(beg, bates.format(end), begAttach, endAttach, "", attachBates, "Chat transcript", e, info,
                DatFile.multi(people), "", "", first, last, String.valueOf(messages.size()),
                String.valueOf(natives.size()), String.valueOf(pages), pdfName, "pdf", "application/pdf",
                String.valueOf(pdfHash.size()), pdfHash.sha256(), pdfHash.md5(), "", dos(textRel), dos(pdfRel)));
        documents.add(new ProductionSummary.Document("transcript", beg, bates.format(end), begAttach, endAttach, pdfRel));
        log.step("transcript", pdfRel + " " + beg + " to " + bates.format(end) + ", " + pages + " pages, "
                + messages.size() + " messages, sha256 " + pdfHash.sha256() + " md5 " + pdfHash.md5());
        List<EdrmXml.FileRef> transcriptFiles = new ArrayList<>();
        transcriptFiles.add(new EdrmXml.FileRef("Native", PDF_DIR, pdfName, pdfHash.size(), pdfHash.md5()));
        transcriptFiles.add(new EdrmXml.FileRef("Text", TEXT_DIR, beg + ".txt", textHash.size(), textHash.md5()));
        for (Path img : files) {
            FileHashes ih = FileHashes.of(img, IMAGES_DIR + "/" + img.getFileName());
            transcriptFiles.add(new EdrmXml.FileRef("Image", IMAGES_DIR, img.getFileName().toString(), ih.size(), ih.md5()));
        }
        String subject = title(e) + (info.slice().isEmpty() ? "" : " \u00b7 " + info.slice())
                + (info.part() > 1 ? " \u00b7 part " + info.part() : "");
        List<EdrmXml.Tag> tags = new ArrayList<>();
        tags.add(text("#From", custodian));
        tags.add(text("#To", String.join("; ", people)));
        tags.add(text("#Subject", subject));
        tags.add(date("#DateSent", first));
        tags.add(date("DateEndUTC", last));
        tags.add(text("BegBates", beg));
        tags.add(text("EndBates", bates.format(end)));
        tags.add(text("BegAttach", begAttach));
        tags.add(text("EndAttach", endAttach));
        tags.add(text("AttachBates", String.join("; ", nativeNumbers)));
        tags.add(text("DocumentType", "Chat transcript"));
        tags.add(text("Matter", options.matter()));
        tags.add(text("SourceApp", source(e)));
        tags.add(text("ConversationId", info.conversationId()));
        tags.add(text("Conversation", title(e)));
        tags.add(text("SliceDay", info.slice()));
        tags.add(new EdrmXml.Tag("SlicePart", "LongInteger", String.valueOf(info.part())));
        tags.add(text("TimeZone", options.zone().getId()));
        tags.add(new EdrmXml.Tag("MessageCount", "LongInteger", String.valueOf(messages.size())));
        tags.add(new EdrmXml.Tag("AttachmentCount", "LongInteger", String.valueOf(natives.size())));
        tags.add(new EdrmXml.Tag("PageCount", "LongInteger", String.valueOf(pages)));
        tags.add(text("SHA256", pdfHash.sha256()));
        tags.add(text("MD5Hash", pdfHash.md5()));
        String location = source(e) + "/" + info.conversationId();
        edrm.add(new EdrmXml.Doc(beg, "Message", "application/pdf", tags, transcriptFiles, custodian, location));
        for (int i = 0; i < natives.size(); i++) {
            Native nv = natives.get(i);
            Produced p = produced.get(i);
            String num = p.number();
            String rel = p.file().path();
            Attachment a = nv.attachment();
            String file = a.fileName() != null ? a.fileName() : "";
            String ext = rel.substring(rel.lastIndexOf('.') + 1);
            Message m = nv.message();
            Long at = m.timelineAt() == 0 ? null : m.timelineAt();
            dat.add(row(num, num, begAttach, endAttach, beg, "", "Attachment", e, info, DatFile.multi(people),
                    name(m.senderId()), m.id(), at, at, "", "", "", file, ext,
                    a.contentType() == null ? "" : a.contentType(), String.valueOf(p.file().size()), p.file().sha256(),
                    p.file().md5(), dos(rel), p.text() == null ? "" : dos(p.text().path()), ""));
            documents.add(new ProductionSummary.Document("native", num, num, begAttach, endAttach, rel));
            List<String> to = new ArrayList<>();
            if (e != null) {
                for (String id : e.conversation().participantIds()) {
                    if (!id.equals(m.senderId())) {
                        to.add(name(id));
                    }
                }
            }
            List<EdrmXml.Tag> nt = new ArrayList<>();
            nt.add(text("#From", name(m.senderId())));
            nt.add(text("#To", String.join("; ", to)));
            nt.add(text("#Subject", subject));
            nt.add(date("#DateSent", at));
            nt.add(text("BegBates", num));
            nt.add(text("EndBates", num));
            nt.add(text("BegAttach", begAttach));
            nt.add(text("EndAttach", endAttach));
            nt.add(text("ParentBates", beg));
            nt.add(text("DocumentType", "Attachment"));
            nt.add(text("Matter", options.matter()));
            nt.add(text("SourceApp", source(e)));
            nt.add(text("ConversationId", info.conversationId()));
            nt.add(text("Conversation", title(e)));
            nt.add(text("MessageId", m.id()));
            nt.add(text("FileName", file));
            nt.add(text("SHA256", p.file().sha256()));
            nt.add(text("MD5Hash", p.file().md5()));
            String nativeName = rel.substring(rel.lastIndexOf('/') + 1);
            List<EdrmXml.FileRef> nativeFiles = new ArrayList<>();
            nativeFiles.add(new EdrmXml.FileRef("Native", NATIVES_DIR, nativeName, p.file().size(), p.file().md5()));
            if (p.text() != null) {
                nativeFiles.add(new EdrmXml.FileRef("Text", TEXT_DIR, num + ".txt", p.text().size(), p.text().md5()));
            }
            edrm.add(new EdrmXml.Doc(num, "File", a.contentType() == null ? "application/octet-stream"
                    : a.contentType(), nt, nativeFiles, custodian, location));
            edrm.attachment(beg, num);
        }
        totalPages += pages;
        nativeCount += natives.size();
        lastNumber = familyEnd;
        messages.clear();
        natives.clear();
    }

    /** Writes {@code text} to the new private file {@code rel} as UTF-8 with a byte-order mark; its hashes. */
    private FileHashes writeText(String rel, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        try (FileChannel ch = PrivateFiles.create(out.resolve(rel)); OutputStream os = Channels.newOutputStream(ch)) {
            os.write(bytes);
        }
        return FileHashes.of(rel, bytes);
    }

    private static EdrmXml.Tag text(String name, String value) {
        return new EdrmXml.Tag(name, "Text", value);
    }

    private static EdrmXml.Tag date(String name, Long epochMs) {
        return new EdrmXml.Tag(name, "DateTime", epochMs == null ? null : ISO_UTC.format(Instant.ofEpochMilli(epochMs)));
    }

    private List<String> row(String beg, String end, String begAttach, String endAttach, String parent,
                             String attachBates, String type, ConversationEntry e, PdfSummary.PdfFileInfo info,
                             String participants, String from, String messageId, Long first, Long last,
                             String messageCount, String attachmentCount, String pageCount, String fileName,
                             String ext, String mime, String size, String sha, String md5, String nativePath,
                             String textPath, String pdfPath) {
        List<String> v = new ArrayList<>();
        v.add(beg);
        v.add(end);
        v.add(begAttach);
        v.add(endAttach);
        v.add(parent);
        v.add(attachBates);
        v.add(type);
        v.add(custodian == null ? "" : custodian);
        v.add(options.matter() == null ? "" : options.matter());
        v.add(source(e));
        v.add(info.conversationId());
        v.add(title(e));
        v.add(e == null || e.conversation().kind() == null ? ""
                : e.conversation().kind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        v.add(info.slice());
        v.add(String.valueOf(info.part()));
        v.add(options.zone().getId());
        v.add(participants);
        v.add(from);
        v.add(messageId);
        v.add(first == null ? "" : UTC.format(Instant.ofEpochMilli(first)));
        v.add(last == null ? "" : UTC.format(Instant.ofEpochMilli(last)));
        v.add(messageCount);
        v.add(attachmentCount);
        v.add(pageCount);
        v.add(fileName);
        v.add(ext);
        v.add(mime);
        v.add(size);
        v.add(sha);
        v.add(md5);
        v.add(nativePath);
        v.add(textPath);
        v.add(pdfPath);
        return v;
    }

    private ProductionSummary finish(PdfSummary s) throws IOException {
        String loadFile = DATA_DIR + "/" + options.volume() + ".dat";
        FileHashes dh = writeLoadFile(loadFile, dat.toBytes());
        log.step("load-file", loadFile + " " + dat.rows().size() + " rows, sha256 " + dh.sha256() + " md5 " + dh.md5());
        String imageFile = null;
        if (options.pageImages()) {
            imageFile = DATA_DIR + "/" + options.volume() + ".opt";
            FileHashes oh = writeLoadFile(imageFile, opt.toBytes());
            log.step("image-file", imageFile + " " + opt.pages().size() + " pages, sha256 " + oh.sha256() + " md5 "
                    + oh.md5());
        }
        String edrmFile = DATA_DIR + "/" + options.volume() + ".xml";
        FileHashes xh = writeLoadFile(edrmFile, edrm.toBytes(options.volume(), "Chat production, volume "
                + options.volume() + (options.matter() != null ? ", matter " + options.matter() : "")));
        log.step("edrm-xml", edrmFile + " " + edrm.documents().size() + " documents, sha256 " + xh.sha256() + " md5 "
                + xh.md5());
        long start = bates.start();
        String firstNum = documents.isEmpty() ? null : bates.format(start);
        String lastNum = documents.isEmpty() ? null : bates.format(lastNumber);
        if (lastNum != null && lastNum.length() != firstNum.length()) {
            log.warn("bates-width", "the Bates numbers outgrew " + bates.digits() + " digits (" + firstNum + " to "
                    + lastNum + "); they no longer sort as text");
        }
        log.step("production-done", documents.size() + " documents (" + s.files().size() + " transcripts, "
                + nativeCount + " natives), " + totalPages + " pages, " + images + " page images, Bates "
                + firstNum + " to " + lastNum + ", " + missingAttachments + " attachments not produced, "
                + log.warnings() + " warnings");
        return new ProductionSummary(List.copyOf(documents), firstNum, lastNum,
                documents.isEmpty() ? 0 : lastNumber - start + 1, totalPages, s.files().size(), nativeCount, images,
                missingAttachments, log.warnings(), s.missingGlyphs(), loadFile, imageFile, edrmFile);
    }

    /** Writes {@code bytes} to the new private file {@code rel}, synced to disk; their hashes. */
    private FileHashes writeLoadFile(String rel, byte[] bytes) throws IOException {
        PrivateFiles.write(out.resolve(rel), bytes);
        return FileHashes.of(rel, bytes);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from); FileChannel ch = PrivateFiles.create(to);
             OutputStream os = Channels.newOutputStream(ch)) {
            in.transferTo(os);
        }
    }

    /** A path for a load file: relative, with Windows separators. */
    private static String dos(String rel) {
        return rel.replace('/', '\\');
    }

    private String name(String id) {
        if (id == null) {
            return "";
        }
        String n = names.get(id);
        return n == null || n.isBlank() ? id : n;
    }

    private static String title(ConversationEntry e) {
        if (e == null) {
            return "";
        }
        String t = e.conversation().title();
        return t == null || t.isBlank() ? e.conversation().id() : t;
    }

    private String source(ConversationEntry e) {
        if (e != null && e.conversation().sourceApp() != null) {
            return e.conversation().sourceApp();
        }
        List<SourceInfo> s = archive.info().sources();
        return s.isEmpty() ? "" : s.get(0).type();
    }
}
