package org.chatarchive.renderers.html;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.chatarchive.model.BodyRange;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Selection;
import org.chatarchive.model.store.ArchiveHeader;
import org.chatarchive.model.store.ArchiveWriter;
import org.chatarchive.model.store.ConversationWriter;
import org.chatarchive.model.store.WriteOptions;

/**
 * Measures HTML rendering: messages per second on one large group conversation (a mix of plain, styled, quoted,
 * reacted and mentioning messages). Not a test: run it with {@code scripts/bench-html.sh [MESSAGES] [THREADS]}.
 * The archive is written once and cached under {@code renderers/target/bench-html/}.
 */
public final class HtmlBenchmark {

    private HtmlBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : HtmlOptions.defaultThreads();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path archive = Path.of("renderers/target/bench-html/archive-" + n);
        if (!Files.exists(archive.resolve("archive.json"))) {
            Files.createDirectories(archive.getParent());
            long t0 = System.nanoTime();
            write(archive, n);
            System.out.printf(Locale.ROOT, "wrote %,d messages in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        }
        HtmlOptions options = HtmlOptions.of(ZoneId.of("Europe/Berlin")).withThreads(threads);
        for (int r = 1; r <= rounds; r++) {
            System.gc();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            HtmlResult res = HtmlSite.render(archive, options);
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            long bytes;
            try (var files = Files.walk(res.dir())) {
                bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "round %d: %,d messages, %,d pages, %.1f MB of HTML in %.2f s = %,.0f messages/s;"
                            + " %.1f s of CPU = %,.0f messages per CPU second; load average %.1f"
                            + " (%d threads, %d cores, heap max %d MB, used now %d MB)%n",
                    r, res.messages(), res.pages(), bytes / 1e6, s, res.messages() / s, cpu, res.messages() / cpu,
                    os.getSystemLoadAverage(), threads,
                    rt.availableProcessors(), rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }

    static final String OWNER = "signal:owner";
    static final List<String> PEOPLE = List.of(OWNER, "signal:p1", "signal:p2", "signal:p3", "signal:p4", "signal:p5");

    static void write(Path out, int n) throws Exception {
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            w.writeParticipants(PEOPLE.stream().map(id -> new Participant(id, "Person " + id.substring(id.length() - 2),
                    "profile", null, null, id.equals(OWNER), null)).toList());
            try (ConversationWriter cw = w.beginConversation(new Conversation("signal-conv:big", ConversationKind.GROUP,
                    "Big group", PEOPLE, null, "signal-desktop", null))) {
                long t = 1_500_000_000_000L;
                for (int i = 0; i < n; i++) {
                    t += 30_000 + (i % 7) * 45_000L;
                    cw.write(message(i, t));
                }
                cw.finish();
            }
            w.commit(new ArchiveHeader("bench", null, OWNER, new Selection(true, null, null, null, null, null, null),
                    Map.of(), null));
        }
    }

    static Message message(int i, long t) {
        String sender = PEOPLE.get(i % PEOPLE.size());
        String id = "signal-msg:" + Integer.toHexString(i * 7919) + "-" + i;
        String body = switch (i % 5) {
            case 0 -> "Short one " + i;
            case 1 -> "A longer message with a few more words in it, as people write when they explain something, number " + i;
            case 2 -> "Hey \uFFFC, *bold* and secret bits \ud83d\ude00 " + i;
            case 3 -> "\u05e9\u05dc\u05d5\u05dd, see https://example.org/page/" + i;
            default -> "ok";
        };
        List<BodyRange> ranges = i % 5 == 2 ? List.of(new BodyRange(4, 1, RangeStyle.MENTION, PEOPLE.get((i + 1) % 6)),
                new BodyRange(8, 6, RangeStyle.BOLD, null), new BodyRange(19, 6, RangeStyle.SPOILER, null)) : null;
        Quote q = i % 10 == 9 ? new Quote("signal-msg:" + Integer.toHexString((i - 3) * 7919) + "-" + (i - 3), t - 90_000,
                PEOPLE.get((i - 3) % 6), "quoted text", null, null, false) : null;
        List<Reaction> reactions = i % 8 == 0 ? List.of(new Reaction(PEOPLE.get((i + 2) % 6), "\u2764\ufe0f", t + 1000)) : null;
        return new Message(id, "signal-conv:big", sender,
                sender.equals(OWNER) ? org.chatarchive.model.Direction.OUTGOING : org.chatarchive.model.Direction.INCOMING,
                t, t + 200, null, body, ranges, null, q, reactions, null, null, null, null, null, null, null, null, null);
    }
}
