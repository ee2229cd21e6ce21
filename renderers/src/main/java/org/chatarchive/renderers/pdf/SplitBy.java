package org.chatarchive.renderers.pdf;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** How a conversation is cut into PDF files: one file, or one per calendar day, month or year (in the zone). */
public enum SplitBy {
    NONE(null), DAY("uuuu-MM-dd"), MONTH("uuuu-MM"), YEAR("uuuu");

    private final DateTimeFormatter key;

    SplitBy(String pattern) {
        this.key = pattern == null ? null : DateTimeFormatter.ofPattern(pattern);
    }

    /** The slice a message at {@code t} belongs to, e.g. {@code 2023-11}; empty for {@link #NONE}. */
    String key(ZonedDateTime t) {
        return key == null ? "" : key.format(t);
    }
}
