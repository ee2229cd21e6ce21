package org.chatarchive.search;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Quote;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.WriteOptions;

/**
 * The search benchmark (not a test; run by {@code scripts/bench-search.sh}): generates a synthetic archive of N
 * messages (default 1,000,000) once, indexes it from scratch, updates it with nothing changed, and runs a fixed
 * set of 100 mixed queries. Prints indexing throughput, index size, query latency p50/p99 and peak heap.
 *
 * <p>Usage: {@code SearchBenchmark DIR [MESSAGES] [THREADS]}.
 */
public final class SearchBenchmark {

    private static final int CONVERSATIONS = 200;
    private static final int PEOPLE = 60;
    private static final long START = 1_546_300_800_000L; // 2019-01-01T00:00:00Z
    private static final long SPAN = 6L * 365 * 24 * 3600 * 1000;
    private static final String[] COMMON = ("the a to and of I you it is in that for on we this be are with have"
            + " not at was do can so but what just my me your will go if get all up no like out time know about"
            + " there now see when how good one think here yes ok tomorrow today dinner meeting photo call later"
            + " thanks love home work weekend train coffee beach party birthday doctor school car").split(" ");
    private static final String[] OTHER = {"Привет как дела сегодня встреча завтра", "東京で桜が満開です今日は天気がいい",
            "مرحبا كيف حالك اليوم", "Καλημέρα τι κάνεις σήμερα", "Café crème à la gare déjà vu", "नमस्ते आप कैसे हैं"};

    private SearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-search");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path archive = dir.resolve("archive-" + messages);
        String[] vocabulary = vocabulary();
        if (!Files.exists(archive.resolve("archive.json"))) {
            long t0 = System.nanoTime();
            generate(archive, messages, vocabulary);
            System.out.printf(Locale.ROOT, "generated %,d messages in %.1f s (%s of conversation files)%n", messages,
                    (System.nanoTime() - t0) / 1e9, mb(size(archive.resolve("conversations"))));
        }
        System.out.printf(Locale.ROOT, "machine: %d processors, max heap %s, Java %s%n",
                Runtime.getRuntime().availableProcessors(), mb(Runtime.getRuntime().maxMemory()),
                System.getProperty("java.version"));

