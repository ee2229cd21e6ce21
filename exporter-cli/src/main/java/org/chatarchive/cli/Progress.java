package org.chatarchive.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on standard error: a redrawn bar with counts and an ETA on a terminal, a plain line every few
 * seconds otherwise (logs, CI), nothing with {@code --quiet}.
 */
final class Progress {

    enum Mode { BAR, PLAIN, NONE }

    private static final long PLAIN_INTERVAL_NS = 5_000_000_000L;
    private static final long BAR_INTERVAL_NS = 100_000_000L;

    private final PrintWriter err;
    private final Mode mode;
    private String label;
    private String unit;
    private long total;
    private long started;
    private long lastShown;
    private boolean barShown;

    Progress(PrintWriter err, Mode mode) {
        this.err = err;
        this.mode = mode;
    }

    /** The mode for this process: a bar when standard error is a terminal. */
    static Mode detect(boolean quiet) {
        if (quiet) {
            return Mode.NONE;
        }
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"))
                ? Mode.BAR : Mode.PLAIN;
    }

    /** Starts a stage: {@code total} units (0 if unknown). */
    synchronized void start(String label, String unit, long total) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.started = System.nanoTime();
        this.lastShown = started;
        this.barShown = false;
    }

    /** Progress with a total learned only once the work started (e.g. pages to decrypt). */
    synchronized void update(long done, long total) {
        this.total = total;
        update(done);
    }

    synchronized void update(long done) {
        long now = System.nanoTime();
        if (mode == Mode.NONE || now - lastShown < (mode == Mode.BAR ? BAR_INTERVAL_NS : PLAIN_INTERVAL_NS)) {
            return;
        }
        lastShown = now;
        if (mode == Mode.BAR) {
            err.print("\r" + line(done, now) + "\u001b[K");
            barShown = true;
        } else {
            err.println(line(done, now));
        }
        err.flush();
    }

    /** Ends the stage with a summary line (shown in every mode but NONE). */
    synchronized void finish(String summary) {
        if (mode == Mode.NONE) {
            return;
        }
        double secs = (System.nanoTime() - started) / 1e9;
        String text = String.format(Locale.ROOT, "%-18s %s  %.1f s", label, summary, secs);
        err.println(barShown ? "\r" + text + "\u001b[K" : text);
        err.flush();
    }

    /** A line of information, not tied to a stage. */
    synchronized void info(String text) {
        if (mode != Mode.NONE) {
            err.println(text);
            err.flush();
        }
    }

    private String line(long done, long now) {
        double secs = (now - started) / 1e9;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-18s", label));
        if (total > 0) {
            double f = Math.min(1.0, done / (double) total);
            if (mode == Mode.BAR) {
                int width = 20;
                int full = (int) Math.round(f * width);
                sb.append(' ').append("\u2588".repeat(full)).append("\u2591".repeat(width - full));
            }
            sb.append(String.format(Locale.ROOT, " %3d%%  %,d / %,d %s", Math.round(f * 100), done, total, unit));
            if (done > 0 && f < 1) {
                double eta = secs / f - secs;
                sb.append(String.format(Locale.ROOT, "  ETA %s", eta >= 60 ? Math.round(eta / 60) + " min"
                        : Math.round(eta) + " s"));
            }
        } else {
            sb.append(String.format(Locale.ROOT, " %,d %s", done, unit));
        }
        return sb.toString();
    }
}
