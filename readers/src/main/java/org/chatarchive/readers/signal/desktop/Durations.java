package org.chatarchive.readers.signal.desktop;

/** Durations in words, for event descriptions. */
final class Durations {
    private Durations() {
    }

    /** A timer length in the largest whole unit, e.g. "1 week", "8 hours", "30 seconds". */
    static String human(long seconds) {
        long[] sizes = {604800, 86400, 3600, 60, 1};
        String[] names = {"week", "day", "hour", "minute", "second"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds % sizes[i] == 0 && seconds >= sizes[i]) {
                long n = seconds / sizes[i];
                return n + " " + names[i] + (n == 1 ? "" : "s");
            }
        }
        return seconds + " seconds";
    }

    /** A call length as h:mm:ss or m:ss. */
    static String clock(long ms) {
        long s = ms / 1000;
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format("%d:%02d:%02d", h, m, sec) : String.format("%d:%02d", m, sec);
    }
}
