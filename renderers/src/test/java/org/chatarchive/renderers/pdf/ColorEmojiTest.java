package org.chatarchive.renderers.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Emoji are drawn in colour from Noto Color Emoji's bitmaps, sequences as one image, their text extractable. */
class ColorEmojiTest {

    /** Each is one image: newer emoji, skin tones, joiner sequences, a flag, a keycap, text-default with VS16. */
    static final List<String> EMOJI = List.of("🥾", "🫶", "🥰", "🧷", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "👩🏾‍💻", "🇩🇪", "1️⃣",
            "❤️", "😀");

    @TempDir
    static Path tmp;
    static Path archive;
    static Path pdf;
    static PdfSummary summary;
    static boolean present;

    @BeforeAll
    static void render() throws IOException {
        try (FontLibrary fonts = FontLibrary.load(FontLibrary.defaultFolders(List.of()))) {
            present = fonts.colorEmoji() != null;
        }
        if (!present) {
            return;
        }
        archive = tmp.resolve("archive");
        String conv = "signal-conv:emoji";
        SampleArchive.directChat(archive, conv, "Hikers 🥾⛰️", List.of(
                Message.text("m1", conv, SampleArchive.ALICE, Direction.INCOMING, SampleArchive.T0, null,
                        "Emoji: " + String.join(" ", EMOJI) + " end"),
                Message.text("m2", conv, SampleArchive.OWNER, Direction.OUTGOING, SampleArchive.T0 + 1000,
                        null, "שלום 👋 עולם, and ©, ™, # stay text")));
        summary = PdfRenderer.render(archive, PdfOptions.defaults().withZone(ZoneOffset.UTC));
        pdf = archive.resolve(summary.files().get(0).path());
        Path keep = Path.of("target", "pdf-samples");
        Files.createDirectories(keep);
        Files.copy(pdf, keep.resolve("emoji.pdf"), StandardCopyOption.REPLACE_EXISTING);
    }

    static void assumeColorEmoji() {
        Assumptions.assumeTrue(present,
                "Colour emoji test skipped: needs " + FontLibrary.COLOR_EMOJI + " (Debian fonts-noto-color-emoji)");
    }

    static String text() throws IOException {
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            return new PDFTextStripper().getText(d);
        }
    }

    @Test
    void passesVeraPdf() throws IOException {
        assumeColorEmoji();
        assertEquals(List.of(), PdfA.failures(pdf));
    }

    @Test
    void everyEmojiIsDrawnAndNoneIsMissing() throws IOException {
        assumeColorEmoji();
        assertEquals(0, summary.missingGlyphs(), () -> summary.missingExamples().toString());
        try (PDDocument d = Loader.loadPDF(pdf.toFile())) {
            int images = 0;
            var res = d.getPage(0).getResources(); // the summary and the messages
            for (COSName n : res.getXObjectNames()) {
                if (res.getXObject(n) instanceof PDImageXObject img) {
                    images++;
                    assertTrue(img.getCOSObject().containsKey(COSName.SMASK), "transparent around the emoji");
                }
            }
            // the message's emoji, the wave, the boot and the mountain of the title and the sunflower of a name
            assertTrue(images >= EMOJI.size() + 1, "images on the message page: " + images);
        }
    }

    @Test
    void extractedTextHasEachSequenceWhole() throws IOException {
        assumeColorEmoji();
        String got = text();
        assertTrue(got.contains("Emoji: " + String.join(" ", EMOJI) + " end"), got);
        assertTrue(got.contains("Hikers 🥾⛰️"), got);
        assertTrue(got.contains("©, ™, # stay text"), got);
    }

    @Test
    void twoRunsGiveIdenticalBytes() throws IOException {
        assumeColorEmoji();
        Path again = tmp.resolve("again");
        PdfRenderer.render(archive, PdfOptions.defaults().withZone(ZoneOffset.UTC).withOutDir(again));
        assertArrayEquals(Files.readAllBytes(pdf), Files.readAllBytes(again.resolve(pdf.getFileName())));
    }
}
