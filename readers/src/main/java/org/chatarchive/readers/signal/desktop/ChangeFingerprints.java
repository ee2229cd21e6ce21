package org.chatarchive.readers.signal.desktop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.store.CanonicalJson;

/**
 * Fingerprints of a Signal Desktop database per conversation, so that a backup can tell which conversations
 * changed since its last run without mapping a single message.
 *
 * <p>A conversation's fingerprint covers every row the reader's mapping of that conversation reads: of its
 * {@code messages} rows the columns the reader reads ({@link #messagesQuery}), and every stored column (generated
 * ones follow from these) of their {@code message_attachments} rows, of the {@code callsHistory} row of each call
 * message and of the {@code reactions} and {@code edited_messages} rows filed under it, and the conversation as
 * listed. Each row is hashed (SHA-256 over its values as SQL literals,
 * {@code quote()}, so types and NULLs are told apart) and the row hashes are summed per conversation: the sum does
 * not depend on row order, so no sort is needed. The context fingerprint covers what every conversation's mapping
 * shares: the schema (tables and columns), who is who ({@link Directory#fingerprint}), installed stickers, and
 * {@link #SCHEME}.
 */
final class ChangeFingerprints {

    /**
     * The version of what these fingerprints cover and of the mapping behind them: raise it whenever the reader
     * maps the same rows to different messages, so that every conversation of an existing backup is read again.
     */
    static final int SCHEME = 2; // 2: calls name their caller

    private final String context;
    private final Map<String, String> conversations;

    private ChangeFingerprints(String context, Map<String, String> conversations) {
        this.context = context;
        this.conversations = conversations;
    }

    String context() {
        return context;
    }

    /** Model conversation id → fingerprint, for every listed conversation. */
    Map<String, String> conversations() {
        return conversations;
    }

    /**
     * Computes the fingerprints. Call it before any message is mapped: mapping can add unknown contacts to the
     * directory, which would change the context (harmlessly: every conversation would be read again).
     */
    static ChangeFingerprints compute(Connection conn, SignalDesktopReader.SchemaInfo schema, Directory directory,
                                      List<Conversation> listed) throws SQLException {
        return compute(conn, schema, directory, listed, null, Map.of());
    }

    /**
     * Computes the fingerprints of the conversations in {@code only} (null: all) and takes those of the others from
     * {@code carried} (which must have them): for a run that knows the others' rows are as when {@code carried}
     * was computed. Each computed one is the same as {@link #compute(Connection, SignalDesktopReader.SchemaInfo,
     * Directory, List)} gives.
     */
    static ChangeFingerprints compute(Connection conn, SignalDesktopReader.SchemaInfo schema, Directory directory,
                                      List<Conversation> listed, Set<String> only,
                                      Map<String, String> carried) throws SQLException {
        Map<String, String> modelByRow = new HashMap<>();
        String orphans = null;
        Map<String, Sum> sums = new LinkedHashMap<>();
        TreeSet<String> rawIds = new TreeSet<>();
        for (Conversation c : listed) {
            if (only != null && directory.sourceConversationId(c.id()) == null && only.contains(c.id())) {
                only = null; // the orphan collection has no conversation id to select its rows by
            }
        }
        for (Conversation c : listed) {
            String row = directory.sourceConversationId(c.id());
            if (row == null) {
                orphans = c.id();
            } else {
                modelByRow.put(row, c.id());
            }
            if (only != null && !only.contains(c.id())) {
                continue;
            }
            if (only != null) {
                rawIds.addAll(directory.rawConversationIds(c.id()));
            }
            Sum s = new Sum();
            s.add(hash("conversation", canonical(c)));
            sums.put(c.id(), s);
        }
        Bucket bucket = new Bucket(directory, modelByRow, orphans, sums);
        // With a subset: only rows whose conversationId names one of its conversations (an IN list of literals).
        String in = only == null ? null : " IN (" + textList(rawIds) + ")";

        // The call rows' hashes by call id: of the whole table first, when every conversation is computed; with a
        // subset, of the calls its messages name, read after them (a sum does not depend on the order of its rows).
        boolean callRows = schema.hasTable("callsHistory") && schema.has("callsHistory", "callId");
        Map<String, byte[]> calls = callRows && only == null ? callHashes(conn, null) : null;
        List<Sum> callSums = new ArrayList<>();
        List<String> callRefs = new ArrayList<>();

        boolean callIds = schema.has("messages", "json") && schema.has("messages", "type");
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(messagesQuery(schema, callIds)
                + (in == null ? "" : " WHERE conversationId" + in))) {
            MessageDigest d = sha256();
            while (rs.next()) {
                Sum s = bucket.of(rs.getString(1));
                if (s == null) {
                    continue;
                }
                update(d, "message");
                for (int i = 2; i <= 4; i++) {
                    byte[] b = rs.getBytes(i);
                    d.update(ByteBuffer.allocate(4).putInt(b == null ? -1 : b.length).array());
                    if (b != null) {
                        d.update(b);
                    }
                }
                s.add(d.digest());
                String callId = callIds ? rs.getString(5) : null;
                if (callId != null && callRows) {
                    if (calls != null) {
                        byte[] call = calls.get(callId);
                        if (call != null) {
                            s.add(call);
                        }
                    } else {
                        callSums.add(s);
                        callRefs.add(callId);
                    }
                }
            }
        }
        if (!callRefs.isEmpty()) {
            calls = callHashes(conn, new HashSet<>(callRefs));
            for (int i = 0; i < callRefs.size(); i++) {
                byte[] call = calls.get(callRefs.get(i));
                if (call != null) {
                    callSums.get(i).add(call);
                }
            }
        }
        if (schema.hasTable("message_attachments") && schema.has("message_attachments", "messageId")) {
            // Filed by the message's conversation, as the mapper reads them (the row's own copy can be stale).
            rows(conn, bucket, "attachment", "SELECT m.conversationId, " + rowText(conn, "message_attachments", "a.")
                    + " FROM message_attachments a JOIN messages m ON m.id = a.messageId"
                    + (in == null ? "" : " WHERE m.conversationId" + in));
        }
        for (String table : List.of("reactions", "edited_messages")) {
            if (!schema.hasTable(table)) {
                continue;
            }
            if (schema.has(table, "conversationId")) {
                rows(conn, bucket, table, "SELECT conversationId, " + rowText(conn, table, "") + " FROM " + table
                        + (in == null ? "" : " WHERE conversationId" + in));
            } else if (schema.has(table, "messageId")) {
                rows(conn, bucket, table, "SELECT m.conversationId, " + rowText(conn, table, "t.") + " FROM " + table
                        + " t JOIN messages m ON m.id = t.messageId" + (in == null ? "" : " WHERE m.conversationId" + in));
            }
        }

