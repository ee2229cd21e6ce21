package org.chatarchive.renderers.html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.renderers.richtext.RichText;
import org.chatarchive.renderers.time.ZonedTimes;
import org.chatarchive.renderers.html.Views.IndexEntry;
import org.chatarchive.renderers.html.Views.Item;
import org.chatarchive.renderers.html.Views.NavLink;
import org.chatarchive.renderers.html.Views.PageHeader;
import org.chatarchive.renderers.html.Views.YearLinks;

/**
 * The HTML site of an archive: {@code html/index.html} listing every conversation, and per conversation
 * {@code html/c-<16 hex>/p-<n>.html} pages. Read from the archive store, two streaming passes per conversation
 * (plan, then pages), so memory depends on the page size, not on the number of messages. Attachments are linked in
 * place from the archive's {@code attachments/} store. The same archive and options give byte-identical files.
 */
public final class HtmlSite {

    private static final int PREVIEW_CHARS = 140;
    private static final int MAX_NAMES = 12;
    private static final int ALL_PAGES_UP_TO = 50;

    private final ArchiveReader reader;
    private final HtmlOptions options;
    private final ZonedTimes times;
    private final Templates templates = new Templates();
    private final LongConsumer progress;
    private People people;
    private long rendered;

    private HtmlSite(ArchiveReader reader, HtmlOptions options, LongConsumer progress) {
        this.reader = reader;
        this.options = options;
        this.times = new ZonedTimes(options.zone());
        this.progress = progress == null ? n -> { } : progress;
    }

    /**
     * Renders the site into {@code html/} inside the archive at {@code archiveDir}, atomically: it is written into a
     * private temporary folder inside the archive and renamed into place only when complete, replacing an earlier
     * {@code html/}. A failure leaves any earlier site as it was.
     *
     * @param progress called with the number of messages rendered so far (may be null)
     */
    public static HtmlResult render(Path archiveDir, HtmlOptions options, LongConsumer progress) throws IOException {
        return writeInPlace(archiveDir, new HtmlSite(ArchiveReader.open(archiveDir), options, progress));
    }

    /** Writes {@code site} into a private staging folder and puts it in place of {@code html/} once complete. */
    private static HtmlResult writeInPlace(Path archiveDir, HtmlSite site) throws IOException {
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        Path staging = archiveDir.resolve("." + Links.SITE_DIR + ".partial-" + token);
        Path target = archiveDir.resolve(Links.SITE_DIR);
        SiteFiles.createDirectory(staging);
        boolean done = false;
        try {
            HtmlResult r = site.write(staging);
            replace(archiveDir, staging, target, token);
            done = true;
            return new HtmlResult(target, r.conversations(), r.pages(), r.messages());
        } finally {
            if (!done) {
                SiteFiles.deleteTree(staging);
            }
        }
    }

