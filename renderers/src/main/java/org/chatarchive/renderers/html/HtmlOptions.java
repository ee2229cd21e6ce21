package org.chatarchive.renderers.html;

import java.time.ZoneId;
import java.util.Objects;

/**
 * How to render the site.
 *
 * @param zone     the zone times are shown in (its rules for each date, offsets shown)
 * @param pageSize most messages on one page
 * @param splitBy  whether pages also break at months or years
 * @param threads  threads to use, the calling thread included (1: everything in the calling thread)
 */
public record HtmlOptions(ZoneId zone, int pageSize, SplitBy splitBy, int threads) {

    /** The default page size, as chat exporters commonly use. */
    public static final int DEFAULT_PAGE_SIZE = 1000;

    public HtmlOptions {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(splitBy, "splitBy");
        if (pageSize < 1) {
            throw new IllegalArgumentException("the page size must be at least 1, not " + pageSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }

    /** Pages of {@link #DEFAULT_PAGE_SIZE} in {@code zone}, no calendar split, one thread per core (at most 4). */
    public static HtmlOptions of(ZoneId zone) {
        return new HtmlOptions(zone, DEFAULT_PAGE_SIZE, SplitBy.NONE, defaultThreads());
    }

    /** A copy with another page size. */
    public HtmlOptions withPageSize(int size) {
        return new HtmlOptions(zone, size, splitBy, threads);
    }

    /** A copy with another split. */
    public HtmlOptions withSplitBy(SplitBy split) {
        return new HtmlOptions(zone, pageSize, split, threads);
    }

    /** A copy with another number of threads. */
    public HtmlOptions withThreads(int n) {
        return new HtmlOptions(zone, pageSize, splitBy, n);
    }

    static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
