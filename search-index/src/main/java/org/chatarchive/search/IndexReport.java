package org.chatarchive.search;

/**
 * What an index run did.
 *
 * @param conversations         conversations in the archive
 * @param reindexed             conversations (re)indexed because they are new or their messages changed
 * @param removed               conversations dropped from the index because the archive no longer has them
 * @param messagesIndexed       messages written to the index in this run
 * @param rebuilt               whether the index was built from scratch (asked for, missing, outdated or damaged)
 * @param rebuildReason         why it was built from scratch, or null
 * @param seconds               wall-clock time of the run
 */
public record IndexReport(int conversations, int reindexed, int removed, long messagesIndexed, boolean rebuilt,
                          String rebuildReason, double seconds) {

    /** Whether the run changed the index. */
    public boolean changed() {
        return reindexed > 0 || removed > 0 || rebuilt;
    }
}
