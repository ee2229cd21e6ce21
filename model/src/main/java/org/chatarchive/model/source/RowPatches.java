package org.chatarchive.model.source;

import java.util.List;
import java.util.Map;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;

/**
 * A source that can tell, for a conversation changed since the state its last backup was made from, which of its
 * messages may read differently since, so that a backup reads and merges only those and keeps the archived lines of
 * the others as they are. Each message of such a source names the row it was read from in
 * {@code extra.sourceRowId}.
 *
 * <p>The promise: every message of {@link ChatSource#messages} that is not in {@link Patch#changed()} reads exactly
 * as it did at that state, so its archived line (as the last backup merged it) stays right.
 */
public interface RowPatches {

    /** The value in a message's {@code extra} that names its source row. */
    String ROW_KEY = "sourceRowId";

    /**
     * The changes of {@code conversation} since the state the archive was last brought up to date with, or null
     * when this cannot be told for it, and it must be read whole.
     */
    Patch patch(Conversation conversation) throws SourceException;

    /**
     * One conversation's changes.
     *
     * @param rows    the source row of every message {@link ChatSource#messages} would give, in that order
     * @param changed the messages of the rows that may read differently, read as {@link ChatSource#messages}
     *                would, by source row
     * @param removed the rows removed from the conversation since that state (their messages are gone from the
     *                source)
     */
    record Patch(List<String> rows, Map<String, Message> changed, java.util.Set<String> removed) {
        public Patch {
            rows = List.copyOf(rows);
            changed = Map.copyOf(changed);
            removed = java.util.Set.copyOf(removed);
        }
    }
}
