package org.chatarchive.search;

import java.nio.file.Path;

/**
 * The archive's index cannot be used as it is: missing, of another format version, damaged, or being written by
 * another run. The message says what happened and the command that fixes it.
 */
public final class IndexProblem extends RuntimeException {

    /** What is wrong. */
    public enum Kind {
        /** There is no index, or no finished one (a first build was interrupted or is running). */
        MISSING,
        /** The index was built by a version of chat-archive with another index format. */
        OUTDATED,
        /** The index files are damaged. */
        CORRUPT,
        /** Another run holds the index's write lock. */
        LOCKED
    }

    private final Kind kind;

    IndexProblem(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static IndexProblem missing(Path archive, Throwable cause) {
        return new IndexProblem(Kind.MISSING, archive + " has no search index yet; build it with: chat-archive index "
                + archive, cause);
    }

    static IndexProblem outdated(Path archive, String found) {
        return new IndexProblem(Kind.OUTDATED, "the search index of " + archive + " has format " + found
                + ", this version of chat-archive reads format " + SearchIndex.FORMAT_VERSION
                + "; rebuild it with: chat-archive index --rebuild " + archive, null);
    }

    static IndexProblem corrupt(Path archive, Throwable cause) {
        return new IndexProblem(Kind.CORRUPT, "the search index of " + archive + " is damaged (" + cause.getMessage()
                + "); rebuild it with: chat-archive index --rebuild " + archive, cause);
    }

    static IndexProblem locked(Path archive, Throwable cause) {
        return new IndexProblem(Kind.LOCKED, "another run is updating the search index of " + archive
                + "; wait for it to finish, then run this again", cause);
    }
}
