package org.chatarchive.readers.signal.desktop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Participant;
import org.chatarchive.model.store.CanonicalJson;

/**
 * Who is who in a Signal Desktop database: the owner, every contact as a {@link Participant}, and every
 * conversation, with the maps that turn Signal's references (ACIs, phone numbers, conversation ids) into
 * participant ids.
 */
final class Directory {

    /** Model id of the conversation that collects messages whose conversation row is missing. */
    static final String ORPHANS_ID = "signal-conv:orphaned";

    private final String ownerAci;
    private final String ownerId;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final Map<String, String> byAci = new HashMap<>();
    private final Map<String, String> byE164 = new HashMap<>();
    private final Map<String, String> byConversationRow = new HashMap<>();
    private final Map<String, JsonNode> conversationRows = new LinkedHashMap<>();
    private final Map<String, String> modelToRow = new HashMap<>();
    private long messageRows;
    /** Conversation ids given out so far, so that two rows never share one. */
    private final Set<String> usedConversationIds = new java.util.HashSet<>();
    private final Map<String, long[]> rowCounts = new HashMap<>();
    /** Whether every messages row has isStory set (0 or 1), so that {@code isStory = 0} selects every non-story. */
    private boolean storyFlagEverywhere;

    private Directory(String ownerAci, String ownerId) {
        this.ownerAci = ownerAci;
        this.ownerId = ownerId;
    }

