package org.chatarchive.renderers.pdf;

import java.util.List;

/**
 * What a PDF run wrote.
 *
 * @param files            every PDF, in the order written (the Bates order)
 * @param pages            pages in all files
 * @param messages         messages rendered
 * @param missingGlyphs    characters no font has (drawn as a [U+XXXX] placeholder)
 * @param missingExamples  up to 20 of them, as U+XXXX
 * @param invisibleSkipped invisible format characters (joiners, variation selectors, bidi marks) not drawn
 * @param fonts            the fonts of the fallback chain that were loaded, in order
 */
public record PdfSummary(List<PdfFileInfo> files, long pages, long messages, long missingGlyphs,
                         List<String> missingExamples, long invisibleSkipped, List<String> fonts) {

    /**
     * One PDF.
     *
     * @param path           relative to the archive directory, with '/' separators
     * @param conversationId the conversation it holds (or part of)
     * @param slice          the day, month or year it holds, or empty
     * @param part           1 for the first file of a slice; 2, 3... when a slice continues in another file
     * @param pages          its pages
     * @param messages       its messages
     * @param batesBegin     its first page's Bates number, or null
     * @param batesEnd       its last page's Bates number, or null
     */
    public record PdfFileInfo(String path, String conversationId, String slice, int part, int pages, long messages,
                              String batesBegin, String batesEnd) {
    }
}
