package org.chatarchive.model;

import java.util.List;

/**
 * A state of a message that a later backup run replaced: the values the changed properties had before.
 *
 * @param run      the run that saw the new state (the old one was current up to the run before)
 * @param fields   the names of the message properties that changed (e.g. {@code flags}, {@code reactions}),
 *                 so that a property that was empty before can be told from one that did not change
 * @param previous the message as it was, holding {@code id}, {@code conversationId}, {@code direction} and the
 *                 properties named in {@code fields} only
 */
public record MessageRevision(int run, List<String> fields, Message previous) {

    public MessageRevision {
        fields = Values.list(fields);
    }
}
