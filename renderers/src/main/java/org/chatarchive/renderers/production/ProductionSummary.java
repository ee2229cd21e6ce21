package org.chatarchive.renderers.production;

import java.util.List;

/**
 * What a production wrote.
 *
 * @param documents          every document in Bates order: transcripts, each followed by its natives
 * @param firstBates         the first Bates number used
 * @param lastBates          the last Bates number used
 * @param numbers            Bates numbers used (pages of transcripts plus one per native): last - first + 1
 * @param pages              transcript pages
 * @param transcripts        transcript PDFs
 * @param natives            attachments produced as natives
 * @param images             single-page images written (0 without page images)
 * @param missingAttachments attachments of produced messages whose bytes the archive does not have (not produced;
 *                           each logged with its message id)
 * @param warnings           warnings written to the custody log
 * @param missingGlyphs      characters no font has, drawn as placeholders in the transcripts
 * @param loadFile           the DAT file, relative to the production folder
 * @param imageFile          the OPT file, or null when no page images were made
 */
public record ProductionSummary(List<Document> documents, String firstBates, String lastBates, long numbers,
                                long pages, long transcripts, long natives, long images, long missingAttachments,
                                long warnings, long missingGlyphs, String loadFile, String imageFile) {

    /**
     * One produced document.
     *
     * @param type      {@code transcript} or {@code native}
     * @param begBates  its first Bates number
     * @param endBates  its last Bates number
     * @param begAttach its family's first number (the transcript's first page)
     * @param endAttach its family's last number (the last native's, or the transcript's last page)
     * @param path      the file, relative to the production folder, {@code /}-separated
     */
    public record Document(String type, String begBates, String endBates, String begAttach, String endAttach,
                           String path) {
    }
}
