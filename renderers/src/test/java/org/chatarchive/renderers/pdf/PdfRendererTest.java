package org.chatarchive.renderers.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;

class PdfRendererTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    static Path tmp;
    static Path archive;
    static PdfSummary summary;
    static Path pdf;

    @BeforeAll
    static void render() throws IOException {
        archive = tmp.resolve("archive");
        SampleArchive.everyFeature(archive);
        summary = PdfRenderer.render(archive, PdfOptions.defaults().withZone(BERLIN)
                .withBates(new BatesOptions("ABC", 1, 6, "")));
        pdf = archive.resolve(summary.files().get(0).path());
        // Kept for looking at the pages (pdftoppm); target/ is not part of the sources.
        Path keep = Path.of("target", "pdf-samples");
        Files.createDirectories(keep);
        Files.copy(pdf, keep.resolve("every-feature.pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String text(Path file) throws IOException {
        try (PDDocument d = Loader.loadPDF(file.toFile())) {
            return new PDFTextStripper().getText(d);
        }
    }

    /** Drops invisible format characters (joiners, variation selectors), folds compatibility forms, joins lines. */
    static String normal(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().filter(cp -> !UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT))
                .forEach(b::appendCodePoint);
        return Normalizer.normalize(b.toString(), Normalizer.Form.NFKC).replaceAll("\\s+", " ");
    }

    @Test
    void writesOnePdfAPerConversationThatVeraPdfPasses() throws IOException {
        assertEquals(1, summary.files().size());
        assertTrue(Files.size(pdf) > 10_000);
        assertEquals(List.of(), PdfA.failures(pdf));
    }

    @Test
    void extractedTextGivesBackEveryScriptAndEmoji() throws IOException {
        String got = normal(text(pdf));
        for (String body : SampleArchive.SCRIPTS) {
            assertTrue(got.contains(normal(body)), () -> "missing from the extracted text: " + body + "\n--- got:\n" + got);
        }
        assertTrue(got.contains("👍🏽") && got.contains("👨👩👧"), "emoji with modifiers and ZWJ components");
    }

    @Test
    void devanagariComesBackInLogicalOrder() throws IOException {
        try (FontLibrary fonts = FontLibrary.load(FontLibrary.defaultFolders(List.of()))) {
            Face f = fonts.pick('क', false);
            org.junit.jupiter.api.Assumptions.assumeTrue(f != null && f.awtFont() != null,
                    "Devanagari shaping check skipped: needs a Devanagari font file (Debian fonts-noto-core)");
        }
        String got = text(pdf);
        for (String word : List.of("नमस्ते", "दुनिया", "कैसे", "हैं")) {
            assertTrue(got.contains(word), word);
        }
    }

    @Test
    void summaryPageAndMessageDetails() throws IOException {
        String got = normal(text(pdf));
        for (String s : List.of("Family 🏖 Семья", "Source app: signal-desktop", "Participants: Me Owner (+15550000001)",
                "Archive owner (custodian): Me Owner", "Time zone: Europe/Berlin", "ab".repeat(32),
                "This file: 18 messages, 3 attachments", "Bates range: ABC000001 to ABC", "@Me Owner",
                "Version 1", "Hi, first draft", "Hi, second draft", "Reactions:", "Deleted for everyone",
                "View-once message", "Disappearing message: timer 1 day", "missed", "Poll: Lunch?",
                "Reply to ", "Attachment: contract.pdf · application/pdf · 13 bytes · SHA-256 ",
                "not available: not downloaded (the app never downloaded it)", "Receipts: Alice Åström 🌻 read")) {
            assertTrue(got.contains(normal(s)), () -> "missing: " + s);
        }
        // The night of 31 March 2024 Berlin moves from +01:00 to +02:00: both offsets are shown.
        assertTrue(got.contains("Version 1 · 2024-03-31 01:59:00 +01:00"), "winter time before the change");
        assertTrue(got.contains("Alice Åström 🌻 2024-03-31 03:00:00 +02:00"), "summer time after the change");
        // A right-to-left name in a left-to-right header: poppler's pdftotext gives "name time", PDFBox's
        // stripper reverses mixed lines that start right to left, so only check they share a line.
        String raw = text(pdf);
        assertTrue(raw.lines().anyMatch(l -> l.contains("דוד כהן") && l.contains("2024-03-31")), raw);
    }

    @Test
    void missingGlyphIsReportedAndShown() throws IOException {
        assertEquals(1, summary.missingGlyphs());
        assertEquals(List.of("U+10FFFD"), summary.missingExamples());
        assertTrue(text(pdf).contains("[U+10FFFD]"));
        assertTrue(summary.invisibleSkipped() > 0, "invisible format characters (a word joiner) are counted");
    }

    @Test
    void pagesHaveHeaderFooterBatesOutlineAndQuoteLink() throws IOException {
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            int n = d.getNumberOfPages();
            assertTrue(n >= 3, "summary, messages, the long message over pages");
            assertEquals(summary.files().get(0).pages(), n);
            for (int i = 0; i < n; i++) {
                PDFTextStripper s = new PDFTextStripper();
                s.setStartPage(i + 1);
                s.setEndPage(i + 1);
                String page = s.getText(d);
                assertTrue(page.contains("Page " + (i + 1) + " of " + n), "page " + (i + 1));
                assertTrue(page.contains(String.format("ABC%06d", i + 1)), "Bates on page " + (i + 1));
            }
            assertNotNull(d.getDocumentCatalog().getDocumentOutline());
            List<String> days = new ArrayList<>();
            d.getDocumentCatalog().getDocumentOutline().children().forEach(o -> days.add(o.getTitle()));
            assertEquals(List.of("Sunday, 31 March 2024", "Monday, 1 April 2024"), days);
            int links = 0;
            for (int i = 0; i < n; i++) {
                for (PDAnnotation a : d.getPage(i).getAnnotations()) {
                    if (a instanceof PDAnnotationLink) {
                        links++;
                    }
                }
            }
            assertTrue(links >= 1, "the reply links to the quoted message");
            assertEquals(ZoneId.of("UTC").getId(), "UTC");
            assertEquals(d.getDocumentInformation().getTitle(), "Family 🏖 Семья");
        }
    }

    @Test
    void xmpHasTheTranscriptsOwnPropertiesUnderADeclaredExtensionSchema() throws IOException {
        String xmp;
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            xmp = new String(d.getDocumentCatalog().getMetadata().toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String s : List.of("<pdfaSchema:namespaceURI>" + PdfFile.XMP_NS + "</pdfaSchema:namespaceURI>",
                "<pdfaSchema:prefix>chatArchive</pdfaSchema:prefix>", "<pdfaProperty:name>batesEnd</pdfaProperty:name>",
                "<chatArchive:conversationId>" + SampleArchive.CONV + "</chatArchive:conversationId>",
                "<chatArchive:sourceSha256>" + "ab".repeat(32) + "</chatArchive:sourceSha256>",
                "<chatArchive:timeZone>Europe/Berlin</chatArchive:timeZone>",
                "<chatArchive:messageCount>18</chatArchive:messageCount>",
                "<chatArchive:batesBegin>ABC000001</chatArchive:batesBegin>")) {
            assertTrue(xmp.contains(s), () -> "missing from the XMP: " + s + "\n" + xmp);
        }
        // veraPDF checks the extension schema declares every property used (writesOnePdfA...VeraPdfPasses).
    }

    @Test
    void twoRunsGiveIdenticalBytes() throws IOException {
        Path again = tmp.resolve("again");
        PdfRenderer.render(archive, PdfOptions.defaults().withZone(BERLIN).withOutDir(again)
                .withBates(new BatesOptions("ABC", 1, 6, "")));
        assertArrayEquals(Files.readAllBytes(pdf), Files.readAllBytes(again.resolve(pdf.getFileName())));
    }

    @Test
    void batesIsSequentialAcrossSplitFilesAndRecorded() throws IOException {
        Path out = tmp.resolve("split");
        PdfSummary s = PdfRenderer.render(archive, PdfOptions.defaults().withZone(BERLIN).withOutDir(out)
                .withSplitBy(SplitBy.DAY).withBates(new BatesOptions("XYZ-", 7, 7, "-C")));
        assertEquals(2, s.files().size());
        long next = 7;
        for (PdfSummary.PdfFileInfo f : s.files()) {
            assertEquals(String.format("XYZ-%07d-C", next), f.batesBegin());
            next += f.pages();
            assertEquals(String.format("XYZ-%07d-C", next - 1), f.batesEnd());
            Path file = out.resolve(Path.of(f.path()).getFileName());
            assertTrue(text(file).contains(f.batesEnd()));
            assertEquals(List.of(), PdfA.failures(file));
        }
        assertTrue(s.files().get(0).path().endsWith("-2024-03-31.pdf"), s.files().get(0).path());
        String json = Files.readString(out.resolve("bates.json"));
        assertTrue(json.contains("\"begin\": \"XYZ-0000007-C\""), json);
        assertTrue(json.contains("\"end\": \"" + s.files().get(1).batesEnd() + "\""), json);
    }

    @Test
    void longConversationIsCutIntoPartsOfBoundedPages() throws IOException {
        Path a = tmp.resolve("long");
        SampleArchive.generated(a, 3000, 60_000);
        PdfSummary s = PdfRenderer.render(a, PdfOptions.defaults().withZone(BERLIN).withMaxPagesPerFile(40)
                .withBates(new BatesOptions("L", 1, 6, "")));
        assertTrue(s.files().size() > 1);
        assertEquals(3000, s.messages());
        for (PdfSummary.PdfFileInfo f : s.files()) {
            assertTrue(f.pages() <= 41, f.path() + " has " + f.pages());
        }
        try (Stream<Path> files = Files.list(a.resolve("pdf"))) {
            assertEquals(s.files().size(), files.filter(p -> p.toString().endsWith(".pdf")).count());
        }
        assertEquals(s.pages(), s.files().stream().mapToLong(PdfSummary.PdfFileInfo::pages).sum());
        assertEquals(List.of(), PdfA.failures(a.resolve(s.files().get(1).path())));
    }
}
