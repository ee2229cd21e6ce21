package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory does not grow with the number of messages: one conversation of 1,000,000 messages (about 300 MB of
 * JSON Lines, several hundred MB as objects) is written and read back in a JVM limited to 48 MB of heap, and the
 * heap in use after a full GC is about the same at 100,000 and at 1,000,000 messages.
 */
class StreamingTest {

    private static final int MESSAGES = 1_000_000;
    private static final long MAX_GROWTH = 4L << 20;

    @TempDir
    Path tmp;

    @Test
    void millionMessagesInSmallHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx48m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), StreamingProbe.class.getName(),
                tmp.resolve("big").toString(), Integer.toString(MESSAGES)))
                .redirectErrorStream(true).start();
        String output;
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "probe finished in time: " + output);
        assertEquals(0, p.exitValue(), output);
        Map<String, Long> r = parse(output);
        System.out.println(output.trim());
        System.out.printf("write %.0f messages/s, read %.0f messages/s, %.1f MB file%n",
                MESSAGES * 1000.0 / r.get("writeMs"), MESSAGES * 1000.0 / r.get("readMs"), r.get("bytes") / 1e6);
        assertEquals(MESSAGES, r.get("n"));
        assertTrue(r.get("maxHeap") <= 50L << 20, "heap limit applied: " + r.get("maxHeap"));
        assertTrue(r.get("bytes") > 100L << 20, "the file is far larger than the heap");
        assertTrue(r.get("heapW100") - r.get("heapW10") < MAX_GROWTH, "heap grew while writing: " + output);
        assertTrue(r.get("heapR100") - r.get("heapR10") < MAX_GROWTH, "heap grew while reading: " + output);
        // Schema-check the top files and a sample of the lines (all million would take too long).
        assertEquals(2 + 20_000, Schemas.validateArchive(tmp.resolve("big"), 20_000));
    }

    private static Map<String, Long> parse(String output) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] parts = kv.split("=");
                    out.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no RESULT line in: " + output);
        }
        return out;
    }
}
