package org.chatarchive.readers.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;

/**
 * The chat-miner conformance set (third-party, MIT, kept outside the repository): one conversation rendered in five
 * header styles, each of which must give the messages in {@code target.json}. The target lists the messages written
 * by people, newest first, with local times and no zone; the files are read in UTC so that local time = UTC.
 * chat-miner joins continuation lines with a space where the reader keeps {@code \n}; that is the one difference,
 * and the comparison allows for it.
 */
class WhatsAppConformanceTest {

    static Path conformanceDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("conformance").resolve("whatsapp-text");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> chatMinerRenderingsGiveTheTarget() throws Exception {
        Path base = conformanceDir();
        Assumptions.assumeTrue(base != null && Files.isDirectory(base.resolve("chat-miner")),
                "shared/conformance/whatsapp-text/chat-miner not found above the working directory; skipping");
        Path dir = base.resolve("chat-miner");
        JsonNode target = new ObjectMapper().readTree(dir.resolve("target.json").toFile());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        assertEquals(5, files.size(), "five renderings expected in " + dir.getFileName());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<Message> got = new ArrayList<>();
            try (WhatsAppExportReader r = WhatsAppExportReader.open(f,
                    new WhatsAppExportReader.Options(ZoneOffset.UTC, null, null))) {
                r.messages(r.conversations().get(0), m -> {
                    if (m.direction() != Direction.SYSTEM) {
                        got.add(m);
                    }
                });
            }
            got.sort(Comparator.comparingLong(Message::timelineAt).reversed());
            assertEquals(target.size(), got.size(), "message count");
            for (int i = 0; i < target.size(); i++) {
                JsonNode t = target.get(i);
                Message m = got.get(i);
                long want = LocalDateTime.parse(t.get("timestamp").asText()).toInstant(ZoneOffset.UTC).toEpochMilli();
                assertEquals(want, m.sentAt(), "instant of #" + i);
                assertEquals("whatsapp:" + t.get("author").asText(), m.senderId(), "author of #" + i);
                // chat-miner joins a message's lines with a space; the reader keeps the line break.
                assertEquals(t.get("message").asText(), m.body().replace('\n', ' '), "text of #" + i);
            }
        }));
    }
}
