package org.chatarchive.renderers.production;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.chatarchive.model.store.PrivateFiles;

/**
 * The chain-of-custody log of production runs: an append-only text file, one line per step or warning,
 * {@code <UTC time>\t<LEVEL>\t<step>\t<detail>}, e.g.
 * {@code 2025-01-31T09:14:03.120Z\tWARN\tmissing-attachment\tmessage signal-msg:… attachment voice.aac: not downloaded}.
 *
 * <p>It holds wall-clock times, so it is kept beside the deliverables and never inside the set whose hashes the
 * manifest records ({@code logs/} is outside it). Earlier runs' lines are never rewritten; each line is flushed
 * as it is written, so a run that fails still leaves its steps.
 */
public final class CustodyLog implements AutoCloseable {

    /** Where the log lives, relative to the archive or production folder; excluded from the hashed manifest. */
    public static final String FILE = "logs/custody.log";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Writer out;
    private final Clock clock;
    private long warnings;
    /** The lines of a log that has no file yet ({@link #buffered}), or null. */
    private StringBuilder pending;

    private CustodyLog(Writer out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Opens (creating, or appending to) the log of the folder {@code dir}. */
    public static CustodyLog open(Path dir) throws IOException {
        return open(dir.resolve(FILE), Clock.systemUTC());
    }

    /** Opens the log file {@code file} with {@code clock} for its times. */
    public static CustodyLog open(Path file, Clock clock) throws IOException {
        return new CustodyLog(appending(file), clock);
    }

    /** The log file opened for appending; a new file (and its folder) is created readable by the user only. */
    private static Writer appending(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder.getParent());
            PrivateFiles.ensureDirectory(folder);
        }
        if (!Files.exists(file)) {
            PrivateFiles.create(file).close();
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /**
     * A log whose folder does not exist yet (an archive still being written): lines are kept, with the times they
     * were logged at, until {@link #appendTo} names the folder.
     */
    public static CustodyLog buffered() {
        CustodyLog log = new CustodyLog(Writer.nullWriter(), Clock.systemUTC());
        log.pending = new StringBuilder();
        return log;
    }

    /**
     * Appends the lines kept by a {@link #buffered} log to the log of the folder {@code dir}, and writes the lines
     * that follow there as they come.
     */
    public void appendTo(Path dir) throws IOException {
        if (pending == null) {
            throw new IllegalStateException("this log writes to its file already");
        }
        Path file = dir.resolve(FILE);
        Writer w = appending(file);
        w.write(pending.toString());
        w.flush();
        pending = null;
        out.close();
        out = w;
    }

    /** A log that writes nothing (for renders that are not part of a production). */
    public static CustodyLog none() {
        return new CustodyLog(Writer.nullWriter(), Clock.systemUTC());
    }

    /** Records a step, e.g. {@code step("rsmf-file", "rsmf/c-….rsmf sha256 …")}. */
    public void step(String step, String detail) {
        line("INFO", step, detail);
    }

    /** Records a warning: something the deliverables lack or show differently, with the ids to find it. */
    public void warn(String step, String detail) {
        warnings++;
        line("WARN", step, detail);
    }

    /** Records an error that ends the run. */
    public void error(String step, String detail) {
        line("ERROR", step, detail);
    }

    /** Warnings recorded through this instance. */
    public long warnings() {
        return warnings;
    }

    private synchronized void line(String level, String step, String detail) {
        String line = UTC.format(Instant.now(clock)) + "\t" + level + "\t" + clean(step) + "\t" + clean(detail) + "\n";
        if (pending != null) {
            pending.append(line);
            return;
        }
        try {
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
