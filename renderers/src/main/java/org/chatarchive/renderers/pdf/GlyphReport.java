package org.chatarchive.renderers.pdf;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Code points that no font of the chain has: counted, with examples, for the run summary. They are drawn as a
 * visible {@code [U+XXXX]} placeholder, never dropped. Invisible format characters (zero-width joiners,
 * variation selectors, bidi marks) have no glyph by design; they are counted separately.
 */
final class GlyphReport {

    private static final int MAX_EXAMPLES = 20;

    private long missing;
    private long invisible;
    private final TreeMap<Integer, Long> examples = new TreeMap<>();

    void missing(int cp) {
        missing++;
        if (examples.containsKey(cp) || examples.size() < MAX_EXAMPLES) {
            examples.merge(cp, 1L, Long::sum);
        }
    }

    void invisible() {
        invisible++;
    }

    /** How many characters were drawn as a placeholder because no font has them. */
    long missingCount() {
        return missing;
    }

    /** How many invisible format characters were not drawn. */
    long invisibleCount() {
        return invisible;
    }

    /** Up to 20 distinct missing code points, as {@code U+XXXX}. */
    List<String> examples() {
        return examples.keySet().stream().map(GlyphReport::hex).toList();
    }

    static String hex(int cp) {
        return String.format(Locale.ROOT, "U+%04X", cp);
    }
}
