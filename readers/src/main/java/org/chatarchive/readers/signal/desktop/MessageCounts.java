package org.chatarchive.readers.signal.desktop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.chatarchive.model.store.PrivateFiles;
import org.chatarchive.readers.sqlcipher.DecryptedDatabase;

/**
 * The messages rows by conversation id and story flag ({@link Directory#countRows}), kept beside the plaintext
 * copy for the source state it was counted in, so that the next run brings it up to date from the rows that
 * changed since instead of counting every row again. A cache: a file of another state, a damaged one, or a change
 * it cannot follow (a row whose values before the change are unknown, a changed schema, an unusual story flag)
 * means the rows are counted again.
 */
final class MessageCounts {

    /** The file in the copy's folder. */
    static final String FILE = "message-counts.bin";
    private static final int MAGIC = 0x43414d43; // "CAMC"
    private static final int VERSION = 1;

    private MessageCounts() {
    }

    private record Key(String conversationId, Integer story) {
    }

    /**
     * The groups of the state {@code use} describes, from those kept in {@code file} for its previous state and the
     * rows that changed since (values before the change from {@code use}, after it from {@code conn}); null when
     * that cannot be told.
     */
    static List<Directory.RowGroup> updated(Path file, DecryptedDatabase.MirrorUse use, Connection conn,
                                            SignalDesktopReader.SchemaInfo schema) throws SQLException {
        if (!use.incremental() || use.previousGeneration() == null) {
            return null;
        }
        Map<Key, Long> counts = read(file, use.previousGeneration());
        if (counts == null || use.touchedRows().getOrDefault("sqlite_master", new long[0]).length > 0
                || use.removedRows().getOrDefault("sqlite_master", new long[0]).length > 0
                || use.unreadRows().getOrDefault("messages", new long[0]).length > 0) {
            return null;
        }
        long[] removed = use.removedRows().getOrDefault("messages", new long[0]);
        long[] touched = use.touchedRows().getOrDefault("messages", new long[0]);
        if (removed.length == 0 && touched.length == 0) {
            return groups(counts);
        }
        Boolean byFlag = storyIsType(conn, schema);
        if (byFlag == null) {
            return null;
        }
        Map<Long, Object[]> before = use.removedValues().get("messages");
        if (before == null) {
            return null;
        }
        // What the removed rows, and the changed rows that were there before, counted in: taken away, each once.
        java.util.Set<Long> gone = new java.util.HashSet<>();
        for (long rowid : removed) {
            gone.add(rowid);
        }
        java.util.Set<Long> was = new java.util.LinkedHashSet<>(gone);
        for (long rowid : touched) {
            was.add(rowid);
        }
        for (long rowid : was) {
            Object[] v = before.get(rowid);
            if (v == null) {
                if (gone.contains(rowid)) {
                    return null;
                }
                continue; // a new row (a changed one whose values are unknown is in unreadRows)
            }
            if (v.length < 4 || !(v[0] == null || v[0] instanceof String || v[0] instanceof Long
                    || v[0] instanceof Integer)) {
                return null;
            }
            Key k = new Key(v[0] == null ? null : v[0].toString(), story(v[3], byFlag));
            Long n = counts.get(k);
            if (n == null || n < 1) {
                return null; // not the state the file says it counts
            }
            if (n == 1) {
                counts.remove(k);
            } else {
                counts.put(k, n - 1);
            }
        }
        // What the changed rows count in now: added.
        String storyExpr = Directory.storyExpression(schema);
        long[] sorted = touched.clone();
        Arrays.sort(sorted);
        for (int from = 0; from < sorted.length; from += 500) {
            StringBuilder in = new StringBuilder();
            for (int i = from; i < Math.min(sorted.length, from + 500); i++) {
                in.append(i > from ? "," : "").append(sorted[i]);
            }
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(String.format(Locale.ROOT,
                    "SELECT conversationId, %s FROM messages WHERE rowid IN (%s)", storyExpr, in))) {
                while (rs.next()) {
                    String conv = rs.getString(1);
                    int story = rs.getInt(2);
                    counts.merge(new Key(conv, rs.wasNull() ? null : story), 1L, Long::sum);
                }
            }
        }
        return groups(counts);
    }

    /**
     * Whether the story flag follows from {@code type} alone, and how: true for {@code isStory} generated as
     * {@code type IS 'story'} (as Signal makes it), false for {@code type = 'story'} (before the column); null for
     * a column defined otherwise.
     */
    private static Boolean storyIsType(Connection conn, SignalDesktopReader.SchemaInfo schema) throws SQLException {
        if (!schema.has("messages", "isStory")) {
            return false;
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'messages'")) {
            String sql = rs.next() ? rs.getString(1) : null;
            return sql != null && STORY_COLUMN.matcher(sql).find() ? Boolean.TRUE : null;
        }
    }

    private static final Pattern STORY_COLUMN = Pattern.compile(
            "\\bisStory\\s+INTEGER\\s+GENERATED\\s+ALWAYS\\s+AS\\s*\\(\\s*type\\s+IS\\s+'story'\\s*\\)",
            Pattern.CASE_INSENSITIVE);

    /** The story flag of a row whose type was {@code type}: as {@code type IS 'story'}, or {@code type = 'story'}. */
    private static Integer story(Object type, boolean byFlag) {
        if (type == null) {
            return byFlag ? 0 : null;
        }
        return "story".equals(type) ? 1 : 0;
    }

    private static List<Directory.RowGroup> groups(Map<Key, Long> counts) {
        List<Directory.RowGroup> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(new Directory.RowGroup(k.conversationId(), k.story(), n)));
        return out;
    }

    /** The counts {@code file} keeps for source state {@code generation}; null when it keeps none for it. */
    private static Map<Key, Long> read(Path file, String generation) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return null; // none yet (or unreadable): counted again
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION || !generation.equals(in.readUTF())) {
                return null;
            }
            int n = in.readInt();
            Map<Key, Long> out = new HashMap<>();
            long sum = 0;
            for (int i = 0; i < n; i++) {
                String conv = in.readBoolean() ? in.readUTF() : null;
                int story = in.readInt();
                long rows = in.readLong();
                if (rows < 1) {
                    return null;
                }
                out.put(new Key(conv, story < 0 ? null : story), rows);
                sum += rows;
            }
            return in.readLong() == sum && in.read() < 0 && out.size() == n ? out : null;
        } catch (IOException | RuntimeException e) {
            return null; // damaged: counted again
        }
    }

    /**
     * Keeps {@code groups} as the counts of source state {@code generation} in {@code file} ({@link
     * PrivateFiles#replace}).
     */
    static void write(Path file, String generation, List<Directory.RowGroup> groups) throws IOException {
        Objects.requireNonNull(generation, "generation");
        Map<Key, Long> counts = new HashMap<>();
        for (Directory.RowGroup g : groups) {
            counts.merge(new Key(g.conversationId(), g.story()), g.rows(), Long::sum);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(generation);
            out.writeInt(counts.size());
            long sum = 0;
            for (Map.Entry<Key, Long> e : counts.entrySet()) {
                out.writeBoolean(e.getKey().conversationId() != null);
                if (e.getKey().conversationId() != null) {
                    out.writeUTF(e.getKey().conversationId());
                }
                out.writeInt(e.getKey().story() == null ? -1 : e.getKey().story());
                out.writeLong(e.getValue());
                sum += e.getValue();
            }
            out.writeLong(sum);
        }
        PrivateFiles.replace(file, bytes.toByteArray());
    }
}
