package org.chatarchive.renderers.production;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.chatarchive.renderers.pdf.BatesOptions;

/**
 * Options of a production set.
 *
 * @param bates           Bates numbering (required): one number per transcript page and per native
 * @param zone            the zone whose calendar days cut conversations into transcripts (the RSMF slicing zone;
 *                        default UTC) and in which transcript times are shown
 * @param custodian       the custodian's name; null = the archive owner's display name
 * @param matter          the matter name, or null
 * @param volume          the volume name written in the OPT file
 * @param pageImages      whether each transcript page is also written as a single-page image with an OPT file
 * @param imageDpi        resolution of the page images
 * @param maxPagesPerFile a transcript that would pass this many pages continues in a new document
 * @param fontFolders     folders searched for fonts first
 * @param generator       program name and version
 */
public record ProductionOptions(BatesOptions bates, ZoneId zone, String custodian, String matter, String volume,
                                boolean pageImages, int imageDpi, int maxPagesPerFile, List<Path> fontFolders,
                                String generator) {

    public static final ZoneId UTC = ZoneId.of("UTC");
    /**
     * What a Bates prefix or suffix may hold: file names are made from Bates numbers and the OPT file is
     * comma-separated and ANSI, so letters and digits of ASCII, '-', '_' and '.' only.
     */
    public static final Pattern BATES_TEXT = Pattern.compile("[A-Za-z0-9_.-]*");
    private static final Pattern VOLUME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    public ProductionOptions {
        Objects.requireNonNull(bates, "a production needs Bates numbering");
        if (!BATES_TEXT.matcher(bates.prefix()).matches() || !BATES_TEXT.matcher(bates.suffix()).matches()) {
            throw new IllegalArgumentException("a Bates prefix or suffix may hold only the letters A-Z and a-z, digits,"
                    + " '-', '_' and '.' (it names files and is written to the ANSI OPT file), not \""
                    + bates.prefix() + "\" / \"" + bates.suffix() + "\"");
        }
        zone = Objects.requireNonNullElse(zone, UTC);
        volume = Objects.requireNonNullElse(volume, "VOL001");
        if (!VOLUME.matcher(volume).matches()) {
            throw new IllegalArgumentException("a volume name is 1 to 40 letters, digits, '-', '_' or '.', not \""
                    + volume + "\"");
        }
        if (imageDpi < 72 || imageDpi > 600) {
            throw new IllegalArgumentException("the page image resolution must be 72 to 600 dpi, not " + imageDpi);
        }
        if (maxPagesPerFile < 2) {
            throw new IllegalArgumentException("a transcript holds at least 2 pages");
        }
        fontFolders = fontFolders == null ? List.of() : List.copyOf(fontFolders);
        generator = Objects.requireNonNullElse(generator, "chat-archive");
    }

    /** UTC days, no page images (300 dpi when asked for), 500 pages per transcript, volume VOL001. */
    public static ProductionOptions of(BatesOptions bates) {
        return new ProductionOptions(bates, UTC, null, null, null, false, 300, 500, List.of(), null);
    }

    public ProductionOptions withZone(ZoneId z) {
        return new ProductionOptions(bates, z, custodian, matter, volume, pageImages, imageDpi, maxPagesPerFile,
                fontFolders, generator);
    }

    public ProductionOptions withCustodian(String c) {
        return new ProductionOptions(bates, zone, c, matter, volume, pageImages, imageDpi, maxPagesPerFile,
                fontFolders, generator);
    }

    public ProductionOptions withMatter(String m) {
        return new ProductionOptions(bates, zone, custodian, m, volume, pageImages, imageDpi, maxPagesPerFile,
                fontFolders, generator);
    }

    public ProductionOptions withPageImages(boolean on) {
        return new ProductionOptions(bates, zone, custodian, matter, volume, on, imageDpi, maxPagesPerFile,
                fontFolders, generator);
    }

    public ProductionOptions withImageDpi(int dpi) {
        return new ProductionOptions(bates, zone, custodian, matter, volume, pageImages, dpi, maxPagesPerFile,
                fontFolders, generator);
    }

    public ProductionOptions withMaxPagesPerFile(int n) {
        return new ProductionOptions(bates, zone, custodian, matter, volume, pageImages, imageDpi, n, fontFolders,
                generator);
    }

    public ProductionOptions withGenerator(String g) {
        return new ProductionOptions(bates, zone, custodian, matter, volume, pageImages, imageDpi, maxPagesPerFile,
                fontFolders, g);
    }
}
