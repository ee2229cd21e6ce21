package org.chatarchive.model.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Names of the files in an archive directory (see {@code docs/archive-format.md}). */
public final class ArchiveLayout {

    public static final String ARCHIVE_JSON = "archive.json";
    public static final String PARTICIPANTS_JSON = "participants.json";
    public static final String CONVERSATIONS_DIR = "conversations";
    public static final String ATTACHMENTS_DIR = "attachments";
    /**
     * The search index: derived from the rest, rebuilt by {@code chat-archive index}, not part of the canonical
     * archive (not byte-reproducible, not validated by the schemas).
     */
    public static final String INDEX_DIR = "index";
    /**
     * A backup's private plaintext copy of the source's message tables (Signal Desktop), kept so that the next run
     * decrypts only what changed: not part of the archive (never listed, hashed or checked), readable by the owner
     * only, deleted by {@code backup --no-mirror}.
     */
    public static final String MIRROR_DIR = ".chat-archive.mirror";
    /**
     * Folders beside the archive's own files: renders made from it ({@code html}, {@code pdf}, {@code rsmf}),
     * the derived search index and the custody log. The schemas do not describe them; the manifest lists the
     * renders (the index and the log it leaves out).
     */
    public static final java.util.List<String> BESIDE_DIRS = java.util.List.of("html", "pdf", "rsmf", INDEX_DIR, Manifest.LOGS_DIR);

    /** Whether {@code relativePath} ({@code /}-separated) lies in one of {@link #BESIDE_DIRS}. */
    public static boolean besideTheArchive(String relativePath) {
        for (String d : BESIDE_DIRS) {
            if (relativePath.startsWith(d + "/")) {
                return true;
            }
        }
        return false;
    }

    /** A conversation file path as written in {@code archive.json}. */
    public static final Pattern MESSAGES_FILE = Pattern.compile("conversations/c-[0-9a-f]{16}\\.jsonl");
    /** An attachment path as written in {@code storePath}. */
    public static final Pattern STORE_PATH = Pattern.compile("attachments/([0-9a-f]{2})/\\1[0-9a-f]{62}\\.[a-z0-9]{1,8}");

    private static final Pattern SANE_EXT = Pattern.compile("[a-z0-9]{1,8}");

    /** Extensions for content types, used when the file name has none. Fixed so that paths are stable. */
    private static final Map<String, String> EXT_BY_TYPE = Map.ofEntries(
            Map.entry("image/jpeg", "jpg"), Map.entry("image/png", "png"), Map.entry("image/gif", "gif"),
            Map.entry("image/webp", "webp"), Map.entry("image/heic", "heic"), Map.entry("image/heif", "heif"),
            Map.entry("image/avif", "avif"), Map.entry("image/bmp", "bmp"), Map.entry("image/tiff", "tiff"),
            Map.entry("image/svg+xml", "svg"), Map.entry("video/mp4", "mp4"), Map.entry("video/quicktime", "mov"),
            Map.entry("video/webm", "webm"), Map.entry("video/3gpp", "3gp"), Map.entry("audio/aac", "aac"),
            Map.entry("audio/mp4", "m4a"), Map.entry("audio/mpeg", "mp3"), Map.entry("audio/ogg", "ogg"),
            Map.entry("audio/opus", "opus"), Map.entry("audio/wav", "wav"), Map.entry("audio/x-wav", "wav"),
            Map.entry("application/pdf", "pdf"), Map.entry("application/zip", "zip"),
            Map.entry("application/json", "json"), Map.entry("text/plain", "txt"), Map.entry("text/x-signal-plain", "txt"),
            Map.entry("text/html", "html"), Map.entry("text/vcard", "vcf"), Map.entry("text/x-vcard", "vcf"));

    private ArchiveLayout() {
    }

    /** {@code conversations/c-<first 16 hex of SHA-256(id)>.jsonl}: deterministic and safe on every file system. */
    public static String messagesFile(String conversationId) {
        String hex = sha256Hex(conversationId.getBytes(StandardCharsets.UTF_8));
        return CONVERSATIONS_DIR + "/c-" + hex.substring(0, 16) + ".jsonl";
    }

    /** {@code attachments/<first 2 hex>/<sha256>.<ext>}. */
    public static String storePath(String sha256, String ext) {
        return ATTACHMENTS_DIR + "/" + sha256.substring(0, 2) + "/" + sha256 + "." + ext;
    }

    /**
     * The extension to store a file under: the file name's own (lower-cased) when it is 1 to 8 letters or
     * digits, else the content type's from a fixed table, else {@code bin}.
     */
    public static String extension(String fileName, String contentType) {
        if (fileName != null) {
            int dot = fileName.lastIndexOf('.');
            int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
            if (dot > slash + 1 && dot < fileName.length() - 1) {
                String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (SANE_EXT.matcher(ext).matches()) {
                    return ext;
                }
            }
        }
        if (contentType != null) {
            String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            String ext = EXT_BY_TYPE.get(type);
            if (ext != null) {
                return ext;
            }
        }
        return "bin";
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
