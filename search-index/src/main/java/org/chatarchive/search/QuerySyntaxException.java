package org.chatarchive.search;

/**
 * A query that cannot be run as written: a syntax error, an unknown filter, a bad date. The message says what is
 * wrong in words; {@link #column()} points at the spot when it is known.
 */
public final class QuerySyntaxException extends RuntimeException {

    private final String query;
    private final int column;

    QuerySyntaxException(String query, int column, String message) {
        super(message);
        this.query = query;
        this.column = column;
    }

    /** The query as given. */
    public String query() {
        return query;
    }

    /** 1-based column of the problem in the query, or 0 when not known. */
    public int column() {
        return column;
    }

    /** The message, with the query and a caret under the problem when its place is known. */
    public String describe() {
        if (column <= 0 || query == null) {
            return getMessage();
        }
        return getMessage() + System.lineSeparator() + "  " + query + System.lineSeparator()
                + "  " + " ".repeat(Math.min(column - 1, query.length())) + "^";
    }
}
