package org.chatarchive.renderers.rsmf;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Options of the RSMF writer.
 *
 * @param outDir    where the {@code .rsmf} files go; null = {@code rsmf/} in the archive
 * @param zone      the zone whose calendar days cut conversations into 24-hour files (default UTC)
 * @param generator program name and version, for {@code X-RSMF-Generator}
 * @param custodian the custodian's name for {@code From} and {@code X-RSMF-Custodian}; null = the archive owner's
 *                  display name
 * @param matter    the matter name, recorded as {@code X-RSMF-Matter} and in each conversation's custom fields; null
 *                  = none
 * @param maxEvents the most events per file (10,000, Relativity's recommendation)
 * @param maxBytes  the most bytes per file (2 GB, Relativity's limit), estimated before writing
 */
public record RsmfOptions(Path outDir, ZoneId zone, String generator, String custodian, String matter, int maxEvents,
                          long maxBytes) {

    /** The default slicing zone, named "UTC" (not "Z") wherever it is recorded. */
    public static final ZoneId UTC = ZoneId.of("UTC");
    public static final int MAX_EVENTS = 10_000;
    public static final long MAX_BYTES = 2L * 1024 * 1024 * 1024 - 1;

    public RsmfOptions {
        zone = Objects.requireNonNullElse(zone, UTC);
        generator = Objects.requireNonNullElse(generator, "chat-archive");
        if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
            throw new IllegalArgumentException("the events per RSMF file must be 1 to " + MAX_EVENTS);
        }
        if (maxBytes < 4096 || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("the bytes per RSMF file must be 4096 to " + MAX_BYTES);
        }
    }

    /** UTC days, 10,000 events and 2 GB per file. */
    public static RsmfOptions defaults() {
        return new RsmfOptions(null, UTC, null, null, null, MAX_EVENTS, MAX_BYTES);
    }

    public RsmfOptions withOutDir(Path d) {
        return new RsmfOptions(d, zone, generator, custodian, matter, maxEvents, maxBytes);
    }

    public RsmfOptions withZone(ZoneId z) {
        return new RsmfOptions(outDir, z, generator, custodian, matter, maxEvents, maxBytes);
    }

    public RsmfOptions withGenerator(String g) {
        return new RsmfOptions(outDir, zone, g, custodian, matter, maxEvents, maxBytes);
    }

    public RsmfOptions withCustodian(String c) {
        return new RsmfOptions(outDir, zone, generator, c, matter, maxEvents, maxBytes);
    }

    public RsmfOptions withMatter(String m) {
        return new RsmfOptions(outDir, zone, generator, custodian, m, maxEvents, maxBytes);
    }

    public RsmfOptions withLimits(int events, long bytes) {
        return new RsmfOptions(outDir, zone, generator, custodian, matter, events, bytes);
    }
}
