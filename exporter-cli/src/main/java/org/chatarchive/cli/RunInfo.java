package org.chatarchive.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The run section of a manifest: what differs from one run to the next and so stays out of the deliverables. */
final class RunInfo {

    private RunInfo() {
    }

    /** Times, host, program and the paths on this computer. */
    static Map<String, Object> of(Instant started, Instant finished, Path source, Path out) {
        Map<String, Object> run = new TreeMap<>();
        run.put("startedAt", started.toString());
        run.put("finishedAt", finished.toString());
        run.put("durationMs", finished.toEpochMilli() - started.toEpochMilli());
        run.put("host", host());
        run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        run.put("java", System.getProperty("java.version"));
        run.put("sourcePath", source.toAbsolutePath().normalize().toString());
        run.put("outputPath", out.toAbsolutePath().normalize().toString());
        return run;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
