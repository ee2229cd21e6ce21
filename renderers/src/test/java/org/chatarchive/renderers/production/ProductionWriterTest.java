package org.chatarchive.renderers.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.store.FileHashes;
import org.chatarchive.renderers.pdf.BatesOptions;
import org.chatarchive.renderers.pdf.PdfA;

/** A production of {@link ProductionFixture}: Bates, families, load files, text, images, custody log. */
class ProductionWriterTest {

    static final BatesOptions BATES = new BatesOptions("ACME", 1, 6, "");
    static final Pattern NUMBER = Pattern.compile("ACME\\d{6}");

    @TempDir
    static Path tmp;
    static Path archive;
    static Path prod;
    static ProductionSummary summary;
    static String log;

    @BeforeAll
    static void produce() throws IOException {
        archive = tmp.resolve("archive");
        ProductionFixture.write(archive);
        prod = tmp.resolve("prod");
        summary = produce(prod, true);
        log = Files.readString(prod.resolve("custody.log"));
    }

    static ProductionSummary produce(Path out, boolean images) throws IOException {
        Files.createDirectories(out);
        Path logFile = out.resolve("custody.log");
        try (CustodyLog l = CustodyLog.open(logFile, Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC))) {
            ProductionSummary s = ProductionWriter.write(archive, ProductionOptions.of(BATES).withCustodian("Jane Doe")
                    .withMatter("Doe v. Roe").withPageImages(images).withImageDpi(100), out, l);
            return s;
        }
    }

    static List<List<String>> dat() throws IOException {
        return DatFile.parse(Files.readAllBytes(prod.resolve(summary.loadFile())));
    }

    static Map<String, String> row(List<String> header, List<String> values) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < header.size(); i++) {
            m.put(header.get(i), values.get(i));
        }
        return m;
    }

    static List<String> pageTexts(Path pdf) throws IOException {
        List<String> out = new ArrayList<>();
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            PDFTextStripper t = new PDFTextStripper();
            for (int p = 1; p <= d.getNumberOfPages(); p++) {
                t.setStartPage(p);
                t.setEndPage(p);
                out.add(t.getText(d));
            }
        }
        return out;
    }

    static long number(String bates) {
        return Long.parseLong(bates.substring(4));
    }

    /** Every number from the first to the last is used once: on a page (read back from the PDF) or by a native. */
    @Test
    void batesNumbersRunWithoutGapsOrRepeatsAcrossPagesAndNatives() throws IOException {
        List<Long> used = new ArrayList<>();
        for (ProductionSummary.Document d : summary.documents()) {
            if (d.type().equals("transcript")) {
                List<String> pages = pageTexts(prod.resolve(d.path()));
                assertEquals(number(d.endBates()) - number(d.begBates()) + 1, pages.size(), d.path());
                for (int i = 0; i < pages.size(); i++) {
                    // The stamp is the page's last text; page 1's summary also names the ranges, and attachment
                    // lines the numbers their natives were produced under.
                    Matcher m = NUMBER.matcher(pages.get(i).replaceAll("produced as [A-Z]+[0-9]+", ""));
                    List<String> all = new ArrayList<>();
                    while (m.find()) {
                        all.add(m.group());
                    }
                    assertFalse(all.isEmpty(), "no Bates number on page " + (i + 1) + " of " + d.path());
                    assertTrue(i == 0 || all.size() == 1, "one Bates number on a page after the first: " + all);
                    String found = all.get(all.size() - 1);
                    assertEquals(number(d.begBates()) + i, number(found), d.path() + " page " + (i + 1));
                    used.add(number(found));
                }
            } else {
                assertEquals(d.begBates(), d.endBates());
                assertTrue(d.path().startsWith("NATIVES/" + d.begBates() + "."), d.path());
                used.add(number(d.begBates()));
            }
        }
        assertEquals(1L, used.get(0));
        for (int i = 0; i < used.size(); i++) {
            assertEquals(i + 1L, used.get(i), "numbers in order with no gap");
        }
        assertEquals(used.size(), summary.numbers());
        assertEquals("ACME000001", summary.firstBates());
        assertEquals(String.format("ACME%06d", used.size()), summary.lastBates());
    }

    @Test
    void transcriptsFollowTheDaysOfTheZoneAndNativesFollowTheirTranscript() {
        List<String> paths = summary.documents().stream().map(ProductionSummary.Document::path).toList();
        // the group chat: 2024-03-08 (two natives) and 2024-03-09 (one native, one missing); the direct chat: the 9th
        assertEquals(3, summary.transcripts());
        assertEquals(3, summary.natives());
        assertTrue(paths.get(0).matches("PDF/c-[0-9a-f]{16}-2024-03-08\\.pdf"), paths.toString());
        assertTrue(paths.get(1).matches("NATIVES/ACME\\d{6}\\.png") && paths.get(2).matches("NATIVES/ACME\\d{6}\\.txt"),
                paths.toString());
        assertTrue(paths.get(3).matches("PDF/c-[0-9a-f]{16}-2024-03-09\\.pdf"), paths.toString());
        ProductionSummary.Document t = summary.documents().get(0);
        for (int i = 0; i < 3; i++) {
            assertEquals(t.begBates(), summary.documents().get(i).begAttach());
            assertEquals(summary.documents().get(2).endBates(), summary.documents().get(i).endAttach());
        }
    }

    @Test
    void loadFileHasOneRowPerDocumentWithFamiliesHashesAndPaths() throws IOException {
        byte[] raw = Files.readAllBytes(prod.resolve(summary.loadFile()));
        assertEquals(0xEF, raw[0] & 0xff);
        String s = new String(raw, StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\u00fe\r\n"));
        List<List<String>> rows = dat();
        int nativeTexts = 0;
        assertEquals(ProductionWriter.FIELDS, rows.get(0));
        assertEquals(summary.documents().size() + 1, rows.size());
        for (int i = 0; i < summary.documents().size(); i++) {
            ProductionSummary.Document d = summary.documents().get(i);
            Map<String, String> r = row(rows.get(0), rows.get(i + 1));
            assertEquals(d.begBates(), r.get("BEGBATES"));
            assertEquals(d.endBates(), r.get("ENDBATES"));
            assertEquals(d.begAttach(), r.get("BEGATTACH"));
            assertEquals(d.endAttach(), r.get("ENDATTACH"));
            assertEquals("Jane Doe", r.get("CUSTODIAN"));
            assertEquals("Doe v. Roe", r.get("MATTER"));
            assertEquals("UTC", r.get("TIMEZONE"));
            FileHashes h = FileHashes.of(prod.resolve(d.path()), d.path());
            assertEquals(h.sha256(), r.get("SHA256"));
            assertEquals(h.md5(), r.get("MD5HASH"));
            assertEquals(String.valueOf(h.size()), r.get("FILESIZE"));
            String path = d.path().replace('/', '\\');
            if (d.type().equals("transcript")) {
                assertEquals(path, r.get("PDFPATH"));
                assertEquals("Chat transcript", r.get("DOCTYPE"));
                assertEquals("TEXT\\" + d.begBates() + ".txt", r.get("TEXTPATH"));
                assertTrue(Files.isRegularFile(prod.resolve(r.get("TEXTPATH").replace('\\', '/'))));
                assertEquals(List.of("Jane Owner", "Bob, Smith / Jr th(R)"), DatFile.split(r.get("PARTICIPANTS")),
                        "in a multi-value field a name's ; and \\ are neutralised, and so are the delimiters þ and ®");
            } else {
                assertEquals(path, r.get("NATIVEPATH"));
                assertEquals("Attachment", r.get("DOCTYPE"));
                assertEquals(d.begAttach(), r.get("PARENTBATES"));
                // A plain-text native has its text beside it; an image has none.
                if (d.path().endsWith(".txt")) {
                    assertEquals("TEXT\\" + d.begBates() + ".txt", r.get("TEXTPATH"));
                    assertEquals("\uFEFFthe contract terms\n", Files.readString(
                            prod.resolve(r.get("TEXTPATH").replace('\\', '/')), StandardCharsets.UTF_8));
                    nativeTexts++;
                } else {
                    assertEquals("", r.get("TEXTPATH"), d.path());
                    assertFalse(Files.exists(prod.resolve("TEXT/" + d.begBates() + ".txt")), d.path());
                }
            }
        }
        assertTrue(nativeTexts > 0, "the fixture's text attachment was produced with its text");
        Map<String, String> first = row(rows.get(0), rows.get(1));
        assertEquals("Deal; talks \\ 2024 th", first.get("CONVERSATION"), "þ in a value is neutralised, ; and \\ kept");
        assertEquals("2024-03-08 23:00:00", first.get("DATEBEGINUTC"));
        assertEquals("2024-03-08 23:30:00", first.get("DATEENDUTC"));
        assertEquals("2", first.get("MESSAGECOUNT"));
        assertEquals("2", first.get("ATTACHMENTCOUNT"));
        assertEquals(List.of(summary.documents().get(1).begBates(), summary.documents().get(2).begBates()),
                DatFile.split(first.get("ATTACHBATES")));
        Map<String, String> nat = row(rows.get(0), rows.get(2));
        assertEquals("site.png", nat.get("FILENAME"));
        assertEquals("m-files", nat.get("MESSAGEID"));
        assertEquals("Jane Owner", nat.get("FROM"));
    }

    @Test
    void summaryPageNamesCustodianMatterBatesRangeAndSourceHash() throws IOException {
        ProductionSummary.Document t = summary.documents().get(0);
        String page1 = pageTexts(prod.resolve(t.path())).get(0).replaceAll("\\s+", " ");
        assertTrue(page1.contains("Custodian: Jane Doe"), page1);
        assertTrue(page1.contains("Archive owner: Jane Owner"), page1);
        assertFalse(page1.contains("(custodian)") || page1.contains("Custodian (this production)"), page1);
        assertTrue(page1.contains("Matter: Doe v. Roe"), page1);
        assertTrue(page1.contains("Production Bates range: " + t.begAttach() + " to " + t.endAttach()), page1);
        assertTrue(page1.contains("Source database SHA-256: " + "cd".repeat(32)), page1);
        assertTrue(page1.contains("Time zone: UTC"), page1);
    }

    /** R22: each attachment line of a transcript names the Bates number of its native, on the line itself. */
    @Test
    void attachmentLinesShowTheNativesBatesNumbers() throws IOException {
        ProductionSummary.Document t = summary.documents().get(0);
        String page1;
        try (PDDocument d = Loader.loadPDF(prod.resolve(t.path()).toFile())) {
            PDFTextStripper s = new PDFTextStripper();
            s.setSortByPosition(true);
            page1 = s.getText(d);
        }
        List<String> lines = page1.lines().filter(l -> l.startsWith("Attachment: ")).toList();
        assertEquals(2, lines.size(), page1);
        assertTrue(lines.get(0).startsWith("Attachment: site.png · image/png · ")
                && lines.get(0).contains(" · produced as " + summary.documents().get(1).begBates() + " · SHA-256"),
                lines::toString);
        assertTrue(lines.get(1).startsWith("Attachment: terms.txt · text/plain · ")
                && lines.get(1).contains(" · produced as " + summary.documents().get(2).begBates() + " · SHA-256"), page1);
        // the summary is a block at the top of page 1, the messages follow on the same page
        assertTrue(page1.indexOf("Production Bates range") < page1.indexOf("Late on the 8th"), page1);
        assertEquals(1, number(t.endBates()) - number(t.begBates()) + 1, "a short day is one page");
    }

    @Test
    void transcriptsPassVeraPdf() throws IOException {
        for (ProductionSummary.Document d : summary.documents()) {
            if (d.type().equals("transcript")) {
                assertEquals(List.of(), PdfA.failures(prod.resolve(d.path())), d.path());
            }
        }
    }

    @Test
    void textFilesHoldEveryMessageAndNameTheNatives() throws IOException {
        String text = Files.readString(prod.resolve("TEXT/ACME000001.txt"), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFFDocument: ACME000001"), text);
        assertTrue(text.contains("] " + ProductionFixture.BOB_NAME + ": Late on the 8th,\r\n    second line\r\n"), text);
        assertTrue(text.contains("attachment: site.png, image/png, "), text);
        assertTrue(text.contains(", produced as " + summary.documents().get(1).begBates()), text);
        String day2 = Files.readString(prod.resolve("TEXT/" + summary.documents().get(3).begBates() + ".txt"));
        assertTrue(day2.contains("attachment: voice.aac, audio/aac, 3000 bytes, not produced: the app never downloaded it"),
                day2);
    }

    @Test
    void optListsOneSinglePageImagePerTranscriptPage() throws IOException {
        assertNotNull(summary.imageFile());
        List<OptFile.Page> lines = OptFile.parse(Files.readAllBytes(prod.resolve(summary.imageFile())));
        assertEquals(summary.pages(), lines.size());
        assertEquals(summary.pages(), summary.images());
        int i = 0;
        for (ProductionSummary.Document d : summary.documents()) {
            if (!d.type().equals("transcript")) {
                continue;
            }
            int pages;
            try (PDDocument doc = Loader.loadPDF(prod.resolve(d.path()).toFile())) {
                pages = doc.getNumberOfPages();
            }
            for (int p = 0; p < pages; p++, i++) {
                OptFile.Page line = lines.get(i);
                String id = String.format("ACME%06d", number(d.begBates()) + p);
                assertEquals(id, line.pageId());
                assertEquals("VOL001", line.volume());
                assertEquals("IMAGES\\" + id + ".tif", line.imagePath());
                assertEquals(p == 0, line.docBreak());
                assertEquals(p == 0 ? pages : 0, line.pageCount());
                BufferedImage img = ImageIO.read(prod.resolve(line.imagePath().replace('\\', '/')).toFile());
                assertNotNull(img, line.imagePath());
                assertEquals(826, img.getWidth(), "A4 (595.28 pt) at 100 dpi");
                assertEquals(1, img.getColorModel().getPixelSize(), "black and white");
            }
        }
        String raw = new String(Files.readAllBytes(prod.resolve(summary.imageFile())), OptFile.ANSI);
        assertTrue(raw.startsWith("ACME000001,VOL001,IMAGES\\ACME000001.tif,Y,,,"), raw);
        assertTrue(raw.endsWith(",,,\r\n") && !raw.contains("\n\n"), raw);
    }

    @Test
    void missingAttachmentIsLoggedWithItsMessageId() {
        assertEquals(1, summary.missingAttachments());
        assertEquals(1, summary.warnings());
        assertTrue(log.contains("2026-01-02T03:04:05.000Z\tWARN\tmissing-attachment\tmessage "
                + ProductionFixture.MISSING_ID + " in " + ProductionFixture.GROUP + ": attachment voice.aac (audio/aac)"
                + " not produced: not_downloaded, the app never downloaded it"), log);
        assertTrue(log.contains("\tINFO\tproduction-done\t"), log);
        assertTrue(log.contains("\tINFO\tload-file\tDATA/VOL001.dat "), log);
    }

    /**
     * R23: the EDRM XML load file is well-formed, declares version 1.2 and has a Document per produced document, in
     * Bates order, with its files (path, name, size, MD5 hash and its type), #From/#To/#DateSent tags, the custodian
     * as its location, and each native linked to its transcript.
     */
    @Test
    void edrmXmlHasEveryDocumentWithFilesTagsAndCustodian() throws Exception {
        assertEquals("DATA/VOL001.xml", summary.edrmFile());
        byte[] bytes = Files.readAllBytes(prod.resolve(summary.edrmFile()));
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document xml = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(bytes)); // well-formed
        javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        java.util.function.Function<String, String> at = q -> {
            try {
                return xp.evaluate(q, xml);
            } catch (javax.xml.xpath.XPathExpressionException e) {
                throw new IllegalArgumentException(q, e);
            }
        };
        assertEquals("Export", at.apply("/Root/@DataInterchangeType"));
        assertEquals("1", at.apply("/Root/@MajorVersion"));
        assertEquals("2", at.apply("/Root/@MinorVersion"));
        assertEquals("VOL001", at.apply("/Root/Batch/@name"));
        assertEquals(String.valueOf(summary.documents().size()), at.apply("count(/Root/Batch/Documents/Document)"));
        int natives = 0;
        for (int i = 0; i < summary.documents().size(); i++) {
            ProductionSummary.Document d = summary.documents().get(i);
            String doc = "/Root/Batch/Documents/Document[" + (i + 1) + "]";
            assertEquals(d.begBates(), at.apply(doc + "/@DocID"));
            assertEquals("Jane Doe", at.apply(doc + "/Locations/Location/Custodian"));
            assertTrue(at.apply(doc + "/Locations/Location/LocationURI").startsWith("signal-desktop/signal-conv:"));
            assertEquals(d.begBates(), at.apply(doc + "/Tags/Tag[@TagName='BegBates']/@TagValue"));
            assertEquals(d.begAttach(), at.apply(doc + "/Tags/Tag[@TagName='BegAttach']/@TagValue"));
            assertEquals(d.endAttach(), at.apply(doc + "/Tags/Tag[@TagName='EndAttach']/@TagValue"));
            assertTrue(at.apply(doc + "/Tags/Tag[@TagName='#DateSent']/@TagValue")
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), doc);
            assertEquals("DateTime", at.apply(doc + "/Tags/Tag[@TagName='#DateSent']/@TagDataType"));
            assertFalse(at.apply(doc + "/Tags/Tag[@TagName='#From']/@TagValue").isEmpty(), doc);
            assertFalse(at.apply(doc + "/Tags/Tag[@TagName='#To']/@TagValue").isEmpty(), doc);
            String file = doc + "/Files/File[@FileType='Native']/ExternalFile";
            Path p = prod.resolve(d.path());
            FileHashes h = FileHashes.of(p, d.path());
            assertEquals(d.path().substring(0, d.path().indexOf('/')), at.apply(file + "/@FilePath"));
            assertEquals(p.getFileName().toString(), at.apply(file + "/@FileName"));
            assertEquals(String.valueOf(Files.size(p)), at.apply(file + "/@FileSize"));
            assertEquals(h.md5(), at.apply(file + "/@Hash"));
            assertEquals("MD5", at.apply(file + "/@HashType"));
            assertEquals(h.sha256(), at.apply(doc + "/Tags/Tag[@TagName='SHA256']/@TagValue"));
            if (d.type().equals("transcript")) {
                assertEquals("application/pdf", at.apply(doc + "/@MimeType"));
                assertEquals("Jane Doe", at.apply(doc + "/Tags/Tag[@TagName='#From']/@TagValue"));
                assertEquals("TEXT", at.apply(doc + "/Files/File[@FileType='Text']/ExternalFile/@FilePath"));
                assertEquals(d.begBates() + ".txt", at.apply(doc + "/Files/File[@FileType='Text']/ExternalFile/@FileName"));
                assertEquals(String.valueOf(number(d.endBates()) - number(d.begBates()) + 1),
                        at.apply("count(" + doc + "/Files/File[@FileType='Image'])"), "one image per page");
            } else {
                natives++;
                assertEquals(d.begAttach(), at.apply("/Root/Batch/Relationships/Relationship[@ChildDocId='"
                        + d.begBates() + "']/@ParentDocId"));
                assertEquals("Attachment", at.apply("/Root/Batch/Relationships/Relationship[@ChildDocId='"
                        + d.begBates() + "']/@Type"));
            }
        }
        assertEquals(String.valueOf(natives), at.apply("count(/Root/Batch/Relationships/Relationship)"));
        // the native sent by the owner: #From is its sender, #To the others
        String first = "/Root/Batch/Documents/Document[@DocID='" + summary.documents().get(1).begBates() + "']";
        assertEquals("Jane Owner", at.apply(first + "/Tags/Tag[@TagName='#From']/@TagValue"));
        assertEquals(ProductionFixture.BOB_NAME, at.apply(first + "/Tags/Tag[@TagName='#To']/@TagValue"));
        assertTrue(log.contains("\tINFO\tedrm-xml\tDATA/VOL001.xml " + summary.documents().size() + " documents, sha256 "),
                log);
    }

    @Test
    void twoRunsGiveTheSameBytes() throws IOException {
        Path again = tmp.resolve("again");
        produce(again, true);
        assertEquals(hashes(prod), hashes(again));
    }

    static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.equals("custody.log")) {
                    out.put(rel, FileHashes.of(p, rel).sha256());
                }
            }
        }
        return out;
    }

    /** In any zone, the transcripts cover the same conversation days as the RSMF files. */
    @Test
    void transcriptsHaveTheDaysOfTheRsmfSlicesInTheSameZone() throws IOException {
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Kolkata"); // +05:30: the group chat's times fall on the 9th
        Path out = tmp.resolve("kolkata");
        Files.createDirectories(out);
        ProductionSummary p = ProductionWriter.write(archive, ProductionOptions.of(BATES).withZone(zone), out,
                CustodyLog.none());
        Path rsmf = tmp.resolve("kolkata-rsmf");
        org.chatarchive.renderers.rsmf.RsmfRenderer.render(archive, org.chatarchive.renderers.rsmf.RsmfOptions
                .defaults().withZone(zone).withOutDir(rsmf), CustodyLog.none());
        List<String> pdfDays = p.documents().stream().filter(d -> d.type().equals("transcript"))
                .map(d -> d.path().replaceAll(".*/(c-[0-9a-f]{16}-\\d{4}-\\d\\d-\\d\\d).*", "$1")).sorted().toList();
        List<String> rsmfDays;
        try (Stream<Path> s = Files.list(rsmf)) {
            rsmfDays = s.map(f -> f.getFileName().toString().replaceAll("(c-[0-9a-f]{16}-\\d{4}-\\d\\d-\\d\\d).*", "$1"))
                    .sorted().toList();
        }
        assertEquals(rsmfDays, pdfDays);
        assertTrue(pdfDays.stream().allMatch(d -> d.endsWith("2024-03-09")), pdfDays.toString());
    }

    @Test
    void withoutPageImagesThereIsNoOptAndNoImagesFolder() throws IOException {
        Path plain = tmp.resolve("plain");
        ProductionSummary s = produce(plain, false);
        assertNull(s.imageFile());
        assertFalse(Files.exists(plain.resolve("IMAGES")));
        assertFalse(Files.exists(plain.resolve("DATA/VOL001.opt")));
        assertEquals(summary.numbers(), s.numbers());
    }
}
