package org.chatarchive.cli;

import static org.chatarchive.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveUpdate;
import org.chatarchive.model.store.CanonicalJson;
import org.chatarchive.model.store.Manifest;
import org.chatarchive.model.store.ManifestCheck;

/** {@code backup} and {@code verify} end to end. */
class BackupCommandTest {

    @TempDir
    Path tmp;

    /** A WhatsApp chat export with {@code n} messages from minute {@code start} on. */
    static String chat(int start, int n) {
        StringBuilder sb = new StringBuilder();
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("MM/dd/yyyy, HH:mm");
        for (int i = start; i < start + n; i++) {
            sb.append(f.format(java.time.LocalDateTime.of(2023, 1, 2, 10, 0).plusMinutes(i))).append(" - ")
                    .append(i % 2 == 0 ? "Alice" : "Bob").append(": message ").append(i).append('\n');
        }
        return sb.toString();
    }

    static Cli.Result backup(Path chat, Path archive) {
        return run("backup", chat.toString(), "--archive", archive.toString(), "--zone", "UTC", "--me", "Alice",
                "--title", "Chat", "-q");
    }

    static List<Message> messages(Path archive) throws Exception {
        ArchiveReader r = ArchiveReader.open(archive);
        List<Message> out = new ArrayList<>();
        for (ConversationEntry e : r.info().conversations()) {
            try (Stream<Message> s = r.messages(e)) {
                s.forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void laterRunsAddNewMessagesAndKeepTheOnesTheSourceForgot() throws Exception {
        Path chat = tmp.resolve("chat.txt");
        Path archive = tmp.resolve("archive");
        Files.writeString(chat, chat(0, 5));
        Cli.Result r1 = backup(chat, archive);
        assertEquals(0, r1.code(), r1.err());
        assertTrue(r1.out().contains("Backup run 1: 5 added"), r1.out());
        // The app forgot the last message; two new ones came.
        Files.writeString(chat, chat(0, 4) + chat(5, 2));
        Cli.Result r2 = backup(chat, archive);
        assertEquals(0, r2.code(), r2.err());
        assertTrue(r2.out().contains("Backup run 2: 2 added, 0 updated, 1 gone from source (1 newly), 4 unchanged"), r2.out());
        List<Message> ms = messages(archive);
        assertEquals(7, ms.size());
        Message gone = ms.get(4);
        assertEquals("message 4", gone.body());
        assertEquals(2, gone.archive().goneFromSourceRun());
        assertEquals(1, gone.archive().lastSeenRun());
        assertEquals(2, ms.get(6).archive().firstSeenRun());
        assertEquals(7, ((Number) ArchiveReader.open(archive).info().counts().get("messages")).intValue());
        ExportCommandTest.validate(archive);
        assertEquals(0, run("verify", archive.toString()).code());
        // A third run with the same source: nothing but archive.json (run number) and the manifest is written.
        Map<String, byte[]> before = files(archive);
        Cli.Result r3 = backup(chat, archive);
        assertTrue(r3.out().contains("Backup run 3 (source unchanged since the last run): 0 added, 0 updated, 1 gone"
                + " from source (0 newly), 6 unchanged"), r3.out());
        Map<String, byte[]> after = files(archive);
        List<String> differ = new ArrayList<>();
        for (String f : after.keySet()) {
            if (!java.util.Arrays.equals(before.get(f), after.get(f))) {
                differ.add(f);
            }
        }
        assertEquals(List.of("archive.json", "manifest.json"), differ);
        assertEquals(0, run("verify", archive.toString()).code());
        // R13: every run appended its steps to the archive's custody log, which the manifest leaves out.
        List<String> log = Files.readAllLines(archive.resolve("logs/custody.log"));
        assertEquals(3, log.stream().filter(l -> l.contains("\tINFO\tbackup-start\t")).count(), log::toString);
        assertEquals(3, log.stream().filter(l -> l.contains("\tINFO\tbackup-done\trun ")).count(), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.contains("\tbackup-done\trun 2: 2 added, 0 updated")), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.contains("\tINFO\tsource\twhatsapp")), log::toString);
        assertTrue(log.stream().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\t(INFO|WARN|ERROR)\t.*")),
                log::toString);
    }

    @Test
    void anUntouchedSourceKeepsItsHashesButAnyWriteIsNoticedEvenWithItsOldTimeAndSize() throws Exception {
        Path chat = tmp.resolve("touch.txt");
        Path archive = tmp.resolve("touch-archive");
        Files.writeString(chat, chat(0, 5));
        assertEquals(0, backup(chat, archive).code());
        // Untouched: the second run carries the hashes and says so.
        Cli.Result r2 = backup(chat, archive);
        assertTrue(r2.out().contains("(source unchanged since the last run)"), r2.out());
        assertTrue(sourceHashes(archive).startsWith("carried from run 1"), sourceHashes(archive));
        // Rewritten with the same size and the old modification time: the change time gives it away.
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(chat);
        Files.writeString(chat, chat(0, 5).replace("message 3", "massage 3"));
        Files.setLastModifiedTime(chat, mtime);
        Cli.Result r3 = backup(chat, archive);
        assertEquals(0, r3.code(), r3.err());
        assertEquals("computed", sourceHashes(archive));
        assertTrue(r3.out().contains("Backup run 3: 0 added, 1 updated"), r3.out());
        assertTrue(messages(archive).stream().anyMatch(m -> "massage 3".equals(m.body())));
        // --rehash reads an untouched source again.
        Cli.Result r4 = run("backup", chat.toString(), "--archive", archive.toString(), "--zone", "UTC",
                "--me", "Alice", "--title", "Chat", "-q", "--rehash");
        assertEquals(0, r4.code(), r4.err());
        assertTrue(r4.out().contains("(source unchanged since the last run)"), r4.out());
        assertEquals("computed", sourceHashes(archive));
        assertEquals(0, run("verify", archive.toString()).code());
    }

    private static String sourceHashes(Path archive) throws Exception {
        return String.valueOf(org.chatarchive.model.store.Manifest.readIfPresent(archive).run().get("sourceHashes"));
    }

    @Test
    void verifyReportsChangedMissingAndExtraFiles() throws Exception {
        Path out = tmp.resolve("export");
        assertEquals(0, run("export", SignalProfiles.committedSample().toString(), "--out", out.toString(), "-q").code());
        Cli.Result ok = run("verify", out.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("OK: 14 files match"), ok.out());
        Manifest m = Manifest.read(out);
        assertEquals("export", m.command());
        assertEquals(List.of("config.json", "sql/db.sqlite", "sql/db.sqlite-wal"),
                m.sources().get(0).files().stream().map(f -> f.path()).toList());
        assertTrue(m.files().stream().anyMatch(f -> f.path().startsWith("attachments/") && f.md5().length() == 32));

        Path conv = Files.list(out.resolve("conversations")).sorted().findFirst().orElseThrow();
        Files.writeString(conv, Files.readString(conv).replaceFirst("\"body\":\"", "\"body\":\"X"));
        Files.writeString(out.resolve("notes.txt"), "added later");
        Files.delete(out.resolve("participants.json"));
        Cli.Result bad = run("verify", out.toString());
        assertEquals(ExitCode.MISMATCH, bad.code(), bad.out());
        assertTrue(bad.out().contains("changed: conversations/" + conv.getFileName()), bad.out());
        assertTrue(bad.out().contains("extra: notes.txt"), bad.out());
        assertTrue(bad.out().contains("missing: participants.json"), bad.out());
        assertTrue(bad.out().contains("MISMATCH"), bad.out());
    }

    @Test
    void twoExportsOfOneSourceAreByteIdenticalButForTheRunSection() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path sample = SignalProfiles.committedSample();
        assertEquals(0, run("export", sample.toString(), "--out", a.toString(), "-q").code());
        assertEquals(0, run("export", sample.toString(), "--out", b.toString(), "-q").code());
        Map<String, byte[]> fa = files(a);
        Map<String, byte[]> fb = files(b);
        assertSameFiles(fa, fb, Manifest.FILE);
        JsonNode ma = CanonicalJson.mapper().readTree(fa.get(Manifest.FILE));
        JsonNode mb = CanonicalJson.mapper().readTree(fb.get(Manifest.FILE));
        assertTrue(!ma.get("run").equals(mb.get("run")), "the run sections differ (paths, times)");
        ((ObjectNode) ma).remove("run");
        ((ObjectNode) mb).remove("run");
        assertEquals(ma, mb);
        List<String> fields = new ArrayList<>();
        CanonicalJson.mapper().readTree(fb.get(Manifest.FILE)).fieldNames().forEachRemaining(fields::add);
        assertEquals("run", fields.get(fields.size() - 1), "the run section comes last");
    }

