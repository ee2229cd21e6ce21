package org.chatarchive.renderers.html;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

/**
 * Run in its own small-heap JVM by {@link StreamingTest}: writes a one-conversation archive of N messages, renders
 * it, and prints the heap in use after a full GC at 10% and at 100% of the messages rendered.
 */
public final class StreamingProbe {

    private StreamingProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        HtmlBenchmark.write(dir, n);
        long[] heap = new long[2];
        long t0 = System.nanoTime();
        HtmlResult r = HtmlSite.render(dir, HtmlOptions.of(ZoneId.of("Europe/Berlin")).withThreads(2), done -> {
            if (done == n / 10 || done == n) {
                System.gc();
                Runtime rt = Runtime.getRuntime();
                heap[done == n ? 1 : 0] = rt.totalMemory() - rt.freeMemory();
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long bytes;
        try (var files = Files.walk(r.dir())) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.println("RESULT n=" + r.messages() + " pages=" + r.pages() + " renderMs=" + ms + " bytes=" + bytes
                + " heap10=" + heap[0] + " heap100=" + heap[1] + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }
}
