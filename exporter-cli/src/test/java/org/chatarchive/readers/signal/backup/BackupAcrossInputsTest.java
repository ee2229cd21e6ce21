package org.chatarchive.readers.signal.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.cli.Main;
import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;

/**
 * {@code chat-archive backup} of one account's Signal Desktop profile, then of the same account's chat export
 * (written by libsignal's own exporter), into one archive: what both hold is there once, what only the export
 * holds is added.
 */
class BackupAcrossInputsTest {

    static int run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, String.join(" ", args) + "\n" + out + err);
        return code;
    }

    static List<String> messageIds(Path archive) throws Exception {
        List<String> ids = new ArrayList<>();
        ArchiveReader r = ArchiveReader.open(archive);
        for (ConversationEntry e : r.info().conversations()) {
            try (Stream<Message> s = r.messages(e)) {
                s.forEach(m -> ids.add(m.id()));
            }
        }
        return ids;
    }

    @Test
    void aDesktopProfileThenTheChatExportOfTheSameAccountAddOnlyWhatIsNew(@TempDir Path tmp) throws Exception {
        BackupFixture fixture = BackupFixture.standard();
        Path export = Files.createDirectories(tmp.resolve("export").resolve("signal-export-2026-01-02-10-00-00"));
        JsonNode r = Oracle.exportJsonl(fixture, export.resolve("main.jsonl"));
        assertTrue(r.path("ok").asBoolean(), r.toString());
        Files.writeString(export.resolve("metadata.json"), "{\"version\":1}");
        for (BackupFixture.MediaFile m : fixture.media.values()) {
            Path d = Files.createDirectories(export.getParent().resolve("files").resolve(m.mediaName().substring(0, 2)));
            Files.write(d.resolve(m.mediaName() + "." + m.extension()), m.plaintext());
        }

        String own = BackupFixture.OWNER.toString();
        SignalProfileSpec spec = SignalProfileSpec.owner(own, null);
        String self = spec.noteToSelf("c-self", "Olivia Owner");
        String a = spec.privateChat("c-alice", "Alice", "+15551230001", BackupFixture.ALICE.toString());
        String b = spec.privateChat("c-bob", "Robert", null, BackupFixture.BOB.toString());
        spec.conversation(Map.of("id", "c-family", "type", "group", "name", "Family 🏡", "members", List.of(self, a, b),
                "json", Map.of("masterKey", Base64.getEncoder().encodeToString(BackupFixture.MASTER_KEY),
                        "groupVersion", 2)));
        spec.incoming(a, "d1", BackupFixture.T0 + 1000, "Hello there");
        spec.outgoing(a, "d2", BackupFixture.T0 + 2000, "Hi Alice");
        Path profile = SignalProfiles.build(spec, tmp.resolve("profile"));

        Path archive = tmp.resolve("archive");
        run("backup", profile.toString(), "--archive", archive.toString(), "-q");
        List<String> fromDesktop = messageIds(archive);
        assertEquals(2, fromDesktop.size());

        run("backup", tmp.resolve("export").toString(), "--archive", archive.toString(), "-q");
        List<String> all = messageIds(archive);
        Set<String> unique = new HashSet<>(all);
        assertEquals(all.size(), unique.size(), "no message is in the archive twice: " + all);
        assertTrue(unique.containsAll(fromDesktop), "what Desktop gave is kept");

        Set<String> fromExport = new HashSet<>();
        try (SignalBackupReader reader = SignalBackupReader.open(tmp.resolve("export"),
                new SignalBackupReader.Options(null, null, own))) {
            for (var c : reader.conversations()) {
                reader.messages(c, m -> fromExport.add(m.id()));
            }
        }
        assertTrue(fromExport.containsAll(fromDesktop), "the export holds the two Desktop messages too");
        assertEquals(fromExport, unique, "the archive holds the export's messages, each once");

        // The manifest names the export's files with their hashes: they are what a later run compares.
        String manifest = Files.readString(archive.resolve("manifest.json"));
        assertTrue(manifest.contains("signal-export-2026-01-02-10-00-00/main.jsonl"), manifest);
    }
}
