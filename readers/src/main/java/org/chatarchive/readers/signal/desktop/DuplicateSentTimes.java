package org.chatarchive.readers.signal.desktop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Numbers the rows of a conversation that share a type, sent time and sender, the way
 * {@code ROW_NUMBER() OVER (PARTITION BY type, sent_at, <sender> ORDER BY rowid)} would, without a window function:
 * that window sorts every row of the conversation, although such rows are rare. The sent times that occur more
 * than once are read first; only a row with one of those asks the database how many rows of its partition come
 * before it.
 *
 * <p>The shared sent times are read either once for the whole table ({@link #load}, from Signal's index on
 * {@code sent_at}), or for each conversation when it is first asked about ({@link #perConversation}, from an index
 * that starts with {@code conversationId}): the pass over the whole table costs more than the reads of a run that
 * reads a few conversations only. The numbers are the same either way: a row's earlier rows are in its own
 * conversation, so a sent time that no other row of the conversation has gives 1 whether or not another
 * conversation has it.
 */
final class DuplicateSentTimes {

    private final Connection conn;
    private final String senderColumn;
    /** The sent times shared anywhere in the table; null when they are read per conversation. */
    private final Shared whole;
    /** The conversation whose shared sent times are {@link #current} (per-conversation mode). */
    private String currentConversation;
    private Shared current;
    private PreparedStatement ofConversation;
    private PreparedStatement earlier;

    /** The sent times that occur more than once in a set of rows, by kind of value. */
    private static final class Shared {
        private final Set<Long> whole = new HashSet<>();
        private boolean nullShared;
        private boolean otherShared;

        /** Adds the value of a group of rows with one sent time ({@code GROUP BY sent_at HAVING COUNT(*) > 1}). */
        void add(Object v) {
            if (v == null) {
                nullShared = true;
            } else if (v instanceof Long || v instanceof Integer) {
                whole.add(((Number) v).longValue());
            } else {
                otherShared = true; // a text or real sent time: ask for every row that is not a whole number
            }
        }

        /** Whether a row with this sent time may share it with another row. */
        boolean maybe(Object sentAt) {
            return sentAt == null ? nullShared
                    : sentAt instanceof Long || sentAt instanceof Integer ? whole.contains(((Number) sentAt).longValue())
                    : otherShared || !whole.isEmpty();
        }

        void read(ResultSet rs) throws SQLException {
            while (rs.next()) {
                add(rs.getObject(1));
            }
        }
    }

    private DuplicateSentTimes(Connection conn, String senderColumn, Shared whole) {
        this.conn = conn;
        this.senderColumn = senderColumn;
        this.whole = whole;
    }

    /**
     * The numbering for this database with the shared sent times of the whole table read now, or null when it has
     * no index on {@code sent_at} (very old schemas), where asking per row would scan the table each time.
     *
     * @param senderColumn the sender's ACI column ({@code sourceServiceId} or {@code sourceUuid}), or null
     */
    static DuplicateSentTimes load(Connection conn, String senderColumn) throws SQLException {
        if (!hasIndexLedBy(conn, "sent_at")) {
            return null;
        }
        Shared whole = new Shared();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT sent_at FROM messages GROUP BY sent_at HAVING COUNT(*) > 1")) {
            whole.read(rs);
        }
        return new DuplicateSentTimes(conn, senderColumn, whole);
    }

    /**
     * The numbering for this database with the shared sent times read for each conversation when it is first asked
     * about, for a run that reads a few conversations; null when there is no index on {@code sent_at} (as
     * {@link #load}). Without an index that starts with {@code conversationId} (each conversation's pass would scan
     * the table), the whole table's are read now, as {@link #load} does.
     */
    static DuplicateSentTimes perConversation(Connection conn, String senderColumn) throws SQLException {
        if (!hasIndexLedBy(conn, "sent_at")) {
            return null;
        }
        if (!hasIndexLedBy(conn, "conversationId")) {
            return load(conn, senderColumn);
        }
        return new DuplicateSentTimes(conn, senderColumn, null);
    }

    /** Whether the shared sent times are read per conversation. */
    boolean perConversation() {
        return whole == null;
    }

    /** Whether {@code messages} has a (non-partial) index whose first column is {@code column}. */
    private static boolean hasIndexLedBy(Connection conn, String column) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("SELECT 1 FROM pragma_index_list('messages') l"
                + " JOIN pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = ? AND l.partial = 0 LIMIT 1")) {
            st.setString(1, column);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The query that reads one conversation's shared sent times (package-private for the test of its plan). */
    static final String OF_CONVERSATION =
            "SELECT sent_at FROM messages WHERE conversationId = ? GROUP BY sent_at HAVING COUNT(*) > 1";

    /** The shared sent times that decide whether a row of conversation row {@code conversationId} must ask. */
    private Shared shared(String conversationId) throws SQLException {
        if (whole != null) {
            return whole;
        }
        if (current == null || !conversationId.equals(currentConversation)) {
            if (ofConversation == null) {
                ofConversation = conn.prepareStatement(OF_CONVERSATION);
            }
            Shared s = new Shared();
            ofConversation.setString(1, conversationId);
            try (ResultSet rs = ofConversation.executeQuery()) {
                s.read(rs);
            }
            currentConversation = conversationId;
            current = s;
        }
        return current;
    }

    /**
     * The sender part of the partition key, an SQL expression over the columns of {@code messages} (qualified with
     * {@code table.} when {@code table} is not null): the sender, or '' for everything outgoing (the owner sent it).
     *
     * @param senderColumn the sender's ACI column ({@code sourceServiceId} or {@code sourceUuid}), or null
     */
    static String senderKey(String senderColumn, String table) {
        String t = table == null ? "" : table + ".";
        return "CASE WHEN " + t + "type = 'outgoing' THEN '' ELSE COALESCE("
                + (senderColumn == null ? "" : t + "\"" + senderColumn + "\", ") + t + "source, '') END";
    }

    /**
     * The row's number among the rows of conversation row {@code conversationId} with its type, sent time and
     * sender, counted in rowid order from 1.
     *
     * @param sentAt the row's {@code sent_at} as read
     */
    int index(String conversationId, long rowid, Object sentAt) throws SQLException {
        if (!shared(conversationId).maybe(sentAt)) {
            return 1;
        }
        if (earlier == null) {
            earlier = conn.prepareStatement("SELECT COUNT(*) FROM messages b, messages a WHERE b.rowid = ?"
                    + " AND a.conversationId = ? AND a.sent_at IS b.sent_at AND a.type IS b.type AND a.rowid < b.rowid"
                    + " AND " + senderKey(senderColumn, "a") + " IS " + senderKey(senderColumn, "b"));
        }
        earlier.setLong(1, rowid);
        earlier.setString(2, conversationId);
        try (ResultSet rs = earlier.executeQuery()) {
            return rs.next() ? rs.getInt(1) + 1 : 1;
        }
    }
}
