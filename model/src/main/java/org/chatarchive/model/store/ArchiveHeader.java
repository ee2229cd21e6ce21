package org.chatarchive.model.store;

import java.util.List;
import java.util.Map;

import org.chatarchive.model.Selection;
import org.chatarchive.model.SourceInfo;

/**
 * What the caller knows about an archive at commit time; {@link ArchiveWriter#commit} adds the format version,
 * the conversation entries and its own counts to make the {@link org.chatarchive.model.ArchiveInfo}.
 *
 * @param generator program name and version, e.g. {@code chat-archive 0.1.0} (no time, no host)
 * @param sources   what was read
 * @param ownerId   participant id of the owner, if known
 * @param selection what part of the source the archive holds
 * @param counts    the caller's counts, e.g. exclusions ({@code excluded.filtered}); must not contradict the writer's
 * @param extra     anything else
 */
public record ArchiveHeader(
        String generator,
        List<SourceInfo> sources,
        String ownerId,
        Selection selection,
        Map<String, Object> counts,
        Map<String, Object> extra) {

    public ArchiveHeader {
        java.util.Objects.requireNonNull(generator, "generator");
        sources = sources == null ? List.of() : List.copyOf(sources);
        selection = selection == null ? Selection.all() : selection;
        counts = counts == null ? Map.of() : counts;
        extra = extra == null ? Map.of() : extra;
    }
}
