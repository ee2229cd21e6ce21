package org.chatarchive.search;

/** The order of search results. */
public enum SortOrder {
    /** Best match first; equally good matches newest first. */
    RELEVANCE,
    /** Newest first. */
    NEWEST,
    /** Oldest first. */
    OLDEST
}
