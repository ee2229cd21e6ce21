package org.chatarchive.readers.signal.desktop;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.chatarchive.model.source.UnreadableAttachmentException;

/**
 * Finds and opens the files behind attachments. An attachment's {@code sourceRef} names where its description
 * lives in the database, never a key or an absolute path:
 * <ul>
 *   <li>{@code ma|<messageId>|<editHistoryIndex>|<attachmentType>|<orderInMessage>}: a {@code message_attachments}
 *       row;</li>
 *   <li>{@code json|<messageId>|<JSON pointer>}: an object inside {@code messages.json} (legacy rows);</li>
 *   <li>{@code conv|<conversationId>|<JSON pointer>}: an object inside a conversation (avatars);</li>
 *   <li>{@code sticker|<packId>|<stickerId>}: an installed sticker ({@code stickers} row).</li>
 * </ul>
 * The key is read again when the file is opened and dropped once the cipher holds it.
 */
final class AttachmentFiles {

    static final String ATTACHMENTS = "attachments.noindex";
    static final String STICKERS = "stickers.noindex";

    /**
     * Where a file is and how it is stored.
     *
     * @param folder        the profile folder the path is relative to
     * @param path          the relative path as recorded ({@code ab/ab…}, possibly with {@code \})
     * @param localKey      base64 64-byte key for version 2, or null
     * @param version       the recorded version, or null
     * @param size          the recorded plaintext size, or null
     * @param plaintextHash the recorded plaintext SHA-256, or null
     */
    record FileRef(String folder, String path, String localKey, Integer version, Long size, String plaintextHash) {

        static FileRef of(String folder, JsonNode a) {
            return new FileRef(folder, Names.text(a, "path"), Names.text(a, "localKey"),
                    a.hasNonNull("version") ? a.get("version").asInt() : null, MessageMapper.longOf(a.get("size")),
                    Names.text(a, "plaintextHash"));
        }

        boolean encrypted() {
            return localKey != null && (version == null || version != 1);
        }
    }

    private final Connection conn;
    private final SignalDesktopReader.SchemaInfo schema;
    private final ObjectMapper json;
    private final Path profileDir;
    private final Function<String, JsonNode> conversationRow;
    private PreparedStatement rowQuery;
    private PreparedStatement jsonQuery;
    private PreparedStatement stickerQuery;

    AttachmentFiles(Connection conn, SignalDesktopReader.SchemaInfo schema, ObjectMapper json, Path profileDir,
                    Function<String, JsonNode> conversationRow) {
        this.conn = conn;
        this.schema = schema;
        this.json = json;
        this.profileDir = profileDir;
        this.conversationRow = conversationRow;
    }

    static String rowRef(String messageId, int editHistoryIndex, String type, int order) {
        return "ma|" + messageId + "|" + editHistoryIndex + "|" + type + "|" + order;
    }

    static String jsonRef(String messageId, String pointer) {
        return "json|" + messageId + "|" + pointer;
    }

    static String conversationRef(String conversationId, String pointer) {
        return "conv|" + conversationId + "|" + pointer;
    }

    static String stickerRef(String packId, int stickerId) {
        return "sticker|" + packId + "|" + stickerId;
    }

