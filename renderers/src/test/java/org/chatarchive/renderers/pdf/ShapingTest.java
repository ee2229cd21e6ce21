package org.chatarchive.renderers.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indic scripts are shaped (conjuncts, reordered vowel signs) and their text still extracts in logical order. */
class ShapingTest {

    static final String HINDI = "नमस्ते दुनिया! हिन्दी में क्षत्रिय और कि, श्री, र्क, द्द्व, कृष्ण, ज़िंदगी। "
            + "प्रत्येक व्यक्ति को शिक्षा का अधिकार है।";
    static final String BENGALI = "আমি বাংলায় গান গাই। কোথায় যাচ্ছ? ক্ষমা করো।";
    static final String TAMIL = "வணக்கம், எப்படி இருக்கிறீர்கள்? கொண்டு போ.";
    static final String MIXED = "שלום नमस्ते עולם";
    static final List<String> BODIES = List.of(HINDI, BENGALI, TAMIL, MIXED);

    @TempDir
    static Path tmp;
    static Path archive;
    static Path pdf;
    static FontLibrary fonts;

    static boolean hasFace(String file, int cp) {
        Face f = fonts.pick(cp, false);
        return f != null && f.name().equals(file);
    }

    @BeforeAll
    static void render() throws IOException {
        fonts = FontLibrary.load(FontLibrary.defaultFolders(List.of()));
        archive = tmp.resolve("archive");
        String conv = "signal-conv:hindi";
        List<Message> messages = new ArrayList<>();
        long t = SampleArchive.T0;
        int i = 0;
        for (String body : BODIES) {
            messages.add(Message.text("m" + i++, conv, SampleArchive.ALICE, Direction.INCOMING, t += 60_000, null,
                    body));
        }
        messages.add(Message.text("m-wrap", conv, SampleArchive.OWNER, Direction.OUTGOING, t + 60_000, null,
                (HINDI + " ").repeat(6)));
        SampleArchive.directChat(archive, conv, "हिन्दी चैट क्षत्रिय", messages);
        PdfSummary s = PdfRenderer.render(archive, PdfOptions.defaults().withZone(ZoneId.of("Asia/Kolkata")));
        pdf = archive.resolve(s.files().get(0).path());
        Path keep = Path.of("target", "pdf-samples");
        Files.createDirectories(keep);
        Files.copy(pdf, keep.resolve("shaping.pdf"), StandardCopyOption.REPLACE_EXISTING);
    }

    static void assumeIndicFonts() {
        Assumptions.assumeTrue(hasFace("NotoSansDevanagari-Regular.ttf", 'क')
                        && hasFace("NotoSansBengali-Regular.ttf", 'ক') && hasFace("NotoSansTamil-Regular.ttf", 'க'),
                "Indic shaping test skipped: needs Noto Sans Devanagari, Bengali and Tamil (Debian fonts-noto-core)");
    }

    static String text(Path file) throws IOException {
        try (PDDocument d = Loader.loadPDF(file.toFile())) {
            return new PDFTextStripper().getText(d);
        }
    }

    @Test
    void shaperMakesConjunctsAndPutsTheShortISignFirst() throws IOException {
        assumeIndicFonts();
        Face deva = fonts.pick('क', false);
        int ka = deva.ttf().getUnicodeCmapLookup().getGlyphId('क');
        Shaper.Glyphs ki = Shaper.shape(deva, "कि", 0, 2);
        assertNotNull(ki);
        assertEquals(1, ki.clusters().length, "one syllable, one cluster");
        Shaper.Cluster c = ki.clusters()[0];
        assertEquals(2, c.gids().length);
        assertEquals(ka, c.gids()[1], "the consonant comes second");
        assertTrue(c.dx()[0] < c.dx()[1], "the i sign is drawn left of its consonant");
        assertEquals("कि", c.text());

        Shaper.Glyphs ksha = Shaper.shape(deva, "क्ष", 0, 3);
        assertNotNull(ksha);
        assertEquals(1, ksha.clusters().length);
        assertTrue(ksha.clusters()[0].simple(), "क्ष is one conjunct glyph");
        assertEquals("क्ष", ksha.clusters()[0].text());

        Shaper.Glyphs namaste = Shaper.shape(deva, "नमस्ते", 0, 6);
        assertNotNull(namaste);
        List<String> texts = java.util.Arrays.stream(namaste.clusters()).map(Shaper.Cluster::text).toList();
        assertEquals(List.of("न", "म", "स्", "ते"), texts, "half form of स, the e sign joins त");
    }

    @Test
    void passesVeraPdf() throws IOException {
        assumeIndicFonts();
        assertEquals(List.of(), PdfA.failures(pdf));
    }

    @Test
    void extractedTextIsTheLogicalText() throws IOException {
        assumeIndicFonts();
        String got = text(pdf).replaceAll("\\s+", " ");
        for (String word : List.of("नमस्ते", "हिन्दी", "क्षत्रिय", "कि", "श्री", "र्क", "कृष्ण", "ज़िंदगी", "व्यक्ति",
                "शिक्षा", "हिन्दी चैट क्षत्रिय")) {
            assertTrue(got.contains(word), () -> "missing from the extracted text: " + word + "\n--- got:\n" + got);
        }
        // every character as written, two-part vowel signs (Bengali ো, Tamil ொ) included
        for (String body : List.of(HINDI, BENGALI, TAMIL)) {
            assertTrue(got.contains(body.trim()), () -> "missing: " + body + "\n--- got:\n" + got);
        }
        String raw = text(pdf);
        assertTrue(raw.lines().anyMatch(l -> l.contains("שלום") && l.contains("नमस्ते") && l.contains("עולם")), raw);
    }

    @Test
    void shapedGlyphsAreDrawnWithTheirOwnFont() throws IOException {
        assumeIndicFonts();
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            var res = d.getPage(0).getResources(); // the summary and the messages
            List<String> names = new ArrayList<>();
            for (var n : res.getFontNames()) {
                if (n.getName().startsWith("FS")) {
                    names.add(res.getFont(n).getName());
                }
            }
            assertTrue(names.stream().anyMatch(n -> n.endsWith("+NotoSansDevanagari-Regular")), names.toString());
        }
    }

    @Test
    void twoRunsGiveIdenticalBytes() throws IOException {
        assumeIndicFonts();
        Path again = tmp.resolve("again");
        PdfRenderer.render(archive, PdfOptions.defaults().withZone(ZoneId.of("Asia/Kolkata")).withOutDir(again));
        assertArrayEquals(Files.readAllBytes(pdf), Files.readAllBytes(again.resolve(pdf.getFileName())));
    }
}