        System.out.printf(Locale.ROOT, "load average before indexing: %.1f (other processes share the processors)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.gc();
        resetPeaks();
        long cpu0 = processCpuNanos();
        IndexReport full = Indexer.update(archive, new Indexer.Options(true, threads, null));
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        long indexPeak = heapPeak(); // sum of each heap pool's peak: an upper bound
        System.out.printf(Locale.ROOT, "index build: %,d messages in %.1f s = %,.0f messages/s on %d threads;"
                        + " peak heap %s%n", full.messagesIndexed(), full.seconds(), full.messagesIndexed() / full.seconds(),
                threads, mb(indexPeak));
        System.out.printf(Locale.ROOT, "  CPU time %.1f s = %,.0f messages per CPU-second (%,.0f messages/s on %d"
                        + " processors of our own)%n", cpuSeconds, full.messagesIndexed() / cpuSeconds,
                threads * full.messagesIndexed() / cpuSeconds, threads);
        System.out.printf(Locale.ROOT, "index size: %s (conversation files %s)%n",
                mb(size(SearchIndex.location(archive))), mb(size(archive.resolve("conversations"))));
        IndexReport same = Indexer.update(archive, new Indexer.Options(false, threads, null));
        System.out.printf(Locale.ROOT, "update with nothing changed: %.2f s (%d conversations reindexed)%n",
                same.seconds(), same.reindexed());

        List<String> queries = queries(vocabulary);
        ZoneId zone = ZoneId.of("Europe/Berlin");
        System.gc();
        resetPeaks();
        try (ArchiveSearch search = ArchiveSearch.open(archive)) {
            long t0 = System.nanoTime();
            search.search("coffee", zone, SortOrder.RELEVANCE, 20);
            System.out.printf(Locale.ROOT, "first query after open: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            double[] cold = run(search, queries, zone)[0];
            int rounds = 5;
            double[] warm = new double[0];
            double[] warmCpu = new double[0];
            long totalHits = 0;
            for (int r = 0; r < rounds; r++) {
                double[][] t = run(search, queries, zone);
                warm = concat(warm, t[0]);
                warmCpu = concat(warmCpu, t[1]);
            }
            for (String q : queries) {
                totalHits += search.search(q, zone, SortOrder.RELEVANCE, 20).total();
            }
            System.out.printf(Locale.ROOT, "queries (100 mixed, top 20 with snippets, exact totals):%n");
            System.out.printf(Locale.ROOT, "  first pass: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", pct(cold, 50),
                    pct(cold, 99), pct(cold, 100));
            System.out.printf(Locale.ROOT, "  next %d passes: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d hits per"
                    + " pass)%n", rounds, pct(warm, 50), pct(warm, 99), pct(warm, 100), totalHits);
            System.out.printf(Locale.ROOT, "  CPU time per query, same passes: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    pct(warmCpu, 50), pct(warmCpu, 99), pct(warmCpu, 100));
            System.out.printf(Locale.ROOT, "  peak heap while searching: %s%n", mb(heapPeak()));
            if (System.getenv("BENCH_SLOWEST") != null) {
                for (String q : queries) {
                    long s = System.nanoTime();
                    search.search(q, zone, SortOrder.RELEVANCE, 20);
                    System.out.printf(Locale.ROOT, "  %7.1f ms  %s%n", (System.nanoTime() - s) / 1e6, q);
                }
            }
        }
    }

    /** Wall-clock and CPU milliseconds of each query. */
    private static double[][] run(ArchiveSearch search, List<String> queries, ZoneId zone) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] ms = new double[queries.size()];
        double[] cpu = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            SortOrder order = i % 10 == 9 ? SortOrder.NEWEST : SortOrder.RELEVANCE;
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            search.search(queries.get(i), zone, order, 20);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        return new double[][] {ms, cpu};
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double pct(double[] values, int p) {
        double[] v = values.clone();
        Arrays.sort(v);
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    /** The fixed query set: 100 queries of every kind, from a fixed seed. */
    static List<String> queries(String[] vocabulary) {
        SplittableRandom r = new SplittableRandom(42);
        List<String> q = new ArrayList<>();
        for (int i = 0; q.size() < 100; i++) {
            String w1 = word(r, vocabulary);
            String w2 = word(r, vocabulary);
            String common = COMMON[r.nextInt(COMMON.length)];
            String person = "person" + r.nextInt(PEOPLE);
            String year = String.valueOf(2019 + r.nextInt(6));
            q.add(switch (i % 20) {
                case 0 -> w1;
                case 1 -> common;
                case 2 -> w1 + " " + w2;
                case 3 -> common + " " + w1;
                case 4 -> w1 + " OR " + w2;
                case 5 -> "\"" + COMMON[r.nextInt(COMMON.length)] + " " + COMMON[r.nextInt(COMMON.length)] + "\"";
                case 6 -> w1.substring(0, Math.min(3, w1.length())) + "*";
                case 7 -> w1 + "~";
                case 8 -> "from:" + person + " " + common;
                case 9 -> "in:\"chat " + r.nextInt(CONVERSATIONS) + "\" " + w1;
                case 10 -> "after:" + year + " " + w1;
                case 11 -> "on:" + year + "-0" + (1 + r.nextInt(9)) + " " + common;
                case 12 -> "has:image from:" + person;
                case 13 -> "has:link " + common;
                case 14 -> "is:edited " + w1;
                case 15 -> common + " -" + COMMON[r.nextInt(COMMON.length)];
                case 16 -> "filename:report";
                case 17 -> "привет OR 東京";
                case 18 -> "(" + w1 + " OR " + w2 + ") AND " + common + " before:2023";
                default -> "from:" + person + " after:" + year;
            });
        }
        return q;
    }

    private static String word(SplittableRandom r, String[] vocabulary) {
        // Zipf-like: most picks from the head of the vocabulary.
        double u = r.nextDouble();
        return vocabulary[(int) Math.min(vocabulary.length - 1, Math.pow(vocabulary.length, u)) ];
    }

    /** 20,000 pronounceable made-up words, in a fixed order. */
    static String[] vocabulary() {
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ven", "dar", "el", "an", "tor", "is",
                "que", "bra", "zu", "fel", "gor", "hin"};
        SplittableRandom r = new SplittableRandom(7);
        String[] out = new String[20_000];
        for (int i = 0; i < out.length; i++) {
            StringBuilder b = new StringBuilder();
            int n = 2 + r.nextInt(3);
            for (int j = 0; j < n; j++) {
                b.append(syllables[r.nextInt(syllables.length)]);
            }
            out[i] = b.toString();
        }
        return out;
    }

    static void generate(Path archive, int messages, String[] vocabulary) throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        List<Participant> people = new ArrayList<>();
        people.add(new Participant("bench:me", "Me", "profile", "+15550000000", null, true, null));
        for (int i = 0; i < PEOPLE; i++) {
            people.add(new Participant("bench:p" + i, "Person" + i + " " + vocabulary[i], "profile",
                    "+1555" + String.format(Locale.ROOT, "%07d", i), null, false, null));
        }
        try (ArchiveWriter w = ArchiveWriter.create(archive, new WriteOptions(true))) {
            w.writeParticipants(people);
            int written = 0;
            for (int c = 0; c < CONVERSATIONS; c++) {
                // Sizes vary: every fourth conversation is large; all add up to the total.
                int count = c == CONVERSATIONS - 1 ? messages - written
                        : (int) Math.min(messages - written, messages / CONVERSATIONS * (c % 4 == 0 ? 2.2 : 0.6));
                String convId = "bench-conv:" + c;
                List<String> members = List.of("bench:me", "bench:p" + (c % PEOPLE), "bench:p" + ((c * 7 + 3) % PEOPLE));
                Conversation conv = new Conversation(convId, ConversationKind.GROUP, "Chat " + c, members, null,
                        "bench", null);
                try (ConversationWriter cw = w.beginConversation(conv)) {
                    long at = START + r.nextLong(SPAN / 10);
                    long step = Math.max(1, (SPAN - (at - START)) / Math.max(1, count));
                    for (int i = 0; i < count; i++) {
                        at += 1 + r.nextLong(2 * step);
                        cw.write(message(r, vocabulary, convId, c + "-" + i, members, at));
                    }
                    cw.finish();
                }
                written += count;
            }
            w.commit(new ArchiveHeader("chat-archive benchmark", null, "bench:me", null, null, null));
        }
    }

