package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.Manifest;
import org.chatarchive.renderers.production.DatFile;
import org.chatarchive.renderers.production.OptFile;
import org.chatarchive.renderers.production.ProductionWriter;

/** {@code export --production} and {@code render --production}: the set, its manifest, its log, its errors. */
class ProductionCommandTest {

    static final String OWN = "aaaaaaaa-0000-4000-8000-000000000001";
    static final String BOB = "bbbbbbbb-0000-4000-8000-000000000002";
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    static Path tmp;
    static Path sampleArchive;
    static Path sampleProduction;
    static Cli.Result sample;

    @BeforeAll
    static void produceTheSample() {
        sampleArchive = tmp.resolve("sample-archive");
        sampleProduction = tmp.resolve("sample-production");
        sample = Cli.run("export", SignalProfiles.committedSample().toString(), "--out",
                sampleArchive.toString(), "--no-index", "--production", sampleProduction.toString(), "--bates-prefix",
                "ACME", "--custodian", "Jane Doe", "--matter", "Doe v. Roe", "--page-images", "--image-dpi", "100");
    }

    static Map<String, String> deliverables(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (FileHashes f : Manifest.read(dir).files()) {
            out.put(f.path(), f.sha256());
        }
        return out;
    }

    @Test
    void exportWritesAProductionThatVerifiesWithEveryDeliverableInItsManifest() throws Exception {
        assertEquals(0, sample.code(), sample.err() + sample.out());
        assertTrue(sample.out().contains("Production ") && sample.out().contains("Bates ACME000001 to ACME"),
                sample.out());
        Manifest m = Manifest.read(sampleProduction);
        List<String> listed = m.files().stream().map(FileHashes::path).toList();
        try (Stream<Path> s = Files.walk(sampleProduction)) {
            List<String> present = s.filter(Files::isRegularFile).map(p -> sampleProduction.relativize(p).toString()
                    .replace('\\', '/')).filter(p -> !p.equals("manifest.json")).sorted().toList();
            assertEquals(present.stream().filter(p -> !p.startsWith("logs/")).toList(), listed);
            assertTrue(present.contains("logs/custody.log"), "the log is beside the deliverables, not listed");
        }
        for (FileHashes f : m.files()) {
            assertTrue(f.sha256().matches("[0-9a-f]{64}") && f.md5().matches("[0-9a-f]{32}"), f.toString());
        }
        assertTrue(listed.contains("DATA/VOL001.dat") && listed.contains("DATA/VOL001.opt"), listed.toString());
        assertEquals("export --production", m.command());
        assertEquals("ACME", m.options().get("batesPrefix"));
        assertEquals("UTC", m.options().get("zone"));
        assertEquals("ACME000001", m.counts().get("batesFirst"));
        List<?> ranges = (List<?>) m.counts().get("batesRanges");
        List<List<String>> dat = DatFile.parse(Files.readAllBytes(sampleProduction.resolve("DATA/VOL001.dat")));
        assertEquals(ranges.size() + 1, dat.size(), "one DAT row per document listed in the manifest");
        assertEquals(ProductionWriter.FIELDS, dat.get(0));
        long last = 0;
        for (int i = 0; i < ranges.size(); i++) {
            Map<?, ?> r = (Map<?, ?>) ranges.get(i);
            assertEquals(r.get("begBates"), dat.get(i + 1).get(0));
            assertEquals(r.get("endBates"), dat.get(i + 1).get(1));
            long beg = Long.parseLong(((String) r.get("begBates")).substring(4));
            assertEquals(last + 1, beg, "no gap before " + r.get("begBates"));
            last = Long.parseLong(((String) r.get("endBates")).substring(4));
        }
        assertEquals(String.format("ACME%06d", last), m.counts().get("batesLast"));
        List<OptFile.Page> opt = OptFile.parse(Files.readAllBytes(sampleProduction.resolve("DATA/VOL001.opt")));
        assertEquals(((Number) m.counts().get("pages")).longValue(), opt.size());
        assertEquals(0, Cli.run("verify", sampleProduction.toString()).code());
        assertEquals(0, Cli.run("verify", sampleArchive.toString()).code(), "the archive is intact too");
        String log = Files.readString(sampleProduction.resolve("logs/custody.log"));
        assertTrue(log.matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\tINFO\tsource\t.*"), log);
        assertTrue(log.contains("\tINFO\tproduction-done\t") && log.contains("\tINFO\tmanifest\tmanifest.json sha256 "),
                log);
    }

    @Test
    void aSecondRunGivesTheSameBytesForEveryDeliverable() throws Exception {
        Path archive2 = tmp.resolve("sample-archive-2");
        Path prod2 = tmp.resolve("sample-production-2");
        Cli.Result r = Cli.run("export", SignalProfiles.committedSample().toString(),
                "--out", archive2.toString(), "--no-index", "--production", prod2.toString(), "--bates-prefix", "ACME",
                "--custodian", "Jane Doe", "--matter", "Doe v. Roe", "--page-images", "--image-dpi", "100", "-q");
        assertEquals(0, r.code(), r.err());
        Map<String, String> first = deliverables(sampleProduction);
        assertEquals(first, deliverables(prod2));
        assertEquals(Files.readString(sampleProduction.resolve("manifest.json")).replaceAll("(?s)\"run\".*", ""),
                Files.readString(prod2.resolve("manifest.json")).replaceAll("(?s)\"run\".*", ""),
                "manifests equal but for their run section");
        // render --production from the archive gives the same set as export --production
        Path prod3 = tmp.resolve("rendered-production");
        Cli.Result rr = Cli.run("render", sampleArchive.toString(), "--production",
                prod3.toString(), "--bates-prefix", "ACME", "--custodian", "Jane Doe", "--matter", "Doe v. Roe",
                "--page-images", "--image-dpi", "100", "-q");
        assertEquals(0, rr.code(), rr.err());
        assertEquals(first, deliverables(prod3));
    }

    @Test
    void aMissingAttachmentIsLoggedWithItsMessageIdAndNotedInTheManifest() throws Exception {
        SignalProfileSpec spec = SignalProfileSpec.owner(OWN, "+15555550100");
        spec.conversation(Map.of("id", "c-bob", "type", "private", "profileName", "Bob", "e164", "+15555550102",
                "serviceId", BOB));
        spec.message(message("m-kept", T0, List.of(Map.of("contentType", "text/plain", "plaintextText", "kept",
                "fileName", "kept.txt"))));
        spec.message(message("m-gone", T0 + 60_000, List.of(Map.of("contentType", "image/png", "plaintextText",
                "gone", "fileName", "gone.png", "omitFile", true))));
        Path profile = SignalProfiles.build(spec, tmp.resolve("profile-missing"));
        Path archive = tmp.resolve("archive-missing");
        Path prod = tmp.resolve("production-missing");
        Cli.Result r = Cli.run("export", profile.toString(), "--out", archive.toString(),
                "--no-index", "--production", prod.toString(), "--bates-prefix", "X-", "--bates-start", "100");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("1 attachments not produced"), r.out());
        String goneId = null;
        ArchiveReader a = ArchiveReader.open(archive);
        for (ConversationEntry e : a.info().conversations()) {
            try (Stream<Message> s = a.messages(e)) {
                for (Message m : s.toList()) {
                    if ("m-gone".equals(m.extra().get("sourceRowId"))) {
                        goneId = m.id();
                    }
                }
            }
        }
        String log = Files.readString(prod.resolve("logs/custody.log"));
        assertTrue(log.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT[0-9:.]{12}Z\tWARN\tmissing-attachment\tmessage "
                + java.util.regex.Pattern.quote(goneId) + " in \\S+: attachment gone\\.png \\(image/png\\) not produced: .*"),
                log);
        Manifest m = Manifest.read(prod);
        assertEquals(1, ((Number) m.counts().get("attachmentsNotProduced")).intValue());
        assertTrue(m.counts().get("notes").toString().contains("1 attachment(s) of produced messages are not in the"
                + " archive"), m.counts().toString());
        List<List<String>> dat = DatFile.parse(Files.readAllBytes(prod.resolve("DATA/VOL001.dat")));
        assertEquals("X-000100", dat.get(1).get(0), "--bates-start and the prefix as given");
        assertEquals(3, dat.size(), "the transcript and the one native whose bytes exist");
    }

    /**
     * Search parity (R24): every message of every produced transcript is found in the archive's index by its text,
     * its sender, its conversation and its UTC day together, and each transcript holds exactly the archive's
     * messages of its conversation and day.
     */
    @Test
    void everyProducedMessageIsFoundByTextSenderConversationAndUtcDay() throws Exception {
        org.chatarchive.search.Indexer.update(sampleArchive, org.chatarchive.search.Indexer.Options.defaults());
        List<List<String>> dat = DatFile.parse(Files.readAllBytes(sampleProduction.resolve("DATA/VOL001.dat")));
        List<String> head = dat.get(0);
        ArchiveReader a = ArchiveReader.open(sampleArchive);
        Map<String, ConversationEntry> byId = new HashMap<>();
        a.info().conversations().forEach(e -> byId.put(e.conversation().id(), e));
        java.time.ZoneId utc = java.time.ZoneId.of("UTC");
        long checked = 0;
        long textChecked = 0;
        try (org.chatarchive.search.ArchiveSearch search = org.chatarchive.search.ArchiveSearch.open(sampleArchive)) {
            for (List<String> row : dat.subList(1, dat.size())) {
                if (!row.get(head.indexOf("DOCTYPE")).equals("Chat transcript")) {
                    continue;
                }
                ConversationEntry e = byId.get(row.get(head.indexOf("CONVERSATIONID")));
                String day = row.get(head.indexOf("SLICEDAY"));
                List<Message> inDay;
                try (Stream<Message> s = a.messages(e)) {
                    inDay = s.filter(m -> java.time.Instant.ofEpochMilli(m.timelineAt()).atZone(utc).toLocalDate()
                            .toString().equals(day)).toList();
                }
                assertEquals(row.get(head.indexOf("MESSAGECOUNT")), String.valueOf(inDay.size()), day);
                for (Message m : inDay) {
                    StringBuilder q = new StringBuilder("in:" + quoted(e.conversation().title()) + " on:" + day);
                    // from: means "sent by": a system event's actor is not its sender, so it is found by its text
                    if (m.senderId() != null) {
                        q.append(" from:").append(quoted(m.senderId()));
                    }
                    String text = m.body() != null && !m.body().isBlank() && m.ranges().isEmpty() ? m.body()
                            : m.event() != null && m.event().text() != null ? m.event().text() : null;
                    if (text != null) {
                        // every word, each quoted, with CJK runs apart: a phrase with anything after a run of CJK
                        // text ("中文, 日本語", "新年快乐！🧧") finds nothing in this index version
                        for (String chunk : text.split("\\s+")) {
                            String word = chunk.replaceAll("^[^\\p{L}\\p{N}\\p{M}]+|[^\\p{L}\\p{N}\\p{M}]+$", "");
                            java.util.regex.Matcher cjk = CJK.matcher(word);
                            if (!cjk.find()) {
                                if (!word.isEmpty()) {
                                    q.append(' ').append(quoted(word));
                                }
                                continue;
                            }
                            java.util.regex.Matcher w = WORD.matcher(word);
                            while (w.find()) {
                                q.append(' ').append(quoted(w.group()));
                            }
                        }
                        textChecked++;
                    }
                    List<String> ids = search.search(q.toString(), utc, org.chatarchive.search.SortOrder.OLDEST, 10_000)
                            .hits().stream().map(org.chatarchive.search.Hit::messageId).toList();
                    assertTrue(ids.contains(m.id()), () -> "not found: " + m.id() + " by " + q);
                    checked++;
                }
            }
        }
        assertEquals(((Number) a.info().counts().getOrDefault("messages", checked)).longValue(), checked,
                "every archived message is in a transcript");
        assertTrue(textChecked > 300, "most messages were also found by their text: " + textChecked);
    }

    static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("\\p{IsHan}+|[\\p{IsHiragana}"
            + "\\p{IsKatakana}]+|\\p{IsHangul}+|[\\p{L}\\p{N}\\p{M}&&[^\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}"
            + "\\p{IsHangul}]]+");

    static final java.util.regex.Pattern CJK = java.util.regex.Pattern.compile("[\\p{IsHan}\\p{IsHiragana}"
            + "\\p{IsKatakana}\\p{IsHangul}]");

    static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A production that fails half-way (attachment files gone from the archive) leaves no partial set. */
    @Test
    void aFailedProductionLeavesNothingBehindAndIsRecordedInTheArchiveLog() throws Exception {
        Path damaged = tmp.resolve("damaged-archive");
        Cli.Result r = Cli.run("export", SignalProfiles.committedSample().toString(),
                "--out", damaged.toString(), "--no-index", "-q");
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.walk(damaged.resolve("attachments"))) {
            for (Path a : s.filter(Files::isRegularFile).toList()) {
                Files.delete(a); // the attachments' bytes gone from the archive's store
            }
        }
        Path prod = tmp.resolve("never-complete");
        Cli.Result f = Cli.run("render", damaged.toString(), "--production",
                prod.toString(), "--bates-prefix", "ACME");
        assertEquals(ExitCode.OUTPUT, f.code(), f.err() + f.out());
        assertTrue(f.err().contains("The production was not written (a file is missing: ") && f.err().contains(
                "is as it was") && f.err().contains("chat-archive verify "), f.err());
        assertFalse(Files.exists(prod));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("production-staging")), "staging removed");
        }
        assertTrue(Files.readString(damaged.resolve("logs/custody.log")).contains("\tERROR\tproduction-failed\t"
                + "production to never-complete not written: a file is missing: "));
    }

    static Map<String, Object> message(String id, long at, List<?> attachments) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", id);
        m.put("conversationId", "c-bob");
        m.put("type", "incoming");
        m.put("sent_at", at);
        m.put("body", "message " + id);
        m.put("attachments", attachments);
        return m;
    }

    @Test
    void aNonEmptyProductionFolderStopsTheRunBeforeAnythingIsWritten() throws Exception {
        Path prod = tmp.resolve("busy");
        Files.createDirectories(prod);
        Files.writeString(prod.resolve("earlier.dat"), "an earlier production");
        Path out = tmp.resolve("never-written");
        Cli.Result r = Cli.run("export", SignalProfiles.committedSample().toString(),
                "--out", out.toString(), "--production", prod.toString(), "--bates-prefix", "ACME");
        assertEquals(ExitCode.OUTPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("is not empty; give a new or empty folder"), r.err());
        assertFalse(Files.exists(out), "the archive was not started");
        assertEquals("an earlier production", Files.readString(prod.resolve("earlier.dat")));
        try (Stream<Path> s = Files.list(prod)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void productionNeedsAUsableBatesPrefix() {
        Path out = tmp.resolve("no-bates");
        Cli.Result r = Cli.run("export", SignalProfiles.committedSample().toString(),
                "--out", out.toString(), "--production", tmp.resolve("p1").toString());
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--production needs Bates numbers: add --bates-prefix, e.g. --bates-prefix ACME"),
                r.err());
        assertFalse(Files.exists(out));
        Cli.Result bad = Cli.run("render", sampleArchive.toString(), "--production",
                tmp.resolve("p2").toString(), "--bates-prefix", "AC/ME");
        assertEquals(ExitCode.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().contains("a Bates prefix or suffix may hold only"), bad.err());
        assertFalse(Files.exists(tmp.resolve("p2")));
        Cli.Result inside = Cli.run("render", sampleArchive.toString(), "--production",
                sampleArchive.resolve("prod").toString(), "--bates-prefix", "ACME");
        assertEquals(ExitCode.USAGE, inside.code(), inside.err());
        assertTrue(inside.err().contains("overlap; give the production a folder of its own"), inside.err());
        Cli.Result nothing = Cli.run("render", sampleArchive.toString());
        assertEquals(ExitCode.USAGE, nothing.code(), nothing.err());
        Cli.Result alone = Cli.run("render", sampleArchive.toString(), "--format", "pdf",
                "--page-images");
        assertEquals(ExitCode.USAGE, alone.code(), alone.err());
        assertTrue(alone.err().contains("add --production DIR"), alone.err());
    }
}
