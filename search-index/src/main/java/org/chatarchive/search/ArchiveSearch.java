package org.chatarchive.search;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.model.store.ArchiveWriter;

/**
 * Searches an archive through its index. Opening it reads the archive's names ({@code archive.json},
 * {@code participants.json}) and the index's last commit; a missing, outdated or damaged index is an
 * {@link IndexProblem}. An index being updated by another run can be searched: this sees its last commit.
 * Not thread-safe for {@link #search}; open one per thread.
 */
public final class ArchiveSearch implements Closeable {

    private static final Sort NEWEST = new Sort(new SortField(Fields.AT, SortField.Type.LONG, true),
            new SortField(Fields.ORDINAL, SortField.Type.LONG, true));
    private static final Sort OLDEST = new Sort(new SortField(Fields.AT, SortField.Type.LONG),
            new SortField(Fields.ORDINAL, SortField.Type.LONG));
    private static final Sort RELEVANCE = new Sort(SortField.FIELD_SCORE,
            new SortField(Fields.AT, SortField.Type.LONG, true), new SortField(Fields.ORDINAL, SortField.Type.LONG, true));

    private final Path archive;
    private final ArchiveReader store;
    private final ArchiveNames names;
    private final Directory dir;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final Analyzer queryAnalyzer = ChatAnalyzer.forQuery();
    private final Highlighter highlighter;
    private final List<String> notes = new ArrayList<>();
    private MessageLinks links = MessageLinks.STORE;

    private ArchiveSearch(Path archive, ArchiveReader store, Directory dir, DirectoryReader reader) throws IOException {
        this.archive = archive;
        this.store = store;
        this.names = new ArchiveNames(store.info(), store.participants());
        this.dir = dir;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.highlighter = new Highlighter(UnifiedHighlighter.builder(searcher, ChatAnalyzer.forIndex())
                .withFormatter(new SnippetFormatter())
                .withMaxLength(20_000));
    }

    /** Opens the archive at {@code archive} and its index. */
    public static ArchiveSearch open(Path archive) throws IOException {
        ArchiveReader store = ArchiveReader.open(archive);
        Path folder = SearchIndex.location(archive);
        if (!Files.isDirectory(folder)) {
            throw IndexProblem.missing(archive, null);
        }
        Directory dir = FSDirectory.open(folder);
        try {
            Map<String, String> commit = SearchIndex.lastCommit(dir, archive);
            DirectoryReader reader = DirectoryReader.open(dir);
            ArchiveSearch s = new ArchiveSearch(archive, store, dir, reader);
            s.warmUp();
            if (!ArchiveWriter.archiveJsonSha256(archive).equals(commit.get(SearchIndex.KEY_ARCHIVE))) {
                s.notes.add("the archive changed since its index was built; results may be out of date. Update the"
                        + " index with: chat-archive index " + archive);
            }
            return s;
        } catch (IndexProblem e) {
            dir.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            dir.close();
            if (e instanceof IOException io && !SearchIndex.isCorruption(io)) {
                throw io;
            }
            throw IndexProblem.corrupt(archive, e);
        }
    }

    /**
     * Loads the analysis's Unicode data (word-break rules, dictionaries, folding tables) now, so the time a search
     * reports is the search's own and not the one-time loading.
     */
    private void warmUp() throws IOException {
        try (var ts = queryAnalyzer.tokenStream(Fields.TEXT, "Warm-up Café Привет 東京 ขอบคุณ")) {
            ts.reset();
            while (ts.incrementToken()) {
                // just consume
            }
            ts.end();
        }
        new QueryLanguage(names, java.time.ZoneOffset.UTC, queryAnalyzer).parse("warm up");
    }

    /** Replaces how result links are made (the HTML site gives its pages). */
    public void links(MessageLinks links) {
        this.links = links;
    }

    /** Things to tell the user about the index itself, e.g. that it is older than the archive. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Parses {@code query} with dates read in {@code zone}; throws {@link QuerySyntaxException} when it is wrong. */
    public Query parse(String query, ZoneId zone) {
        return new QueryLanguage(names, zone, queryAnalyzer).parse(query).query();
    }

