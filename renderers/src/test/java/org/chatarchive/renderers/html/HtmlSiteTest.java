package org.chatarchive.renderers.html;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.store.ArchiveLayout;

class HtmlSiteTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path tmp;
    Path archive;

    @BeforeEach
    void write() throws IOException {
        archive = tmp.resolve("archive");
        TestArchive.write(archive);
    }

    HtmlResult render(HtmlOptions o) throws IOException {
        return HtmlSite.render(archive, o);
    }

    String read(String rel) throws IOException {
        return Files.readString(archive.resolve("html").resolve(rel), StandardCharsets.UTF_8);
    }

    static String dir(String conversationId) {
        String f = ArchiveLayout.messagesFile(conversationId);
        return f.substring("conversations/".length(), f.length() - ".jsonl".length());
    }

    @Test
    void writesIndexPagesAndAssetsInsideTheArchive() throws IOException {
        HtmlResult r = render(HtmlOptions.of(BERLIN).withPageSize(10));
        assertEquals(archive.resolve("html"), r.dir());
        assertEquals(3, r.conversations());
        assertEquals(2 + 4 + 1, r.pages(), "group 15 messages, direct 35, empty 1 page");
        assertEquals(15 + TestArchive.DIRECT_MESSAGES, r.messages());
        assertTrue(Files.isRegularFile(archive.resolve("html/index.html")));
        assertTrue(Files.isRegularFile(archive.resolve("html/assets/style.css")));
        assertTrue(Files.isRegularFile(archive.resolve("html/assets/app.js")));
        for (int p = 1; p <= 4; p++) {
            assertTrue(Files.isRegularFile(archive.resolve("html/" + dir(TestArchive.DIRECT) + "/p-" + p + ".html")), "page " + p);
        }
        assertFalse(Files.exists(archive.resolve("html/" + dir(TestArchive.DIRECT) + "/p-5.html")));
        try (Stream<Path> s = Files.list(archive)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".html")), "no staging folder left");
        }
    }
}
