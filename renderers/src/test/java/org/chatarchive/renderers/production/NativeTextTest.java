package org.chatarchive.renderers.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeTextTest {

    @TempDir
    Path tmp;

    @Test
    void pdfNativesGiveTheirText() throws Exception {
        Path pdf = tmp.resolve("a.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                cs.newLineAtOffset(72, 700);
                cs.showText("Invoice 2024-17, due Friday");
                cs.endText();
            }
            doc.save(pdf.toFile());
        }
        String text = NativeText.extract(pdf, "application/pdf", "pdf");
        assertTrue(text != null && text.contains("Invoice 2024-17, due Friday"), String.valueOf(text));
    }

    @Test
    void textNativesAreTakenAsTheyAreOnlyWhenUtf8() throws Exception {
        Path utf8 = tmp.resolve("n.txt");
        Files.writeString(utf8, "\uFEFFПривет, 世界\n", StandardCharsets.UTF_8);
        assertEquals("Привет, 世界\n", NativeText.extract(utf8, "text/plain", "txt"));
        Path latin1 = tmp.resolve("l.txt");
        Files.write(latin1, "Gr\u00fc\u00dfe".getBytes(StandardCharsets.ISO_8859_1));
        assertNull(NativeText.extract(latin1, "text/plain", "txt"), "not UTF-8: no guess");
    }

    @Test
    void imagesAndBrokenPdfsHaveNoText() throws Exception {
        Path png = tmp.resolve("p.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        assertNull(NativeText.extract(png, "image/png", "png"));
        Path fake = tmp.resolve("f.pdf");
        Files.writeString(fake, "not a pdf");
        assertNull(NativeText.extract(fake, "application/pdf", "pdf"));
    }
}
