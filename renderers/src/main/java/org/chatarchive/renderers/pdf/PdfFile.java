package org.chatarchive.renderers.pdf;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDDestinationNameTreeNode;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionRemoteGoTo;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.destination.PDPageDestination;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDBorderStyleDictionary;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.destination.PDPageXYZDestination;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.pdmodel.PageMode;
import org.apache.pdfbox.util.Matrix;

/**
 * One PDF/A-2u file being written: pages filled row by row below room kept at the top of page 1 for the summary,
 * running header and footer (and Bates number) added when the page count is known, then the summary and any text
 * that waited for it (numbers known only at the end), metadata and a deterministic save.
 *
 * <p>Content streams go to a temporary scratch file rather than the heap; what stays in memory per page is the
 * page dictionary, and the renderer caps pages per file, so memory does not grow with the conversation.
 */
final class PdfFile implements Closeable {

    static final float PAGE_W = PDRectangle.A4.getWidth();
    static final float PAGE_H = PDRectangle.A4.getHeight();
    static final float MARGIN_X = 50;
    static final float TOP = PAGE_H - 62;
    static final float BOTTOM = 52;
    static final float CONTENT_W = PAGE_W - 2 * MARGIN_X;

    /**
     * Metadata of the file (Info dictionary and XMP say the same), and the transcript's own properties (name to
     * value, in order; names from {@link #PROPERTIES}) written to XMP under an extension schema.
     */
    record Meta(String title, String author, String subject, String keywords, String creator, String producer,
                Instant date, String idSeed, Map<String, String> properties) {
    }

    /** The namespace of the transcript's own XMP properties. */
    static final String XMP_NS = "urn:chat-archive:xmp:transcript:1.0#";
    static final String XMP_PREFIX = "chatArchive";
    /** The transcript's own XMP properties (all Text), with their descriptions for the extension schema. */
    static final Map<String, String> PROPERTIES = orderedMap(
            "conversationId", "Stable id of the conversation in the archive",
            "sourceSha256", "SHA-256 of each source database the archive was read from, comma separated",
            "archiveSha256", "SHA-256 of the archive's archive.json",
            "timeZone", "Time zone the times in this file are shown in",
            "messageCount", "Messages in this file",
            "batesBegin", "Bates number of this file's first page",
            "batesEnd", "Bates number of this file's last page");

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static final float[] TEXT = {0.08f, 0.08f, 0.08f};
    private static final float[] MUTED = {0.38f, 0.38f, 0.38f};
    private static final float[] LINK = {0.05f, 0.28f, 0.65f};
    private static final float[] RED = {0.75f, 0.08f, 0.08f};
    private static final float[] SPOILER_BG = {0.80f, 0.80f, 0.80f};
    private static final float[] MONO_BG = {0.93f, 0.93f, 0.93f};
    private static final int KEEP_DESTINATIONS = 20_000;

