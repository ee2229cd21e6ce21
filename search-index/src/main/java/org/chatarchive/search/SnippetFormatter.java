package org.chatarchive.search;

import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.search.uhighlight.Passage;
import org.apache.lucene.search.uhighlight.PassageFormatter;

/** Makes the highlighter's best passage into a {@link Snippet}, at most {@link #MAX} characters around the match. */
final class SnippetFormatter extends PassageFormatter {

    /** Longest snippet, in UTF-16 code units (without the ellipses). */
    static final int MAX = 200;
    /** The highlighter's separator between the values of a field. */
    private static final char VALUE_SEPARATOR = '\u2029';
    private static final String SHOWN_SEPARATOR = " · ";

    @Override
    public Object format(Passage[] passages, String content) {
        if (passages.length == 0) {
            return null;
        }
        Passage p = passages[0];
        int start = p.getStartOffset();
        int end = p.getEndOffset();
        if (end - start > MAX) {
            int first = p.getNumMatches() > 0 ? p.getMatchStarts()[0] : start;
            start = Math.max(start, Math.min(first - MAX / 4, end - MAX));
            end = Math.min(end, start + MAX);
            start = safe(content, start);
            end = safe(content, end);
        }
        StringBuilder text = new StringBuilder();
        List<int[]> highlights = new ArrayList<>();
        String prefix = start > p.getStartOffset() ? "…" : "";
        text.append(prefix);
        // Copy [start, end), turning value separators into a visible one; map match offsets along.
        int[] map = new int[end - start + 1];
        for (int i = start; i < end; i++) {
            map[i - start] = text.length();
            char c = content.charAt(i);
            if (c == VALUE_SEPARATOR) {
                text.append(SHOWN_SEPARATOR);
            } else {
                text.append(c);
            }
        }
        map[end - start] = text.length();
        for (int i = 0; i < p.getNumMatches(); i++) {
            int ms = Math.max(start, p.getMatchStarts()[i]);
            int me = Math.min(end, p.getMatchEnds()[i]);
            if (ms >= me) {
                continue;
            }
            int hs = map[ms - start];
            int he = map[me - start];
            if (!highlights.isEmpty() && highlights.get(highlights.size() - 1)[1] >= hs) {
                highlights.get(highlights.size() - 1)[1] = Math.max(he, highlights.get(highlights.size() - 1)[1]);
            } else {
                highlights.add(new int[] {hs, he});
            }
        }
        String body = text.toString().strip();
        int lead = text.indexOf(body);
        if (lead > 0) {
            for (int[] h : highlights) {
                h[0] -= lead;
                h[1] -= lead;
            }
        }
        if (end < p.getEndOffset()) {
            body += "…";
        }
        return new Snippet(body, highlights);
    }

    /** Does not cut a surrogate pair in two. */
    private static int safe(String s, int at) {
        return at > 0 && at < s.length() && Character.isLowSurrogate(s.charAt(at)) ? at - 1 : at;
    }
}
