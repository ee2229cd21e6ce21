package org.chatarchive.search;

import java.util.List;

/**
 * The answer to a query.
 *
 * @param total  how many messages match in all
 * @param hits   the first of them, in the order asked for
 * @param notes  things the user should know (a name that matched nobody, an index older than the archive)
 * @param millis time to search and highlight, in milliseconds
 */
public record SearchResults(long total, List<Hit> hits, List<String> notes, double millis) {
}
