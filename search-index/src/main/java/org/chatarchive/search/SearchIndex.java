package org.chatarchive.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;

/**
 * Where an archive's index lives and what its last commit says. The index is a Lucene index in {@code index/} of
 * the archive; each commit carries, in its user data, the index format version, the SHA-256 of the
 * {@code archive.json} it was built from, and a fingerprint per conversation (the SHA-256 of its messages file),
 * so an update reindexes only the conversations whose file changed. A commit is atomic: readers see the last
 * commit, never a half-written one.
 */
public final class SearchIndex {

    /** The index folder inside an archive. */
    public static final String DIR = "index";
    /**
     * Version of what is in the index (fields, analysis). Bump it whenever documents or analysis change; an index of
     * another version is rebuilt by {@code chat-archive index} and refused by search.
     * <ol>
     * <li>the first format</li>
     * <li>a system event without a sender has its actor as sender</li>
     * <li>text with its words' offsets in the postings (highlighting reads them)</li>
     * </ol>
     */
    public static final int FORMAT_VERSION = 3;

    static final String KEY_FORMAT = "chatarchive.indexFormat";
    static final String KEY_ARCHIVE = "chatarchive.archiveJsonSha256";
    static final String KEY_CONVERSATION = "conv:";

    private SearchIndex() {
    }

    /** The index folder of the archive at {@code archive}. */
    public static Path location(Path archive) {
        return archive.resolve(DIR);
    }

    /**
     * The user data of the last commit, checked: throws {@link IndexProblem} when there is no commit, when it is of
     * another format version, or when it cannot be read.
     */
    static Map<String, String> lastCommit(Directory dir, Path archive) {
        Map<String, String> data;
        try {
            data = new HashMap<>(SegmentInfos.readLatestCommit(dir).getUserData());
        } catch (IndexNotFoundException e) {
            throw IndexProblem.missing(archive, e);
        } catch (IndexFormatTooOldException | IndexFormatTooNewException e) {
            throw IndexProblem.outdated(archive, "of another Lucene version");
        } catch (IOException e) {
            throw IndexProblem.corrupt(archive, e);
        }
        String format = data.get(KEY_FORMAT);
        if (!String.valueOf(FORMAT_VERSION).equals(format)) {
            throw IndexProblem.outdated(archive, format == null ? "unknown" : format);
        }
        return data;
    }

    /** Creates the index folder readable by the owner only, like the rest of the archive. */
    static void createFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        org.chatarchive.model.store.PrivateFiles.createDirectory(folder);
    }

    /** Whether {@code e} says the index is damaged rather than that I/O failed. */
    static boolean isCorruption(Throwable e) {
        return e instanceof CorruptIndexException || e instanceof IndexFormatTooOldException
                || e instanceof IndexFormatTooNewException;
    }
}
