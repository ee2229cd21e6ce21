package org.chatarchive.readers.signal.desktop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceCount;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.chatarchive.model.source.SourceFingerprints;
import org.chatarchive.readers.keys.KeyRequest;
import org.chatarchive.readers.keys.ResolvedKey;
import org.chatarchive.readers.sqlcipher.DecryptedDatabase;
import org.chatarchive.readers.sqlcipher.OpenOptions;
import org.chatarchive.readers.sqlcipher.ProgressListener;
import org.chatarchive.readers.sqlcipher.SqlCipherKey;

/**
 * Reads a Signal Desktop profile: decrypts its database in memory and streams it as the neutral model.
 *
 * <p>Column values win over the same field in the {@code json} column, as in the app; the reader checks which
 * columns the schema has, so that databases from before a column existed fall back to the JSON copy.
 */
public final class SignalDesktopReader implements ChatSource, SourceFingerprints {

    /** The newest {@code user_version} this reader was written against. */
    public static final int NEWEST_KNOWN_SCHEMA = 1830;
    /** The oldest schema with the columns this reader relies on (random conversation ids, {@code sourceUuid}). */
    public static final int OLDEST_SUPPORTED_SCHEMA = 20;

    static final String SOURCE_APP = "signal-desktop";

    /**
     * Options for opening a profile.
     *
     * @param keyHex              the database key as 64 hex characters, or null to take it from {@code config.json}
     * @param tempDir             where a plaintext image may be written when the database is too large for memory
     *                            (opt-in)
     * @param progress            told how far decryption has got
     * @param safeStoragePassword the keyring secret that unwraps {@code encryptedKey}, or null to ask the key store
     * @param keys                where keyring tools run and which OS this is; null for this computer's
     */
    public record Options(String keyHex, Path tempDir, ProgressListener progress, String safeStoragePassword,
                          KeyRequest keys) {
        public Options(String keyHex, Path tempDir, ProgressListener progress) {
            this(keyHex, tempDir, progress, null, null);
        }

        public static Options defaults() {
            return new Options(null, null, null);
        }

        /** The key request these options make: {@link #keys()} (or this computer) with the key options applied. */
        public KeyRequest keyRequest() {
            KeyRequest base = keys != null ? keys : KeyRequest.system(null, null);
            return new KeyRequest(keyHex, safeStoragePassword, base.platform(), base.runner(), base.env());
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final SignalDesktopProfile profile;
    private final DecryptedDatabase db;
    private final Connection conn;
    private final SchemaInfo schema;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Long> excluded = new TreeMap<>();
    private final String keySource;

    private final Directory directory;
    private final List<Conversation> conversations;
    private final MessageMapper mapper;
    private final AttachmentFiles files;

    private SignalDesktopReader(SignalDesktopProfile profile, DecryptedDatabase db, String keySource)
            throws SourceException {
        this.profile = profile;
        this.db = db;
        this.conn = db.connection();
        this.keySource = keySource;
        warnings.addAll(db.warnings());
        try {
            this.schema = SchemaInfo.read(conn);
            checkSchema();
            this.directory = Directory.load(conn, schema, json);
            this.conversations = List.copyOf(directory.conversationsWithMessages(conn, schema, excluded));
            this.files = new AttachmentFiles(conn, schema, json, profile.dir(), directory::conversationRow);
            this.mapper = new MessageMapper(conn, schema, directory, json, files);
        } catch (SQLException e) {
            throw new SourceException(Kind.UNSUPPORTED, "The database decrypted, but its tables could not be read ("
                    + e.getMessage() + "). It may be from a Signal Desktop version this reader does not know;"
                    + " please report the schema version " + safeVersion() + ".", e);
        }
    }

    /**
     * Opens the profile at {@code dir}.
     *
     * @throws SourceException {@link Kind#NOT_A_SOURCE} for a folder that is not a profile,
     *                         {@link Kind#KEY_UNAVAILABLE}/{@link Kind#WRONG_KEY} for key trouble,
     *                         {@link Kind#CORRUPT} for a damaged database
     */
    public static SignalDesktopReader open(Path dir, Options options) throws SourceException {
        SignalDesktopProfile profile = SignalDesktopProfile.open(dir);
        ResolvedKey resolved = profile.resolveKey(options.keyRequest());
        byte[] key = resolved.key();
        OpenOptions open = OpenOptions.defaults();
        if (options.tempDir() != null) {
            open = open.withTempDir(options.tempDir());
        }
        if (options.progress() != null) {
            open = open.withProgress(options.progress());
        }
        DecryptedDatabase db;
        try {
            db = DecryptedDatabase.open(profile.database(), SqlCipherKey.raw(key), open);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
        try {
            return new SignalDesktopReader(profile, db, resolved.source());
        } catch (SourceException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private void checkSchema() throws SourceException {
        int v = schema.userVersion();
        if (!schema.hasTable("messages") || !schema.hasTable("conversations")) {
            throw new SourceException(Kind.UNSUPPORTED, "The database decrypted but has no messages or conversations"
                    + " table (schema version " + v + "); it does not look like a Signal Desktop database.");
        }
        if (v > NEWEST_KNOWN_SCHEMA) {
            warnings.add("Schema version " + v + " is newer than the newest this reader knows (" + NEWEST_KNOWN_SCHEMA
                    + "); reading it anyway. Check the result, and update chat-archive if something is missing.");
        } else if (v < OLDEST_SUPPORTED_SCHEMA) {
            warnings.add("Schema version " + v + " is older than " + OLDEST_SUPPORTED_SCHEMA + " (Signal Desktop before"
                    + " 2020); reading it anyway, but senders and groups may be incomplete.");
        }
    }

    private String safeVersion() {
        return schema == null ? "(unknown)" : String.valueOf(schema.userVersion());
    }

    @Override
    public SourceInfo info() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("pageSize", db.pageSize());
        extra.put("pageCount", db.pageCount());
        extra.put("walFramesApplied", db.walFramesApplied());
        if (db.wasPlaintext()) {
            extra.put("plaintextDatabase", true);
        }
        return new SourceInfo(SOURCE_APP, null, schema.userVersion(), db.sourceSha256(), keySource, extra);
    }

    @Override
    public List<Participant> participants() {
        return directory.participants();
    }

    @Override
    public String ownerId() {
        return directory.ownerId();
    }

    @Override
    public List<Conversation> conversations() {
        return conversations;
    }

    @Override
    public SourceCount sourceCount(Conversation conversation) {
        long[] rc = directory.rowCounts(conversation.id());
        return new SourceCount(rc[0], rc[1] > 0 ? Map.of("stories", rc[1]) : Map.of());
    }

    @Override
    public long messageCountHint() {
        return directory.messageRows();
    }

    @Override
    public void messages(Conversation conversation, Consumer<Message> sink) throws SourceException {
        String convId = directory.sourceConversationId(conversation.id());
        String sender = schema.first("messages", "sourceServiceId", "sourceUuid");
        try {
            if (convId != null && directory.storyFlagEverywhere() && duplicates(sender) != null) {
                // Walks Signal's (conversationId, isStory, received_at, sent_at) index: already in timeline order
                // (rowid last, as every index entry ends with it), so nothing is sorted.
                String sql = "SELECT " + schema.messageSelectList() + " FROM messages"
                        + " WHERE conversationId = ? AND isStory = 0 ORDER BY received_at, sent_at, rowid";
                try (PreparedStatement ps = conn.prepareStatement(sql)) {
                    ps.setString(1, convId);
                    read(conversation, ps, rs -> duplicates.index(convId, rs.getLong("rowid"), rs.getObject("sent_at")),
                            sink);
                }
                return;
            }
            // dupIndex numbers rows that share a sender and sent time, so that their ids stay distinct.
            String dup = "ROW_NUMBER() OVER (PARTITION BY type, sent_at, " + DuplicateSentTimes.senderKey(sender, null)
                    + " ORDER BY rowid) AS dupIndex";
            String sql = "SELECT " + schema.messageSelectList() + ", " + dup + " FROM messages WHERE "
                    + (convId == null ? "conversationId IS NULL OR conversationId NOT IN (SELECT id FROM conversations)"
                    : "conversationId = ?")
                    + " ORDER BY received_at, sent_at, rowid";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                if (convId != null) {
                    ps.setString(1, convId);
                }
                read(conversation, ps, rs -> rs.getInt("dupIndex"), sink);
            }
        } catch (SQLException e) {
            throw new SourceException(Kind.CORRUPT, "Reading the messages of \"" + conversation.title()
                    + "\" failed (" + e.getMessage() + "). The database may be damaged.", e);
        }
    }

    /** How a row's number among rows with its type, sent time and sender is found. */
    @FunctionalInterface
    private interface DupIndex {
        int of(ResultSet rs) throws SQLException;
    }

    private void read(Conversation conversation, PreparedStatement ps, DupIndex dupIndex, Consumer<Message> sink)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String type = rs.getString("type");
                if ("story".equals(type)) {
                    continue; // counted once for the whole database by Directory#conversationsWithMessages
                }
                ObjectNode row = MessageMapper.parseJson(json, rs.getBytes("json"));
                sink.accept(mapper.map(conversation, rs, row, dupIndex.of(rs)));
            }
        }
    }

