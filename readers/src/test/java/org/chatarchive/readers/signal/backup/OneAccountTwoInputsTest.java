package org.chatarchive.readers.signal.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.fixtures.SignalProfileSpec;
import org.chatarchive.fixtures.SignalProfiles;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Participant;
import org.chatarchive.readers.signal.desktop.SignalDesktopReader;

/**
 * One account read from two inputs, its Signal Desktop profile and its plaintext chat export, names the same
 * people, chats and messages with the same ids, so that an archive fed by both holds each once.
 */
class OneAccountTwoInputsTest {

    @Test
    void desktopProfileAndChatExportAgreeOnIds(@TempDir Path tmp) throws Exception {
        BackupFixture fixture = BackupFixture.standard();
        Path export = Files.createDirectories(tmp.resolve("signal-export-2026-01-02-10-00-00"));
        JsonNode r = Oracle.exportJsonl(fixture, export.resolve("main.jsonl"));
        assertTrue(r.path("ok").asBoolean(), r.toString());
        Files.writeString(export.resolve("metadata.json"), "{\"version\":1}");

        // The same account on Desktop: Alice's first two messages and the group, as Desktop stores them.
        String own = BackupFixture.OWNER.toString();
        String alice = BackupFixture.ALICE.toString();
        String bob = BackupFixture.BOB.toString();
        SignalProfileSpec spec = SignalProfileSpec.owner(own, null);
        String self = spec.noteToSelf("c-self", "Olivia Owner");
        String a = spec.privateChat("c-alice", "Alice", "+15551230001", alice);
        String b = spec.privateChat("c-bob", "Robert", null, bob);
        spec.conversation(Map.of("id", "c-family", "type", "group", "name", "Family 🏡",
                "members", List.of(self, a, b),
                "json", Map.of("masterKey", Base64.getEncoder().encodeToString(BackupFixture.MASTER_KEY),
                        "groupVersion", 2)));
        spec.incoming(a, "d1", BackupFixture.T0 + 1000, "Hello there");
        spec.outgoing(a, "d2", BackupFixture.T0 + 2000, "Hi Alice");
        spec.incoming("c-family", "g1", BackupFixture.T0 + 999_000, "only on Desktop", bob, Map.of());
        Path profile = SignalProfiles.build(spec, tmp.resolve("profile"));

        Set<String> exportConversations = new HashSet<>();
        Set<String> exportMessages = new HashSet<>();
        Set<String> exportPeople = new HashSet<>();
        try (SignalBackupReader backup = SignalBackupReader.open(tmp, new SignalBackupReader.Options(null, null, own))) {
            backup.participants().forEach(p -> exportPeople.add(p.id()));
            for (Conversation c : backup.conversations()) {
                exportConversations.add(c.id());
                backup.messages(c, m -> exportMessages.add(m.id()));
            }
        }
        try (SignalDesktopReader desktop = SignalDesktopReader.open(profile, SignalDesktopReader.Options.defaults())) {
            List<String> desktopMessages = new ArrayList<>();
            for (Conversation c : desktop.conversations()) {
                assertTrue(exportConversations.contains(c.id()), c.id() + " is also a conversation of the export: "
                        + exportConversations);
                desktop.messages(c, m -> desktopMessages.add(m.id()));
            }
            assertEquals(3, desktopMessages.size());
            for (String id : desktopMessages.subList(0, 2)) {
                assertTrue(exportMessages.contains(id), id + " is also a message of the export");
            }
            for (Participant p : desktop.participants()) {
                assertTrue(exportPeople.contains(p.id()), p.id() + " is also a participant of the export: " + exportPeople);
            }
            assertEquals("signal:" + own, desktop.ownerId());
        }
        assertTrue(exportConversations.contains("signal-group:" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(BackupFixture.MASTER_KEY)));
    }

}
