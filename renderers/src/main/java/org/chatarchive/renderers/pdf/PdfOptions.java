package org.chatarchive.renderers.pdf;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Options of the PDF renderer.
 *
 * @param outDir          where the PDFs go; null = {@code pdf/} beside the archive
 * @param zone            the zone times are shown in (historical rules apply; every time shows its offset)
 * @param splitBy         one file per conversation, or per day, month or year
 * @param imageLongEdge   the long edge of inline images, in points (72 per inch); 0 = no inline images
 * @param bates           Bates numbering, or null for none
 * @param maxPagesPerFile a file that would grow past this many pages continues in a new file ("-part2"), which
 *                        keeps memory bounded for any length of conversation (a 500-page file fits in 96 MB of heap)
 * @param fontFolders     folders searched for fonts before the system's usual ones
 * @param generator       program name and version, written as the PDFs' creator tool
 */
public record PdfOptions(Path outDir, ZoneId zone, SplitBy splitBy, float imageLongEdge, BatesOptions bates,
                         int maxPagesPerFile, List<Path> fontFolders, String generator) {

    public PdfOptions {
        zone = Objects.requireNonNullElseGet(zone, ZoneId::systemDefault);
        splitBy = Objects.requireNonNullElse(splitBy, SplitBy.NONE);
        fontFolders = fontFolders == null ? List.of() : List.copyOf(fontFolders);
        generator = Objects.requireNonNullElse(generator, "chat-archive");
        if (imageLongEdge < 0) {
            throw new IllegalArgumentException("the image size must be 0 or more points");
        }
        if (maxPagesPerFile < 2) {
            throw new IllegalArgumentException("a file holds at least 2 pages");
        }
    }

    /** Defaults: system zone, one file per conversation, images 240 pt, no Bates, 500 pages per file. */
    public static PdfOptions defaults() {
        return new PdfOptions(null, null, SplitBy.NONE, 240f, null, 500, List.of(), null);
    }

    public PdfOptions withZone(ZoneId z) {
        return new PdfOptions(outDir, z, splitBy, imageLongEdge, bates, maxPagesPerFile, fontFolders, generator);
    }

    public PdfOptions withSplitBy(SplitBy s) {
        return new PdfOptions(outDir, zone, s, imageLongEdge, bates, maxPagesPerFile, fontFolders, generator);
    }

    public PdfOptions withBates(BatesOptions b) {
        return new PdfOptions(outDir, zone, splitBy, imageLongEdge, b, maxPagesPerFile, fontFolders, generator);
    }

    public PdfOptions withOutDir(Path d) {
        return new PdfOptions(d, zone, splitBy, imageLongEdge, bates, maxPagesPerFile, fontFolders, generator);
    }

    public PdfOptions withMaxPagesPerFile(int n) {
        return new PdfOptions(outDir, zone, splitBy, imageLongEdge, bates, n, fontFolders, generator);
    }

    public PdfOptions withGenerator(String g) {
        return new PdfOptions(outDir, zone, splitBy, imageLongEdge, bates, maxPagesPerFile, fontFolders, g);
    }

    public PdfOptions withImageLongEdge(float points) {
        return new PdfOptions(outDir, zone, splitBy, points, bates, maxPagesPerFile, fontFolders, generator);
    }
}
