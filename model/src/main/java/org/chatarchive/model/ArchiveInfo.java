package org.chatarchive.model;

import java.util.List;
import java.util.Map;

/**
 * The top of an archive ({@code archive.json}).
 *
 * @param formatVersion version of the on-disk archive format ({@link #FORMAT_VERSION} when written by this code)
 * @param generator     the program that wrote it, with its version (no time, no host)
 * @param sources       what was read
 * @param ownerId       participant id of the archive owner, if known
 * @param selection     what part of the source the archive holds
 * @param conversations every conversation, with its file and counts, in a stable order
 * @param counts        totals and exclusions (e.g. {@code messages}, {@code excluded.filtered}), so nothing is lost silently
 * @param extra         anything else
 */
public record ArchiveInfo(
        int formatVersion,
        String generator,
        List<SourceInfo> sources,
        String ownerId,
        Selection selection,
        List<ConversationEntry> conversations,
        Map<String, Object> counts,
        Map<String, Object> extra) {

    /** The archive format version this code writes. */
    public static final int FORMAT_VERSION = 1;

    public ArchiveInfo {
        sources = Values.list(sources);
        conversations = Values.list(conversations);
        counts = Values.map(counts);
        extra = Values.map(extra);
    }
}
