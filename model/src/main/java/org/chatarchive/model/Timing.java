package org.chatarchive.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Marks of a run's steps on standard error, each with the seconds since the process started, when the system
 * property {@code chatarchive.timing} is {@code true}. For measuring where a run's time goes; off by default, and it
 * never prints data, only the names of steps and counts.
 */
public final class Timing {

    /** Whether marks are printed. */
    public static final boolean ON = Boolean.getBoolean("chatarchive.timing");

    /** {@link System#nanoTime()} at the start of the process (approximately: to the clock tick), when {@link #ON}. */
    private static final long START = ON ? processStart() : 0;

    private Timing() {
    }

    /** Prints {@code what} with the time since the process started, when marks are on. */
    public static void mark(String what) {
        if (ON) {
            System.err.printf(Locale.ROOT, "[timing] %7.3f s  %s%n", (System.nanoTime() - START) / 1e9, what);
        }
    }

    private static long processStart() {
        long now = System.nanoTime();
        Instant started = ProcessHandle.current().info().startInstant().orElse(null);
        return started == null ? now : now - Duration.between(started, Instant.now()).toNanos();
    }
}
