package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.model.store.ManifestCheck;

/**
 * The kill loop of a run that replaces one folder of an archive inside its transaction ({@code backup} with an
 * HTML site, {@code render}): each run starts as a separate process on a fresh copy of the archive and is killed
 * at a {@link Kill}; once the lock has been taken again (which finishes or discards what the killed run left),
 * the archive must be exactly as before or exactly as after a run that finished, and {@code verify} must pass.
 */
final class FolderKillLoop {

    /** When to kill: {@code ms} after the start, or {@code ms} after {@code watch} appears (named {@code name}). */
    record Kill(String name, Path watch, long ms) {
        static Kill after(long ms) {
            return new Kill(null, null, ms);
        }
    }

    /** Where the kills landed (by what the killed run left), one log line per kill, and how many left each state. */
    record Outcome(Map<String, Integer> landed, List<String> log, int sawBefore, int sawAfter) {
        int landed(String where) {
            return landed.getOrDefault(where, 0);
        }
    }

    /** More checks after each kill and recovery. */
    @FunctionalInterface
    interface Check {
        void after(int iteration, List<String> log) throws Exception;
    }

    private FolderKillLoop() {
    }

    static Path txn(Path archive) {
        return archive.resolve(ArchiveUpdate.TXN);
    }

    static Path marker(Path archive) {
        return txn(archive).resolve(ArchiveUpdate.COMMITTED);
    }

    /** Where the transaction stages the new {@code folder}. */
    static Path staging(Path archive, String folder) {
        return txn(archive).resolve(".directories").resolve("new").resolve(folder);
    }

    /** Where the commit moves the old {@code folder} aside before putting the new one in. */
    static Path aside(Path archive, String folder) {
        return txn(archive).resolve(".directories").resolve("old").resolve(folder);
    }

    /**
     * Runs the loop: for each kill, {@code archive} is reset from {@code pristine}, {@code start} starts the run,
     * which is killed, then checked against {@code before} and {@code after} (see
     * {@link BackupCommandTest#comparable}), against the manifest, and by {@code check}. {@code swap} names the
     * swap in the log ("site swap", "swap").
     */
    static Outcome run(Path pristine, Path archive, String folder, String swap, long runMs, List<Kill> kills,
                       Map<String, byte[]> before, Map<String, byte[]> after, Callable<Process> start, Check check)
            throws Exception {
        Path txn = txn(archive);
        Path marker = marker(archive);
        Path staging = staging(archive, folder);
        Path aside = aside(archive, folder);
        Map<String, Integer> landed = new TreeMap<>();
        List<String> log = new ArrayList<>();
        int sawBefore = 0;
        int sawAfter = 0;
        for (int i = 0; i < kills.size(); i++) {
            BackupCommandTest.PrivateCopy.reset(pristine, archive);
            Kill kill = kills.get(i);
            Process p = start.call();
            if (kill.watch() == null) {
                Thread.sleep(kill.ms());
            } else {
                // Polls gently until the marker is there (the run needs the CPU), then spins: the swap is short.
                long deadline = System.nanoTime() + runMs * 10_000_000L;
                while (!Files.exists(kill.watch()) && p.isAlive() && System.nanoTime() < deadline) {
                    if (Files.exists(marker)) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(100_000);
                    }
                }
                Thread.sleep(kill.ms());
            }
            p.destroyForcibly();
            p.waitFor();
            // Where the kill landed, from what the killed run left.
            String where;
            if (!Files.exists(txn)) {
                where = Files.exists(archive.resolve(ArchiveUpdate.LOCK)) && p.exitValue() == 0 ? "after the run"
                        : "before the transaction or after it";
            } else if (!Files.exists(marker)) {
                where = "before the commit";
            } else if (Files.exists(aside) || !Files.exists(staging)) {
                where = "during the " + swap;
            } else {
                where = "after the marker, before the " + swap;
            }
            landed.merge(where, 1, Integer::sum);
            ArchiveUpdate.Recovery recovery;
            try (ArchiveUpdate recover = ArchiveUpdate.begin(archive)) {
                recovery = recover.recovered();
            }
            Map<String, byte[]> now = BackupCommandTest.comparable(archive);
            boolean isBefore = BackupCommandTest.same(before, now);
            boolean isAfter = BackupCommandTest.same(after, now);
            log.add((kill.watch() == null ? kill.ms() + " ms" : kill.name() + "+" + kill.ms() + " ms") + ": " + where
                    + ", " + (isBefore ? "before" : isAfter ? "after" : "MIXED") + " " + recovery);
            assertTrue(isBefore || isAfter, "iteration " + i + ": the archive is neither as before nor as after: "
                    + log);
            ManifestCheck manifest = ManifestCheck.of(archive);
            assertTrue(manifest.ok(), "iteration " + i + ": " + manifest + " " + log);
            check.after(i, log);
            sawBefore += isBefore ? 1 : 0;
            sawAfter += isAfter ? 1 : 0;
        }
        return new Outcome(landed, log, sawBefore, sawAfter);
    }
}
