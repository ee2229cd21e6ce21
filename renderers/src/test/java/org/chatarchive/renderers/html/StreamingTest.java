package org.chatarchive.renderers.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with the number of messages: a conversation of 1,000,000 messages renders to 1,000 pages in
 * a JVM limited to 64 MB of heap (the HTML is several hundred MB), and the heap in use after a full GC is about the
 * same after 100,000 and after 1,000,000 messages.
 */
class StreamingTest {

    private static final int MESSAGES = 1_000_000;
    private static final long MAX_GROWTH = 8L << 20;

    @TempDir
    Path tmp;

    @Test
    void millionMessageConversationRendersInSmallHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), StreamingProbe.class.getName(),
                tmp.resolve("big").toString(), Integer.toString(MESSAGES)))
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(900, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "probe finished in time: " + output);
        assertEquals(0, p.exitValue(), output);
        System.out.println(output.trim());
        Map<String, Long> r = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] parts = kv.split("=");
                    r.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        assertEquals(MESSAGES, r.get("n"), output);
        assertEquals(MESSAGES / HtmlOptions.DEFAULT_PAGE_SIZE, r.get("pages"));
        assertTrue(r.get("maxHeap") <= 70L << 20, "heap limit applied: " + r.get("maxHeap"));
        assertTrue(r.get("bytes") > 4 * r.get("maxHeap"), "the site is far larger than the heap: " + r.get("bytes"));
        assertTrue(r.get("heap100") - r.get("heap10") < MAX_GROWTH, "heap grew while rendering: " + output);
        System.out.printf("rendered %.0f messages/s%n", MESSAGES * 1000.0 / r.get("renderMs"));
    }
}