    @Test
    void disappearingMessagesAreLeftOutUnlessAsked() throws Exception {
        Path sample = SignalProfiles.committedSample();
        Path without = tmp.resolve("without");
        Cli.Result r = run("backup", sample.toString(), "--archive", without.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Disappearing messages: 3 not archived"), r.out());
        ArchiveReader ar = ArchiveReader.open(without);
        assertEquals(3, ((Number) ar.info().counts().get("excluded.expiring")).intValue());
        assertEquals(Boolean.FALSE, ((Map<?, ?>) ar.info().extra().get("backup")).get("includeExpiring"));
        assertTrue(messages(without).stream().noneMatch(BackupJob::expiring));

        Path with = tmp.resolve("with");
        r = run("backup", sample.toString(), "--archive", with.toString(), "--include-expiring", "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, messages(with).stream().filter(BackupJob::expiring).count());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) ArchiveReader.open(with).info().extra().get("backup")).get("includeExpiring"));
        assertTrue(ArchiveReader.open(with).info().selection().complete());
        Cli.Result refused = run("backup", sample.toString(), "--archive", with.toString(), "-q");
        assertEquals(ExitCode.USAGE, refused.code());
        assertTrue(run("backup", "--help").out().contains("--include-expiring"));
    }

    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        for (String f : Manifest.listFiles(dir)) {
            out.put(f, Files.readAllBytes(dir.resolve(f)));
        }
        if (Files.exists(dir.resolve(Manifest.FILE))) {
            out.put(Manifest.FILE, Files.readAllBytes(dir.resolve(Manifest.FILE)));
        }
        return out;
    }

    /**
     * Kills backup runs at points spread over a whole run, the finalisation after the commit marker included, and
     * checks that after each kill, once the next run has taken the lock (which finishes or discards what the killed
     * run left), the archive is either exactly as before the run or exactly as after a run that finished: the same
     * files with the same bytes (the manifest's run section aside), never a mix. The run adds 1,000 messages and
     * 120 attachment files, so that putting its files in place takes long enough to be hit.
     */
    @Test
    void aKilledRunLeavesTheArchiveAsBeforeOrAsAfter() throws Exception {
        Path chat = tmp.resolve("big.txt");
        Path archive = tmp.resolve("killed");
        Files.writeString(chat, chat(0, 1000));
        assertEquals(0, backup(chat, archive).code());
        Map<String, byte[]> before = comparable(archive);
        Path pristine = tmp.resolve("pristine");
        copyTree(archive, pristine);
        StringBuilder media = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            String name = String.format(java.util.Locale.ROOT, "IMG-20230105-WA%04d.jpg", i);
            Files.writeString(tmp.resolve(name), "picture " + i + " " + "x".repeat(2000 + i));
            media.append(String.format(java.util.Locale.ROOT, "01/05/2023, %02d:%02d - Bob: %s (file attached)%n",
                    10 + i / 60, i % 60, name));
        }
        Files.writeString(chat, chat(0, 990) + media + chat(3000, 1000));
        Path reference = tmp.resolve("reference");
        copyTree(pristine, reference);
        long t0 = System.nanoTime();
        Process ref = backupProcess(chat, reference);
        assertEquals(0, ref.waitFor());
        long runMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, byte[]> after = comparable(reference);
        assertTrue(!same(before, after));

        // Kill delays spread evenly over the reference run's time (and a little past it), then kills timed by
        // watching for the commit marker, so that some land while the committed files are being put in place.
        List<Long> delays = new ArrayList<>();
        int spread = 6;
        for (int i = 0; i < spread; i++) {
            delays.add(runMs * (2 * i + 1) * 15 / (20L * spread));
        }
        for (int i = 0; i < 2; i++) {
            delays.add(-1L - i); // -1 - k: k ms after COMMITTED appears
        }
        int sawBefore = 0;
        int sawAfter = 0;
        int killedWhileFinishing = 0;
        java.util.EnumMap<ArchiveUpdate.Recovery, Integer> recoveries = new java.util.EnumMap<>(ArchiveUpdate.Recovery.class);
        List<String> log = new ArrayList<>();
        Path marker = archive.resolve(ArchiveUpdate.TXN).resolve(ArchiveUpdate.COMMITTED);
        for (int i = 0; i < delays.size(); i++) {
            PrivateCopy.reset(pristine, archive);
            long delay = delays.get(i);
            Process p = backupProcess(chat, archive);
            if (delay >= 0) {
                Thread.sleep(delay);
            } else {
                long deadline = System.nanoTime() + runMs * 3_000_000L;
                while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                Thread.sleep(-delay - 1);
            }
            p.destroyForcibly();
            p.waitFor();
            boolean finishing = Files.exists(marker);
            ArchiveUpdate.Recovery recovery;
            try (ArchiveUpdate recover = ArchiveUpdate.begin(archive)) {
                // taking the lock (free again: the killed run's lock died with it) finishes or discards what the
                // killed run left
                recovery = recover.recovered();
                if (finishing) {
                    assertEquals(ArchiveUpdate.Recovery.ROLLED_FORWARD, recovery, "iteration " + i);
                }
            }
            recoveries.merge(recovery, 1, Integer::sum);
            Map<String, byte[]> now = comparable(archive);
            boolean isBefore = same(before, now);
            boolean isAfter = same(after, now);
            log.add((delay >= 0 ? delay + " ms" : "COMMITTED+" + (-delay - 1) + " ms") + ": "
                    + (isBefore ? "before" : isAfter ? "after" : "MIXED") + " " + recovery);
            assertTrue(isBefore || isAfter, "iteration " + i + ": the archive is neither as before nor as after: " + log);
            ManifestCheck check = ManifestCheck.of(archive);
            assertTrue(check.ok(), "iteration " + i + ": " + check);
            sawBefore += isBefore ? 1 : 0;
            sawAfter += isAfter ? 1 : 0;
            killedWhileFinishing += finishing ? 1 : 0;
        }
        System.out.println("kill loop (reference run " + runMs + " ms): " + log);
        assertTrue(sawBefore > 0 && sawAfter > 0, "kills landed both before and after the commit: " + log);
        assertTrue(recoveries.getOrDefault(ArchiveUpdate.Recovery.ROLLED_BACK, 0) > 0,
                "at least one kill landed while the run was writing its changes: " + log);
        assertTrue(killedWhileFinishing > 0, "at least one kill landed after COMMITTED, before the run finished: " + log);
        // A real run after the last kill takes the lock and works as usual.
        assertEquals(0, backupProcess(chat, archive).waitFor());
        assertTrue(ManifestCheck.of(archive).ok());
    }