    /** Puts the complete site at {@code staging} in place of {@code target}: rename aside, rename in, delete. */
    private static void replace(Path archiveDir, Path staging, Path target, String token) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = archiveDir.resolve("." + Links.SITE_DIR + ".old-" + token);
            move(target, old);
        }
        move(staging, target);
        if (old != null) {
            SiteFiles.deleteTree(old);
        }
    }

    /**
     * The options the site in {@code archiveDir/html} was rendered with (recorded in its page map), with
     * {@code threads} threads; null when there is no site or it records none.
     */
    public static HtmlOptions recordedOptions(Path archiveDir, int threads) {
        Path map = archiveDir.resolve(Links.SITE_DIR).resolve(PAGE_MAP);
        if (!Files.isRegularFile(map)) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode o = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(map.toFile()).path("options");
            if (!o.hasNonNull("zone") || !o.hasNonNull("pageSize") || !o.hasNonNull("splitBy")) {
                return null;
            }
            return new HtmlOptions(java.time.ZoneId.of(o.get("zone").asText()), o.get("pageSize").asInt(),
                    SplitBy.valueOf(o.get("splitBy").asText()), threads);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Writes an update of the site at {@code site} (an archive's {@code html/}) into {@code into}, an existing empty
     * folder, touching only what changed: the pages of the conversations in {@code changed} (and of any the site
     * does not have) are rendered again from {@code reader}; the files of the others are kept as they are
     * (hard-linked from {@code site}, so not rewritten); the shared files ({@code index.html}, {@code pages.json},
     * assets) are written anew. {@code site} itself is not changed: the caller puts {@code into} in its place (a
     * backup does so in its {@code ArchiveUpdate}, with {@code reader} reading the archive as it will be after the
     * commit). {@code options} must be those the site was made with ({@link #recordedOptions}).
     *
     * @param changed ids of the conversations whose messages or entry changed since the site was rendered
     */
    public static HtmlResult update(ArchiveReader reader, Path site, Path into, HtmlOptions options,
                                    java.util.Set<String> changed, LongConsumer progress) throws IOException {
        Map<String, com.fasterxml.jackson.databind.JsonNode> before = new java.util.HashMap<>();
        Path map = site.resolve(PAGE_MAP);
        if (Files.isRegularFile(map)) {
            for (com.fasterxml.jackson.databind.JsonNode c : new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(map.toFile()).path("conversations")) {
                before.put(c.path("id").asText(), c);
            }
        }
        HtmlSite s = new HtmlSite(reader, options, progress);
        s.kept = new Kept(site, before, changed);
        return s.write(into);
    }

    /** What an update keeps of the old site: its folder, its page map by conversation id, what changed since. */
    private record Kept(Path site, Map<String, com.fasterxml.jackson.databind.JsonNode> pageMap,
                        java.util.Set<String> changed) {

        /** The old page counts of an unchanged conversation whose folder is there, else null. */
        List<Integer> pagesOf(ConversationEntry e) {
            com.fasterxml.jackson.databind.JsonNode m = pageMap.get(e.conversation().id());
            if (changed.contains(e.conversation().id()) || m == null
                    || !Links.conversationDir(e).equals(m.path("dir").asText())
                    || !Files.isDirectory(site.resolve(Links.conversationDir(e)))) {
                return null;
            }
            List<Integer> pages = new ArrayList<>();
            m.path("pages").forEach(n -> pages.add(n.asInt()));
            return pages.isEmpty() ? null : pages;
        }
    }

    /** Set by {@link #update}: the old site to keep unchanged conversations from. */
    private Kept kept;

    /** {@link #render(Path, HtmlOptions, LongConsumer)} without progress. */
    public static HtmlResult render(Path archiveDir, HtmlOptions options) throws IOException {
        return render(archiveDir, options, null);
    }

    /** Writes the site of the archive read by {@code reader} into {@code siteDir}, an existing empty folder. */
    public static HtmlResult writeTo(ArchiveReader reader, Path siteDir, HtmlOptions options, LongConsumer progress)
            throws IOException {
        return new HtmlSite(reader, options, progress).write(siteDir);
    }

    /** A hard link to {@code from} at {@code to} (the same file, not a copy), or a copy where links are refused. */
    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** The last message of a conversation file, read from its end; null for an empty file. */
    static Message lastMessage(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            if (size == 0) {
                return null;
            }
            for (long chunk = 1 << 16; ; chunk *= 4) {
                long from = Math.max(0, size - chunk);
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (size - from));
                while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
                    // read the tail fully
                }
                byte[] b = buf.array();
                for (int i = b.length - 2; i >= 0; i--) {
                    if (b[i] == '\n') {
                        return LINE.readValue(b, i + 1, b.length - i - 1);
                    }
                }
                if (from == 0) {
                    return LINE.readValue(b, 0, b.length);
                }
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectReader LINE = org.chatarchive.model.store.CanonicalJson
            .reader(Message.class, new org.chatarchive.model.store.UnknownContent());

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private HtmlResult write(Path site) throws IOException {
        ArchiveInfo info = reader.info();
        people = new People(reader.participants(), info.ownerId());
        Path assets = site.resolve("assets");
        SiteFiles.createDirectory(assets);
        for (String asset : List.of("style.css", "app.js")) {
            Path was = kept == null ? null : kept.site().resolve("assets").resolve(asset);
            if (was != null && Files.isRegularFile(was) && SiteFiles.sameAsResource("assets/" + asset, was)) {
                link(was, assets.resolve(asset)); // an update keeps what did not change
            } else {
                SiteFiles.copyResource("assets/" + asset, assets.resolve(asset));
            }
        }

        List<IndexEntry> index = new ArrayList<>();
        List<Long> lastAts = new ArrayList<>();
        List<Map<String, Object>> pageMap = new ArrayList<>();
        long pages = 0;
        // The calling thread reads and prepares messages; the others render pages from what it prepared.
        ExecutorService pool = options.threads() > 1 ? Executors.newFixedThreadPool(options.threads() - 1, r -> {
            Thread t = new Thread(r, "html-pages");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            for (ConversationEntry e : info.conversations()) {
                List<Integer> keptPages = kept == null ? null : kept.pagesOf(e);
                if (keptPages != null) {
                    // Unchanged since the old site: its pages are kept, its index entry made from its last message.
                    Path dir = site.resolve(Links.conversationDir(e));
                    SiteFiles.createDirectory(dir);
                    try (Stream<Path> files = Files.list(kept.site().resolve(Links.conversationDir(e)))) {
                        for (Path f : (Iterable<Path>) files::iterator) {
                            link(f, dir.resolve(f.getFileName().toString()));
                        }
                    }
                    pages += keptPages.size();
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("id", e.conversation().id());
                    entry.put("dir", Links.conversationDir(e));
                    entry.put("pages", keptPages);
                    pageMap.add(entry);
                    Message last = lastMessage(reader.resolve(e.messagesFile()));
                    index.add(indexEntry(e, keptPages.size(), last));
                    lastAts.add(last == null ? Long.MIN_VALUE : last.timelineAt());
                    progress.accept(rendered += e.messageCount());
                    continue;
                }
                ConversationPlan plan;
                try (Stream<Message> s = reader.messages(e)) {
                    plan = ConversationPlan.scan(s, options, times);
                }
                Path dir = site.resolve(Links.conversationDir(e));
                SiteFiles.createDirectory(dir);
                pages += writeConversation(e, plan, dir, pool);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", e.conversation().id());
                entry.put("dir", Links.conversationDir(e));
                entry.put("pages", plan.pages.stream().map(ConversationPlan.PageSpan::count).toList());
                pageMap.add(entry);
                index.add(indexEntry(e, plan));
                lastAts.add(plan.last == null ? Long.MIN_VALUE : plan.last.timelineAt());
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
                // After a failure no page may still be being written once this returns: the caller deletes the folder.
                try {
                    pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        writeIndex(site, info, index, lastAts);
        writePageMap(site, pageMap);
        return new HtmlResult(site, info.conversations().size(), pages, rendered);
    }

    /**
     * {@code html/pages.json}: for each conversation, its folder and how many messages each page holds, in
     * order, so that a tool that knows a message's position in its conversation (search) can link to its page.
     */
    private void writePageMap(Path site, List<Map<String, Object>> conversations) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("pageMapVersion", 1);
        // The options the pages were made with, so that an update renders changed conversations the same way.
        Map<String, Object> made = new LinkedHashMap<>();
        made.put("zone", options.zone().getId());
        made.put("pageSize", options.pageSize());
        made.put("splitBy", options.splitBy().name());
        map.put("options", made);
        map.put("conversations", conversations);
        try (Writer w = SiteFiles.newWriter(site.resolve(PAGE_MAP))) {
            w.write(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(map).replace("\r\n", "\n"));
            w.write("\n");
        }
    }

    /** The page map's file name inside {@code html/}. */
    public static final String PAGE_MAP = "pages.json";

    // ---- conversation pages

    private int writeConversation(ConversationEntry e, ConversationPlan plan, Path dir, ExecutorService pool)
            throws IOException {
        Conversation c = e.conversation();
        boolean group = c.kind() == ConversationKind.GROUP;
        ItemFactory factory = new ItemFactory(people, times, group, plan);
        Paginator paginator = new Paginator(options, times);
        PageWriter writer = new PageWriter(pool, dir);
        if (plan.messages == 0) {
            writer.submit(1, header(e, plan, 1), List.of());
            writer.finish();
            return 1;
        }
        List<Item> items = new ArrayList<>();
        int page = 0;
        try (Stream<Message> s = reader.messages(e)) {
            Iterator<Message> it = s.iterator();
            while (it.hasNext()) {
                Message m = it.next();
                int p = paginator.next(m);
                if (p != page) {
                    if (page != 0) {
                        writer.submit(page, header(e, plan, page), items);
                        items = new ArrayList<>(Math.min(options.pageSize(), 1024));
                    }
                    page = p;
                }
                items.add(factory.item(m, p, paginator.firstOnPage()));
                progress.accept(++rendered);
            }
        }
        writer.submit(page, header(e, plan, page), items);
        writer.finish();
        return page;
    }

    /** Renders pages, in the calling thread or on a pool with a bounded number of pages waiting. */
    private final class PageWriter {
        private final ExecutorService pool;
        private final Path dir;
        private final Semaphore inFlight;
        private final List<Future<?>> futures = new ArrayList<>();

        PageWriter(ExecutorService pool, Path dir) {
            this.pool = pool;
            this.dir = dir;
            this.inFlight = new Semaphore(pool == null ? 1 : options.threads());
        }

        void submit(int page, PageHeader header, List<Item> items) throws IOException {
            if (pool == null) {
                writePage(dir.resolve(Links.pageFile(page)), header, items);
                return;
            }
            try {
                inFlight.acquire();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
            futures.removeIf(f -> f.isDone() && check(f));
            futures.add(pool.submit(() -> {
                try {
                    writePage(dir.resolve(Links.pageFile(page)), header, items);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                } finally {
                    inFlight.release();
                }
                return null;
            }));
        }

        void finish() throws IOException {
            for (Future<?> f : futures) {
                check(f);
            }
            futures.clear();
        }

        private boolean check(Future<?> f) {
            try {
                f.get();
                return true;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted", ex));
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof UncheckedIOException u) {
                    throw u;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    private void writePage(Path file, PageHeader header, List<Item> items) throws IOException {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("header", header);
        vars.put("items", items);
        try (Writer w = SiteFiles.newWriter(file)) {
            templates.render("page", vars, w);
        }
    }

    private PageHeader header(ConversationEntry e, ConversationPlan plan, int page) {
        Conversation c = e.conversation();
        String title = title(c);
        int pages = Math.max(1, plan.pages.size());
        String avatar = Links.attachmentHref(c.avatar(), ItemFactory.PAGE_TO_ROOT);
        List<NavLink> pageLinks = new ArrayList<>();
        for (ConversationPlan.PageSpan s : plan.pages) {
            if (listed(s.number(), page, plan.pages.size())) {
                pageLinks.add(new NavLink(s.number() + ": " + pageLabel(s), s.number() == page ? null
                        : Links.pageFile(s.number()), s.number() == page));
            }
        }
        List<YearLinks> jump = new ArrayList<>();
        List<NavLink> months = null;
        int year = Integer.MIN_VALUE;
        for (ConversationPlan.MonthStart ms : plan.months) {
            if (ms.month().getYear() != year) {
                year = ms.month().getYear();
                months = new ArrayList<>();
                jump.add(new YearLinks(Integer.toString(year), months));
            }
            String href = (ms.page() == page ? "" : Links.pageFile(ms.page())) + "#" + ms.anchor();
            months.add(new NavLink(ms.month().getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH), href,
                    ms.page() == page));
        }
        String label = plan.pages.isEmpty() ? "No messages" : pageLabel(plan.pages.get(page - 1));
        return new PageHeader(title, avatar, People.initials(title), People.colour(c.id()), kindLabel(c.kind()),
                participants(c), summary(e), times.zoneLabel(), page, pages, label,
                page > 1 ? Links.pageFile(page - 1) : null, page < pages ? Links.pageFile(page + 1) : null,
                Links.pageFile(1), Links.pageFile(pages), jump, pageLinks, "../");
    }

    /**
     * Whether the page menu of page {@code current} lists page {@code n}: every page when there are at most
     * {@link #ALL_PAGES_UP_TO}, else the first, the last, the ten either side and every tenth, so that a page's size
     * does not grow with the conversation (the month menu reaches everything else).
     */
    static boolean listed(int n, int current, int pages) {
        return pages <= ALL_PAGES_UP_TO || n == 1 || n == pages || Math.abs(n - current) <= 10 || n % 10 == 0;
    }

    private String pageLabel(ConversationPlan.PageSpan s) {
        return switch (options.splitBy()) {
            case MONTH -> ZonedTimes.monthLabel(times.month(s.firstAt()));
            case YEAR -> Integer.toString(times.month(s.firstAt()).getYear());
            case NONE -> {
                String a = times.date(s.firstAt());
                String b = times.date(s.lastAt());
                yield a.equals(b) ? a : a + " to " + b;
            }
        };
    }

    private String summary(ConversationEntry e) {
        String n = String.format(Locale.ROOT, "%,d message%s", e.messageCount(), e.messageCount() == 1 ? "" : "s");
        if (e.firstAt() == null || e.lastAt() == null) {
            return n;
        }
        return n + " \u00b7 " + times.date(e.firstAt()) + " to " + times.date(e.lastAt());
    }

    private String participants(Conversation c) {
        List<String> names = new ArrayList<>();
        for (String id : c.participantIds()) {
            names.add(people.nameOrYou(id));
        }
        if (names.size() > MAX_NAMES) {
            int more = names.size() - MAX_NAMES;
            names = new ArrayList<>(names.subList(0, MAX_NAMES));
            names.add("and " + more + " more");
        }
        return names.isEmpty() ? "no participants listed" : String.join(", ", names);
    }

    private static String title(Conversation c) {
        if (c.title() != null && !c.title().isBlank()) {
            return c.title();
        }
        return c.kind() == ConversationKind.NOTE_TO_SELF ? "Note to Self" : "Untitled conversation";
    }

    private static String kindLabel(ConversationKind k) {
        if (k == null) {
            return "Conversation";
        }
        return switch (k) {
            case DIRECT -> "Direct chat";
            case GROUP -> "Group";
            case NOTE_TO_SELF -> "Note to Self";
        };
    }

    // ---- index

    private IndexEntry indexEntry(ConversationEntry e, ConversationPlan plan) {
        return indexEntry(e, plan.pages.size(), plan.last);
    }

    private IndexEntry indexEntry(ConversationEntry e, int pageCount, Message last) {
        Conversation c = e.conversation();
        String title = title(c);
        String participants = participants(c);
        int pages = Math.max(1, pageCount);
        String dir = Links.conversationDir(e);
        return new IndexEntry(dir + "/" + Links.pageFile(1), pages > 1 ? dir + "/" + Links.pageFile(pages) : null,
                title, Links.attachmentHref(c.avatar(), "../"), People.initials(title), People.colour(c.id()),
                kindLabel(c.kind()),
                participants, String.format(Locale.ROOT, "%,d message%s", e.messageCount(), e.messageCount() == 1 ? "" : "s"),
                e.firstAt() == null ? null : times.date(e.firstAt()),
                e.lastAt() == null ? null : times.date(e.lastAt()),
                last == null ? null : times.iso(last.timelineAt()),
                last == null ? null : previewWho(last, c.kind() == ConversationKind.GROUP),
                last == null ? null : preview(last),
                (title + " " + participants).toLowerCase(Locale.ROOT));
    }

    /** Who wrote the last message, for its preview: "You", a name in groups, else null. */
    private String previewWho(Message m, boolean group) {
        if (m.direction() == Direction.SYSTEM || m.event() != null) {
            return null;
        }
        if (m.direction() == Direction.OUTGOING) {
            return "You";
        }
        return group ? people.name(m.senderId()) : null;
    }

    /** The last message as one line of text: "see you", "Photo", or a system event's text. */
    private String preview(Message m) {
        if (m.direction() == Direction.SYSTEM || m.event() != null) {
            String t = m.event() != null && m.event().text() != null ? m.event().text() : "System message";
            return t.length() > PREVIEW_CHARS ? t.substring(0, PREVIEW_CHARS) + "\u2026" : t;
        }
        String what;
        if (m.flags().deletedForEveryone()) {
            what = "This message was deleted.";
        } else if (m.flags().viewOnce()) {
            what = "View-once media";
        } else if (m.body() != null && !m.body().isBlank()) {
            what = BodyHtml.plain(RichText.parse(m.body(), m.ranges()), people, PREVIEW_CHARS);
        } else if (!m.attachments().isEmpty()) {
            what = ItemFactory.kindLabel(m.attachments().get(0));
        } else if (m.sticker() != null) {
            what = "Sticker" + (m.sticker().emoji() != null ? " " + m.sticker().emoji() : "");
        } else if (m.poll() != null) {
            what = "Poll: " + (m.poll().question() == null ? "" : m.poll().question());
        } else if (!m.contacts().isEmpty()) {
            what = "Contact: " + (m.contacts().get(0).displayName() == null ? "" : m.contacts().get(0).displayName());
        } else {
            what = "Message";
        }
        return what;
    }

    private void writeIndex(Path site, ArchiveInfo info, List<IndexEntry> entries, List<Long> lastAts)
            throws IOException {
        // Most recent conversation first, as chat apps list them; ties keep the archive's order.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> lastAts.get(i), Comparator.reverseOrder())
                .thenComparing(i -> i));
        List<IndexEntry> sorted = order.stream().map(entries::get).toList();
        long messages = info.conversations().stream().mapToLong(ConversationEntry::messageCount).sum();
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("title", "Chat archive");
        vars.put("summary", String.format(Locale.ROOT, "%,d conversation%s \u00b7 %,d message%s", entries.size(),
                entries.size() == 1 ? "" : "s", messages, messages == 1 ? "" : "s"));
        vars.put("zone", times.zoneLabel());
        vars.put("source", source(info));
        vars.put("conversations", sorted);
        try (Writer w = SiteFiles.newWriter(site.resolve(Links.INDEX))) {
            templates.render("index", vars, w);
        }
    }

    private static String source(ArchiveInfo info) {
        StringBuilder b = new StringBuilder();
        for (SourceInfo s : info.sources()) {
            b.append(b.length() == 0 ? "From " : ", ").append(s.type() == null ? "unknown source" : s.type());
            if (s.appVersion() != null) {
                b.append(' ').append(s.appVersion());
            }
        }
        if (info.selection() != null && !info.selection().complete()) {
            b.append(b.length() == 0 ? "" : ". ").append("A partial export: some conversations or dates were left out"
                    + " (see archive.json)");
        }
        if (b.length() == 0) {
            return null;
        }
        return b.append('.').toString();
    }
}
