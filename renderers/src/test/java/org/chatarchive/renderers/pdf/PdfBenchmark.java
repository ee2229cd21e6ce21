package org.chatarchive.renderers.pdf;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Locale;

/**
 * Not a test: measures pages and messages per second and peak heap for a generated conversation.
 * Run with a small fixed heap (e.g. {@code -Xmx128m}) to show memory does not grow with length:
 * {@code java -Xmx128m -cp ... org.chatarchive.renderers.pdf.PdfBenchmark 200000}.
 */
public final class PdfBenchmark {

    private PdfBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("pdf-bench");
        Path archive = dir.resolve("archive");
        SampleArchive.generated(archive, n, 45_000);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        long t0 = System.nanoTime();
        PdfSummary s = PdfRenderer.render(archive, PdfOptions.defaults().withZone(ZoneId.of("Europe/Berlin"))
                .withBates(new BatesOptions("B", 1, 7, "")));
        double secs = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        long bytes = 0;
        for (PdfSummary.PdfFileInfo f : s.files()) {
            bytes += Files.size(archive.resolve(f.path()));
        }
        System.out.printf(Locale.ROOT, "%,d messages, %,d pages, %d files, %,d bytes in %.1f s: %,.0f pages/s, %,.0f messages/s,"
                        + " peak heap (sum of pool peaks) %,d MB, max heap %,d MB%n", s.messages(), s.pages(), s.files().size(),
                bytes, secs, s.pages() / secs, s.messages() / secs, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }
}
