package org.chatarchive.model;

import java.util.List;

/**
 * A poll.
 *
 * @param question      the question
 * @param options       the options with their voters
 * @param allowMultiple whether a voter may pick several options
 * @param ended         whether the poll was ended
 */
public record Poll(String question, List<Option> options, boolean allowMultiple, boolean ended) {

    public Poll {
        options = Values.list(options);
    }

    /**
     * One poll option.
     *
     * @param text     the option text
     * @param voterIds participants who voted for it
     */
    public record Option(String text, List<String> voterIds) {
        public Option {
            voterIds = Values.list(voterIds);
        }
    }
}