    /**
     * {@link #aKilledRunLeavesTheArchiveAsBeforeOrAsAfter} with an HTML site: the run renders the changed
     * conversation's pages again, and the new site takes the place of {@code html/} in the run's commit. Kills land
     * while the run merges, while it renders the new site (timed by watching for the staged site), right after the
     * commit marker appears, and while the commit swaps the site (timed by watching for the old site being moved
     * aside into the transaction folder). After each, once the next run has
     * taken the lock, the archive, site included, is exactly as before or exactly as after, and {@code verify}
     * passes. A real run after the last kill leaves the site exactly as the uninterrupted run did.
     */
    @Test
    void aKilledRunLeavesTheArchiveAndItsHtmlSiteAsBeforeOrAsAfter() throws Exception {
        Path chat = tmp.resolve("site.txt");
        Path archive = tmp.resolve("killed-site");
        Map<String, byte[]> before = archiveWithSite(chat, archive);
        Path pristine = tmp.resolve("pristine-site");
        copyTree(archive, pristine);
        StringBuilder media = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String name = String.format(java.util.Locale.ROOT, "IMG-20230105-WA%04d.jpg", i);
            Files.writeString(tmp.resolve(name), "picture " + i + " " + "x".repeat(2000 + i));
            media.append(String.format(java.util.Locale.ROOT, "01/05/2023, 10:%02d - Bob: %s (file attached)%n",
                    i, name));
        }
        Files.writeString(chat, chat(0, 590) + media + chat(3000, 300));
        Path reference = tmp.resolve("reference-site");
        copyTree(pristine, reference);
        long t0 = System.nanoTime();
        Process ref = backupProcess(chat, reference);
        assertEquals(0, ref.waitFor());
        long runMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, byte[]> after = comparable(reference);
        assertTrue(!same(before, after));
        Map<String, byte[]> siteAfter = BackupChangesTest.tree(reference.resolve("html"));
        assertTrue(!siteAfter.equals(BackupChangesTest.tree(pristine.resolve("html"))));
        assertTrue(ManifestCheck.of(reference).ok(), "the manifest lists the new site");

