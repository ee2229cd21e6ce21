package org.chatarchive.renderers.html;

/** Whether a conversation's pages also break at calendar periods, on top of the page size. */
public enum SplitBy {
    /** Pages hold {@link HtmlOptions#pageSize()} messages each. */
    NONE,
    /** A page never spans two months (and still holds at most the page size). */
    MONTH,
    /** A page never spans two years (and still holds at most the page size). */
    YEAR
}
