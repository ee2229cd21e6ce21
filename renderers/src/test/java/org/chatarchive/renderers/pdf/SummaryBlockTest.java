package org.chatarchive.renderers.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary block at the top of page 1, drawn last in the room kept for it. */
class SummaryBlockTest {

    @TempDir
    Path tmp;

    /** Should the summary be taller than its room, it is drawn smaller, above the first message, never over it. */
    @Test
    void aSummaryTallerThanItsRoomIsDrawnSmallerAboveTheMessages() throws IOException {
        Path file = tmp.resolve("t.pdf");
        try (FontLibrary fonts = FontLibrary.load(FontLibrary.defaultFolders(List.of()))) {
            TextLayout layout = new TextLayout(fonts, new GlyphReport());
            List<Row> summary = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                summary.addAll(layout.layout(StyledText.plain("Summary line " + i, 0), PdfFile.CONTENT_W, 10,
                        TextLayout.Align.LEFT));
            }
            try (PdfFile pdf = new PdfFile(file, layout)) {
                pdf.reserveSummary(120); // less than the 30 lines need
                pdf.place(layout.layout(StyledText.plain("First message", 0), PdfFile.CONTENT_W, 10,
                        TextLayout.Align.LEFT));
                pdf.finish(summary, "Header", i -> "T" + (i + 1), p -> null, new PdfFile.Meta("Title", "Author",
                        "Subject", "Keywords", "test", PdfRenderer.PRODUCER, Instant.parse("2024-01-01T00:00:00Z"),
                        "seed", Map.of()));
            }
        }
        try (PDDocument d = Loader.loadPDF(file.toFile())) {
            assertEquals(1, d.getNumberOfPages());
            PDFTextStripper s = new PDFTextStripper();
            s.setSortByPosition(true);
            String text = s.getText(d);
            assertTrue(text.indexOf("Summary line 29") > text.indexOf("Summary line 0"), text);
            assertTrue(text.indexOf("Summary line 29") < text.indexOf("First message"), text);
            // in content order too, the summary comes first
            String inOrder = new PDFTextStripper().getText(d);
            assertTrue(inOrder.indexOf("Summary line 0") < inOrder.indexOf("First message"), inOrder);
        }
        assertEquals(List.of(), PdfA.failures(file));
    }
}
