package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's file table read and written by hand ({@link ManifestFileTable}) must give what Jackson gives: the
 * same bytes written, the same manifest read, the same failure for a file Jackson cannot read.
 */
class ManifestFileTableTest {

    @TempDir
    Path dir;

    /** {@link Manifest}'s components without the hand-written table: what Jackson alone writes. */
    record PlainManifest(int manifestVersion, String tool, String toolVersion, String command,
                         Map<String, Object> options, List<Manifest.Source> sources, Map<String, Object> counts,
                         List<FileHashes> files, Map<String, Object> run) {
        static PlainManifest of(Manifest m) {
            return new PlainManifest(m.manifestVersion(), m.tool(), m.toolVersion(), m.command(), m.options(),
                    m.sources(), m.counts(), m.files(), m.run());
        }
    }

    @Test
    void writesTheBytesJacksonWritesAndReadsBackWhatJacksonReads() throws Exception {
        Random r = new Random(11);
        int handRead = 0;
        for (int round = 0; round < 300; round++) {
            boolean plainOnly = round % 2 == 0;
            Manifest m = randomManifest(r, plainOnly);
            byte[] bytes = m.toBytes();
            assertArrayEquals(CanonicalJson.prettyBytes(PlainManifest.of(m)), bytes, "round " + round);
            // compact, as any other writer of a manifest would: Jackson's own list serializer
            assertArrayEquals(CanonicalJson.lineBytes(PlainManifest.of(m)), CanonicalJson.lineBytes(m));

            Manifest jackson = CanonicalJson.reader(Manifest.class, new UnknownContent()).readValue(bytes);
            assertEquals(jackson, readFile(bytes), "round " + round);
            if (m.files() != null && !m.files().isEmpty()) {
                assertEquals(m.files(), jackson.files());
            }
            Manifest scanned = ManifestFileTable.read(bytes, CanonicalJson.reader(Manifest.class, new UnknownContent()));
            if (plainOnly && m.files() != null && !m.files().isEmpty()) {
                assertNotNull(scanned, "a table as this program writes it is scanned (round " + round + "): "
                        + new String(bytes, StandardCharsets.UTF_8).substring(0, Math.min(bytes.length, 1500)));
            }
            if (scanned != null) {
                handRead++;
                assertEquals(jackson, scanned);
            }
        }
        assertTrue(handRead >= 120, "tables scanned by hand: " + handRead);
    }

    @Test
    void aTableInAnyOtherFormIsReadAsJacksonReadsItOrFailsAsItFails() throws Exception {
        Manifest m = randomManifest(new Random(3), true);
        String canonical = new String(m.toBytes(), StandardCharsets.UTF_8);
        String firstPath = m.files().get(0).path();
        List<String> variants = new ArrayList<>();
        variants.add(new String(CanonicalJson.lineBytes(m), StandardCharsets.UTF_8)); // compact
        variants.add(canonical.replace("\"path\": \"" + firstPath, "\"path\": \"\\u0061" + firstPath)); // an escape
        variants.add(canonical.replaceFirst("\"size\": (\\d+)", "\"size\": 0$1")); // a leading zero
        variants.add(canonical.replaceFirst("\"size\": (\\d+)", "\"size\": $1.5")); // a fraction
        variants.add(canonical.replaceFirst("\"size\": (\\d+)", "\"size\": 12345678901234567890")); // too long
        variants.add(canonical.replaceFirst("\"size\": (\\d+)", "\"size\": 9223372036854775808")); // a long + 1
        variants.add(canonical.replaceFirst("(\"md5\": \"[0-9a-f]+\")", "$1,\n      \"note\": \"x\"")); // more
        variants.add(canonical.replaceFirst("\n    \\{\n      \"path\"", "\n    {\n      \"zz\": 1,\n      \"path\""));
        variants.add(canonical.replaceFirst("\"sha256\": \"[0-9a-f]+\",\n", "")); // no SHA-256
        variants.add(canonical.replace("\n  \"run\"", "\n  \"files\": [ ],\n  \"run\"")); // a second table, empty
        variants.add(canonical.replace("\n  \"run\"", "\n  \"files\": [ { \"path\": \"b\", \"size\": 1 } ],\n  \"run\""));
        variants.add(canonical.replace("\n  \"counts\"", "\n  \"files\": [ { \"path\": \"b\", \"size\": 1 } ],\n"
                + "  \"counts\""));
        // the table's key and indentation inside another object
        variants.add(canonical.replace("\n  \"counts\": {", "\n  \"counts\": {\n  \"files\": [\n    {\n      \"path\": \"x\","
                + "\n      \"size\": 1,\n      \"sha256\": \"ab\"\n    }\n  ],"));
        // ... and the manifest's own table in another form: the only table in form is not the manifest's
        variants.add(variants.get(variants.size() - 1).replace("\n  \"files\": [\n    {\n      \"path\": \"" + firstPath,
                "\n  \"files\":[\n    {\n      \"path\": \"" + firstPath));
        variants.add(canonical.substring(0, canonical.length() / 2)); // cut short
        variants.add(canonical.replace("\n  ]", "\n  ],,")); // broken after the table
        variants.add(canonical.replace("\n  ]", "\n  ]  ")); // more spaces after it
        variants.add(canonical.replace("\n  \"files\": [", "\n  \"files\": [\n    {\n      \"path\": \"dup\",\n"
                + "      \"size\": 1,\n      \"sha256\": \"ab\"\n    },")); // an entry more, in form
        int same = 0;
        for (int i = 0; i < variants.size(); i++) {
            byte[] bytes = variants.get(i).getBytes(StandardCharsets.UTF_8);
            Object jackson;
            try {
                jackson = CanonicalJson.reader(Manifest.class, new UnknownContent()).readValue(bytes);
            } catch (IOException e) {
                jackson = e.getClass();
            }
            Object ours;
            try {
                ours = readFile(bytes);
            } catch (ArchiveFormatException e) {
                ours = e.getCause().getClass();
            }
            assertEquals(jackson, ours, "variant " + i);
            if (jackson instanceof Manifest jm && jm.equals(m)) {
                same++;
            }
        }
        assertTrue(same >= 2, "variants that still read as the manifest: " + same);
    }

