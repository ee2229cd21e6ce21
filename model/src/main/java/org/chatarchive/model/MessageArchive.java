package org.chatarchive.model;

import java.util.List;

/**
 * What an incremental backup knows about a message beyond what the source says now: when it was first archived,
 * whether the source has since forgotten it, and the states a later run replaced. Runs are numbered (1 = the run
 * that made the archive) rather than dated, so that the same sequence of sources gives the same bytes; the
 * wall-clock time of each run is in the manifest's run section ({@code manifest.json} {@code run.history}).
 *
 * <p>A plain export writes no such record (the {@code archive} property is absent).
 *
 * @param firstSeenRun      the backup run that first archived the message
 * @param lastSeenRun       the last run whose source still had it; set only once it is gone
 * @param goneFromSourceRun the first run whose source no longer had it; absent while the source has it
 * @param revisions         earlier states that a later run replaced, oldest first
 */
public record MessageArchive(
        Integer firstSeenRun,
        Integer lastSeenRun,
        Integer goneFromSourceRun,
        List<MessageRevision> revisions) {

    public MessageArchive {
        revisions = Values.list(revisions);
    }

    /** True when the source no longer has the message. */
    public boolean gone() {
        return goneFromSourceRun != null;
    }
}