    private DuplicateSentTimes duplicates;
    private boolean duplicatesLoaded;

    /** The numbering of rows with a shared sent time, loaded on first use; null when it cannot be used. */
    private DuplicateSentTimes duplicates(String sender) throws SQLException {
        if (!duplicatesLoaded) {
            duplicates = DuplicateSentTimes.load(conn, sender);
            duplicatesLoaded = true;
        }
        return duplicates;
    }

    /** How many messages {@link #messages} would give over all conversations (stories are not messages here). */
    public long messageCount() throws SourceException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM messages WHERE type IS NULL OR type <> 'story'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new SourceException(Kind.CORRUPT, "Counting the messages failed (" + e.getMessage() + "). The"
                    + " database may be damaged.", e);
        }
    }

    @Override
    public InputStream openAttachment(Attachment attachment) throws SourceException, IOException {
        if (attachment.sourceRef() == null) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "This attachment has no file in the profile.");
        }
        return files.open(attachment.sourceRef());
    }

    private ChangeFingerprints fingerprints;

    @Override
    public String contextFingerprint() throws SourceException {
        return fingerprints().context();
    }

    @Override
    public Map<String, String> conversationFingerprints() throws SourceException {
        return fingerprints().conversations();
    }

    private ChangeFingerprints fingerprints() throws SourceException {
        if (fingerprints == null) {
            try {
                fingerprints = ChangeFingerprints.compute(conn, schema, directory, conversations);
            } catch (SQLException e) {
                throw new SourceException(Kind.CORRUPT, "Fingerprinting the conversations failed (" + e.getMessage()
                        + "). The database may be damaged.", e);
            }
        }
        return fingerprints;
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public Map<String, Long> excluded() {
        return Map.copyOf(excluded);
    }

    @Override
    public void close() {
        db.close();
    }

    /** Which tables and columns this database has, and its schema version. */
    record SchemaInfo(int userVersion, Map<String, Set<String>> columns) {

        static SchemaInfo read(Connection c) throws SQLException {
            int version;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            Map<String, Set<String>> cols = new HashMap<>();
            List<String> tables = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                Set<String> names = new HashSet<>();
                // table_xinfo also lists generated columns, which can be read like stored ones.
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("PRAGMA table_xinfo(\"" + t.replace("\"", "\"\"") + "\")")) {
                    while (rs.next()) {
                        names.add(rs.getString("name"));
                    }
                }
                cols.put(t, names);
            }
            return new SchemaInfo(version, cols);
        }

        boolean hasTable(String t) {
            return columns.containsKey(t);
        }

        boolean has(String table, String column) {
            Set<String> s = columns.get(table);
            return s != null && s.contains(column);
        }

        /** The first of {@code names} that {@code table} has, or null. */
        String first(String table, String... names) {
            for (String n : names) {
                if (has(table, n)) {
                    return n;
                }
            }
            return null;
        }

        /** The messages columns the mapper reads, each present under its own name or as NULL. */
        String messageSelectList() {
            StringBuilder sb = new StringBuilder("rowid AS rowid");
            for (String[] want : MessageMapper.COLUMNS) {
                String alias = want[0];
                String actual = null;
                for (String name : want) {
                    if (has("messages", name)) {
                        actual = name;
                        break;
                    }
                }
                sb.append(", ").append(actual == null ? "NULL" : "\"" + actual + "\"").append(" AS \"")
                        .append(alias).append('"');
            }
            return sb.toString();
        }
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    static JsonNode orEmpty(JsonNode n) {
        return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
    }

    static ConversationKind kindOf(String type, boolean self) {
        if (self) {
            return ConversationKind.NOTE_TO_SELF;
        }
        return "group".equals(type) ? ConversationKind.GROUP : ConversationKind.DIRECT;
    }
}