    /** How many messages match {@code query}. */
    public long count(String query, ZoneId zone) throws IOException {
        QueryLanguage.Parsed parsed = new QueryLanguage(names, zone, queryAnalyzer).parse(query);
        try {
            return searcher.count(parsed.query());
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * Runs {@code query} (dates read in {@code zone}) and returns the first {@code limit} hits in {@code order}, with
     * the exact total.
     */
    public SearchResults search(String query, ZoneId zone, SortOrder order, int limit) throws IOException {
        long t0 = System.nanoTime();
        QueryLanguage.Parsed parsed = new QueryLanguage(names, zone, queryAnalyzer).parse(query);
        Sort sort = switch (order) {
            case RELEVANCE -> RELEVANCE;
            case NEWEST -> NEWEST;
            case OLDEST -> OLDEST;
        };
        try {
            TopDocs top = searcher.search(parsed.query(),
                    new TopFieldCollectorManager(sort, Math.max(1, limit), null, Integer.MAX_VALUE));
            ScoreDoc[] docs = limit <= 0 ? new ScoreDoc[0] : top.scoreDocs;
            Object[] snippets = docs.length == 0 ? new Object[0] : highlight(parsed.query(), docs);
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>(docs.length);
            for (int i = 0; i < docs.length; i++) {
                Document d = stored.document(docs[i].doc);
                float score = order == SortOrder.RELEVANCE ? (Float) ((FieldDoc) docs[i]).fields[0] : Float.NaN;
                hits.add(hit(d, (Snippet) snippets[i], score));
            }
            List<String> allNotes = new ArrayList<>(notes);
            allNotes.addAll(parsed.notes());
            return new SearchResults(top.totalHits.value, hits, allNotes, (System.nanoTime() - t0) / 1e6);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private Object[] highlight(Query query, ScoreDoc[] docs) throws IOException {
        int[] ids = new int[docs.length];
        for (int i = 0; i < docs.length; i++) {
            ids[i] = docs[i].doc;
        }
        // The highlighter wants doc ids in order; put the snippets back in result order.
        int[] sorted = ids.clone();
        java.util.Arrays.sort(sorted);
        Object[] bySorted = highlighter.snippets(new String[] {Fields.TEXT}, query, sorted,
                new int[] {1}).get(Fields.TEXT);
        Object[] out = new Object[docs.length];
        for (int i = 0; i < docs.length; i++) {
            int at = java.util.Arrays.binarySearch(sorted, ids[i]);
            out[i] = bySorted[at];
        }
        return out;
    }

    private Hit hit(Document d, Snippet snippet, float score) {
        String id = d.get(Fields.ID);
        String conv = d.get(Fields.CONVERSATION);
        String sender = d.get(Fields.SENDER);
        long at = d.getField(Fields.AT).numericValue().longValue();
        long ordinal = d.getField(Fields.ORDINAL).numericValue().longValue();
        IndexableField[] texts = d.getFields(Fields.TEXT);
        String text = texts.length == 0 ? "" : texts[0].stringValue();
        if (snippet == null) {
            snippet = new Snippet(text.length() > SnippetFormatter.MAX ? text.substring(0, SnippetFormatter.MAX) + "…"
                    : text, List.of());
        }
        ConversationEntry entry = names.conversation(conv);
        String link = entry == null ? "" : links.link(entry, id, ordinal);
        return new Hit(id, conv, names.conversationTitle(conv), sender, sender == null ? null : names.personName(sender),
                at, ordinal, text, snippet, link, score);
    }

    /**
     * The messages around a hit, read from the store: up to {@code n} before it, the hit itself, and up to
     * {@code n} after it, in timeline order.
     */
    public List<Message> context(Hit hit, int n) throws IOException {
        ConversationEntry entry = names.conversation(hit.conversationId());
        if (entry == null) {
            return List.of();
        }
        long from = Math.max(0, hit.ordinal() - n);
        try (Stream<Message> messages = store.messages(entry)) {
            return messages.skip(from).limit(hit.ordinal() - from + n + 1).toList();
        }
    }

    /** The name to show for a participant id (display name, phone, username or the id). */
    public String personName(String participantId) {
        return names.personName(participantId);
    }

    /** {@code e} as an {@link IndexProblem} when it says the index is damaged, else as it is. */
    private IOException failure(IOException e) {
        if (SearchIndex.isCorruption(e)) {
            throw IndexProblem.corrupt(archive, e);
        }
        return e;
    }

    /** The unified highlighter, giving {@link Snippet}s rather than strings. */
    private static final class Highlighter extends UnifiedHighlighter {
        Highlighter(UnifiedHighlighter.Builder builder) {
            super(builder);
        }

        Map<String, Object[]> snippets(String[] fields, Query query, int[] docIds, int[] maxPassages) throws IOException {
            return highlightFieldsAsObjects(fields, query, docIds, maxPassages);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            dir.close();
        }
    }
}
