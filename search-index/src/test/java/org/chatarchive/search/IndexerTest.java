package org.chatarchive.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building, updating, and the index's failures: missing, outdated, damaged, locked; commits seen atomically. */
class IndexerTest {

    @TempDir
    Path tmp;

    private static long count(Path archive, String query) throws IOException {
        try (ArchiveSearch s = ArchiveSearch.open(archive)) {
            return s.count(query, Fixture.BERLIN);
        }
    }

    /** Writes the fixture archive and builds its index. */
    private Path indexedArchive() throws IOException {
        Path archive = Fixture.write(tmp.resolve("a"));
        Indexer.update(archive, Indexer.Options.defaults());
        return archive;
    }

    /** Writes {@code conversations} elsewhere and copies its files over the archive's, keeping its index. */
    private void rewrite(Path archive, Map<Conversation, List<Message>> conversations) throws IOException {
        Path other = Fixture.write(tmp.resolve("other"), conversations);
        try (Stream<Path> old = Files.list(archive.resolve("conversations"))) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        try (Stream<Path> files = Files.walk(other)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path to = archive.resolve(other.relativize(p).toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void onlyChangedConversationsAreReindexed() throws IOException {
        Path archive = Fixture.write(tmp.resolve("a"));
        IndexReport first = Indexer.update(archive, Indexer.Options.defaults());
        assertEquals(3, first.reindexed());
        assertEquals(18, first.messagesIndexed());
        assertTrue(first.rebuilt());

        IndexReport again = Indexer.update(archive, Indexer.Options.defaults());
        assertEquals(0, again.reindexed());
        assertEquals(0, again.messagesIndexed());
        assertFalse(again.changed());

        // One message edited in the family group, the work group gone.
        Map<Conversation, List<Message>> changed = new LinkedHashMap<>();
        Fixture.conversations().forEach((c, ms) -> {
            if (c.id().equals(Fixture.FAMILY)) {
                List<Message> edited = new ArrayList<>(ms);
                edited.set(0, Fixture.text("m6", Fixture.FAMILY, Fixture.BOB, ms.get(0).sentAt(), "the lake was cold"));
                changed.put(c, edited);
            } else if (!c.id().equals(Fixture.WORK)) {
                changed.put(c, ms);
            }
        });
        rewrite(archive, changed);
        try (ArchiveSearch s = ArchiveSearch.open(archive)) {
            assertTrue(s.notes().get(0).startsWith("the archive changed since its index was built"), s.notes().toString());
        }
        IndexReport update = Indexer.update(archive, Indexer.Options.defaults());
        assertEquals(1, update.reindexed());
        assertEquals(1, update.removed());
        assertEquals(7, update.messagesIndexed());
        assertFalse(update.rebuilt());
        assertEquals(0, count(archive, "perfect"));
        assertEquals(1, count(archive, "lake"));
        assertEquals(0, count(archive, "привет"));
        assertEquals(12, count(archive, "-zzz"));
        try (ArchiveSearch s = ArchiveSearch.open(archive)) {
            assertEquals(List.of(), s.notes());
        }

        IndexReport rebuilt = Indexer.update(archive, new Indexer.Options(true, 1, null));
        assertTrue(rebuilt.rebuilt());
        assertEquals(12, rebuilt.messagesIndexed());
        assertEquals(12, count(archive, "-zzz"));
    }

    @Test
    void aMissingIndexSaysHowToBuildIt() throws IOException {
        Path archive = Fixture.write(tmp.resolve("a"));
        IndexProblem p = assertThrows(IndexProblem.class, () -> ArchiveSearch.open(archive));
        assertEquals(IndexProblem.Kind.MISSING, p.kind());
        assertTrue(p.getMessage().endsWith("build it with: chat-archive index " + archive), p.getMessage());

        // A first build that never committed (interrupted) is the same as none.
        Files.createDirectories(SearchIndex.location(archive));
        assertEquals(IndexProblem.Kind.MISSING, assertThrows(IndexProblem.class, () -> ArchiveSearch.open(archive)).kind());
    }

    @Test
    void anIndexOfAnotherFormatIsReportedAndRebuilt() throws IOException {
        Path archive = indexedArchive();
        try (Directory dir = FSDirectory.open(SearchIndex.location(archive));
             IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
            w.setLiveCommitData(Map.of(SearchIndex.KEY_FORMAT, "0").entrySet());
            w.commit();
        }
        IndexProblem p = assertThrows(IndexProblem.class, () -> ArchiveSearch.open(archive));
        assertEquals(IndexProblem.Kind.OUTDATED, p.kind());
        assertTrue(p.getMessage().contains("rebuild it with: chat-archive index --rebuild " + archive), p.getMessage());

        IndexReport r = Indexer.update(archive, Indexer.Options.defaults());
        assertTrue(r.rebuilt());
        assertEquals("index of another format version", r.rebuildReason());
        assertEquals(2, count(archive, "cafe"));
    }

    @Test
    void anIndexOfTheFirstFormatIsRebuiltSoEventsAreFoundByTheirActor() throws IOException {
        Path archive = indexedArchive();
        try (Directory dir = FSDirectory.open(SearchIndex.location(archive));
             IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
            Map<String, String> data = new java.util.HashMap<>();
            w.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
            data.put(SearchIndex.KEY_FORMAT, "1");
            w.setLiveCommitData(data.entrySet());
            w.commit();
        }
        IndexProblem p = assertThrows(IndexProblem.class, () -> ArchiveSearch.open(archive));
        assertEquals(IndexProblem.Kind.OUTDATED, p.kind());
        assertTrue(p.getMessage().contains("has format 1, this version of chat-archive reads format " + SearchIndex.FORMAT_VERSION), p.getMessage());

        IndexReport r = Indexer.update(archive, Indexer.Options.defaults());
        assertTrue(r.rebuilt());
        assertEquals(18, r.messagesIndexed());
        assertEquals(1, count(archive, "from:alice changed group"));
    }

    @Test
    void textIsIndexedWithItsOffsetsSoHighlightingNeedNotAnalyzeHitsAgain() throws IOException {
        Path archive = indexedArchive();
        try (Directory dir = FSDirectory.open(SearchIndex.location(archive));
             org.apache.lucene.index.DirectoryReader r = org.apache.lucene.index.DirectoryReader.open(dir)) {
            org.apache.lucene.index.FieldInfo text = org.apache.lucene.index.FieldInfos.getMergedFieldInfos(r)
                    .fieldInfo(Fields.TEXT);
            assertEquals(org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
                    text.getIndexOptions());
        }
        // and a hit's snippet still marks the match
        try (ArchiveSearch s = ArchiveSearch.open(archive)) {
            SearchResults res = s.search("cafe", java.time.ZoneOffset.UTC, SortOrder.NEWEST, 5);
            assertFalse(res.hits().isEmpty());
            assertFalse(res.hits().get(0).snippet().highlights().isEmpty(), res.hits().get(0).snippet().text());
        }
    }

    @Test
    void aDamagedIndexIsReportedAndRebuilt() throws IOException {
        Path archive = indexedArchive();
        try (Stream<Path> files = Files.list(SearchIndex.location(archive))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                bytes[bytes.length / 2] ^= 0x5a;
                Files.write(f, bytes);
            }
        }
        IndexProblem p = assertThrows(IndexProblem.class, () -> ArchiveSearch.open(archive));
        assertEquals(IndexProblem.Kind.CORRUPT, p.kind());
        assertTrue(p.getMessage().contains("rebuild it with: chat-archive index --rebuild " + archive), p.getMessage());

        IndexReport r = Indexer.update(archive, Indexer.Options.defaults());
        assertEquals("index damaged", r.rebuildReason());
        assertEquals(2, count(archive, "cafe"));
    }

    @Test
    void aTruncatedSegmentIsReportedAndRebuiltWithoutAsking() throws IOException {
        Path archive = indexedArchive();
        try (Stream<Path> files = Files.list(SearchIndex.location(archive))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".cfs")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                Files.write(f, java.util.Arrays.copyOf(bytes, 100));
            }
        }
        IndexProblem p = assertThrows(IndexProblem.class, () -> ArchiveSearch.open(archive));
        assertEquals(IndexProblem.Kind.CORRUPT, p.kind());

        IndexReport r = Indexer.update(archive, Indexer.Options.defaults());
        assertEquals("index damaged", r.rebuildReason());
        assertEquals(18, r.messagesIndexed());
        assertEquals(2, count(archive, "cafe"));
    }

    @Test
    void searchesSeeTheLastCommitWhileAnotherRunWritesAndTheWriterIsExclusive() throws IOException {
        Path archive = indexedArchive();
        try (Directory dir = FSDirectory.open(SearchIndex.location(archive));
             IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(ChatAnalyzer.forIndex()))) {
            w.addDocument(MessageDocument.of(Fixture.text("x1", Fixture.DIRECT, Fixture.ALICE, 0, "cafe again"), 99));
            w.flush();
            assertEquals(2, count(archive, "cafe"));
            IndexProblem p = assertThrows(IndexProblem.class, () -> Indexer.update(archive, Indexer.Options.defaults()));
            assertEquals(IndexProblem.Kind.LOCKED, p.kind());
            w.rollback();
        }
        assertEquals(2, count(archive, "cafe"));
    }
}