    /**
     * @param items the {@code items} rows by id ({@code json}) when they are not in the database {@code c} reads
     *              (a plaintext copy leaves that table out); null to read them with SQL
     */
    static Directory load(Connection c, SignalDesktopReader.SchemaInfo schema, ObjectMapper json,
                          Map<String, String> items) throws SQLException {
        String ownAci = null;
        String ownE164 = null;
        if (items != null) {
            ownAci = itemPrefix(json, items.get("uuid_id"));
            ownE164 = itemPrefix(json, items.get("number_id"));
        } else if (schema.hasTable("items")) {
            ownAci = itemPrefix(c, json, "uuid_id");
            ownE164 = itemPrefix(c, json, "number_id");
        }
        ownAci = SignalDesktopReader.lower(ownAci);
        String ownerId = ownAci != null ? "signal:" + ownAci : ownE164 != null ? "signal-phone:" + ownE164 : "signal:owner";
        Directory d = new Directory(ownAci, ownerId);

        // Rows of the conversations table, with mirrored columns laid over the JSON as the app does.
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM conversations")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                ObjectNode node = MessageMapper.parseJson(json, rs.getString("json"));
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    String col = md.getColumnLabel(i);
                    if ("json".equals(col)) {
                        continue;
                    }
                    Object v = rs.getObject(i);
                    // STRING columns have NUMERIC affinity: a phone-number id ("+1555…", before 20) is stored
                    // as an integer; the JSON copy keeps the text the app wrote.
                    if (v instanceof Number && node.path(col).isTextual()) {
                        continue;
                    }
                    if (v != null) {
                        node.set("uuid".equals(col) ? "serviceId" : col, json.valueToTree(v));
                    }
                }
                if (!node.hasNonNull("serviceId") && node.hasNonNull("uuid")) {
                    node.set("serviceId", node.get("uuid")); // JSON and column were "uuid" before 88
                }
                // Before 20 a private conversation's id was its phone number, and there was no e164 column.
                String rowId = node.path("id").asText("");
                if (!node.hasNonNull("e164") && rowId.startsWith("+") && !"group".equals(node.path("type").asText())) {
                    node.put("e164", rowId);
                }
                d.conversationRows.put(node.path("id").asText(), node);
            }
        }
        // The owner first, then every private conversation as a participant.
        JsonNode self = null;
        for (JsonNode row : d.conversationRows.values()) {
            if (!"group".equals(row.path("type").asText()) && ownAci != null
                    && ownAci.equals(SignalDesktopReader.lower(Names.text(row, "serviceId")))) {
                self = row;
            }
        }
        Names.Chosen ownerName = self != null ? Names.forContact(self)
                : ownE164 != null ? new Names.Chosen(ownE164, "phone") : new Names.Chosen("Archive owner", "unknown");
        d.participants.put(ownerId, new Participant(ownerId, ownerName.name(), ownerName.rule(),
                ownE164 != null ? ownE164 : self == null ? null : Names.text(self, "e164"),
                self == null ? null : Names.text(self, "username"), true, null, avatarOf(self)));
        if (ownAci != null) {
            d.byAci.put(ownAci, ownerId);
        }
        if (ownE164 != null) {
            d.byE164.put(ownE164, ownerId);
        }
        if (self != null) {
            d.byConversationRow.put(self.path("id").asText(), ownerId);
        }
        List<Participant> contacts = new ArrayList<>();
        for (JsonNode row : d.conversationRows.values()) {
            if ("group".equals(row.path("type").asText()) || row == self) {
                continue;
            }
            String aci = SignalDesktopReader.lower(Names.text(row, "serviceId"));
            String e164 = Names.text(row, "e164");
            String rowId = row.path("id").asText();
            String pid = aci != null ? "signal:" + aci : e164 != null ? "signal-phone:" + e164 : "signal-conv:" + rowId;
            Names.Chosen name = Names.forContact(row);
            contacts.add(new Participant(pid, name.name(), name.rule(), e164, Names.text(row, "username"), false, null,
                    avatarOf(row)));
            d.byConversationRow.put(rowId, pid);
            if (aci != null) {
                d.byAci.putIfAbsent(aci, pid);
            }
            if (e164 != null) {
                d.byE164.putIfAbsent(e164, pid);
            }
        }
        contacts.sort(Comparator.comparing((Participant p) -> p.displayName().toLowerCase(Locale.ROOT))
                .thenComparing(Participant::id));
        for (Participant p : contacts) {
            d.participants.putIfAbsent(p.id(), p);
        }
        return d;
    }

    private static String itemPrefix(Connection c, ObjectMapper json, String id) throws SQLException {
        try (var ps = c.prepareStatement("SELECT json FROM items WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? itemPrefix(json, rs.getString(1)) : null;
            }
        }
    }

    /** The part before the last dot of an item's {@code value} (an ACI or number without its device), or null. */
    private static String itemPrefix(ObjectMapper json, String itemJson) {
        if (itemJson == null) {
            return null;
        }
        String value = MessageMapper.parseJson(json, itemJson).path("value").asText(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        int dot = value.lastIndexOf('.');
        return dot > 0 ? value.substring(0, dot) : value;
    }

    String ownerId() {
        return ownerId;
    }

    /**
     * Feeds into {@code d} everything that turns the database's references into participants and names (for
     * {@link ChangeFingerprints}): the owner, every participant, and the lookup maps, each in a stable order.
     */
    void fingerprint(MessageDigest d) {
        StringBuilder sb = new StringBuilder("owner ").append(ownerAci).append(' ').append(ownerId).append('\n');
        try {
            for (Participant p : participants.values()) {
                sb.append(new String(CanonicalJson.lineBytes(p), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map<String, String> m : List.of(byAci, byE164, byConversationRow, modelToRow)) {
            new TreeMap<>(m).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            sb.append("--\n");
        }
        d.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The display name of a participant id, or the id itself when unknown. */
    String displayName(String participantId) {
        Participant p = participants.get(participantId);
        return p == null ? participantId : p.displayName();
    }

    List<Participant> participants() {
        return List.copyOf(participants.values());
    }

    /** The participant for an ACI, added as an unknown contact when the database has no row for it. */
    String participantForAci(String aci) {
        if (aci == null || aci.isEmpty()) {
            return null;
        }
        String a = aci.toLowerCase(Locale.ROOT);
        return byAci.computeIfAbsent(a, k -> {
            String pid = "signal:" + k;
            participants.putIfAbsent(pid, new Participant(pid, "Unknown contact " + k.substring(0, Math.min(8, k.length())),
                    "unknown", null, null, false, null, null));
            return pid;
        });
    }

    /** The participant for an E.164 phone number, added as an unknown contact when not known. */
    String participantForE164(String e164) {
        if (e164 == null || e164.isEmpty()) {
            return null;
        }
        return byE164.computeIfAbsent(e164, k -> {
            String pid = "signal-phone:" + k;
            participants.putIfAbsent(pid, new Participant(pid, k, "phone", k, null, false, null, null));
            return pid;
        });
    }

    /**
     * The participant for a reference that is a conversation id, or in very old data a {@code +E164} number
     * (as in reactions' {@code fromId} and send states).
     */
    String participantForReference(String ref) {
        if (ref == null || ref.isEmpty()) {
            return null;
        }
        String pid = byConversationRow.get(ref);
        if (pid != null) {
            return pid;
        }
        if (ref.startsWith("+")) {
            return participantForE164(ref);
        }
        return participantForAci(ref);
    }

    /** Message rows outside stories, counted when the conversations were listed. */
    long messageRows() {
        return messageRows;
    }

    /** Rows and story rows in the source for a model conversation id. */
    long[] rowCounts(String modelId) {
        String row = modelToRow.get(modelId);
        long[] rc = rowCounts.get(row != null ? row : modelId);
        return rc == null ? new long[2] : rc;
    }

    /**
     * Whether the non-story rows of a conversation are exactly those with {@code isStory = 0}: the column exists
     * and is never NULL (known after {@link #conversationsWithMessages}).
     */
    boolean storyFlagEverywhere() {
        return storyFlagEverywhere;
    }

    /** Whether {@code ref} is the id of a conversation row (as opposed to an ACI). */
    boolean knowsReference(String ref) {
        return byConversationRow.containsKey(ref);
    }

    /**
     * The id of the conversation row that a {@code messages.conversationId} value names, as the listing reads it
     * ({@link #rowKey}), or null when no row has it (the message belongs to the orphan collection).
     */
    String conversationRowOf(String messagesConversationId) {
        String key = rowKey(messagesConversationId);
        return key != null && conversationRows.containsKey(key) ? key : null;
    }

    /**
     * Every {@code conversationId} value that {@link #conversationRowOf} resolves to the row of the listed
     * conversation {@code modelId}: its row id, and that id without its plus when it is a phone number; null for
     * the orphan collection.
     */
    Set<String> rawConversationIds(String modelId) {
        String row = modelToRow.get(modelId);
        if (row == null) {
            return null;
        }
        Set<String> ids = new TreeSet<>();
        ids.add(row);
        String bare = row.startsWith("+") ? row.substring(1) : null;
        if (bare != null && !bare.isEmpty() && bare.chars().allMatch(Character::isDigit)
                && !conversationRows.containsKey(bare)) {
            ids.add(bare);
        }
        return ids;
    }

    /** The model conversation id of a conversation row, or null when that row is not listed. */
    String modelIdOfRow(String rowId) {
        for (Map.Entry<String, String> e : modelToRow.entrySet()) {
            if (e.getValue().equals(rowId)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The source row id behind a model conversation id, or null for the orphan collection. */
    String sourceConversationId(String modelId) {
        return modelToRow.get(modelId);
    }

    /**
     * The messages rows of one conversation id value and story flag, as {@link #countRows} counts them: the value
     * as read as text (null for NULL), the flag as an integer (1 a story, null when it is NULL).
     */
    record RowGroup(String conversationId, Integer story, long rows) {
    }

    /**
     * The SQL expression of a messages row's story flag: {@code isStory} (since 47; {@code type IS 'story'} as a
     * column, which Signal indexes right after conversationId) or {@code type = 'story'}.
     */
    static String storyExpression(SignalDesktopReader.SchemaInfo schema) {
        return schema.has("messages", "isStory") ? "isStory" : "type = 'story'";
    }

    /** The messages rows grouped by conversation id and story flag (by the flag's index alone, since 47). */
    static List<RowGroup> countRows(Connection c, SignalDesktopReader.SchemaInfo schema) throws SQLException {
        String storyExpr = storyExpression(schema);
        List<RowGroup> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT conversationId, " + storyExpr + ", COUNT(*) FROM messages"
                     + " GROUP BY conversationId, " + storyExpr)) {
            while (rs.next()) {
                int story = rs.getInt(2);
                out.add(new RowGroup(rs.getString(1), rs.wasNull() ? null : story, rs.getLong(3)));
            }
        }
        return out;
    }

    /**
     * Conversations that hold at least one message, sorted by title, from the messages rows' {@code groups}
     * ({@link #countRows}); counts empty ones and stories.
     */
    List<Conversation> conversationsWithMessages(List<RowGroup> groups, SignalDesktopReader.SchemaInfo schema,
                                                 Map<String, Long> excluded) {
        Map<String, Long> counts = new HashMap<>();
        long orphans = 0;
        storyFlagEverywhere = schema.has("messages", "isStory");
        for (RowGroup g : groups) {
            String conv = rowKey(g.conversationId());
            boolean story = g.story() != null && g.story() == 1;
            if (g.story() == null) {
                storyFlagEverywhere = false;
            }
            long n = g.rows();
            if (story) {
                excluded.merge("stories", n, Long::sum);
            } else if (conv == null || !conversationRows.containsKey(conv)) {
                orphans += n;
            } else {
                counts.merge(conv, n, Long::sum);
            }
            if (!story) {
                messageRows += n;
            }
            // rows and stories per conversation row id (null: orphans), for the export's accounting
            long[] rc = rowCounts.computeIfAbsent(conv != null && conversationRows.containsKey(conv) ? conv
                    : ORPHANS_ID, k -> new long[2]);
            rc[0] += n;
            if (story) {
                rc[1] += n;
            }
        }
        List<Conversation> out = new ArrayList<>();
        long empty = 0;
        for (JsonNode row : conversationRows.values()) {
            String rowId = row.path("id").asText();
            if (!counts.containsKey(rowId)) {
                empty++;
                continue;
            }
            Conversation conv = toConversation(row);
            modelToRow.put(conv.id(), rowId);
            out.add(conv);
        }
        if (empty > 0) {
            excluded.put("conversationsWithoutMessages", empty);
        }
        out.sort(Comparator.comparing((Conversation x) -> x.title().toLowerCase(Locale.ROOT)).thenComparing(Conversation::id));
        if (orphans > 0) {
            out.add(new Conversation(ORPHANS_ID, ConversationKind.GROUP, "Messages without a conversation",
                    List.of(ownerId), null, SignalDesktopReader.SOURCE_APP,
                    Map.of("note", "messages whose conversationId matches no conversation row")));
        }
        return out;
    }

    /**
     * The conversations key for a messages.conversationId value. A phone-number id (before 20) is stored as an
     * integer in messages too (NUMERIC affinity), so "15551234567" names the row "+15551234567".
     */
    private String rowKey(String conversationId) {
        if (conversationId == null || conversationRows.containsKey(conversationId)) {
            return conversationId;
        }
        String plus = "+" + conversationId;
        return conversationId.chars().allMatch(Character::isDigit) && conversationRows.containsKey(plus)
                ? plus : conversationId;
    }

    /**
     * The conversation's id, the same one Signal's own backups and exports give it so that one account's
     * history read from several inputs lands in one conversation: {@code signal-direct:<aci>} (or
     * {@code :+e164}), {@code signal-group:<master key, base64url>}, {@code signal-note:self}; the row id
     * ({@code signal-conv:<uuid>}) only when none of those is known or it is taken already.
     */
    private String conversationId(JsonNode row, String rowId, boolean self) {
        String id = null;
        if (self) {
            id = "signal-note:self";
        } else if ("group".equals(row.path("type").asText())) {
            String masterKey = Names.text(row, "masterKey");
            if (masterKey != null) {
                try {
                    id = "signal-group:" + java.util.Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(java.util.Base64.getDecoder().decode(masterKey));
                } catch (IllegalArgumentException notBase64) {
                    id = null;
                }
            }
        } else {
            String aci = SignalDesktopReader.lower(Names.text(row, "serviceId"));
            String e164 = Names.text(row, "e164");
            id = aci != null ? "signal-direct:" + aci : e164 != null ? "signal-direct:" + e164 : null;
        }
        if (id == null || usedConversationIds.contains(id)) {
            id = "signal-conv:" + rowId;
        }
        usedConversationIds.add(id);
        return id;
    }

    private Conversation toConversation(JsonNode row) {
        String rowId = row.path("id").asText();
        String type = row.path("type").asText();
        boolean selfRow = !"group".equals(type) && ownerId.equals(byConversationRow.get(rowId));
        String id = conversationId(row, rowId, selfRow);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("sourceRowId", rowId); // the conversations row, for tracing and for --conversation
        if ("group".equals(type)) {
            Set<String> members = new LinkedHashSet<>();
            members.add(ownerId);
            JsonNode v2 = row.get("membersV2");
            if (v2 != null && v2.isArray()) {
                for (JsonNode m : v2) {
                    String aci = Names.text(m, "aci");
                    if (aci == null) {
                        aci = Names.text(m, "uuid");
                    }
                    add(members, participantForAci(aci));
                }
            } else if (row.hasNonNull("members")) {
                JsonNode m = row.get("members");
                if (m.isArray()) {
                    for (JsonNode r : m) {
                        add(members, participantForReference(r.asText()));
                    }
                } else {
                    for (String part : m.asText().split(" ")) {
                        add(members, part.startsWith("+") ? participantForE164(part) : participantForReference(part));
                    }
                }
            }
            String title = Names.text(row, "name");
            putIf(extra, "groupId", Names.text(row, "groupId"));
            putIf(extra, "groupVersion", row.hasNonNull("groupVersion") ? row.get("groupVersion").asInt() : null);
            putIf(extra, "description", Names.text(row, "description"));
            return new Conversation(id, ConversationKind.GROUP, title != null ? title : "Unnamed group",
                    List.copyOf(members), avatarOf(row), SignalDesktopReader.SOURCE_APP, extra);
        }
        String pid = byConversationRow.get(rowId);
        boolean self = ownerId.equals(pid);
        Participant p = participants.get(pid);
        String title = self ? "Note to Self" : p.displayName();
        List<String> members = self ? List.of(ownerId) : List.of(ownerId, pid);
        return new Conversation(id, self ? ConversationKind.NOTE_TO_SELF : ConversationKind.DIRECT, title, members,
                avatarOf(row), SignalDesktopReader.SOURCE_APP, extra);
    }

    /** The conversation row (JSON with its mirrored columns) with this id, or null. */
    JsonNode conversationRow(String rowId) {
        return conversationRows.get(rowId);
    }

    /**
     * A conversation's picture: the group's {@code avatar}, or a contact's {@code profileAvatar} (the picture
     * they chose) falling back to {@code avatar} (one set locally). Files are under {@code attachments.noindex}.
     */
    static Attachment avatarOf(JsonNode row) {
        if (row == null) {
            return null;
        }
        List<String> fields = "group".equals(row.path("type").asText()) ? List.of("avatar", "profileAvatar")
                : List.of("profileAvatar", "avatar");
        for (String f : fields) {
            JsonNode a = row.get(f);
            if (a == null || !a.isObject() || !a.hasNonNull("path")) {
                continue;
            }
            String path = a.get("path").asText();
            if (path.startsWith("images/") || path.endsWith(".svg")) {
                continue; // the release-notes chat points at an image bundled with the app, not a file on disk
            }
            ObjectNode d = ((ObjectNode) a).deepCopy();
            if (!d.hasNonNull("contentType")) {
                d.put("contentType", "image/jpeg");
            }
            Attachment described = MessageMapper.describe(d,
                    AttachmentFiles.conversationRef(row.path("id").asText(), "/" + f));
            return new Attachment(described.contentType(), null, described.size(), null, described.width(),
                    described.height(), null, AttachmentKind.IMAGE, null, described.availability(),
                    described.missingReason(), null, described.sourceRef());
        }
        return null;
    }

    private static void add(Set<String> s, String v) {
        if (v != null) {
            s.add(v);
        }
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
