package org.chatarchive.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveFormatException;
import org.chatarchive.search.ArchiveSearch;
import org.chatarchive.search.Hit;
import org.chatarchive.search.IndexProblem;
import org.chatarchive.search.QueryLanguage;
import org.chatarchive.search.QuerySyntaxException;
import org.chatarchive.search.SearchResults;
import org.chatarchive.search.SortOrder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chat-archive search}: finds messages in an archive through its index. */
@Command(name = "search",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        description = {
                "Finds messages in an archive by words, person, conversation, date and kind, through the archive's"
                        + " search index (built by export, or by 'chat-archive index').",
                "",
                "Query language:",
                QueryLanguage.HELP,
                ""},
        footer = {"",
                "Examples:",
                "  chat-archive search ~/SignalArchive 'from:alice has:image after:2023-06 \"beach\"'",
                "  chat-archive search ~/SignalArchive 'in:family (birthday OR party) -is:outgoing' --sort newest",
                "  chat-archive search ~/SignalArchive 'café' --context 2",
                "  chat-archive search ~/SignalArchive 'from:bob before:2022' --json --limit 1000",
                "  chat-archive search ~/SignalArchive --queries-file terms.txt --count",
                "",
                "--queries-file runs every line of FILE (blank lines and lines starting with # skipped) as a query",
                "against the index opened once, prints each query's results (with --count, the count and the query,",
                "tab-separated), and ends with how long the queries took (median, 99th percentile, slowest, first).",
                "",
                "--json prints one object per line: id, conversationId, conversation, senderId, sender, instant",
                "(ISO-8601 with offset in --zone), epochMs, text (the whole current text), snippet, highlights",
                "([start, end) UTF-16 offsets into snippet), link, score (null when sorted by date), and with",
                "--context, context (the messages around it: id, sender, instant, text, hit).",
                "%nExit codes: 0 done (also with no hits), 1 internal error, 2 usage or query syntax,"
                        + " 4 archive or index unreadable (the message says how to rebuild)."})
