package org.chatarchive.model;

import java.util.List;

/**
 * What part of the source an archive holds. A partial export records its selection so that it never passes
 * for a whole one.
 *
 * @param complete      true when nothing was filtered out
 * @param conversations the {@code --conversation} selectors as given, empty for all
 * @param from          start of the time window as given (inclusive), or null
 * @param to            end of the time window as given (exclusive end of the named period), or null
 * @param fromEpochMs   {@code from} resolved to UTC epoch ms
 * @param toEpochMs     {@code to} resolved to UTC epoch ms (exclusive)
 * @param zone          the zone {@code from}/{@code to} were read in
 */
public record Selection(
        boolean complete,
        List<String> conversations,
        String from,
        String to,
        Long fromEpochMs,
        Long toEpochMs,
        String zone) {

    public Selection {
        conversations = Values.list(conversations);
    }

    /** Everything. */
    public static Selection all() {
        return new Selection(true, List.of(), null, null, null, null, null);
    }
}
