package org.chatarchive.model.source;

import java.util.Map;
import java.util.Set;

/**
 * What a source can tell about its own changes without being read whole: fingerprints (digests) of what shapes
 * each conversation's messages. A backup compares them with those of its last run and reads, merges and rewrites
 * only the conversations whose fingerprint changed.
 *
 * <p>A fingerprint must change whenever anything that the source's {@link ChatSource#messages} would give for that
 * conversation could change: a new, edited or deleted row, a reaction, a read or delivery state, an attachment row,
 * a call record. Anything shared by every conversation (people and their names, how references resolve, the
 * schema) belongs to {@link #contextFingerprint()}; when that changes, every conversation counts as changed.
 */
public interface SourceFingerprints {

    /** A digest of what shapes every conversation's messages (people, id resolution, schema, reader version). */
    String contextFingerprint() throws SourceException;

    /**
     * Conversation id → a digest of everything that shapes that conversation's messages. A conversation of
     * {@link ChatSource#conversations()} that is missing here has no fingerprint and is always read.
     */
    Map<String, String> conversationFingerprints() throws SourceException;

    /**
     * The ids of the conversations whose messages may differ from those of the state the last run recorded
     * ({@link #baseline()} then, given back to this run), found without fingerprinting them; null when the source
     * cannot tell, and {@link #conversationFingerprints()} is what tells. A conversation not in the set is as it was
     * then. Call it before {@link #conversationFingerprints()}, which it makes unnecessary.
     */
    default Set<String> changedSinceBaseline() throws SourceException {
        return null;
    }

    /**
     * An opaque name of the source state these fingerprints were taken from, when the source keeps what it needs to
     * tell the next run what changed since (then that run is given it back); null when it does not.
     */
    default String baseline() {
        return null;
    }

    /** A line for the run summary on how the changes were found, or null. */
    default String changeNote() {
        return null;
    }
}
