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
 * than once anywhere in the table are read once from Signal's index on {@code sent_at}; only a row with one of
 * those asks the database how many rows of its partition come before it.
 */
final class DuplicateSentTimes {

    private final Connection conn;
    private final String senderColumn;
    private final Set<Long> shared = new HashSet<>();
    private boolean sharedNull;
    private boolean sharedOther;
    private PreparedStatement earlier;

    private DuplicateSentTimes(Connection conn, String senderColumn) {
        this.conn = conn;
        this.senderColumn = senderColumn;
    }

    /**
     * The numbering for this database, or null when it has no index on {@code sent_at} (very old schemas), where
     * asking per row would scan the table each time.
     *
     * @param senderColumn the sender's ACI column ({@code sourceServiceId} or {@code sourceUuid}), or null
     */
    static DuplicateSentTimes load(Connection conn, String senderColumn) throws SQLException {
        if (!hasSentAtIndex(conn)) {
            return null;
        }
        DuplicateSentTimes d = new DuplicateSentTimes(conn, senderColumn);
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT sent_at FROM messages GROUP BY sent_at HAVING COUNT(*) > 1")) {
            while (rs.next()) {
                Object v = rs.getObject(1);
                if (v == null) {
                    d.sharedNull = true;
                } else if (v instanceof Long || v instanceof Integer) {
                    d.shared.add(((Number) v).longValue());
                } else {
                    d.sharedOther = true; // a text or real sent time: ask for every row that is not a whole number
                }
            }
        }
        return d;
    }

    private static boolean hasSentAtIndex(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pragma_index_list('messages') l"
                     + " JOIN pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = 'sent_at' AND l.partial = 0"
                     + " LIMIT 1")) {
            return rs.next();
        }
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
        boolean maybe = sentAt == null ? sharedNull
                : sentAt instanceof Long || sentAt instanceof Integer ? shared.contains(((Number) sentAt).longValue())
                : sharedOther || !shared.isEmpty();
        if (!maybe) {
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
