package org.chatarchive.search;

import java.util.List;

/**
 * The part of a message's text that best shows why it matched.
 *
 * @param text       the passage (a message's versions, captions and preview texts are joined by " · ")
 * @param highlights the matched spans as {@code [start, end)} pairs of UTF-16 offsets into {@code text}
 */
public record Snippet(String text, List<int[]> highlights) {

    public Snippet {
        highlights = List.copyOf(highlights);
    }

    /** The text with each highlight put between {@code open} and {@code close}. */
    public String marked(String open, String close) {
        StringBuilder b = new StringBuilder(text.length() + highlights.size() * 4);
        int at = 0;
        for (int[] h : highlights) {
            b.append(text, at, h[0]).append(open).append(text, h[0], h[1]).append(close);
            at = h[1];
        }
        return b.append(text, at, text.length()).toString();
    }
}