    private static Message message(SplittableRandom r, String[] vocabulary, String conv, String id,
                                   List<String> members, long at) {
        String sender = members.get(r.nextInt(members.size()));
        Direction direction = sender.equals("bench:me") ? Direction.OUTGOING : Direction.INCOMING;
        StringBuilder body = new StringBuilder();
        if (r.nextInt(20) == 0) {
            body.append(OTHER[r.nextInt(OTHER.length)]);
        } else {
            int words = 3 + r.nextInt(20);
            for (int i = 0; i < words; i++) {
                if (i > 0) {
                    body.append(' ');
                }
                body.append(r.nextInt(2) == 0 ? COMMON[r.nextInt(COMMON.length)] : word(r, vocabulary));
            }
            if (r.nextInt(50) == 0) {
                body.append(" https://example.org/").append(word(r, vocabulary));
            }
        }
        List<Attachment> attachments = null;
        int roll = r.nextInt(100);
        if (roll < 5) {
            AttachmentKind kind = roll < 3 ? AttachmentKind.IMAGE : roll < 4 ? AttachmentKind.VIDEO : AttachmentKind.FILE;
            String name = switch (kind) {
                case IMAGE -> "IMG_" + r.nextInt(10000) + ".jpg";
                case VIDEO -> "VID_" + r.nextInt(10000) + ".mp4";
                default -> "report-" + word(r, vocabulary) + ".pdf";
            };
            attachments = List.of(new Attachment(kind == AttachmentKind.FILE ? "application/pdf" : "image/jpeg", name,
                    1000L, null, null, null, null, kind, null, Availability.NOT_DOWNLOADED, "not downloaded", null, null));
        }
        List<Reaction> reactions = r.nextInt(20) == 0 ? List.of(new Reaction(members.get(0), "\ud83d\udc4d", at + 5000)) : null;
        Quote quote = r.nextInt(33) == 0 ? new Quote(null, at - 60_000, members.get(1), "an earlier message", null, null,
                false) : null;
        List<EditVersion> edits = r.nextInt(100) == 0 ? List.of(new EditVersion(at - 1000, null,
                body + " " + word(r, vocabulary), null, null)) : null;
        return new Message("bench-msg:" + id, conv, sender, direction, at, at + 500, null, body.toString(), null,
                attachments, quote, reactions, edits, null, null, null, null, null, null, null, null);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
