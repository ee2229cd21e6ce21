package org.chatarchive.model.store;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import org.chatarchive.model.BodyRange;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;

/**
 * Writes and reads back one conversation of {@code n} messages, run in its own JVM with a small heap by
 * {@link StreamingTest}. Prints one {@code RESULT} line with timings and used heap after a full GC at 10% and
 * 100% of the messages, written and read. Exits non-zero on any failure (an OutOfMemoryError included).
 */
public final class StreamingProbe {

    static final String CONV = "signal-conv:big";

    private StreamingProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int tenth = n / 10;
        long heapW10 = 0;
        long heapW100;
        long t0 = System.nanoTime();
        try (ArchiveWriter w = ArchiveWriter.create(out, WriteOptions.defaults())) {
            try (ConversationWriter cw = w.beginConversation(new Conversation(CONV, ConversationKind.GROUP, "Big",
                    List.of("signal:a", "signal:b"), null, "probe", null))) {
                for (int i = 0; i < n; i++) {
                    cw.write(message(i));
                    if (i + 1 == tenth) {
                        heapW10 = usedAfterGc();
                    }
                }
                heapW100 = usedAfterGc();
                cw.finish();
            }
            w.commit(new ArchiveHeader("probe", null, null, null, null, null));
        }
        long writeNs = System.nanoTime() - t0;

        long heapR10 = 0;
        long heapR100;
        long t1 = System.nanoTime();
        ArchiveReader r = ArchiveReader.open(out);
        ConversationEntry e = r.info().conversations().get(0);
        int i = 0;
        try (Stream<Message> messages = r.messages(e)) {
            Iterator<Message> it = messages.iterator();
            while (it.hasNext()) {
                Message m = it.next();
                if (!m.id().equals("signal-msg:" + i) || !m.equals(message(i))) {
                    throw new AssertionError("message " + i + " differs: " + m);
                }
                i++;
                if (i == tenth) {
                    heapR10 = usedAfterGc();
                }
            }
            heapR100 = usedAfterGc();
        }
        long readNs = System.nanoTime() - t1;
        if (i != n || e.messageCount() != n) {
            throw new AssertionError("read " + i + " of " + n);
        }
        long bytes = java.nio.file.Files.size(out.resolve(e.messagesFile()));
        System.out.printf("RESULT n=%d bytes=%d writeMs=%d readMs=%d heapW10=%d heapW100=%d heapR10=%d heapR100=%d maxHeap=%d%n",
                n, bytes, writeNs / 1_000_000, readNs / 1_000_000, heapW10, heapW100, heapR10, heapR100,
                Runtime.getRuntime().maxMemory());
    }

    static Message message(int i) {
        boolean mine = i % 3 == 0;
        String body = "Message number " + i + " with some ordinary text, an \u00e9 and an emoji \ud83d\ude00 "
                + "x".repeat(i % 97);
        List<BodyRange> ranges = i % 5 == 0 ? List.of(new BodyRange(0, 7, RangeStyle.BOLD, null)) : null;
        List<Reaction> reactions = i % 7 == 0 ? List.of(new Reaction("signal:b", "\ud83d\udc4d", 1_600_000_000_000L + i)) : null;
        return new Message("signal-msg:" + i, CONV, mine ? "signal:a" : "signal:b",
                mine ? Direction.OUTGOING : Direction.INCOMING, 1_600_000_000_000L + i * 1000L,
                1_600_000_000_000L + i * 1000L + 250, null, body, ranges, null, null, reactions, null, null, null,
                null, null, null, null, null, null);
    }

    private static long usedAfterGc() {
        for (int k = 0; k < 2; k++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