    private final PDDocument doc;
    private final Path file;
    private final TextLayout layout;
    private final Map<Face, PDType0Font> pdFonts = new HashMap<>();
    private final Map<Face, GlyphFont> glyphFonts = new LinkedHashMap<>();
    private final Map<Integer, PDImageXObject> emojiImages = new HashMap<>();
    private final PDDocumentOutline outline = new PDDocumentOutline();
    /** Recent message anchors (page index, y) for quote links; bounded. */
    private final Map<String, float[]> anchors = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> e) {
            return size() > KEEP_DESTINATIONS;
        }
    };
    /** Every message's first row by destination name, so that other files can link to it. */
    private final java.util.TreeMap<String, PDPageXYZDestination> named = new java.util.TreeMap<>();
    private java.util.function.Function<String, String> elsewhere;
    /** Text laid out with its placeholder and drawn at the end, when its value is known. */
    private record Late(int page, float x0, float top, Row.Text text) {
    }

    private final List<Late> late = new java.util.ArrayList<>();
    private PDPage page;
    private PDPageContentStream cs;
    private float y;
    private float summaryRoom;
    private int links;

    PdfFile(Path file, TextLayout layout) throws IOException {
        this.file = file;
        this.layout = layout;
        this.doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache());
        newPage();
    }

    /** Space between the summary block and the first message, with a rule in its middle. */
    static final float SUMMARY_GAP = 16;

    /**
     * Keeps {@code height} points at the top of page 1 for the summary (drawn by {@link #finish}, when its
     * counts and Bates numbers are known), and a gap with a rule below it; the messages start under it.
     */
    void reserveSummary(float height) {
        if (pages() != 1 || !pageEmpty()) {
            throw new IllegalStateException("the summary's room is kept before anything else is placed");
        }
        summaryRoom = Math.min(height, TOP - BOTTOM - 120);
        y -= summaryRoom + SUMMARY_GAP;
    }

    /** Pages so far. */
    int pages() {
        return doc.getNumberOfPages();
    }

    /** Points left on the current page. */
    float room() {
        return y - BOTTOM;
    }

    /**
     * Whether the current page holds nothing yet. Page 1 below the summary does not count: a message too tall for
     * the rest of page 1 but not for a page starts on page 2.
     */
    boolean pageEmpty() {
        return y == TOP;
    }

    private void newPage() throws IOException {
        if (cs != null) {
            cs.close();
        }
        page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page);
        y = TOP;
    }

    /**
     * Places a block of rows: on this page if it fits, else on a new page; a block taller than a page is
     * split between rows.
     */
    void place(List<Row> block) throws IOException {
        float h = 0;
        for (Row r : block) {
            h += r.height;
        }
        if (h > room() && !pageEmpty() && h <= TOP - BOTTOM) {
            newPage();
        }
        for (Row r : block) {
            if (r.height > room() && !pageEmpty()) {
                newPage();
            }
            drawRow(cs, page, r, MARGIN_X, y, true);
            y -= r.height;
        }
    }

    /** Adds an outline entry that opens at the current position. */
    void bookmark(String title) {
        PDOutlineItem item = new PDOutlineItem();
        item.setTitle(title);
        PDPageXYZDestination d = new PDPageXYZDestination();
        d.setPage(page);
        d.setTop(Math.round(y + 4));
        d.setLeft(0);
        item.setDestination(d);
        outline.addLast(item);
    }

    /** Whether a quote link to {@code messageId} can be made (the message is on an earlier row of this file). */
    boolean hasAnchor(String messageId) {
        return anchors.containsKey(messageId);
    }

    private PDType0Font font(Face f) throws IOException {
        PDType0Font pf = pdFonts.get(f);
        if (pf == null) {
            pf = PDType0Font.load(doc, f.ttf(), true);
            pdFonts.put(f, pf);
        }
        return pf;
    }

    private static float[] color(int style) {
        if ((style & StyledText.MISSING) != 0) {
            return RED;
        }
        if ((style & StyledText.MENTION) != 0) {
            return LINK;
        }
        return (style & StyledText.MUTED) != 0 ? MUTED : TEXT;
    }

    /** The font of shaped glyphs for {@code f} in this file, made on first use. */
    private GlyphFont glyphFont(Face f) {
        return glyphFonts.computeIfAbsent(f, k -> new GlyphFont(k, COSName.getPDFName("FS" + (glyphFonts.size() + 1))));
    }

    /**
     * Selects {@code gf} on {@code target}'s content stream and shows {@code g}: one TJ with one code per cluster,
     * each moved to the place the shaper gave it.
     */
    private static void showGlyphs(PDPageContentStream c, PDPage target, GlyphFont gf, Shaper.Glyphs g, float size)
            throws IOException {
        PDResources res = target.getResources();
        if (res == null) {
            res = new PDResources();
            target.setResources(res);
        }
        COSDictionary fontRes = res.getCOSObject().getCOSDictionary(COSName.FONT);
        if (fontRes == null) {
            fontRes = new COSDictionary();
            res.getCOSObject().setItem(COSName.FONT, fontRes);
        }
        if (!fontRes.containsKey(gf.name())) {
            fontRes.setItem(gf.name(), gf.ref());
        }
        StringBuilder sb = new StringBuilder();
        sb.append('/').append(gf.name().getName()).append(' ').append(num(size)).append(" Tf\n[");
        float pen = 0;
        for (Shaper.Cluster cl : g.clusters()) {
            int code = gf.code(cl);
            float adjust = pen - cl.x();
            if (Math.abs(adjust) > 0.0005f) {
                sb.append(num(adjust)).append(' ');
            }
            sb.append('<').append(GlyphFont.hex4(code)).append('>');
            pen = cl.x() + gf.width(code);
        }
        sb.append("] TJ\n");
        c.appendRawCommands(sb.toString());
    }

    /**
     * Draws a colour emoji: its bitmap as an image, and its text (the whole sequence, joiners and selectors
     * included) as one invisible glyph as wide as the image, so that text extraction and search find it.
     */
    private void drawEmoji(PDPageContentStream c, PDPage onPage, Row.Text t, float bx, float by) throws IOException {
        ColorEmoji emoji = layout.colorEmoji();
        int gid = emoji.glyph(t.text());
        ColorEmoji.Bitmap bm = gid < 0 ? null : emoji.bitmap(gid);
        float k = t.size() / 1000f;
        if (bm != null) {
            PDImageXObject img = emojiImages.get(gid);
            if (img == null) {
                img = LosslessFactory.createFromImage(doc, bm.image());
                emojiImages.put(gid, img);
            }
            float w = bm.width() * k;
            float h = bm.height() * k;
            c.drawImage(img, bx + bm.left() * k, by + bm.top() * k - h, w, h);
        }
        Face base = t.face();
        int space = base.ttf().getUnicodeCmapLookup().getGlyphId(' ');
        int advance = Math.round(t.width() / k / base.scale());
        Shaper.Cluster cl = new Shaper.Cluster(new int[]{space}, new int[]{0}, new int[]{0}, advance, 0, t.text(),
                false);
        Shaper.Glyphs g = new Shaper.Glyphs(new Shaper.Cluster[]{cl}, new int[]{0}, advance * base.scale());
        GlyphFont gf = glyphFont(base);
        if (!gf.hasRoomFor(g)) {
            return;
        }
        c.beginText();
        c.setRenderingMode(RenderingMode.NEITHER);
        c.newLineAtOffset(bx, by);
        showGlyphs(c, onPage, gf, g, t.size());
        c.setRenderingMode(RenderingMode.FILL);
        c.endText();
    }

    /** A number for a content stream: at most three decimals, no exponent, the same on every machine. */
    static String num(float v) {
        long m = Math.round(v * 1000.0);
        StringBuilder sb = new StringBuilder();
        if (m < 0) {
            sb.append('-');
            m = -m;
        }
        sb.append(m / 1000);
        long frac = m % 1000;
        if (frac != 0) {
            sb.append('.').append((char) ('0' + frac / 100));
            if (frac % 100 != 0) {
                sb.append((char) ('0' + frac / 10 % 10));
                if (frac % 10 != 0) {
                    sb.append((char) ('0' + frac % 10));
                }
            }
        }
        return sb.toString();
    }

    private void drawRow(PDPageContentStream c, PDPage onPage, Row r, float x0, float top, boolean body)
            throws IOException {
        if (body && r.anchor != null) {
            anchors.put(r.anchor, new float[]{doc.getNumberOfPages() - 1, top});
            PDPageXYZDestination d = new PDPageXYZDestination();
            d.setPage(page);
            d.setTop(Math.round(top + 4));
            d.setLeft(0);
            named.put(destinationName(r.anchor), d);
        }
        for (Row.Rect rect : r.rects) {
            c.setNonStrokingColor(rect.rgb()[0], rect.rgb()[1], rect.rgb()[2]);
            c.addRect(x0 + rect.x(), top - rect.y() - rect.h(), rect.w(), rect.h());
            c.fill();
        }
        for (Row.Text t : r.texts) {
            float[] bg = (t.style() & StyledText.SPOILER) != 0 ? SPOILER_BG
                    : (t.style() & StyledText.MONO) != 0 ? MONO_BG : null;
            if (bg != null) {
                c.setNonStrokingColor(bg[0], bg[1], bg[2]);
                c.addRect(x0 + t.x(), top - t.baseline() - t.size() * 0.28f, t.width(), t.size() * 1.22f);
                c.fill();
            }
        }
        for (Row.Image im : r.images) {
            PDImageXObject x = JPEGFactory.createFromImage(doc, im.image(), 0.85f);
            c.drawImage(x, x0 + im.x(), top - im.y() - im.h(), im.w(), im.h());
        }
        for (Row.Text t : r.texts) {
            float[] rgb = color(t.style());
            float bx = x0 + t.x();
            float by = top - t.baseline();
            if (body && (t.style() & StyledText.LATE) != 0) {
                late.add(new Late(doc.getNumberOfPages() - 1, x0, top, t));
                continue;
            }
            if ((t.style() & StyledText.EMOJI) != 0) {
                drawEmoji(c, onPage, t, bx, by);
                continue;
            }
            GlyphFont gf = t.glyphs() == null ? null : glyphFont(t.face());
            boolean shaped = gf != null && gf.hasRoomFor(t.glyphs());
            c.beginText();
            if (!shaped) {
                c.setFont(font(t.face()), t.size());
            }
            c.setNonStrokingColor(rgb[0], rgb[1], rgb[2]);
            boolean bold = (t.style() & StyledText.BOLD) != 0;
            if (bold) {
                c.setStrokingColor(rgb[0], rgb[1], rgb[2]);
                c.setLineWidth(t.size() * 0.035f);
                c.setRenderingMode(RenderingMode.FILL_STROKE);
            }
            if ((t.style() & StyledText.ITALIC) != 0) {
                c.setTextMatrix(new Matrix(1, 0, 0.2f, 1, bx, by));
            } else {
                c.newLineAtOffset(bx, by);
            }
            if (shaped) {
                showGlyphs(c, onPage, gf, t.glyphs(), t.size());
            } else {
                c.showText(t.text());
            }
            if (bold) {
                c.setRenderingMode(RenderingMode.FILL);
            }
            c.endText();
            if ((t.style() & StyledText.STRIKE) != 0) {
                c.setStrokingColor(rgb[0], rgb[1], rgb[2]);
                c.setLineWidth(Math.max(0.6f, t.size() * 0.06f));
                c.moveTo(bx, by + t.size() * 0.3f);
                c.lineTo(bx + t.width(), by + t.size() * 0.3f);
                c.stroke();
            }
        }
        if (body && r.linkTo != null) {
            float[] target = anchors.get(r.linkTo);
            // else perhaps in an earlier file of this render (another period or part): a link into that file
            String other = target != null || elsewhere == null ? null : elsewhere.apply(r.linkTo);
            if (target != null) {
                PDAnnotationLink link = quoteLink(x0, top, r.height);
                PDPageXYZDestination d = new PDPageXYZDestination();
                d.setPage(doc.getPage((int) target[0]));
                d.setTop(Math.round(target[1] + 4));
                d.setLeft(0);
                link.setDestination(d);
                link.setContents("Go to the quoted message");
                page.getAnnotations().add(link);
                links++;
            } else if (other != null) {
                PDAnnotationLink link = quoteLink(x0, top, r.height);
                PDComplexFileSpecification spec = new PDComplexFileSpecification();
                spec.setFile(other);
                spec.setFileUnicode(other);
                PDActionRemoteGoTo go = new PDActionRemoteGoTo();
                go.setFile(spec);
                go.setD(new COSString(destinationName(r.linkTo)));
                link.setAction(go);
                link.setContents("Go to the quoted message in " + other);
                page.getAnnotations().add(link);
                links++;
            }
        }
    }

    /** A borderless, printed link over a quote row of height {@code height} whose top is at {@code top}. */
    private static PDAnnotationLink quoteLink(float x0, float top, float height) {
        PDAnnotationLink link = new PDAnnotationLink();
        link.setRectangle(new PDRectangle(x0, top - height, CONTENT_W, height));
        link.setPrinted(true);
        PDBorderStyleDictionary border = new PDBorderStyleDictionary();
        border.setWidth(0);
        link.setBorderStyle(border);
        return link;
    }

    /** The named destination of a message's first row, the same in every file of a render. */
    static String destinationName(String messageId) {
        return "m-" + HexFormat.of().formatHex(sha256(messageId), 0, 8);
    }

    /**
     * Where quotes of messages not in this file may link: message id to the name of an earlier file of the
     * same folder that holds it, or null.
     */
    void linkElsewhere(java.util.function.Function<String, String> resolver) {
        this.elsewhere = resolver;
    }

    /** Quote links made so far. */
    int links() {
        return links;
    }

    /**
     * Draws the summary in the room kept at the top of page 1 (scaled down to fit should it be taller than that
     * room), the text that waited for its value, and the header, footer and Bates number on every page; writes the
     * metadata and saves.
     *
     * @param bates     the Bates number of each page (0-based page index), or null for none
     * @param lateValue the text to draw for a placeholder laid out with {@link StyledText#LATE}
     */
    void finish(List<Row> summary, String header, java.util.function.IntFunction<String> bates,
                java.util.function.UnaryOperator<String> lateValue, Meta meta) throws IOException {
        cs.close();
        cs = null;
        int total = doc.getNumberOfPages();
        float height = 0;
        for (Row r : summary) {
            height += r.height;
        }
        // before the messages in the page's content, so that text read in content order starts with it
        try (PDPageContentStream c = new PDPageContentStream(doc, doc.getPage(0), PDPageContentStream.AppendMode.PREPEND,
                true, false)) {
            float room = summaryRoom;
            c.saveGraphicsState();
            if (height > room && room > 0) {
                // more than the room kept: the whole block smaller, anchored at the top left, never over a message
                float k = room / height;
                c.transform(new Matrix(k, 0, 0, k, MARGIN_X * (1 - k), TOP * (1 - k)));
            }
            float top = TOP;
            for (Row r : summary) {
                drawRow(c, doc.getPage(0), r, MARGIN_X, top, false);
                top -= r.height;
            }
            c.restoreGraphicsState();
            if (room > 0) {
                float ruleY = TOP - room - SUMMARY_GAP / 2;
                c.setStrokingColor(0.55f, 0.55f, 0.55f);
                c.setLineWidth(0.8f);
                c.moveTo(MARGIN_X, ruleY);
                c.lineTo(PAGE_W - MARGIN_X, ruleY);
                c.stroke();
            }
        }
        List<Row> head = layout.layout(StyledText.plain(header, StyledText.MUTED), CONTENT_W - 110, 8.5f,
                TextLayout.Align.LEFT);
        Row headRow = head.isEmpty() ? new Row(12) : head.get(0);
        int next = 0;
        for (int i = 0; i < total; i++) {
            PDPage p = doc.getPage(i);
            try (PDPageContentStream c = new PDPageContentStream(doc, p, PDPageContentStream.AppendMode.APPEND, true,
                    true)) {
                for (; next < late.size() && late.get(next).page() == i; next++) {
                    Late l = late.get(next);
                    Row.Text t = l.text();
                    String value = lateValue == null ? null : lateValue.apply(t.text());
                    Row one = new Row(0);
                    one.texts.add(new Row.Text(t.x(), t.baseline(), t.face(), t.size(), value == null ? t.text() : value,
                            t.style() & ~StyledText.LATE, layout.width(value == null ? t.text() : value, t.size())));
                    drawRow(c, p, one, l.x0(), l.top(), false);
                }
                drawRow(c, p, headRow, MARGIN_X, PAGE_H - 30, false);
                String pageOf = "Page " + (i + 1) + " of " + total;
                List<Row> pr = layout.layout(StyledText.plain(pageOf, StyledText.MUTED), 200, 8.5f, TextLayout.Align.LEFT);
                float w = layout.width(pageOf, 8.5f);
                drawRow(c, p, pr.get(0), PAGE_W - MARGIN_X - w, PAGE_H - 30, false);
                c.setStrokingColor(0.7f, 0.7f, 0.7f);
                c.setLineWidth(0.5f);
                c.moveTo(MARGIN_X, PAGE_H - 46);
                c.lineTo(PAGE_W - MARGIN_X, PAGE_H - 46);
                c.moveTo(MARGIN_X, 40);
                c.lineTo(PAGE_W - MARGIN_X, 40);
                c.stroke();
                String foot = file.getFileName().toString();
                drawRow(c, p, layout.layout(StyledText.plain(foot, StyledText.MUTED), 300, 8, TextLayout.Align.LEFT).get(0),
                        MARGIN_X, 36, false);
                if (bates != null) {
                    String b = bates.apply(i);
                    float bw = layout.width(b, 10);
                    drawRow(c, p, layout.layout(StyledText.plain(b, StyledText.BOLD), 300, 10, TextLayout.Align.LEFT).get(0),
                            PAGE_W - MARGIN_X - bw, 37, false);
                }
            }
        }
        for (GlyphFont gf : glyphFonts.values()) {
            gf.build(doc);
        }
        writeMetadata(meta);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            doc.save(out);
        }
    }

    private void writeMetadata(Meta meta) throws IOException {
        PDDocumentCatalog cat = doc.getDocumentCatalog();
        if (outline.hasChildren()) {
            cat.setDocumentOutline(outline);
            cat.setPageMode(PageMode.USE_OUTLINES);
        }
        if (!named.isEmpty()) {
            // a name tree of leaves of at most 1,000 names (arrays stay within PDF's implementation limits)
            List<PDDestinationNameTreeNode> kids = new java.util.ArrayList<>();
            Map<String, PDPageDestination> chunk = new java.util.TreeMap<>();
            for (Map.Entry<String, PDPageXYZDestination> e : named.entrySet()) {
                chunk.put(e.getKey(), e.getValue());
                if (chunk.size() == 1000) {
                    PDDestinationNameTreeNode leaf = new PDDestinationNameTreeNode();
                    leaf.setNames(chunk);
                    kids.add(leaf);
                    chunk = new java.util.TreeMap<>();
                }
            }
            if (!chunk.isEmpty()) {
                PDDestinationNameTreeNode leaf = new PDDestinationNameTreeNode();
                leaf.setNames(chunk);
                kids.add(leaf);
            }
            PDDestinationNameTreeNode root = new PDDestinationNameTreeNode();
            root.setKids(kids);
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(cat);
            names.setDests(root);
            cat.setNames(names);
        }
        Calendar cal = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        cal.setTimeInMillis(meta.date().toEpochMilli() / 1000 * 1000);
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle(meta.title());
        info.setAuthor(meta.author());
        info.setSubject(meta.subject());
        info.setKeywords(meta.keywords());
        info.setCreator(meta.creator());
        info.setProducer(meta.producer());
        info.setCreationDate(cal);
        info.setModificationDate(cal);

        String date = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.ofEpochMilli(cal.getTimeInMillis()).atOffset(ZoneOffset.UTC));
        String xmp = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                + "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""
                + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""
                + " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
                + "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>U</pdfaid:conformance>\n"
                + "<dc:format>application/pdf</dc:format>\n"
                + "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml(meta.title()) + "</rdf:li></rdf:Alt></dc:title>\n"
                + "<dc:creator><rdf:Seq><rdf:li>" + xml(meta.author()) + "</rdf:li></rdf:Seq></dc:creator>\n"
                + "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml(meta.subject())
                + "</rdf:li></rdf:Alt></dc:description>\n"
                + "<pdf:Keywords>" + xml(meta.keywords()) + "</pdf:Keywords>\n"
                + "<pdf:Producer>" + xml(meta.producer()) + "</pdf:Producer>\n"
                + "<xmp:CreatorTool>" + xml(meta.creator()) + "</xmp:CreatorTool>\n"
                + "<xmp:CreateDate>" + date + "</xmp:CreateDate>\n"
                + "<xmp:ModifyDate>" + date + "</xmp:ModifyDate>\n"
                + "</rdf:Description>\n" + customXmp(meta.properties()) + "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
        PDMetadata md = new PDMetadata(doc);
        md.importXMPMetadata(xmp.getBytes(StandardCharsets.UTF_8));
        cat.setMetadata(md);

        ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
        PDOutputIntent oi = new PDOutputIntent(doc, new ByteArrayInputStream(srgb.getData()));
        oi.setInfo("sRGB IEC61966-2.1");
        oi.setOutputCondition("sRGB IEC61966-2.1");
        oi.setOutputConditionIdentifier("sRGB IEC61966-2.1");
        oi.setRegistryName("http://www.color.org");
        cat.addOutputIntent(oi);

        // A document ID from the content's identity, not from the clock.
        byte[] id = sha256(meta.idSeed());
        byte[] half = java.util.Arrays.copyOf(id, 16);
        COSArray ids = new COSArray();
        ids.add(new COSString(half));
        ids.add(new COSString(half));
        doc.getDocument().getTrailer().setItem(COSName.ID, ids);
        long docId = 0;
        for (int i = 0; i < 8; i++) {
            docId = docId << 8 | (id[i] & 0xff);
        }
        doc.setDocumentId(docId);
        doc.setVersion(1.7f);
    }

    /**
     * The transcript's own properties and the PDF/A extension schema that declares them (PDF/A allows XMP
     * properties outside the predefined schemas only when the file describes them this way).
     */
    static String customXmp(Map<String, String> props) {
        if (props == null || props.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"")
                .append(" xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"")
                .append(" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n")
                .append("<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n")
                .append("<pdfaSchema:schema>chat-archive transcript</pdfaSchema:schema>\n")
                .append("<pdfaSchema:namespaceURI>").append(XMP_NS).append("</pdfaSchema:namespaceURI>\n")
                .append("<pdfaSchema:prefix>").append(XMP_PREFIX).append("</pdfaSchema:prefix>\n")
                .append("<pdfaSchema:property><rdf:Seq>\n");
        for (Map.Entry<String, String> p : PROPERTIES.entrySet()) {
            sb.append("<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>").append(p.getKey())
                    .append("</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>")
                    .append("<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>")
                    .append(xml(p.getValue())).append("</pdfaProperty:description></rdf:li>\n");
        }
        sb.append("</rdf:Seq></pdfaSchema:property>\n</rdf:li></rdf:Bag></pdfaExtension:schemas>\n</rdf:Description>\n");
        sb.append("<rdf:Description rdf:about=\"\" xmlns:").append(XMP_PREFIX).append("=\"").append(XMP_NS).append("\">\n");
        for (Map.Entry<String, String> p : props.entrySet()) {
            if (!PROPERTIES.containsKey(p.getKey())) {
                throw new IllegalArgumentException("not a declared XMP property: " + p.getKey());
            }
            if (p.getValue() != null) {
                sb.append('<').append(XMP_PREFIX).append(':').append(p.getKey()).append('>').append(xml(p.getValue()))
                        .append("</").append(XMP_PREFIX).append(':').append(p.getKey()).append(">\n");
            }
        }
        return sb.append("</rdf:Description>\n").toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String xml(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        if (cs != null) {
            cs.close();
            cs = null;
        }
        doc.close();
    }
}
