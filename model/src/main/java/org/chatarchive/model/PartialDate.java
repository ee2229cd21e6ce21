package org.chatarchive.model;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRulesException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A date as people write it, to any precision: {@code 2023}, {@code 2023-02}, {@code 2023-02-14},
 * {@code 2023-02-14T10:00}, {@code 2023-02-14T10:00:30}. It names a period in a zone: {@link #start} is its first
 * instant and {@link #end} the first instant after it, so {@code 2023} is the whole of 2023. Shared by the
 * export's {@code --from}/{@code --to} and search's {@code before:}/{@code after:}/{@code on:}.
 */
public final class PartialDate {

    private static final Pattern FORM = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2}))?)?)?)?");

    private PartialDate() {
    }

    /** Start of the named period in {@code zone}, as UTC epoch ms. */
    public static long start(String text, ZoneId zone) {
        return bounds(text, zone)[0];
    }

    /** End of the named period in {@code zone} (exclusive), as UTC epoch ms. */
    public static long end(String text, ZoneId zone) {
        return bounds(text, zone)[1];
    }

    /** Start (inclusive) and end (exclusive) of the named period in {@code zone}, as UTC epoch ms. */
    public static long[] bounds(String text, ZoneId zone) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a date; write it as 2023, 2023-02, 2023-02-14,"
                    + " 2023-02-14T10:00 or 2023-02-14T10:00:30");
        }
        try {
            int year = Integer.parseInt(m.group(1));
            LocalDateTime from;
            LocalDateTime to;
            if (m.group(2) == null) {
                from = LocalDate.of(year, 1, 1).atStartOfDay();
                to = from.plusYears(1);
            } else if (m.group(3) == null) {
                from = YearMonth.of(year, Integer.parseInt(m.group(2))).atDay(1).atStartOfDay();
                to = from.plusMonths(1);
            } else if (m.group(4) == null) {
                from = LocalDate.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))).atStartOfDay();
                to = from.plusDays(1);
            } else {
                from = LocalDateTime.of(year, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
                to = from.plus(1, m.group(6) == null ? ChronoUnit.MINUTES : ChronoUnit.SECONDS);
            }
            return new long[] {from.atZone(zone).toInstant().toEpochMilli(), to.atZone(zone).toInstant().toEpochMilli()};
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid date (" + e.getMessage() + ")");
        }
    }

    /** Checks a zone name ({@code null}: this computer's zone), with a message that says what is accepted. */
    public static ZoneId zone(String name) {
        try {
            return name == null ? ZoneId.systemDefault() : ZoneId.of(name);
        } catch (DateTimeParseException | ZoneRulesException e) {
            throw new IllegalArgumentException("'" + name + "' is not a time zone; use a region name such as"
                    + " Europe/Berlin or America/New_York, or UTC, or an offset such as +02:00");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + name + "' is not a time zone (" + e.getMessage() + ")");
        }
    }
}