    @Test
    void aTableWithEntriesToEscapeIsWrittenByJackson() throws Exception {
        List<FileHashes> files = List.of(
                new FileHashes("a/plain.txt", 1, "00", "11"),
                new FileHashes("b/\"quoted\"\\and\u0001control é😀", 2, "22", null));
        Manifest m = manifest(files);
        byte[] bytes = m.toBytes();
        assertArrayEquals(CanonicalJson.prettyBytes(PlainManifest.of(m)), bytes);
        assertNull(ManifestFileTable.format(files));
        assertEquals(CanonicalJson.reader(Manifest.class, new UnknownContent()).readValue(bytes), readFile(bytes));
        assertEquals(files, readFile(bytes).files());
    }

    private Manifest readFile(byte[] bytes) throws IOException {
        Files.write(dir.resolve(Manifest.FILE), bytes);
        return Manifest.read(dir);
    }

    private static Manifest randomManifest(Random r, boolean plainOnly) {
        int n = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 5 : 300);
        List<FileHashes> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = randomPath(r, plainOnly);
            long size = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(10);
                case 2 -> Long.MAX_VALUE - r.nextInt(3);
                default -> r.nextLong() & Long.MAX_VALUE;
            };
            String sha = hex(r, 32);
            String md5 = r.nextInt(5) == 0 ? null : hex(r, 16);
            files.add(new FileHashes(path, size, sha, md5));
        }
        return manifest(files.isEmpty() && r.nextBoolean() ? null : files);
    }

    private static Manifest manifest(List<FileHashes> files) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("title", "files: [ \"x\" ]\n  \"files\": [");
        options.put("includeExpiring", false);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("host", "h");
        run.put("history", List.of(Map.of("files", List.of(Map.of("path", "p", "size", 1)))));
        return new Manifest(Manifest.VERSION, "chat-archive", "1.0", "backup", options,
                List.of(new Manifest.Source("signal-desktop", 1830, "ab",
                        List.of(new FileHashes("sql/db.sqlite", 10, "cd", "ef")))),
                Map.of("messages", 3), files, run);
    }

    private static String randomPath(Random r, boolean plainOnly) {
        String alphabet = plainOnly ? "abcXYZ019/._- ~!#$%&'()*+,:;<=>?@[]^`{|}"
                : "abc/._- \"\\\u0001\u001f\u007f\u00e9\u4e2d\ud83d\ude00";
        StringBuilder b = new StringBuilder();
        int len = 1 + r.nextInt(40);
        for (int i = 0; i < len; i++) {
            char c = alphabet.charAt(r.nextInt(alphabet.length()));
            if (Character.isHighSurrogate(c)) {
                b.append(c).append('\ude00');
            } else if (!Character.isLowSurrogate(c)) {
                b.append(c);
            }
        }
        return b.length() == 0 ? "x" : b.toString();
    }

    private static String hex(Random r, int bytes) {
        byte[] b = new byte[bytes];
        r.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }
}
