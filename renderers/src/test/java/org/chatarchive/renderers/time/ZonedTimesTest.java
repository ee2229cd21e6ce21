package org.chatarchive.renderers.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;


class ZonedTimesTest {

    /** 2023-01-15T23:30:00Z: winter. */
    static final long WINTER = 1_673_825_400_000L;
    /** 2023-07-14T22:30:00Z: summer. */
    static final long SUMMER = 1_689_373_800_000L;

    @Test
    void usesTheZonesRulesForEachDate() {
        ZonedTimes berlin = new ZonedTimes(ZoneId.of("Europe/Berlin"));
        assertEquals("2023-01-16T00:30:00+01:00", berlin.iso(WINTER));
        assertEquals("2023-07-15T00:30:00+02:00", berlin.iso(SUMMER));
        assertEquals("2023-07-15 00:30:00 +02:00", berlin.full(SUMMER));
        assertEquals("00:30", berlin.clock(SUMMER));
        assertEquals(LocalDate.of(2023, 1, 16), berlin.day(WINTER), "after midnight in Berlin, still the 15th in UTC");
        assertEquals("Monday, 16 January 2023", berlin.dayLabel(berlin.day(WINTER)));
        assertEquals("Europe/Berlin (Central European Time)", berlin.zoneLabel());

        ZonedTimes utc = new ZonedTimes(ZoneId.of("UTC"));
        assertEquals("2023-01-15T23:30:00+00:00", utc.iso(WINTER));
        assertEquals(LocalDate.of(2023, 1, 15), utc.day(WINTER));
        assertEquals("UTC", utc.zoneLabel());
        assertEquals("+05:30", new ZonedTimes(ZoneOffset.ofHoursMinutes(5, 30)).zoneLabel());
        assertEquals("July 2023", ZonedTimes.monthLabel(berlin.month(SUMMER)));
    }
}
