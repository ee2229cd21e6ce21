package org.chatarchive.renderers.rsmf;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Decides which RSMF file of a conversation each event goes into: one file per calendar day in the slicing zone
 * (a day is 23 or 25 hours long when the zone changes to or from summer time), split further whenever the next
 * event would pass the event limit or the size limit. Feed it the conversation's events in timeline order.
 */
public final class Slicer {

    /**
     * One file's share of a conversation.
     *
     * @param day         the calendar day in the zone
     * @param part        1 for the first file of the day, 2, 3... for the files it was split into
     * @param windowStart the day's first instant (inclusive)
     * @param windowEnd   the next day's first instant (exclusive)
     */
    public record Slice(LocalDate day, int part, Instant windowStart, Instant windowEnd) {

        /** {@code 2024-03-09}, or {@code 2024-03-09-part2} for a later part. */
        public String key() {
            return day + (part > 1 ? "-part" + part : "");
        }
    }

    private final ZoneId zone;
    private final int maxEvents;
    private final long maxBytes;
    private Slice current;
    private int events;
    private long bytes;
    private boolean startedNew;

    /**
     * @param zone      the zone whose calendar days cut the conversation
     * @param maxEvents the most events one file may hold (Relativity recommends 10,000 at most)
     * @param maxBytes  the most (estimated) bytes one file may hold (Relativity supports 2 GB at most)
     */
    public Slicer(ZoneId zone, int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the event and size limits must be positive");
        }
        this.zone = zone;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** The calendar day of {@code epochMs} in {@code zone}. */
    public static LocalDate day(long epochMs, ZoneId zone) {
        return Instant.ofEpochMilli(epochMs).atZone(zone).toLocalDate();
    }

    /**
     * Places the next event.
     *
     * @param epochMs its instant (UTC epoch ms)
     * @param size    the bytes it adds to a file (estimated: text, attachments, encoding)
     * @return the slice it belongs to; {@link #startedNew()} says whether that slice begins with it
     */
    public Slice place(long epochMs, long size) {
        LocalDate d = day(epochMs, zone);
        if (current == null || !d.equals(current.day())) {
            current = new Slice(d, 1, d.atStartOfDay(zone).toInstant(), d.plusDays(1).atStartOfDay(zone).toInstant());
            startNew(size);
        } else if (events >= maxEvents || (bytes + size > maxBytes)) {
            current = new Slice(d, current.part() + 1, current.windowStart(), current.windowEnd());
            startNew(size);
        } else {
            events++;
            bytes += size;
            startedNew = false;
        }
        return current;
    }

    private void startNew(long size) {
        events = 1;
        bytes = size;
        startedNew = true;
    }

    /** Whether the last {@link #place} began a new slice. */
    public boolean startedNew() {
        return startedNew;
    }

    public ZoneId zone() {
        return zone;
    }
}