final class SearchCommand implements Callable<Integer> {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);
    /** Thread-safe and reusable: made once, not for every query of a --queries-file. */
    private static final JsonFactory JSON = new JsonFactory();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive folder (the one holding archive.json).")
    Path archive;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "QUERY",
            description = "What to find (see the query language above). Several arguments are joined by spaces.")
    List<String> query;

    @Option(names = "--queries-file", paramLabel = "FILE",
            description = "Run every line of FILE as a query, in one process (a list of search terms); see below.")
    Path queriesFile;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "relevance",
            description = "relevance, newest or oldest. Default: ${DEFAULT-VALUE}.")
    SortOrder sort;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Show at most N hits. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--context", paramLabel = "N", defaultValue = "0",
            description = "Also show N messages before and after each hit, from the archive.")
    int context;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "The zone dates in the query are read in and times are shown in (default: this computer's),"
                    + " e.g. Europe/Berlin.")
    String zone;

    @Option(names = "--json", description = "One JSON object per hit, per line (schema below).")
    boolean json;

    @Option(names = "--count", description = "Print only the number of matching messages.")
    boolean count;

    @Option(names = "--rebuild", description = "Rebuild the index first (when search says it is damaged or outdated).")
    boolean rebuild;

    @Option(names = "--debug", description = "Print stack traces for errors.")
    boolean debug;

    @Override
    public Integer call() {
        if (limit < 0 || context < 0) {
            throw new UserError(ExitCode.USAGE, "--limit and --context take a number of 0 or more");
        }
        ZoneId z;
        try {
            z = PartialDate.zone(zone);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "--zone: " + e.getMessage());
        }
        if (!Files.isRegularFile(archive.resolve("archive.json"))) {
            throw new UserError(ExitCode.SOURCE, archive + " is not an archive (it has no archive.json); name the folder"
                    + " an export wrote");
        }
        if (rebuild) {
            IndexCommand.build(archive, true, new Progress(spec.commandLine().getErr(), Progress.detect(false)));
        }
        List<String> queries = queries();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ArchiveSearch search = ArchiveSearch.open(archive)) {
            search.links(org.chatarchive.search.HtmlPageLinks.of(archive));
            if (queriesFile != null) {
                return runAll(search, queries, z, out, err);
            }
            String q = queries.get(0);
            if (count) {
                search.notes().forEach(n -> err.println("Note: " + n));
                out.println(search.count(q, z));
                return ExitCode.OK;
            }
            SearchResults r = search.search(q, z, sort, limit);
            r.notes().forEach(n -> err.println("Note: " + n));
            if (json) {
                printJson(search, r, z, out);
            } else {
                printText(search, r, z, out);
            }
            out.flush();
            err.flush();
            return ExitCode.OK;
        } catch (QuerySyntaxException e) {
            throw new UserError(ExitCode.USAGE, e.describe() + System.lineSeparator()
                    + "See 'chat-archive search --help' for the query language.", e);
        } catch (IndexProblem e) {
            throw new UserError(ExitCode.SOURCE, e.getMessage(), e);
        } catch (ArchiveFormatException e) {
            throw new UserError(ExitCode.SOURCE, archive + " cannot be read as an archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserError(ExitCode.SOURCE, "Searching " + archive + " failed (" + e.getMessage() + ")", e);
        }
    }

    /** The query given as arguments, or the lines of {@code --queries-file}. */
    private List<String> queries() {
        boolean given = query != null && !query.isEmpty();
        if (queriesFile == null) {
            if (!given) {
                throw new UserError(ExitCode.USAGE, "Give a QUERY to search for, or --queries-file FILE");
            }
            return List.of(String.join(" ", query));
        }
        if (given) {
            throw new UserError(ExitCode.USAGE, "Give either a QUERY or --queries-file, not both");
        }
        try {
            List<String> lines = Files.readAllLines(queriesFile).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            if (lines.isEmpty()) {
                throw new UserError(ExitCode.USAGE, queriesFile + " holds no query (one per line)");
            }
            return lines;
        } catch (IOException e) {
            throw new UserError(ExitCode.USAGE, "Cannot read " + queriesFile + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Runs every query against the one open index, printing each one's results, then how long they took: the
     * time each search reports (search and highlight, as for a single query), the first one included.
     */
    private int runAll(ArchiveSearch search, List<String> queries, ZoneId z, PrintWriter out, PrintWriter err)
            throws IOException {
        double[] ms = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            String q = queries.get(i);
            try {
                if (count) {
                    long t0 = System.nanoTime();
                    long n = search.count(q, z);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    out.println(n + "\t" + q);
                    continue;
                }
                SearchResults r = search.search(q, z, sort, limit);
                ms[i] = r.millis();
                r.notes().forEach(n -> err.println("Note: " + n));
                out.println("# " + q);
                if (json) {
                    printJson(search, r, z, out);
                } else {
                    printText(search, r, z, out);
                }
            } catch (QuerySyntaxException e) {
                throw new UserError(ExitCode.USAGE, "Line " + (i + 1) + " of " + queriesFile + ": " + e.describe(), e);
            }
        }
        double first = ms[0];
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        err.println(String.format(Locale.ROOT, "%,d queries in one process: p50 %.1f ms, p99 %.1f ms, slowest %.1f ms"
                        + " (first %.1f ms)", ms.length, percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1], first));
        out.flush();
        err.flush();
        return ExitCode.OK;
    }

    /** The nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private void printText(ArchiveSearch search, SearchResults r, ZoneId z, PrintWriter out) throws IOException {
        for (Hit h : r.hits()) {
            String who = h.senderName() == null ? "" : h.senderName() + " \u2192 ";
            out.println(SHOWN.format(Instant.ofEpochMilli(h.at()).atZone(z)) + "  " + who + h.conversationTitle()
                    + "  \"" + oneLine(h.snippet().marked("[", "]")) + "\"   " + h.link());
            if (context > 0) {
                for (Message m : search.context(h, context)) {
                    boolean self = m.id().equals(h.messageId());
                    out.println((self ? "  > " : "    ") + SHOWN.format(Instant.ofEpochMilli(m.timelineAt()).atZone(z))
                            + "  " + (m.senderId() == null ? "" : search.personName(m.senderId()) + ": ")
                            + oneLine(m.body() == null ? "" : m.body()));
                }
                out.println();
            }
        }
        long shown = r.hits().size();
        String hits = r.total() == 1 ? "1 hit" : String.format(Locale.ROOT, "%,d hits", r.total());
        out.println(shown < r.total()
                ? String.format(Locale.ROOT, "%s in %.0f ms, showing %,d (--limit for more)", hits, r.millis(), shown)
                : String.format(Locale.ROOT, "%s in %.0f ms", hits, r.millis()));
    }

    private void printJson(ArchiveSearch search, SearchResults r, ZoneId z, PrintWriter out) throws IOException {
        for (Hit h : r.hits()) {
            java.io.StringWriter line = new java.io.StringWriter();
            try (JsonGenerator g = JSON.createGenerator(line)) {
                g.writeStartObject();
                g.writeStringField("id", h.messageId());
                g.writeStringField("conversationId", h.conversationId());
                g.writeStringField("conversation", h.conversationTitle());
                g.writeStringField("senderId", h.senderId());
                g.writeStringField("sender", h.senderName());
                g.writeStringField("instant", Instant.ofEpochMilli(h.at()).atZone(z)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                g.writeNumberField("epochMs", h.at());
                g.writeStringField("text", h.text());
                g.writeStringField("snippet", h.snippet().text());
                g.writeArrayFieldStart("highlights");
                for (int[] span : h.snippet().highlights()) {
                    g.writeArray(span, 0, 2);
                }
                g.writeEndArray();
                g.writeStringField("link", h.link());
                if (Float.isNaN(h.score())) {
                    g.writeNullField("score");
                } else {
                    g.writeNumberField("score", h.score());
                }
                if (context > 0) {
                    g.writeArrayFieldStart("context");
                    for (Message m : search.context(h, context)) {
                        g.writeStartObject();
                        g.writeStringField("id", m.id());
                        g.writeStringField("sender", m.senderId() == null ? null : search.personName(m.senderId()));
                        g.writeStringField("instant", Instant.ofEpochMilli(m.timelineAt()).atZone(z)
                                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                        g.writeStringField("text", m.body() == null ? "" : m.body());
                        g.writeBooleanField("hit", m.id().equals(h.messageId()));
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            out.println(line);
        }
    }

    private static String oneLine(String s) {
        return s.replace("\r\n", " \u21b5 ").replace('\n', ' ').replace('\r', ' ');
    }
}