        Map<String, String> out = new LinkedHashMap<>();
        for (Conversation c : listed) {
            Sum s = sums.get(c.id());
            String fp = s != null ? s.hex() : carried.get(c.id());
            if (fp != null) {
                out.put(c.id(), fp);
            }
        }
        return new ChangeFingerprints(context(conn, schema, directory), out);
    }

    /**
     * Every messages row with: its conversation, the columns the reader reads ({@link MessageMapper#COLUMNS}, under
     * whichever name the schema has, and the row id) as SQL literals in one text, then {@code json} and {@code body}
     * as they are (the large ones, kept out of the text to save copying), then a call message's call id. Only these
     * columns can change what the reader makes of the row; the rest are Signal's own bookkeeping or generated.
     */
    static String messagesQuery(SignalDesktopReader.SchemaInfo schema, boolean callIds) {
        List<String> small = new ArrayList<>();
        small.add("quote(rowid)");
        for (String[] want : MessageMapper.COLUMNS) {
            for (String name : want) {
                if (schema.has("messages", name)) {
                    if (!name.equals("json") && !name.equals("body")) {
                        small.add("quote(\"" + name + "\")");
                    }
                    break;
                }
            }
        }
        return "SELECT conversationId, concat_ws(',', " + String.join(", ", small) + "), "
                + (schema.has("messages", "json") ? "json" : "NULL") + ", "
                + (schema.has("messages", "body") ? "body" : "NULL")
                // json_valid first: a damaged json (which the reader tolerates) must not fail the whole query
                + (callIds ? ", CASE WHEN type = 'call-history' THEN CASE WHEN json_valid(json)"
                        + " THEN json_extract(json, '$.callId') END END" : "")
                + " FROM messages";
    }

    /** The fingerprint of what is shared by every conversation ({@link #context()}), computed alone. */
    static String context(Connection conn, SignalDesktopReader.SchemaInfo schema, Directory directory)
            throws SQLException {
        MessageDigest d = sha256();
        update(d, "signal-desktop fingerprints " + SCHEME + " schema " + schema.userVersion());
        new TreeMap<>(schema.columns()).forEach((table, cols) -> update(d, table + ":" + new TreeSet<>(cols)));
        directory.fingerprint(d);
        if (schema.hasTable("stickers")) {
            Sum stickers = new Sum();
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + rowText(conn, "stickers", "") + " FROM stickers")) {
                while (rs.next()) {
                    stickers.add(hash("sticker", rs.getBytes(1)));
                }
            }
            update(d, "stickers " + stickers.hex());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** At most this many call ids are looked up by an IN list; more, and the whole table is read. */
    private static final int CALL_LOOKUPS = 500;

    /** {@code values} as SQL text literals, comma-separated, in their order. */
    private static String textList(Iterable<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(v.replace("'", "''")).append('\'');
        }
        return sb.toString();
    }

    /**
     * The hash of each {@code callsHistory} row (rows with the same call id combined) by call id as the reader
     * reads it ({@code getString}): of every row, or of the rows whose call id is in {@code wanted}. The SQL only
     * narrows: it keeps a row whose call id is a text equal to one of them (under the column's collation, which
     * may match more) or is no text at all (a number or blob that may read as one of them); the exact choice is
     * made here, so that a call's hash is the one the whole table gives.
     */
    private static Map<String, byte[]> callHashes(Connection conn, Set<String> wanted) throws SQLException {
        String sql = "SELECT callId, " + rowText(conn, "callsHistory", "") + " FROM callsHistory";
        if (wanted != null && wanted.size() <= CALL_LOOKUPS) {
            sql += " WHERE callId IN (" + textList(new TreeSet<>(wanted)) + ") OR typeof(callId) NOT IN ('text', 'null')";
        }
        Map<String, byte[]> calls = new HashMap<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String id = rs.getString(1);
                if (wanted == null || wanted.contains(id)) {
                    calls.merge(id, hash("call", rs.getBytes(2)), ChangeFingerprints::combine);
                }
            }
        }
        return calls;
    }

    private static void rows(Connection conn, Bucket bucket, String tag, String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Sum s = bucket.of(rs.getString(1));
                if (s != null) {
                    s.add(hash(tag, rs.getBytes(2)));
                }
            }
        }
    }

    /**
     * An SQL expression giving a row's stored columns as one text: each column as an SQL literal ({@code quote()}),
     * comma-separated, in the table's column order. Generated columns are left out: they follow from the others.
     */
    static String rowText(Connection conn, String table, String prefix) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA table_xinfo(\"" + table.replace("\"", "\"\"") + "\")")) {
            while (rs.next()) {
                if (rs.getInt("hidden") == 0) {
                    cols.add(prefix + "\"" + rs.getString("name").replace("\"", "\"\"") + "\"");
                }
            }
        }
        if (cols.isEmpty()) {
            return "''";
        }
        StringBuilder sb = new StringBuilder("concat_ws(','");
        for (String c : cols) {
            sb.append(", quote(").append(c).append(')');
        }
        return sb.append(')').toString();
    }

    private static byte[] canonical(Conversation c) {
        try {
            return CanonicalJson.lineBytes(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] hash(String tag, byte[] row) {
        MessageDigest d = sha256();
        update(d, tag);
        if (row != null) {
            d.update(row);
        }
        return d.digest();
    }

    private static byte[] combine(byte[] a, byte[] b) {
        Sum s = new Sum();
        s.add(a);
        s.add(b);
        return s.bytes();
    }

    private static void update(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update(ByteBuffer.allocate(4).putInt(b.length).array());
        d.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /**
     * Which conversation's sum a row's {@code conversationId} goes to (null: a row no listed conversation reads),
     * resolved to a conversation row as the listing resolves it ({@link Directory#conversationRowOf}).
     */
    private record Bucket(Directory directory, Map<String, String> modelByRow, String orphans, Map<String, Sum> sums) {
        Sum of(String rowConversationId) {
            String row = directory.conversationRowOf(rowConversationId);
            if (row == null) {
                // The orphan collection holds rows whose conversation row is missing.
                return orphans == null ? null : sums.get(orphans);
            }
            // Rows of a conversation that is not listed (e.g. one with only stories) are read by no conversation.
            String model = modelByRow.get(row);
            return model == null ? null : sums.get(model);
        }
    }

    /** A sum of 256-bit row hashes (four 64-bit lanes, each modulo 2^64) and a row count: order-independent. */
    private static final class Sum {
        private final long[] lanes = new long[4];
        private long count;

        void add(byte[] h) {
            ByteBuffer b = ByteBuffer.wrap(h);
            for (int i = 0; i < 4; i++) {
                lanes[i] += b.getLong();
            }
            count++;
        }

        byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(40);
            for (long l : lanes) {
                b.putLong(l);
            }
            return b.putLong(count).array();
        }

        String hex() {
            return HexFormat.of().formatHex(bytes());
        }
    }
}
