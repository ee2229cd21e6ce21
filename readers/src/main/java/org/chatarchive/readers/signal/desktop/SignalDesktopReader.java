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
import java.util.Arrays;
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
import org.chatarchive.model.source.RowPatches;
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
public final class SignalDesktopReader implements ChatSource, SourceFingerprints, RowPatches {

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
                          KeyRequest keys, Incremental incremental) {
        public Options(String keyHex, Path tempDir, ProgressListener progress) {
            this(keyHex, tempDir, progress, null, null, null);
        }

        public Options(String keyHex, Path tempDir, ProgressListener progress, String safeStoragePassword,
                       KeyRequest keys) {
            this(keyHex, tempDir, progress, safeStoragePassword, keys, null);
        }

        /** These options with a plaintext copy kept between runs (see {@link Incremental}). */
        public Options withIncremental(Incremental i) {
            return new Options(keyHex, tempDir, progress, safeStoragePassword, keys, i);
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

    /**
     * A reader kept up to date between runs (a backup's): a private plaintext copy of the tables the reader reads
     * lives in {@code mirrorDir} (the key tables are not in it), so that a run decrypts only the pages that changed;
     * and when the copy is of the same state as the last run's ({@code baseline}, the {@link #baseline()} that run
     * gave), the fingerprints of the conversations whose rows are on no changed page are those of the last run
     * ({@code previous}), so only the others are computed.
     */
    public record Incremental(Path mirrorDir, String baseline, Map<String, String> previous) {
        public Incremental {
            previous = previous == null ? Map.of() : Map.copyOf(previous);
        }
    }

    /** The tables the reader reads (and so the plaintext copy keeps). */
    static final Set<String> MIRRORED_TABLES = Set.of("messages", "conversations", "message_attachments", "reactions",
            "edited_messages", "callsHistory", "stickers");
    /** Tables the copy leaves out (they hold keys) of which the reader needs rows: read from the source's pages. */
    static final Set<String> UNMIRRORED_READ = Set.of("items");

    private final ObjectMapper json = new ObjectMapper();
    private final SignalDesktopProfile profile;
    private final DecryptedDatabase db;
    private final Connection conn;
    private final SchemaInfo schema;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Long> excluded = new TreeMap<>();
    private final String keySource;
    private final Incremental incremental;

    private final Directory directory;
    private final List<Conversation> conversations;
    private final MessageMapper mapper;
    private final AttachmentFiles files;

    private SignalDesktopReader(SignalDesktopProfile profile, DecryptedDatabase db, String keySource,
                                Incremental incremental) throws SourceException {
        this.profile = profile;
        this.db = db;
        this.conn = db.connection();
        this.keySource = keySource;
        this.incremental = incremental;
        warnings.addAll(db.warnings());
        try {
            this.schema = SchemaInfo.read(conn);
            checkSchema();
            org.chatarchive.model.Timing.mark("reader: schema read");
            this.directory = Directory.load(conn, schema, json, items(db, conn));
            org.chatarchive.model.Timing.mark("reader: directory loaded");
            this.conversations = List.copyOf(directory.conversationsWithMessages(messageGroups(), schema, excluded));
            org.chatarchive.model.Timing.mark("reader: conversations counted");
            this.files = new AttachmentFiles(conn, schema, json, profile.dir(), directory::conversationRow);
            this.mapper = new MessageMapper(conn, schema, directory, json, files);
            org.chatarchive.model.Timing.mark("reader: mapper ready");
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
        if (options.incremental() != null) {
            open = open.withMirror(new OpenOptions.Mirror(options.incremental().mirrorDir(), MIRRORED_TABLES,
                    UNMIRRORED_READ, Map.of("messages", List.of("conversationId", "sent_at", "id", "type"))));
        }
        DecryptedDatabase db;
        org.chatarchive.model.Timing.mark("reader: key resolved");
        try {
            db = DecryptedDatabase.open(profile.database(), SqlCipherKey.raw(key), open);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
        try {
            return new SignalDesktopReader(profile, db, resolved.source(), options.incremental());
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
    public String type() {
        return SOURCE_APP;
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
    /** The rows of the conversations {@link #willRead} named, or -1 when it was not called. */
    private long plannedRows = -1;

    /**
     * Tells the reader which conversations {@link #messages} is going to be asked for (it may still be asked for
     * others). When they hold a small part of the database's rows (a backup after a small change reads a few of
     * hundreds), the sent times that rows share are looked up per conversation instead of in one pass over every
     * row, which would cost more than the reads; the messages are the same either way.
     */
    public void willRead(java.util.Collection<Conversation> planned) {
        long rows = 0;
        for (Conversation c : planned) {
            rows += directory.rowCounts(c.id())[0];
        }
        plannedRows = rows;
    }

    /** The numbering of rows with a shared sent time, loaded on first use; null when it cannot be used. */
    private DuplicateSentTimes duplicates(String sender) throws SQLException {
        if (!duplicatesLoaded) {
            // Per conversation, each read row costs a little more (its conversation's sent times are sorted) than
            // in the whole table's pass, which is worth it while that pass covers four times the rows or more.
            boolean few = plannedRows >= 0 && plannedRows * 4 <= directory.messageRows();
            duplicates = few ? DuplicateSentTimes.perConversation(conn, sender) : DuplicateSentTimes.load(conn, sender);
            duplicatesLoaded = true;
        }
        return duplicates;
    }

    /** The numbering {@link #messages} uses, once it has read a conversation (for tests); null otherwise. */
    DuplicateSentTimes duplicatesInUse() {
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

    /**
     * The messages rows by conversation and story flag: with a plaintext copy, those kept beside it for its
     * previous state brought up to date from the rows that changed since ({@link MessageCounts}), else counted
     * over every row; kept beside the copy for the next run (unless the file holds them already: no page changed).
     */
    private List<Directory.RowGroup> messageGroups() throws SQLException {
        DecryptedDatabase.MirrorUse use = db.mirrorUse().orElse(null);
        Path file = incremental == null || use == null || use.generation() == null ? null
                : incremental.mirrorDir().resolve(MessageCounts.FILE);
        List<Directory.RowGroup> groups = file == null ? null : MessageCounts.updated(file, use, conn, schema);
        countsFromCopy = groups != null;
        if (groups == null) {
            groups = Directory.countRows(conn, schema);
        }
        if (file != null && !(countsFromCopy && use.generation().equals(use.previousGeneration()))) {
            try {
                MessageCounts.write(file, use.generation(), groups);
            } catch (IOException e) {
                // a cache: the next run counts the rows again
            }
        }
        return groups;
    }

    private boolean countsFromCopy;

    /** Whether the messages rows were counted from those kept beside the copy and the changed rows (for tests). */
    boolean countsFromCopy() {
        return countsFromCopy;
    }

    private ChangeFingerprints fingerprints;

    @Override
    public String contextFingerprint() throws SourceException {
        if (fingerprints != null) {
            return fingerprints.context();
        }
        if (context == null) {
            try {
                context = ChangeFingerprints.context(conn, schema, directory);
            } catch (SQLException e) {
                throw new SourceException(Kind.CORRUPT, "Fingerprinting the database failed (" + e.getMessage()
                        + "). The database may be damaged.", e);
            }
        }
        return context;
    }

    /** {@link #contextFingerprint()} when it was computed without the conversations' fingerprints. */
    private String context;

    /**
     * The conversations whose rows may have changed since the baseline, found from the copy's changed pages
     * ({@link #affectedSinceBaseline}), with those the last run recorded no fingerprint for; null when that cannot
     * be told. Nothing is fingerprinted: a backup merges these from their changed rows ({@link #patch}).
     */
    @Override
    public Set<String> changedSinceBaseline() throws SourceException {
        if (changedSinceBaseline == null) {
            try {
                Set<String> affected = affectedSinceBaseline();
                if (affected == null) {
                    return null;
                }
                Set<String> changed = new HashSet<>();
                for (Conversation c : conversations) {
                    if (affected.contains(c.id()) || !incremental.previous().containsKey(c.id())) {
                        changed.add(c.id());
                    }
                }
                changedSinceBaseline = Set.copyOf(changed);
                rowRoute = true;
                changeNote = String.format(Locale.ROOT, "Changes found from %,d changed database pages:"
                        + " %,d of %,d conversations with changed rows", db.mirrorUse().orElseThrow().changedPages(),
                        changed.size(), conversations.size());
            } catch (SQLException e) {
                throw new SourceException(Kind.CORRUPT, "Finding the changed conversations failed (" + e.getMessage()
                        + "). The database may be damaged.", e);
            }
        }
        return changedSinceBaseline;
    }

    private Set<String> changedSinceBaseline;

    @Override
    public Map<String, String> conversationFingerprints() throws SourceException {
        return fingerprints().conversations();
    }

    private ChangeFingerprints fingerprints() throws SourceException {
        if (fingerprints == null) {
            try {
                Set<String> affected = affectedSinceBaseline();
                if (affected != null) {
                    Set<String> compute = new HashSet<>();
                    for (Conversation c : conversations) {
                        if (affected.contains(c.id()) || !incremental.previous().containsKey(c.id())) {
                            compute.add(c.id());
                        }
                    }
                    fingerprints = ChangeFingerprints.compute(conn, schema, directory, conversations, compute,
                            incremental.previous());
                    rowRoute = true;
                    changeNote = String.format(Locale.ROOT, "Changes found from %,d changed database pages:"
                            + " %,d of %,d conversations fingerprinted again", db.mirrorUse().orElseThrow().changedPages(),
                            compute.size(), conversations.size());
                } else {
                    fingerprints = ChangeFingerprints.compute(conn, schema, directory, conversations);
                }
            } catch (SQLException e) {
                throw new SourceException(Kind.CORRUPT, "Fingerprinting the conversations failed (" + e.getMessage()
                        + "). The database may be damaged.", e);
            }
        }
        return fingerprints;
    }

    private String changeNote;

    /**
     * The fingerprints of the conversations in {@code only} (model ids) alone, computed as a run computes those
     * of the conversations its changed pages touch (for tests).
     */
    Map<String, String> fingerprintsOf(Set<String> only) throws SQLException {
        return ChangeFingerprints.compute(conn, schema, directory, conversations, only, Map.of()).conversations();
    }

    /**
     * The model ids of the conversations whose rows (of the tables the fingerprints cover) may differ from the
     * baseline's, found from the pages that changed since; null when that cannot be told (no copy of the baseline's
     * state, rows removed, a changed schema, rows of the orphan collection), and every fingerprint is computed.
     * Found once per reading (it notes the removed messages for {@link #patch}).
     */
    private Set<String> affectedSinceBaseline() throws SQLException {
        if (!affectedKnown) {
            affectedConversations = findAffectedSinceBaseline();
            affectedKnown = true;
        }
        return affectedConversations;
    }

    private Set<String> affectedConversations;
    private boolean affectedKnown;

    private Set<String> findAffectedSinceBaseline() throws SQLException {
        if (incremental == null || incremental.baseline() == null || incremental.previous().isEmpty()) {
            return null;
        }
        DecryptedDatabase.MirrorUse use = db.mirrorUse().orElse(null);
        if (use == null || !use.incremental() || !incremental.baseline().equals(use.previousGeneration())) {
            return null;
        }
        Set<String> covered = Set.of("messages", "message_attachments", "reactions", "edited_messages",
                "callsHistory", "conversations");
        Set<String> rowIds = new HashSet<>();   // conversations rows (source ids)
        for (Map.Entry<String, long[]> e : use.removedRows().entrySet()) {
            if (e.getValue().length == 0 || !(covered.contains(e.getKey()) || e.getKey().startsWith("sqlite_"))) {
                continue;
            }
            // A removed message counts against the conversation it was in (read from the copy before it changed);
            // a row removed from any other table the fingerprints cover makes every fingerprint be computed.
            Map<Long, Object[]> was = use.removedValues().get(e.getKey());
            if (!e.getKey().equals("messages") || was == null
                    || !Arrays.stream(e.getValue()).allMatch(was::containsKey)) {
                return null;
            }
            for (long rowid : e.getValue()) {
                Object[] removed = was.get(rowid);
                if (!(removed[0] instanceof String id)) {
                    return null; // a message of the orphan collection
                }
                rowIds.add(id);
                // what a patch of the conversation needs: the rows that depended on its sent time, and its id
                Removed r = removedFrom.computeIfAbsent(id, k -> new Removed(new HashSet<>(), new HashSet<>()));
                if (removed[1] instanceof Long || removed[1] instanceof Integer) {
                    r.sentAts().add(((Number) removed[1]).longValue());
                } else {
                    r.sentAts().add(null); // not a whole number: no patch
                }
                r.rows().add(removed[2] instanceof String row ? row : null);
            }
        }
        Map<String, long[]> touched = use.touchedRows();
        if (touched.getOrDefault("sqlite_master", new long[0]).length > 0) {
            return null;
        }
        // A changed message counts against the conversation it was in too: one that moved to another conversation
        // is gone from the first (its values before the change are read from the copy, as a removed one's are).
        long[] changedMessages = touched.getOrDefault("messages", new long[0]);
        if (changedMessages.length > 0) {
            Map<Long, Object[]> was = use.removedValues().get("messages");
            if (was == null || use.unreadRows().getOrDefault("messages", new long[0]).length > 0) {
                return null; // a changed message's conversation before the change is not known
            }
            for (long rowid : changedMessages) {
                Object[] before = was.get(rowid);
                if (before != null) {
                    if (!(before[0] instanceof String id)) {
                        return null; // it was in the orphan collection
                    }
                    rowIds.add(id);
                }
            }
        }
        for (String table : covered) {
            long[] ids = touched.get(table);
            if (ids == null || ids.length == 0) {
                continue;
            }
            String sql = switch (table) {
                case "messages" -> "SELECT DISTINCT conversationId FROM messages WHERE rowid IN (%s)";
                case "conversations" -> "SELECT id FROM conversations WHERE rowid IN (%s)";
                case "message_attachments" -> schema.has(table, "messageId")
                        ? "SELECT DISTINCT m.conversationId FROM message_attachments a JOIN messages m ON m.id = a.messageId"
                        + " WHERE a.rowid IN (%s)" : null;
                case "callsHistory" -> schema.has(table, "callId") && schema.has("messages", "json")
                        && schema.has("messages", "type")
                        ? "SELECT DISTINCT conversationId FROM messages WHERE type = 'call-history' AND json_valid(json)"
                        + " AND json_extract(json, '$.callId') IN (SELECT callId FROM callsHistory WHERE rowid IN (%s))"
                        : null;
                default -> schema.has(table, "conversationId")
                        ? "SELECT DISTINCT conversationId FROM " + table + " WHERE rowid IN (%s)"
                        : schema.has(table, "messageId")
                        ? "SELECT DISTINCT m.conversationId FROM " + table + " t JOIN messages m ON m.id = t.messageId"
                        + " WHERE t.rowid IN (%s)" : null;
            };
            if (sql == null) {
                continue;
            }
            forRows(ids, sql, rs -> rowIds.add(rs.getString(1)));
        }
        Set<String> affected = new HashSet<>();
        for (String raw : rowIds) {
            String row = directory.conversationRowOf(raw);
            String model = row == null ? null : directory.modelIdOfRow(row);
            if (model == null) {
                // a row of the orphan collection, or of a conversation that is not listed
                if (row == null) {
                    return null;
                }
                continue;
            }
            affected.add(model);
        }
        return affected;
    }

    /** Whether the fingerprints were found from the rows changed since the baseline (so {@link #patch} can work). */
    private boolean rowRoute;
    /** Messages removed since the baseline: their sent times and row ids. */
    private record Removed(Set<Long> sentAts, Set<String> rows) {
    }

    /** Conversations rows that had messages removed since the baseline → what was removed. */
    private final Map<String, Removed> removedFrom = new HashMap<>();
    /** The rows changed since the baseline, read on the first {@link #patch}; null until then. */
    private RowChanges rowChanges;

    /** What changed since the baseline, by row: what {@link #patch} starts from. */
    private static final class RowChanges {
        /** Conversations row → the ids of its messages rows that changed or are new. */
        final Map<String, Set<String>> rows = new HashMap<>();
        /** Conversations row → the sent times of those rows. */
        final Map<String, Set<Long>> sentAts = new HashMap<>();
        /** Conversations rows with a changed row whose sent time is not a whole number. */
        final Set<String> odd = new HashSet<>();
        /** Messages whose attachment, reaction or edit rows changed. */
        final Set<String> messages = new HashSet<>();
        /** Call ids of changed call records. */
        final Set<String> callIds = new HashSet<>();
        /** Whether a changed table's rows cannot be traced to messages: nothing can be patched. */
        boolean untraceable;
    }

    private RowChanges rowChanges() throws SQLException {
        if (rowChanges != null) {
            return rowChanges;
        }
        RowChanges rc = new RowChanges();
        Map<String, long[]> touched = db.mirrorUse().orElseThrow().touchedRows();
        forRows(touched.get("messages"), "SELECT id, conversationId, sent_at FROM messages WHERE rowid IN (%s)", rs -> {
            String conv = rs.getString(2);
            Object sentAt = rs.getObject(3);
            rc.rows.computeIfAbsent(conv, k -> new HashSet<>()).add(rs.getString(1));
            if (sentAt instanceof Long || sentAt instanceof Integer) {
                rc.sentAts.computeIfAbsent(conv, k -> new HashSet<>()).add(((Number) sentAt).longValue());
            } else {
                rc.odd.add(conv);
            }
        });
        for (String table : List.of("message_attachments", "reactions", "edited_messages")) {
            long[] ids = touched.get(table);
            if (ids == null || ids.length == 0) {
                continue;
            }
            if (!schema.has(table, "messageId")) {
                rc.untraceable = true;
                continue;
            }
            forRows(ids, "SELECT messageId FROM " + table + " WHERE rowid IN (%s)", rs -> rc.messages.add(rs.getString(1)));
        }
        long[] calls = touched.get("callsHistory");
        if (calls != null && calls.length > 0) {
            if (!schema.has("callsHistory", "callId")) {
                rc.untraceable = true;
            } else {
                forRows(calls, "SELECT callId FROM callsHistory WHERE rowid IN (%s)", rs -> rc.callIds.add(rs.getString(1)));
            }
        }
        rowChanges = rc;
        return rc;
    }

    @FunctionalInterface
    private interface RowSink {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} (with {@code %s} for a list of row ids) over {@code ids}, 500 at a time. */
    private void forRows(long[] ids, String sql, RowSink sink) throws SQLException {
        if (ids == null) {
            return;
        }
        for (int from = 0; from < ids.length; from += 500) {
            StringBuilder in = new StringBuilder();
            for (int i = from; i < Math.min(ids.length, from + 500); i++) {
                in.append(i > from ? "," : "").append(ids[i]);
            }
            try (Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery(String.format(Locale.ROOT, sql, in))) {
                while (rs.next()) {
                    sink.accept(rs);
                }
            }
        }
    }

    /** Runs {@code sql} (with {@code %s} for a list of values, bound after {@code first}) over {@code values}. */
    private void forValues(String sql, String first, List<?> values, RowSink sink) throws SQLException {
        for (int from = 0; from < values.size(); from += 500) {
            List<?> part = values.subList(from, Math.min(values.size(), from + 500));
            try (PreparedStatement ps = conn.prepareStatement(String.format(Locale.ROOT, sql,
                    String.join(",", java.util.Collections.nCopies(part.size(), "?"))))) {
                ps.setString(1, first);
                for (int i = 0; i < part.size(); i++) {
                    ps.setObject(i + 2, part.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs);
                    }
                }
            }
        }
    }

    /**
     * The changes of {@code conversation} since the baseline, when the changed conversations were found from the
     * rows that changed since then (see {@link #affectedSinceBaseline}); else null.
     *
     * <p>A message's reading depends on its own row, its attachment rows, its call record, and two things of
     * other rows of its conversation: the number of earlier rows with its type, sent time and sender (the id's
     * {@code /n}), and whether a message with the sent time its quote names exists. So the rows that may read
     * differently are: the changed and new rows; those whose attachment, reaction or edit rows, or call record,
     * changed; those that share a sent time with a changed row; and those whose quote names such a sent time. A
     * changed row whose sent time, type or sender changed too breaks this (its old sent time is not known here):
     * the caller checks that against the archived line and reads the conversation whole when it differs. Shared
     * data (people, stickers, the schema) is the context fingerprint's, and the conversation itself the caller's
     * to compare.
     */
    @Override
    public Patch patch(Conversation conversation) throws SourceException {
        if (fingerprints == null) {
            changedSinceBaseline(); // the route and the removed rows, found without fingerprinting anything
        }
        String convId = directory.sourceConversationId(conversation.id());
        String sender = schema.first("messages", "sourceServiceId", "sourceUuid");
        try {
            Removed removed = convId == null ? null : removedFrom.get(convId);
            if (removed != null && (removed.sentAts().contains(null) || removed.rows().contains(null))) {
                return null;
            }
            if (!rowRoute || convId == null || !directory.storyFlagEverywhere()
                    || !schema.has("messages", "json") || !schema.has("messages", "type")
                    || duplicates(sender) == null) {
                return null;
            }
            RowChanges rc = rowChanges();
            if (rc.untraceable || rc.odd.contains(convId)) {
                return null;
            }
            Set<String> affected = new HashSet<>(rc.rows.getOrDefault(convId, Set.of()));
            java.util.TreeSet<Long> times = new java.util.TreeSet<>(rc.sentAts.getOrDefault(convId, Set.of()));
            if (removed != null) {
                times.addAll(removed.sentAts());
            }
            List<Long> sentAts = new ArrayList<>(times);
            if (!sentAts.isEmpty()) {
                forValues("SELECT id FROM messages WHERE conversationId = ? AND sent_at IN (%s)", convId, sentAts,
                        rs -> affected.add(rs.getString(1)));
            }
            if (!rc.callIds.isEmpty()) {
                forValues("SELECT id FROM messages WHERE conversationId = ? AND type = 'call-history'"
                        + " AND (NOT json_valid(json) OR json_extract(json, '$.callId') IN (%s))", convId,
                        new ArrayList<>(new java.util.TreeSet<>(rc.callIds)), rs -> affected.add(rs.getString(1)));
            }
            // The conversation's rows in the reader's order, in one pass that also finds the quotes naming one of
            // those sent times (whatever their number: a list of them in the query would make it one pass per
            // 500). A quote whose sent time is not a whole number, or whose JSON SQLite cannot read, is counted in.
            Set<Long> named = new HashSet<>(sentAts);
            boolean quotes = !sentAts.isEmpty();
            List<String> rows = new ArrayList<>();
            Set<String> read = new HashSet<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT id, type"
                    + (quotes ? ", CASE WHEN instr(json, '\"quote\"') > 0 THEN CASE WHEN json_valid(json) THEN"
                    + " json_type(json, '$.quote') ELSE 'invalid' END END, CASE WHEN instr(json, '\"quote\"') > 0"
                    + " AND json_valid(json) AND json_type(json, '$.quote.id') = 'integer' THEN"
                    + " json_extract(json, '$.quote.id') END" : "")
                    + " FROM messages WHERE conversationId = ? AND isStory = 0 ORDER BY received_at, sent_at, rowid")) {
                ps.setString(1, convId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (quotes) {
                            String type = rs.getString(3);
                            long quoted = rs.getLong(4);
                            boolean whole = !rs.wasNull();
                            if (id != null && ("invalid".equals(type)
                                    || ("object".equals(type) && (!whole || named.contains(quoted))))) {
                                affected.add(id);
                            }
                        }
                        if ("story".equals(rs.getString(2))) {
                            continue;
                        }
                        if (id == null) {
                            return null;
                        }
                        rows.add(id);
                        if (affected.contains(id) || rc.messages.contains(id)) {
                            read.add(id);
                        }
                    }
                }
            }
            Map<String, Message> changed = new HashMap<>();
            if (!read.isEmpty()) {
                forValues("SELECT " + schema.messageSelectList() + " FROM messages"
                        + " WHERE conversationId = ? AND isStory = 0 AND id IN (%s)", convId,
                        new ArrayList<>(new java.util.TreeSet<>(read)), rs -> {
                            if ("story".equals(rs.getString("type"))) {
                                return;
                            }
                            ObjectNode row = MessageMapper.parseJson(json, rs.getBytes("json"));
                            int dup = duplicates.index(convId, rs.getLong("rowid"), rs.getObject("sent_at"));
                            changed.put(rs.getString("id"), mapper.map(conversation, rs, row, dup));
                        });
            }
            return new Patch(rows, changed, removed == null ? Set.of() : removed.rows());
        } catch (SQLException e) {
            throw new SourceException(Kind.CORRUPT, "Reading the changes of \"" + conversation.title()
                    + "\" failed (" + e.getMessage() + "). The database may be damaged.", e);
        }
    }

    /**
     * The state of the source these fingerprints were taken from, when a plaintext copy was used: the next run
     * passes it back ({@link Incremental#baseline()}), so that it can tell what changed since.
     */
    @Override
    public String baseline() {
        return db.mirrorUse().map(DecryptedDatabase.MirrorUse::generation).orElse(null);
    }

    @Override
    public String changeNote() {
        DecryptedDatabase.MirrorUse use = db.mirrorUse().orElse(null);
        if (changeNote == null && use != null && !use.incremental()) {
            return String.format(Locale.ROOT, "Kept a private plaintext copy of the message tables (%,.1f MB; the"
                    + " tables holding keys left out) in %s, so that the next run decrypts only what changed"
                    + " (--no-mirror: no copy)", use.keptPages() * (double) db.pageSize() / 1e6,
                    incremental.mirrorDir().getFileName());
        }
        return changeNote;
    }

    /** The rows of {@code items} by id ({@code json}), when they were read from the source's pages; else null. */
    private static Map<String, String> items(DecryptedDatabase db, Connection conn) throws SQLException {
        List<Object[]> rows = db.mirrorRows().get("items");
        if (rows == null) {
            return null;
        }
        int id = -1;
        int json = -1;
        int i = 0;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_xinfo(items)")) {
            while (rs.next()) {
                int hidden = rs.getInt("hidden");
                if (hidden == 2) {
                    continue; // virtual generated columns are not stored
                }
                String n = rs.getString("name");
                if (n.equals("id")) {
                    id = i;
                } else if (n.equals("json")) {
                    json = i;
                }
                i++;
            }
        }
        Map<String, String> out = new HashMap<>();
        for (Object[] r : rows) {
            if (id >= 0 && json >= 0 && id + 1 < r.length && json + 1 < r.length && r[id + 1] instanceof String k) {
                out.put(k, r[json + 1] instanceof String v ? v : null);
            }
        }
        return out;
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
