package org.chatarchive.renderers.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionRemoteGoTo;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.chatarchive.model.Quote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reply in one file of a split conversation links to the quoted message in an earlier file. */
class SplitQuoteLinkTest {

    @TempDir
    Path tmp;

    @Test
    void replyLinksIntoTheEarlierFile() throws IOException {
        Path archive = tmp.resolve("archive");
        long day = 86_400_000L;
        String conv = "signal-conv:split";
        SampleArchive.directChat(archive, conv, "Split", List.of(
                Message.text("first", conv, SampleArchive.ALICE, Direction.INCOMING, SampleArchive.T0, null,
                        "Shall we meet on Friday?"),
                new Message("reply", conv, SampleArchive.OWNER, Direction.OUTGOING, SampleArchive.T0 + 2 * day,
                        null, null, "Yes, Friday it is", null, null,
                        new Quote("first", SampleArchive.T0, SampleArchive.ALICE, "Shall we meet on Friday?", null, null,
                                false),
                        null, null, null, null, null, null, null, null, null, null)));
        PdfSummary s = PdfRenderer.render(archive, PdfOptions.defaults().withZone(ZoneOffset.UTC)
                .withSplitBy(SplitBy.DAY));
        assertEquals(2, s.files().size());
        Path first = archive.resolve(s.files().get(0).path());
        Path second = archive.resolve(s.files().get(1).path());

        List<PDActionRemoteGoTo> remote = new ArrayList<>();
        try (PDDocument d = Loader.loadPDF(second.toFile())) {
            for (int i = 0; i < d.getNumberOfPages(); i++) {
                for (PDAnnotation a : d.getPage(i).getAnnotations()) {
                    if (a instanceof PDAnnotationLink l && l.getAction() instanceof PDActionRemoteGoTo g) {
                        remote.add(g);
                    }
                }
            }
            assertEquals(2, remote.size(), "both rows of the quote (who and what) link into the first file");
            String dest = PdfFile.destinationName("first");
            for (PDActionRemoteGoTo g : remote) {
                assertEquals(first.getFileName().toString(), g.getFile().getFile());
                assertEquals(dest, ((COSString) g.getD()).getString());
            }
            try (PDDocument f = Loader.loadPDF(first.toFile())) {
                assertNotNull(f.getDocumentCatalog().getNames().getDests().getValue(dest),
                        "the first file names the quoted message's place");
            }
        }
        assertEquals(List.of(), PdfA.failures(first));
        assertEquals(List.of(), PdfA.failures(second));
        assertTrue(PdfRendererTest.text(second).contains("Yes, Friday it is"));
    }
}