        Path marker = FolderKillLoop.marker(archive);
        Path staging = FolderKillLoop.staging(archive, "html");
        Path aside = FolderKillLoop.aside(archive, "html");
        List<FolderKillLoop.Kill> kills = List.of(FolderKillLoop.Kill.after(runMs * 3 / 10),
                new FolderKillLoop.Kill("site staged", staging, 0), new FolderKillLoop.Kill("COMMITTED", marker, 0),
                new FolderKillLoop.Kill("COMMITTED", marker, 1),
                new FolderKillLoop.Kill("old html moved aside", aside, 0),
                new FolderKillLoop.Kill("old html moved aside", aside, 0));
        FolderKillLoop.Outcome o = FolderKillLoop.run(pristine, archive, "html", "site swap", runMs, kills, before,
                after, () -> backupProcess(chat, archive), (i, log) -> { });
        Map<String, Integer> landed = o.landed();
        List<String> log = o.log();
        int sawBefore = o.sawBefore();
        int sawAfter = o.sawAfter();
        System.out.println("kill loop with a site (reference run " + runMs + " ms): " + landed + " " + log);
        assertTrue(sawBefore > 0 && sawAfter > 0, "kills landed both before and after the commit: " + log);
        assertTrue(landed.getOrDefault("before the commit", 0) > 0, "a kill landed before the commit: " + log);
        assertTrue(landed.getOrDefault("during the site swap", 0) + landed.getOrDefault(
                "after the marker, before the site swap", 0) > 0, "a kill landed after the marker: " + log);
        // A real run after the last kill brings the site to where the uninterrupted run did.
        assertEquals(0, backupProcess(chat, archive).waitFor());
        assertTrue(ManifestCheck.of(archive).ok());
        Map<String, byte[]> site = BackupChangesTest.tree(archive.resolve("html"));
        assertSameFiles(siteAfter, site);
    }

    private static Process backupProcess(Path chat, Path archive) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "backup", chat.toString(),
                "--archive", archive.toString(), "--zone", "UTC", "--me", "Alice", "--title", "Chat", "-q")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Every file, with manifest.json's run section left out. */
    static Map<String, byte[]> comparable(Path dir) throws Exception {
        Map<String, byte[]> f = files(dir);
        if (f.containsKey(Manifest.FILE)) {
            ObjectNode m = (ObjectNode) CanonicalJson.mapper().readTree(f.get(Manifest.FILE));
            m.remove("run");
            f.put(Manifest.FILE, CanonicalJson.mapper().writeValueAsBytes(m));
        }
        return f;
    }

    /**
     * A backed-up chat of 600 messages at {@code chat} with an HTML site of more than 100 pages, in {@code archive}
     * (checked against its manifest); returns its files as {@link #comparable} gives them.
     */
    static Map<String, byte[]> archiveWithSite(Path chat, Path archive) throws Exception {
        Files.writeString(chat, chat(0, 600));
        assertEquals(0, backup(chat, archive).code());
        Cli.Result rendered = run("render", archive.toString(), "--format", "html", "--zone", "UTC",
                "--page-size", "5", "-q");
        assertEquals(0, rendered.code(), rendered.err());
        Map<String, byte[]> before = comparable(archive);
        assertTrue(before.keySet().stream().filter(f -> f.startsWith("html/")).count() > 100,
                before.keySet().toString());
        assertTrue(ManifestCheck.of(archive).ok());
        return before;
    }

    /** Asserts that both hold the same files, byte for byte, but for the contents of those named in {@code ignored}. */
    static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual, String... ignored) {
        assertEquals(expected.keySet(), actual.keySet());
        java.util.Set<String> skip = java.util.Set.of(ignored);
        for (String f : expected.keySet()) {
            if (!skip.contains(f)) {
                assertArrayEquals(expected.get(f), actual.get(f), f);
            }
        }
    }

    /** The files that are in only one of {@code a} and {@code b}, or differ. */
    static java.util.Set<String> differing(Map<String, byte[]> a, Map<String, byte[]> b) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String k : a.keySet()) {
            if (!b.containsKey(k) || !java.util.Arrays.equals(a.get(k), b.get(k))) {
                out.add(k);
            }
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                out.add(k);
            }
        }
        return out;
    }

    static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }

    static void copyTree(Path from, Path to) throws Exception {
        org.chatarchive.fixtures.Trees.copy(from, to);
    }

    /** Puts a fresh copy of an archive in place. */
    static final class PrivateCopy {
        static void reset(Path pristine, Path target) throws Exception {
            if (Files.exists(target)) {
                try (Stream<Path> all = Files.walk(target)) {
                    all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            copyTree(pristine, target);
        }
    }
}
