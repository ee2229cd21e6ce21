package org.chatarchive.model.source;

import java.util.Map;

/**
 * How many rows a source holds for one conversation, and how many of them a reader leaves out on its own and
 * why (e.g. stories), so that an export can show that every row is accounted for.
 *
 * @param rows     message rows in the source for the conversation
 * @param excluded rows the reader does not give as messages, by reason
 */
public record SourceCount(long rows, Map<String, Long> excluded) {

    public SourceCount {
        excluded = excluded == null ? Map.of() : Map.copyOf(excluded);
    }
}
