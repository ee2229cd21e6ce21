package org.chatarchive.renderers.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Formats UTC instants (epoch milliseconds) in one chosen zone, applying that zone's rules for each date (so a
 * summer message shows summer time). Every label that shows a time can carry the offset, so a reader never has to
 * guess which zone a time is in.
 */
public final class ZonedTimes {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xxx", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.ENGLISH);

    private final ZoneId zone;

    public ZonedTimes(ZoneId zone) {
        this.zone = zone;
    }

    /** The zone. */
    public ZoneId zone() {
        return zone;
    }

    private ZonedDateTime at(long epochMs) {
        return Instant.ofEpochMilli(epochMs).atZone(zone);
    }

    /** Machine-readable, for {@code <time datetime>}: {@code 2023-07-14T18:22:05+02:00}. */
    public String iso(long epochMs) {
        return ISO.format(at(epochMs));
    }

    /** For people, with seconds and offset: {@code 2023-07-14 18:22:05 +02:00}. */
    public String full(long epochMs) {
        return FULL.format(at(epochMs));
    }

    /** Hours and minutes: {@code 18:22}. */
    public String clock(long epochMs) {
        return CLOCK.format(at(epochMs));
    }

    /** A day separator: {@code Friday, 14 July 2023}. */
    public String dayLabel(LocalDate day) {
        return DAY.format(day);
    }

    /** A short date: {@code 2023-07-14}. */
    public String date(long epochMs) {
        return SHORT_DATE.format(at(epochMs));
    }

    /** The calendar day the instant falls on in this zone. */
    public LocalDate day(long epochMs) {
        return at(epochMs).toLocalDate();
    }

    /** The month the instant falls on in this zone. */
    public YearMonth month(long epochMs) {
        return YearMonth.from(at(epochMs));
    }

    /** A month for people: {@code July 2023}. */
    public static String monthLabel(YearMonth month) {
        return MONTH.format(month);
    }

    /**
     * The zone for a page header: its id and, when the id is not self-explanatory, its English name, e.g.
     * {@code Europe/Berlin (Central European Time)}, {@code UTC}, {@code +05:30}.
     */
    public String zoneLabel() {
        String id = zone.getId();
        if (zone instanceof ZoneOffset || id.equals("UTC") || id.equals("Z")) {
            return id.equals("Z") ? "UTC" : id;
        }
        String name = zone.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        return name.equals(id) ? id : id + " (" + name + ")";
    }

}