    /** Opens the plaintext of the attachment at {@code sourceRef}. */
    InputStream open(String sourceRef) throws SourceException {
        FileRef ref = resolve(sourceRef);
        if (ref.path() == null) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "Signal Desktop has no file for this attachment.");
        }
        Path file = locate(ref);
        if (!Files.isRegularFile(file)) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "The file " + shown(ref)
                    + " is not in the profile (deleted, or the profile was copied without it).");
        }
        try {
            if (!ref.encrypted()) {
                return new SourceErrors(Files.newInputStream(file));
            }
            if (ref.size() == null) {
                throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The file " + shown(ref)
                        + " is encrypted but its size is not recorded, so its padding cannot be removed.");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(ref.localKey());
            } catch (IllegalArgumentException e) {
                throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The key of " + shown(ref)
                        + " is not valid base64.");
            }
            try {
                return new SourceErrors(AttachmentCipher.open(file, key, ref.size(), ref.plaintextHash()));
            } finally {
                AttachmentCipher.wipe(key);
            }
        } catch (UnreadableAttachmentException e) {
            throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The file " + shown(ref) + " could not be read: "
                    + e.getMessage() + ".", e);
        } catch (IOException e) {
            throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The file " + shown(ref) + " could not be read ("
                    + e.getMessage() + ").", e);
        }
    }

    /** Reads the whole plaintext (for small files such as long-message text). */
    byte[] readAll(String sourceRef, int limit) throws SourceException {
        try (InputStream in = open(sourceRef)) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The file is larger than " + limit + " bytes.");
            }
            return b;
        } catch (IOException e) {
            throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The file could not be read: " + e.getMessage()
                    + ".", e);
        }
    }

    private static String shown(FileRef ref) {
        return ref.folder() + "/" + ref.path().replace('\\', '/');
    }

    /** The file's place inside the profile; a recorded path that leaves its folder is refused. */
    Path locate(FileRef ref) throws SourceException {
        Path base = profileDir.resolve(ref.folder()).normalize();
        String rel = ref.path().replace('\\', '/');
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        Path file = base.resolve(rel).normalize();
        if (!file.startsWith(base) || rel.isEmpty()) {
            throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The recorded path of an attachment leaves the "
                    + ref.folder() + " folder; it was not followed.");
        }
        return file;
    }

    FileRef resolve(String sourceRef) throws SourceException {
        String[] p = sourceRef == null ? new String[0] : sourceRef.split("\\|", -1);
        try {
            if (p.length == 5 && p[0].equals("ma")) {
                return fromRow(p[1], Integer.parseInt(p[2]), p[3], Integer.parseInt(p[4]));
            }
            if (p.length == 3 && p[0].equals("json")) {
                return FileRef.of(ATTACHMENTS, at(messageJson(p[1]), p[2]));
            }
            if (p.length == 3 && p[0].equals("conv")) {
                JsonNode row = conversationRow.apply(p[1]);
                return FileRef.of(ATTACHMENTS, at(row, p[2]));
            }
            if (p.length == 3 && p[0].equals("sticker")) {
                return fromSticker(p[1], Integer.parseInt(p[2]));
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        } catch (SQLException e) {
            throw new SourceException(Kind.CORRUPT, "Looking up an attachment failed (" + e.getMessage() + ").", e);
        }
        throw new SourceException(Kind.ATTACHMENT_MISSING, "This attachment does not come from this profile.");
    }

    private static JsonNode at(JsonNode root, String pointer) throws SourceException {
        JsonNode n = root == null ? null : root.at(JsonPointer.compile(pointer));
        if (n == null || !n.isObject()) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "The attachment's description is gone from the database.");
        }
        return n;
    }

    private JsonNode messageJson(String messageId) throws SQLException {
        if (jsonQuery == null) {
            jsonQuery = conn.prepareStatement("SELECT json FROM messages WHERE id = ?");
        }
        jsonQuery.setString(1, messageId);
        try (ResultSet rs = jsonQuery.executeQuery()) {
            return rs.next() ? MessageMapper.parseJson(json, rs.getString(1)) : null;
        }
    }

    private FileRef fromRow(String messageId, int edit, String type, int order) throws SQLException, SourceException {
        if (rowQuery == null) {
            rowQuery = conn.prepareStatement("SELECT path, " + col("localKey") + ", " + col("version") + ", size, "
                    + col("plaintextHash") + " FROM message_attachments WHERE messageId = ? AND editHistoryIndex = ?"
                    + " AND attachmentType = ? AND orderInMessage = ?");
        }
        rowQuery.setString(1, messageId);
        rowQuery.setInt(2, edit);
        rowQuery.setString(3, type);
        rowQuery.setInt(4, order);
        try (ResultSet rs = rowQuery.executeQuery()) {
            if (!rs.next()) {
                throw new SourceException(Kind.ATTACHMENT_MISSING, "The attachment's row is gone from the database.");
            }
            int v = rs.getInt(3);
            Integer version = rs.wasNull() ? null : v;
            long size = rs.getLong(4);
            return new FileRef(ATTACHMENTS, rs.getString(1), rs.getString(2), version, rs.wasNull() ? null : size,
                    rs.getString(5));
        }
    }

    private FileRef fromSticker(String packId, int stickerId) throws SQLException, SourceException {
        if (stickerQuery == null) {
            stickerQuery = conn.prepareStatement("SELECT path, " + col("stickers", "localKey") + ", "
                    + col("stickers", "version") + ", " + col("stickers", "size")
                    + " FROM stickers WHERE packId = ? AND id = ?");
        }
        stickerQuery.setString(1, packId);
        stickerQuery.setInt(2, stickerId);
        try (ResultSet rs = stickerQuery.executeQuery()) {
            if (!rs.next()) {
                throw new SourceException(Kind.ATTACHMENT_MISSING, "The sticker is no longer installed.");
            }
            int v = rs.getInt(3);
            Integer version = rs.wasNull() ? null : v;
            long size = rs.getLong(4);
            return new FileRef(STICKERS, rs.getString(1), rs.getString(2), version, rs.wasNull() ? null : size, null);
        }
    }

    private String col(String name) {
        return col("message_attachments", name);
    }

    private String col(String table, String name) {
        return schema.has(table, name) ? "\"" + name + "\"" : "NULL";
    }

    /** Turns any read error of the source file into an {@link UnreadableAttachmentException}. */
    private static final class SourceErrors extends FilterInputStream {
        SourceErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (UnreadableAttachmentException e) {
                throw e;
            } catch (IOException e) {
                throw new UnreadableAttachmentException("reading the file failed (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (UnreadableAttachmentException e) {
                throw e;
            } catch (IOException e) {
                throw new UnreadableAttachmentException("reading the file failed (" + e.getMessage() + ")", e);
            }
        }
    }
}
