package org.chatarchive.renderers.rsmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.chatarchive.renderers.production.CustodyLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slicing by calendar day in a zone, across midnight and summer-time changes, and at the event limit. */
class SlicingTest {

    /** Random timelines around both DST changes of two zones; every slice is one local day and within limits. */
    @Test
    void everySliceIsOneLocalDayWithinItsLimits() {
        Random rnd = new Random(20240331);
        for (String zoneId : List.of("Europe/Berlin", "America/New_York", "UTC")) {
            ZoneId zone = ZoneId.of(zoneId);
            for (String around : List.of("2024-03-31T00:00:00Z", "2024-03-10T06:00:00Z", "2024-10-27T00:00:00Z",
                    "2024-11-03T05:00:00Z")) {
                for (int run = 0; run < 30; run++) {
                    int maxEvents = 1 + rnd.nextInt(40);
                    long maxBytes = 5_000 + rnd.nextInt(50_000);
                    Slicer slicer = new Slicer(zone, maxEvents, maxBytes);
                    long t = Instant.parse(around).toEpochMilli() - Duration.ofHours(30).toMillis();
                    Map<Slicer.Slice, long[]> seen = new HashMap<>();
                    Slicer.Slice prev = null;
                    Set<LocalDate> days = new HashSet<>();
                    for (int i = 0; i < 400; i++) {
                        t += rnd.nextInt(30 * 60_000);
                        long size = 1 + rnd.nextInt(3_000);
                        Slicer.Slice s = slicer.place(t, size);
                        LocalDate local = Instant.ofEpochMilli(t).atZone(zone).toLocalDate();
                        assertEquals(local, s.day());
                        assertTrue(!Instant.ofEpochMilli(t).isBefore(s.windowStart())
                                && Instant.ofEpochMilli(t).isBefore(s.windowEnd()), s + " " + Instant.ofEpochMilli(t));
                        long hours = Duration.between(s.windowStart(), s.windowEnd()).toHours();
                        assertTrue(hours == 23 || hours == 24 || hours == 25, s.toString());
                        long[] acc = seen.computeIfAbsent(s, k -> new long[2]);
                        acc[0]++;
                        acc[1] += size;
                        assertTrue(acc[0] <= maxEvents, "events over the limit in " + s);
                        assertTrue(acc[1] <= maxBytes || acc[0] == 1, "bytes over the limit in " + s);
                        if (prev != null && !prev.equals(s)) {
                            assertTrue(slicer.startedNew());
                            assertTrue(s.day().equals(prev.day()) ? s.part() == prev.part() + 1 : s.part() == 1);
                        }
                        days.add(local);
                        prev = s;
                    }
                    assertTrue(days.size() >= 2, "the timeline crosses midnight");
                }
            }
        }
    }

    @Test
    void dstDaysInBerlinAndNewYorkHaveTheirRealLength() {
        Slicer berlin = new Slicer(ZoneId.of("Europe/Berlin"), 10_000, 1L << 30);
        Slicer.Slice spring = berlin.place(Instant.parse("2024-03-31T12:00:00Z").toEpochMilli(), 1);
        assertEquals(Instant.parse("2024-03-30T23:00:00Z"), spring.windowStart());
        assertEquals(Instant.parse("2024-03-31T22:00:00Z"), spring.windowEnd(), "a 23-hour day");
        Slicer ny = new Slicer(ZoneId.of("America/New_York"), 10_000, 1L << 30);
        Slicer.Slice fall = ny.place(Instant.parse("2024-11-03T12:00:00Z").toEpochMilli(), 1);
        assertEquals(Duration.ofHours(25), Duration.between(fall.windowStart(), fall.windowEnd()));
        // 23:30 local on 2024-11-02 in New York is 03:30Z on 2024-11-03: the local day decides.
        assertEquals(LocalDate.of(2024, 11, 2), ny.place(Instant.parse("2024-11-03T03:30:00Z").toEpochMilli(), 1).day());
    }

    @Test
    void midnightInTheChosenZoneCutsTheFiles(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        // Every 30 minutes from 2024-03-30 20:00Z for 36 hours: across the Berlin spring-forward night.
        RsmfFixture.generated(a, 72, Instant.parse("2024-03-30T20:00:00Z").toEpochMilli(), 30 * 60_000L);
        RsmfSummary s = RsmfRenderer.render(a, RsmfOptions.defaults().withZone(ZoneId.of("Europe/Berlin")),
                CustodyLog.none());
        List<String> slices = s.files().stream().map(RsmfFileInfo::slice).toList();
        assertEquals(List.of("2024-03-30", "2024-03-31", "2024-04-01"), slices);
        // 2024-03-31 in Berlin: 2024-03-30T23:00Z to 2024-03-31T22:00Z, 23 hours = 46 half-hours.
        assertEquals(46, s.files().get(1).events());
        assertEquals("2024-03-30T23:00:00.000Z", s.files().get(1).begin());
        assertEquals("2024-03-31T21:30:00.000Z", s.files().get(1).end());
        RsmfSummary utc = RsmfRenderer.render(a, RsmfOptions.defaults(), CustodyLog.none());
        assertEquals(List.of("2024-03-30", "2024-03-31", "2024-04-01"), utc.files().stream().map(RsmfFileInfo::slice)
                .toList());
        assertEquals(List.of(8L, 48L, 16L), utc.files().stream().map(RsmfFileInfo::events).toList());
        assertEquals(List.of(6L, 46L, 20L), s.files().stream().map(RsmfFileInfo::events).toList());
    }

    @Test
    void moreThanTenThousandEventsInADaySplitIntoParts(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        RsmfFixture.generated(a, 10_001, Instant.parse("2024-05-01T00:00:00Z").toEpochMilli(), 1_000L);
        RsmfSummary s = RsmfRenderer.render(a, RsmfOptions.defaults(), CustodyLog.none());
        assertEquals(List.of("2024-05-01", "2024-05-01-part2"), s.files().stream().map(RsmfFileInfo::slice).toList());
        assertEquals(10_000, s.files().get(0).events());
        assertEquals(1, s.files().get(1).events());
        List<JsonNode> manifests = new ArrayList<>();
        for (RsmfFileInfo f : s.files()) {
            Path file = a.resolve(f.path());
            manifests.add(RsmfRendererTest.manifestOf(file));
            assertEquals(Set.of(), RsmfRendererTest.publishedSchema().validate(manifests.get(manifests.size() - 1)));
        }
        assertEquals(manifests.get(0).get("eventcollectionid"), manifests.get(1).get("eventcollectionid"));
        assertEquals(10_000, manifests.get(0).get("events").size());
    }

    @Test
    void theSizeLimitSplitsADay(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        RsmfFixture.generated(a, 40, Instant.parse("2024-05-01T00:00:00Z").toEpochMilli(), 60_000L);
        RsmfSummary s = RsmfRenderer.render(a, RsmfOptions.defaults().withLimits(10_000, 64 * 1024 + 30_000),
                CustodyLog.none());
        assertTrue(s.files().size() > 1, s.files().toString());
        for (RsmfFileInfo f : s.files()) {
            assertTrue(f.size() <= 64 * 1024 + 30_000, f.toString());
        }
        assertEquals(40, s.events());
    }
}
