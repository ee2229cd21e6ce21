package org.chatarchive.cli;

import java.time.ZoneId;

/**
 * The command line's view of {@link org.chatarchive.model.PartialDate}, where the parsing lives (search uses it
 * too): {@code --from} takes the start of the named period and {@code --to} its end.
 */
final class PartialDate {

    private PartialDate() {
    }

    /** Start of the named period in {@code zone}, as UTC epoch ms. */
    static long start(String text, ZoneId zone) {
        return org.chatarchive.model.PartialDate.start(text, zone);
    }

    /** End of the named period in {@code zone} (exclusive), as UTC epoch ms. */
    static long end(String text, ZoneId zone) {
        return org.chatarchive.model.PartialDate.end(text, zone);
    }

    /** Checks a zone name, with a message that says what is accepted. */
    static ZoneId zone(String name) {
        return org.chatarchive.model.PartialDate.zone(name);
    }
}
