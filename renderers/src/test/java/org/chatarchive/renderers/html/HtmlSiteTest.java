package org.chatarchive.renderers.html;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.store.ArchiveFormatException;
import org.chatarchive.model.store.ArchiveLayout;

/** The site from {@link TestArchive}, checked by structure with an HTML parser. */
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

    HtmlResult render() throws IOException {
        return render(HtmlOptions.of(BERLIN).withPageSize(10));
    }

    Path site(String rel) {
        return archive.resolve("html").resolve(rel);
    }

    Document page(String rel) throws IOException {
        return Jsoup.parse(Files.readString(site(rel), StandardCharsets.UTF_8), site(rel).toUri().toString());
    }

    static String dir(String conversationId) {
        String f = ArchiveLayout.messagesFile(conversationId);
        return f.substring("conversations/".length(), f.length() - ".jsonl".length());
    }

    /** The group's two pages (10 messages per page) as one document: page 2's messages appended to page 1's. */
    Document group() throws IOException {
        Document d = page(dir(TestArchive.GROUP) + "/p-1.html");
        Element main = d.selectFirst("main");
        for (Element e : page(dir(TestArchive.GROUP) + "/p-2.html").select("main > *")) {
            main.appendChild(e.clone());
        }
        return d;
    }

    Element msg(Document d, String id) {
        Element e = d.getElementById(Links.anchor(id));
        assertNotNull(e, "no element for " + id);
        return e;
    }

    @Test
    void writesIndexPagesAndAssetsInsideTheArchive() throws IOException {
        HtmlResult r = render();
        assertEquals(archive.resolve("html"), r.dir());
        assertEquals(3, r.conversations());
        assertEquals(2 + 4 + 1, r.pages(), "group 15 messages, direct 35, empty 1 page");
        assertEquals(15 + TestArchive.DIRECT_MESSAGES, r.messages());
        assertTrue(Files.isRegularFile(site("index.html")));
        assertTrue(Files.isRegularFile(site("assets/style.css")));
        assertTrue(Files.isRegularFile(site("assets/app.js")));
        for (int p = 1; p <= 4; p++) {
            assertTrue(Files.isRegularFile(site(dir(TestArchive.DIRECT) + "/p-" + p + ".html")), "page " + p);
        }
        assertFalse(Files.exists(site(dir(TestArchive.DIRECT) + "/p-5.html")));
        try (Stream<Path> s = Files.list(archive)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".html")), "no staging folder left");
        }
    }

    @Test
    void indexListsEveryConversationNewestFirstWithFilterBox() throws IOException {
        render();
        Document d = page("index.html");
        Elements convs = d.select("li.conv");
        assertEquals(3, convs.size());
        // the direct chat's last message is a month after the group's, and the empty one comes last
        assertEquals(List.of("Alice \u00c5str\u00f6m \ud83c\udf3b", "Family \ud83c\udfd6", "Note to Self"),
                convs.select("a.title").eachText());
        Element direct = convs.get(0);
        assertEquals(dir(TestArchive.DIRECT) + "/p-1.html", direct.selectFirst("a.title").attr("href"));
        assertTrue(direct.text().contains("35 messages"), direct.text());
        assertTrue(direct.text().contains("2023-07-14 to 2023-08-17"), direct.text());
        assertEquals("Direct message number 34", direct.selectFirst(".preview-line").text(), "Alice's, so no name");
        assertEquals("You, Alice \u00c5str\u00f6m \ud83c\udf3b", direct.selectFirst(".cp").text());
        assertEquals("A\u00c5", direct.selectFirst(".avatar").text());
        assertEquals(dir(TestArchive.DIRECT) + "/p-4.html", direct.select(".cm a").attr("href"), "latest page link");
        Element family = convs.get(1);
        assertEquals("You added Bob.", family.selectFirst(".preview-line").text());
        assertEquals("family \ud83c\udfd6 you, alice \u00e5str\u00f6m \ud83c\udf3b, \u05d1\u05d5\u05d1 bob",
                family.attr("data-filter"));
        assertEquals("No messages", convs.get(2).selectFirst(".preview-line").text());
        String avatar = family.selectFirst("img.avatar").attr("src");
        assertTrue(avatar.startsWith("../attachments/"), avatar);
        assertTrue(Files.isRegularFile(site(avatar).normalize()), "the group's picture, from the store");
        assertEquals("../" + avatar, group().selectFirst("header img.avatar").attr("src"), "and in the page header");
        assertNotNull(d.selectFirst("input#filter[type=search]"));
        for (Element a : d.select("a[href]")) {
            assertTrue(Files.isRegularFile(site(a.attr("href"))), "index link " + a.attr("href"));
        }
    }

    @Test
    void hostileMarkupInABodyIsInertText() throws IOException {
        render();
        Document d = group();
        Element text = msg(d, "msg:g4").selectFirst(".text");
        assertEquals(TestArchive.XSS_BODY, text.wholeText());
        assertTrue(text.children().isEmpty(), "no element made from the body: " + text.html());
        assertEquals(1, page(dir(TestArchive.GROUP) + "/p-1.html").select("script").size(), "only the site's own script");
        assertEquals("../assets/app.js", d.selectFirst("script").attr("src"));
        assertTrue(d.select("[onerror], [onclick], [onload]").isEmpty());
        assertTrue(d.select("a[href^=javascript], a[href^=JAVASCRIPT]").isEmpty());
        String raw = Files.readString(site(dir(TestArchive.GROUP) + "/p-1.html"));
        assertFalse(raw.contains("<script>alert"), "escaped in the file itself");
        assertTrue(raw.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void stylesMentionsSpoilersAndLinks() throws IOException {
        render();
        Element text = msg(group(), "msg:g1").selectFirst(".text");
        assertEquals("Hi @Me Myself, look: bold italic strike mono and a secret!", text.text());
        assertEquals("@Me Myself", text.selectFirst(".mention").text());
        assertEquals("bold", text.selectFirst("strong").text());
        assertEquals("italic", text.selectFirst("em").text());
        assertEquals("strike", text.selectFirst("s").text());
        assertEquals("mono", text.selectFirst("code").text());
        Element spoiler = text.selectFirst("span.spoiler");
        assertEquals("secret", spoiler.text());
        assertEquals("0", spoiler.attr("tabindex"));
        assertEquals("auto", text.attr("dir"), "right-to-left text is detected per message");
        Element link = msg(group(), "msg:g10").selectFirst(".text a");
        assertEquals("https://example.org/article?id=1&x=2", link.attr("href"));
        assertEquals("noopener noreferrer", link.attr("rel"));
    }

    @Test
    void quoteLinksToTheQuotedMessageOnTheSameOrAnotherPage() throws IOException {
        render();
        Document g = group();
        Element q = msg(g, "msg:g3").selectFirst("a.quote");
        assertEquals("#" + Links.anchor("msg:g1"), q.attr("href"));
        assertEquals("Alice \u00c5str\u00f6m \ud83c\udf3b", q.selectFirst(".qa").text());
        assertEquals("Hi @Me Myself, look", q.selectFirst(".qt").text());
        // msg:d25 is on page 3 (10 per page) and quotes msg:d2 on page 1
        Document p3 = page(dir(TestArchive.DIRECT) + "/p-3.html");
        Element dq = msg(p3, "msg:d25").selectFirst("a.quote");
        assertEquals("p-1.html#" + Links.anchor("msg:d2"), dq.attr("href"));
        assertNotNull(page(dir(TestArchive.DIRECT) + "/p-1.html").getElementById(Links.anchor("msg:d2")));
        // a quote of a later message, found by its time on the next page
        assertEquals("p-2.html#" + Links.anchor("msg:d15"),
                msg(page(dir(TestArchive.DIRECT) + "/p-1.html"), "msg:d5").selectFirst("a.quote").attr("href"));
        // a quote whose original is not in the archive: shown, not linked, and says so
        Document p4 = page(dir(TestArchive.DIRECT) + "/p-4.html");
        Element lost = msg(p4, "msg:d30").selectFirst(".quote");
        assertEquals("div", lost.tagName());
        assertEquals("something long gone", lost.selectFirst(".qt").text());
        assertEquals("Photo", lost.selectFirst(".qatt").text());
        assertEquals("Original message not found", lost.selectFirst(".qnf").text());
    }

    @Test
    void reactionsEditsDeletionsViewOnceAndTimers() throws IOException {
        render();
        Document g = group();
        Elements reactions = msg(g, "msg:g1").select(".reaction");
        assertEquals(2, reactions.size());
        assertEquals("\u2764\ufe0f", reactions.get(0).selectFirst(".e").text());
        assertEquals("2", reactions.get(0).selectFirst(".n").text());
        assertEquals("You (2023-07-14 18:01:00 +02:00), \u05d1\u05d5\u05d1 Bob (2023-07-14 18:02:00 +02:00)",
                reactions.get(0).selectFirst(".who").text());
        assertEquals("0", reactions.get(0).attr("tabindex"), "who reacted shows on focus too");
        assertNull(reactions.get(1).selectFirst(".n"), "no count for a single reaction");

        Element edited = msg(g, "msg:g3");
        assertEquals("edited", edited.selectFirst(".edited").text());
        Element history = edited.selectFirst("details.edits");
        assertEquals("Replyin to Alise", history.selectFirst(".text").text());
        assertEquals("2023-07-14 18:02:00 +02:00 (Europe/Berlin)", history.selectFirst("time").text());
        assertEquals("Delivered", edited.selectFirst(".status").text());
        assertTrue(edited.selectFirst(".status").attr("title").contains("Alice \u00c5str\u00f6m \ud83c\udf3b: read"));

        Element deleted = msg(g, "msg:g5");
        assertEquals("This message was deleted.", deleted.selectFirst(".gone").text());
        assertEquals("Deleted for everyone 2023-07-14 18:05:00 +02:00", deleted.selectFirst(".gone").attr("title"));
        assertTrue(msg(g, "msg:g6").selectFirst(".viewonce").text().contains("already viewed"));
        Element timer = msg(g, "msg:g7").selectFirst(".timer");
        assertEquals("\u23f1 1d", timer.text());
        assertTrue(timer.attr("title").startsWith("Disappearing message, timer 1 day"));
    }

    @Test
    void systemEventsAndCallsAreCentredNotices() throws IOException {
        render();
        Document g = group();
        Element call = msg(g, "msg:g8");
        assertTrue(call.hasClass("notice") && call.hasClass("missed"), call.className());
        assertTrue(call.text().startsWith("Missed video call"), call.text());
        Element timer = msg(g, "msg:g9");
        assertTrue(timer.hasClass("timer"));
        assertTrue(timer.text().startsWith("Alice set the disappearing message timer to 1 week"));
        assertTrue(msg(g, "msg:g15").hasClass("group"));
    }

    @Test
    void attachmentsInlineFromTheStoreWithPlayerDownloadAndMissingPlaceholder() throws IOException {
        render();
        Document g = group();
        Path pageDir = site(dir(TestArchive.GROUP));
        Element img = msg(g, "msg:g2").selectFirst("figure.image img");
        assertTrue(img.attr("src").startsWith("../../attachments/"), img.attr("src"));
        assertTrue(Files.isRegularFile(pageDir.resolve(img.attr("src")).normalize()), "image resolves into the store");
        assertEquals("lazy", img.attr("loading"));
        assertEquals("640", img.attr("width"));
        assertEquals(img.attr("src"), img.parent().attr("href"), "click opens the full size");
        assertEquals("The beach \ud83c\udf0a", msg(g, "msg:g2").selectFirst("figcaption").text());

        Element files = msg(g, "msg:g12");
        Element audio = files.selectFirst("figure.audio audio[controls]");
        assertTrue(Files.isRegularFile(pageDir.resolve(audio.attr("src")).normalize()));
        assertEquals("Voice message \u00b7 0:01 \u00b7 16 KB", files.selectFirst("figure.audio figcaption").text());
        Element pdf = files.selectFirst("a.att.file");
        assertEquals("minutes.pdf", pdf.attr("download"));
        assertEquals("minutes.pdf", pdf.selectFirst(".fname").text());
        assertEquals("19 B", pdf.selectFirst(".fsize").text());
        assertTrue(Files.isRegularFile(pageDir.resolve(pdf.attr("href")).normalize()));
        Element video = files.selectFirst("figure.video video[controls]");
        assertEquals("none", video.attr("preload"), "videos load only when played");
        assertTrue(Files.isRegularFile(pageDir.resolve(video.attr("src")).normalize()));
        assertEquals("Video \u00b7 1:15 \u00b7 17 B", files.selectFirst("figure.video figcaption a").text());
        assertEquals("Waves", files.selectFirst("figure.video figcaption span").text());
        Element missing = files.selectFirst(".att.missing");
        assertTrue(missing.text().contains("Photo lost.jpg"), missing.text());
        assertTrue(missing.text().contains("Not in the archive: the app never downloaded it"), missing.text());
        assertTrue(missing.select("img, a").isEmpty());

        Element sticker = msg(g, "msg:g11").selectFirst("figure.image img");
        assertTrue(Files.isRegularFile(pageDir.resolve(sticker.attr("src")).normalize()));
        Element preview = msg(g, "msg:g10").selectFirst("a.preview");
        assertEquals("https://example.org/article?id=1&x=2", preview.attr("href"));
        assertEquals("An article", preview.selectFirst("strong").text());
        assertEquals("example.org", preview.selectFirst(".site").text());
        assertTrue(Files.isRegularFile(pageDir.resolve(preview.selectFirst("img").attr("src")).normalize()));

        Element contactAndPoll = msg(g, "msg:g13");
        assertEquals("Carol", contactAndPoll.selectFirst(".contact strong").text());
        assertEquals(List.of("Pizza2", "Sushi1"), contactAndPoll.select(".poll li").eachText().stream()
                .map(s -> s.replace(" ", "")).toList());
        assertTrue(msg(g, "msg:g14").selectFirst(".bubble").hasClass("jumbo"), "a lone emoji is shown large");
    }

    @Test
    void attachmentPathsOutsideTheStoreAreNeverLinked() {
        Attachment evil = new Attachment("image/png", "x.png", 1L, "a".repeat(64), null, null, null,
                AttachmentKind.IMAGE, null, Availability.STORED, null, "../../../etc/passwd", null);
        assertNull(Links.attachmentHref(evil, "../../"));
        Views.AttachmentView v = ItemFactory.attachment(evil, "Photo", "../../");
        assertEquals("missing", v.getShow());
        assertEquals("the archive lists a file outside its attachment store", v.getMissing());
        Attachment svg = new Attachment("image/svg+xml", "x.svg", 1L, "a".repeat(64), null, null, null,
                AttachmentKind.IMAGE, null, Availability.STORED, null, "attachments/aa/" + "a".repeat(64) + ".svg", null);
        assertEquals("file", ItemFactory.attachment(svg, "Photo", "../../").getShow(), "SVG is offered as a file, not inlined");
    }

    @Test
    void everyMessageHasAUniqueStableAnchor() throws IOException {
        render();
        Set<String> ids = new HashSet<>();
        for (int p = 1; p <= 4; p++) {
            Document d = page(dir(TestArchive.DIRECT) + "/p-" + p + ".html");
            for (Element e : d.select(".msg, .notice")) {
                assertTrue(e.id().startsWith("m-"), e.id());
                assertTrue(ids.add(e.id()), "duplicate " + e.id());
            }
        }
        assertEquals(TestArchive.DIRECT_MESSAGES, ids.size());
        assertEquals("m-msg_3ag1", Links.anchor("msg:g1"));
        assertEquals("m-a_5fb_2fc_f0_9f_98_80", Links.anchor("a_b/c\ud83d\ude00"));
    }

    @Test
    void timesShowTheChosenZoneWithOffsetsAndDaySeparators() throws IOException {
        render();
        Document g = group();
        Element t = msg(g, "msg:g1").selectFirst(".foot time");
        assertEquals("18:00", t.text());
        assertEquals("2023-07-14T18:00:00+02:00", t.attr("datetime"));
        assertEquals("2023-07-14 18:00:00 +02:00 (Europe/Berlin)", t.attr("title"));
        assertTrue(g.selectFirst(".meta .zone").text().startsWith("Europe/Berlin"));
        assertEquals(List.of("Friday, 14 July 2023"), page(dir(TestArchive.GROUP) + "/p-1.html").select(".day time").eachText());
        Document p1 = page(dir(TestArchive.DIRECT) + "/p-1.html");
        assertEquals(10, p1.select(".day").size(), "one message a day: a separator each");

        render(HtmlOptions.of(ZoneId.of("UTC")).withPageSize(10));
        Element u = msg(group(), "msg:g1").selectFirst(".foot time");
        assertEquals("16:00", u.text());
        assertEquals("2023-07-14T16:00:00Z".replace("Z", "+00:00"), u.attr("datetime"));
    }

    @Test
    void pagesLinkToEachOtherAndTheJumpMenuFindsEveryMonth() throws IOException {
        render();
        String d = dir(TestArchive.DIRECT);
        Document p2 = page(d + "/p-2.html");
        assertEquals("p-1.html", p2.selectFirst(".top a.prev").attr("href"));
        assertEquals("p-3.html", p2.selectFirst(".top a.next").attr("href"));
        assertTrue(p2.title().endsWith("page 2 of 4"), p2.title());
        assertEquals(4, p2.select("details.pages li").size());
        Document p1 = page(d + "/p-1.html");
        assertNull(p1.selectFirst(".top a.prev"));
        assertNull(page(d + "/p-4.html").selectFirst(".top a.next"));
        // messages run from 14 July to 17 August: two months
        Elements months = p2.select("details.jump .year a");
        assertEquals(List.of("Jul", "Aug"), months.eachText());
        for (Element a : months) {
            String[] parts = a.attr("href").split("#");
            String file = parts[0].isEmpty() ? "p-2.html" : parts[0];
            assertNotNull(page(d + "/" + file).getElementById(parts[1]), a.attr("href"));
        }
        // 14 July + 17 days = 31 July is message 17, on page 2; 1 August is message 18, also page 2
        assertEquals("#" + Links.anchor("msg:d18"), months.get(1).attr("href"));
    }

    @Test
    void splitByMonthBreaksPagesAtMonths() throws IOException {
        HtmlResult r = render(HtmlOptions.of(BERLIN).withPageSize(1000).withSplitBy(SplitBy.MONTH));
        assertEquals(1 + 2 + 1, r.pages());
        Document p1 = page(dir(TestArchive.DIRECT) + "/p-1.html");
        assertEquals(18, p1.select(".msg").size(), "14 to 31 July");
        assertTrue(p1.selectFirst("details.pages summary").text().endsWith("July 2023"));
        assertEquals(17, page(dir(TestArchive.DIRECT) + "/p-2.html").select(".msg").size());
        // one year; 20 a page: group 1 page, direct 2 (35 messages), empty 1
        assertEquals(1 + 2 + 1, render(HtmlOptions.of(BERLIN).withPageSize(20).withSplitBy(SplitBy.YEAR)).pages(),
                "a year split still honours the page size");
    }

    @Test
    void outputIsDeterministic() throws IOException {
        render();
        Map<String, byte[]> first = snapshot();
        render();
        Map<String, byte[]> second = snapshot();
        assertEquals(first.keySet(), second.keySet());
        for (String k : first.keySet()) {
            assertArrayEquals(first.get(k), second.get(k), k);
        }
        render(HtmlOptions.of(BERLIN).withPageSize(10).withThreads(1));
        Map<String, byte[]> single = snapshot();
        for (String k : first.keySet()) {
            assertArrayEquals(first.get(k), single.get(k), k + " with one thread");
        }
    }

    Map<String, byte[]> snapshot() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        Path root = archive.resolve("html");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void pagesForbidRemoteLoadsAndLoadNothingRemote() throws IOException {
        render();
        List<Document> docs = new ArrayList<>(List.of(page("index.html"), group()));
        for (Document d : docs) {
            String csp = d.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content");
            assertTrue(csp.startsWith("default-src 'none'"), csp);
            assertFalse(csp.contains("http"), csp);
            assertEquals("no-referrer", d.selectFirst("meta[name=referrer]").attr("content"));
            for (Element e : d.select("[src], link[href]")) {
                String url = e.hasAttr("src") ? e.attr("src") : e.attr("href");
                assertFalse(url.matches("(?i)^[a-z][a-z0-9+.-]*:.*"), "relative only: " + url);
            }
        }
        String css = Files.readString(site("assets/style.css"));
        assertFalse(css.contains("url("), "no fonts or images fetched by the stylesheet");
        assertFalse(css.contains("@import"));
    }

    @Test
    void aFailedRenderKeepsTheEarlierSite() throws IOException {
        render();
        byte[] index = Files.readAllBytes(site("index.html"));
        Files.writeString(archive.resolve(ArchiveLayout.messagesFile(TestArchive.DIRECT)), "not json\n");
        assertThrows(ArchiveFormatException.class, this::render);
        assertArrayEquals(index, Files.readAllBytes(site("index.html")));
        try (Stream<Path> s = Files.list(archive)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".html")), "staging folder removed");
        }
    }

    @Test
    void anUpdateWritesANewFolderLinkingUnchangedPagesAndLeavesTheOldSiteAlone() throws Exception {
        render();
        Path html = archive.resolve("html");
        Map<String, byte[]> before = tree(html);
        Map<String, Object> inodes = new TreeMap<>();
        for (String f : before.keySet()) {
            inodes.put(f, Files.getAttribute(html.resolve(f), "unix:ino"));
        }
        HtmlOptions options = HtmlSite.recordedOptions(archive, 2);
        assertEquals(10, options.pageSize());
        Path into = Files.createDirectory(tmp.resolve("staged-site"));
        HtmlSite.update(org.chatarchive.model.store.ArchiveReader.open(archive), html, into, options,
                Set.of(TestArchive.GROUP), null);
        Map<String, byte[]> after = tree(into);
        assertEquals(before.keySet(), after.keySet());
        for (String f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), f + ": the same archive gives the same site");
            // The empty conversation's page map lists no pages, so its one page is written again.
            boolean kept = f.startsWith(dir(TestArchive.DIRECT) + "/") || f.startsWith("assets/");
            assertEquals(kept, inodes.get(f).equals(Files.getAttribute(into.resolve(f), "unix:ino")),
                    f + (kept ? " is kept (a link to the old file)" : " is written anew"));
        }
        Map<String, byte[]> old = tree(html);
        for (String f : before.keySet()) {
            assertArrayEquals(before.get(f), old.get(f), f + ": the old site is not changed");
            assertEquals(inodes.get(f), Files.getAttribute(html.resolve(f), "unix:ino"), f);
        }
    }

    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
