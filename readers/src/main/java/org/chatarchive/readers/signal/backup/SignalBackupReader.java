package org.chatarchive.readers.signal.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceCount;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.chatarchive.readers.signal.backup.proto.Backup;

/**
 * Reads Signal's own "backup v2" files: the plaintext chat export ({@code main.jsonl}, {@code metadata.json},
 * {@code files/}, as a folder or a zip) and encrypted local folder backups ({@code SignalBackups/}, opened with the
 * account's recovery key).
 *
 * <p><b>Passes.</b> {@link #open} reads every frame once: it checks that the whole file reads (so a damaged file
 * fails before anything is written), keeps recipients and chats, counts each chat's items and, for a
 * {@code main.jsonl} on disk, records where each item's line is. {@link #messages} then reads one chat's lines by
 * offset; for a zip or an encrypted backup, which cannot be read from the middle, it reads the stream again and
 * keeps that chat's items. Memory holds recipients, chats and 12 bytes per message, never message bodies.
 *
 * <p><b>Identities.</b> See {@link Directory}: contacts {@code signal:<aci>}, groups by master key, messages by
 * (conversation, author, sent time), so one person and one message get one id across Signal inputs.
 */
public final class SignalBackupReader implements ChatSource {

    /** The environment variable a command may read the recovery key from. */
    public static final String RECOVERY_KEY_ENV = "SIGNAL_RECOVERY_KEY";

    static final String TYPE_EXPORT = "signal-export";
    static final String TYPE_LOCAL = "signal-local-backup";

    /**
     * Options for opening.
     *
     * @param recoveryKey the account's recovery key (64 characters; display form accepted), for local backups
     * @param snapshot    the snapshot folder name to read ({@code signal-backup-…}); null for the newest complete one
     * @param ownerAci    the archive owner's ACI when known from elsewhere (e.g. the Desktop profile); null to infer
     */
    public record Options(String recoveryKey, String snapshot, String ownerAci) {
        public static Options defaults() {
            return new Options(null, null, null);
        }
    }

    /** Where a local-backup attachment's bytes are and how to decrypt them. */
    private record LocalRef(byte[] localKey, long size) {
    }

    private final Options options;
    private final PlaintextExport export;
    private final LocalBackupFolder local;
    private final Backup.BackupInfo[] header = new Backup.BackupInfo[1];
    private byte[] aesKey;
    private final Directory dir = new Directory();
    private final UnknownFields unknowns = new UnknownFields(true);
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Long> excluded = new TreeMap<>();
    private final Map<String, Object> infoExtra = new LinkedHashMap<>();
    private final Map<String, LocalRef> localRefs = new HashMap<>();
    private final Set<ByteString> referencedAcis = new HashSet<>();
    private final ItemMapper mapper;
    private String sha256;
    private long messageCount;
    private long missingMedia;

    private SignalBackupReader(Options options, PlaintextExport export, LocalBackupFolder local) {
        this.options = options == null ? Options.defaults() : options;
        this.export = export;
        this.local = local;
        this.mapper = new ItemMapper(dir, export != null ? new ExportMedia() : new LocalBackupMedia());
    }

    /**
     * Cheap check used to pick a reader: a plaintext export (folder, {@code main.jsonl}, or zip holding one), a local
     * backup folder or snapshot, or a remote-backup file (so that it gets a clear message). Never throws.
     */
    public static boolean looksLike(Path path) {
        try {
            if (Files.isRegularFile(path) && EncryptedBackup.hasRemoteHeader(path)) {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return LocalBackupFolder.looksLike(path) || PlaintextExport.looksLike(path);
    }

    /**
     * Opens a Signal plaintext export or local backup at {@code path} and reads it through once.
     *
     * @throws SourceException {@link Kind#NOT_A_SOURCE} when it is neither; {@link Kind#KEY_UNAVAILABLE} for a local
     *                         backup without a recovery key; {@link Kind#WRONG_KEY} when the HMAC check fails;
     *                         {@link Kind#UNSUPPORTED} for remote-backup files; {@link Kind#CORRUPT} with the frame
     *                         number when a frame cannot be read; {@link Kind#IO} when reading fails
     */
    public static SignalBackupReader open(Path path, Options options) throws SourceException {
        Options o = options == null ? Options.defaults() : options;
        if (!Files.exists(path)) {
            throw new SourceException(Kind.NOT_A_SOURCE, "There is no file or folder at " + path + ".");
        }
        try {
            if (Files.isRegularFile(path) && EncryptedBackup.hasRemoteHeader(path)) {
                throw new SourceException(Kind.UNSUPPORTED, path + " is a Signal remote (server) backup file; it is"
                        + " encrypted with a key that Signal's servers hold, so it cannot be opened offline. Use a"
                        + " local folder backup or Settings › Chats › Export chat history instead.");
            }
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "Reading " + path + " failed (" + e.getMessage() + ").", e);
        }
        SignalBackupReader r;
        if (LocalBackupFolder.looksLike(path)) {
            r = new SignalBackupReader(o, null, LocalBackupFolder.open(path, o.snapshot()));
            r.unlock();
        } else if (PlaintextExport.looksLike(path)) {
            r = new SignalBackupReader(o, PlaintextExport.open(path), null);
        } else {
            throw new SourceException(Kind.NOT_A_SOURCE, path + " is not a Signal export or backup: it holds no "
                    + PlaintextExport.MAIN + " and no " + LocalBackupFolder.SNAPSHOT_PREFIX + "… snapshot.");
        }
        try {
            r.index();
        } catch (SourceException | RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** A recovery key from {@link #RECOVERY_KEY_ENV}, or null. */
    public static String recoveryKeyFromEnvironment() {
        String v = System.getenv(RECOVERY_KEY_ENV);
        return v == null || v.isBlank() ? null : v;
    }

    // ---------------------------------------------------------------------------------------------- opening

    private void unlock() throws SourceException {
        if (options.recoveryKey() == null) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, "This Signal backup folder is encrypted; give the"
                    + " account's recovery key (64 characters, shown in Signal under Settings › Backups) with"
                    + " --recovery-key or in " + RECOVERY_KEY_ENV + ".");
        }
        String aep;
        try {
            aep = BackupKeys.parseRecoveryKey(options.recoveryKey());
        } catch (IllegalArgumentException e) {
            throw new SourceException(Kind.WRONG_KEY, "That is not a Signal recovery key: " + e.getMessage(), e);
        }
        byte[] backupKey = BackupKeys.backupKey(aep);
        byte[] backupId = local.backupId(backupKey);
        BackupKeys.MessageBackupKey keys = BackupKeys.messageBackupKey(backupKey, backupId);
        try {
            EncryptedBackup.verify(local.main(), keys.hmacKey());
        } catch (EncryptedBackup.BadMacException e) {
            throw new SourceException(Kind.WRONG_KEY, "The HMAC check of " + local.main() + " failed: the recovery"
                    + " key is wrong, or the file is damaged or incomplete (" + e.getMessage() + ").", e);
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "Reading " + local.main() + " failed (" + e.getMessage() + ").", e);
        }
        aesKey = keys.aesKey();
        infoExtra.put("snapshot", local.snapshot.getFileName().toString());
        infoExtra.put("snapshots", local.snapshots);
    }

    private FrameReader openFrames(boolean digest, MessageDigest md) throws IOException {
        if (export != null) {
            InputStream in = export.openMain();
            if (digest) {
                in = new DigestInputStream(in, md);
            }
            return new FrameReader.JsonLines(in, unknowns);
        }
        return new FrameReader.Binary(EncryptedBackup.open(local.main(), aesKey), unknowns);
    }

    private String describe() {
        return export != null ? export.describe() : String.valueOf(local.main());
    }

    private void index() throws SourceException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        boolean randomAccess = export != null && export.mainFile != null;
        Map<String, Long> frameKinds = new TreeMap<>();
        try (FrameReader frames = openFrames(true, md)) {
            header[0] = frames.readInfo();
            Backup.Frame f;
            while ((f = frames.next()) != null) {
                frameKinds.merge(f.getItemCase().name().toLowerCase(), 1L, Long::sum);
                switch (f.getItemCase()) {
                    case ACCOUNT -> dir.account(f.getAccount());
                    case RECIPIENT -> dir.recipient(f.getRecipient());
                    case CHAT -> dir.chat(f.getChat());
                    case CHATITEM -> {
                        Backup.ChatItem item = f.getChatItem();
                        Directory.ChatEntry e = dir.chats.get(item.getChatId());
                        if (e == null) {
                            excluded.merge("chatItemsWithoutChat", 1L, Long::sum);
                            continue;
                        }
                        e.items++;
                        messageCount++;
                        if (randomAccess) {
                            e.addOffset(frames.lastStart(), frames.lastLength());
                        }
                        collectAcis(item);
                    }
                    case ITEM_NOT_SET -> excluded.merge("emptyFrames", 1L, Long::sum);
                    default -> {
                        // Sticker packs, ad-hoc calls, notification profiles, chat folders: counted above.
                    }
                }
            }
        } catch (FrameReader.BadFrameException e) {
            throw new SourceException(Kind.CORRUPT, describe() + " is damaged or incomplete at frame "
                    + e.frameNumber + (export != null ? " (line " + (e.frameNumber + 1) + ")" : "") + ": "
                    + e.getMessage() + ". Make the export or backup again, or check that the copy finished.", e);
        } catch (NoSuchFileException e) {
            throw new SourceException(Kind.NOT_A_SOURCE, "There is no file at " + e.getFile() + ".", e);
        } catch (IOException e) {
            throw new SourceException(local != null ? Kind.CORRUPT : Kind.IO, "Reading " + describe()
                    + " failed (" + e.getMessage() + ").", e);
        }
        if (export != null) {
            sha256 = HexFormat.of().formatHex(md.digest());
        } else {
            sha256 = fileSha256(local.main());
        }
        dir.finish(options.ownerAci());
        for (ByteString aci : referencedAcis) {
            dir.ofAci(aci);
        }
        describeSource(frameKinds);
    }

    /** Notes every ACI a message names, so that {@link #participants} lists those people before messages stream. */
    private void collectAcis(Backup.ChatItem item) {
        if (item.hasStandardMessage()) {
            for (Backup.BodyRange r : item.getStandardMessage().getText().getBodyRangesList()) {
                if (r.hasMentionAci()) {
                    referencedAcis.add(r.getMentionAci());
                }
            }
        }
        if (item.hasUpdateMessage() && item.getUpdateMessage().hasGroupChange()) {
            for (Backup.GroupChangeChatUpdate.Update u : item.getUpdateMessage().getGroupChange().getUpdatesList()) {
                collectBytes(u);
            }
        }
    }

    private void collectBytes(com.google.protobuf.Message m) {
        for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            Object v = e.getValue();
            if (v instanceof ByteString b && (b.size() == 16 || b.size() == 17)) {
                referencedAcis.add(b);
            } else if (v instanceof com.google.protobuf.Message sub) {
                collectBytes(sub);
            } else if (v instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof com.google.protobuf.Message sub) {
                        collectBytes(sub);
                    }
                }
            }
        }
    }

    private void describeSource(Map<String, Long> frameKinds) throws SourceException {
        Backup.BackupInfo info = header[0];
        infoExtra.put("format", export != null ? "plaintext-export" : "local-backup");
        infoExtra.put("backupVersion", info.getVersion());
        infoExtra.put("backupTimeMs", info.getBackupTimeMs());
        if (!info.getFirstAppVersion().isEmpty()) {
            infoExtra.put("firstAppVersion", info.getFirstAppVersion());
        }
        infoExtra.put("frames", frameKinds);
        infoExtra.put("ownerIdentityRule", dir.ownerRule);
        if (info.getVersion() != 1) {
            warnings.add("The backup says it is version " + info.getVersion() + "; this reader knows version 1 and"
                    + " read it as such.");
        }
        if (export != null) {
            infoExtra.put("cannotHold", List.of("disappearing messages", "view-once media", "stories",
                    "frames with values the exporting Signal did not know"));
            warnings.add("A Signal chat export leaves out disappearing messages, view-once media and stories (and"
                    + " any frame the exporting Signal could not render), so they are not in this archive either.");
            try {
                String meta = export.metadataJson();
                if (meta != null) {
                    JsonNode m = new ObjectMapper().readTree(meta);
                    if (m != null && m.path("version").asInt(-1) != 1) {
                        warnings.add("metadata.json gives version " + m.path("version") + "; this reader knows"
                                + " version 1 and read the export as such.");
                    }
                }
            } catch (IOException e) {
                warnings.add("metadata.json could not be read (" + e.getMessage() + "); it is not needed.");
            }
        } else {
            Set<String> expected = local.expectedMedia();
            List<String> absent = new ArrayList<>();
            for (String name : expected) {
                if (!Files.isRegularFile(local.mediaFile(name))) {
                    absent.add(name);
                }
            }
            infoExtra.put("mediaExpected", expected.size());
            infoExtra.put("mediaAbsent", absent.size());
            if (!absent.isEmpty()) {
                warnings.add(absent.size() + " of the " + expected.size() + " media files the snapshot lists are"
                        + " not in " + local.root.resolve("files") + " (first: " + absent.get(0) + ").");
            }
        }
        if (unknowns.total() > 0) {
            infoExtra.put("unknownFields", new TreeMap<>(unknowns.counts()));
            warnings.add("The backup has " + unknowns.total() + " field(s) or value(s) this reader does not know ("
                    + String.join(", ", unknowns.counts().keySet().stream().limit(5).toList())
                    + (unknowns.counts().size() > 5 ? ", …" : "") + "); they are counted in the source info.");
        }
    }

    private static String fileSha256(Path file) throws SourceException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "Reading " + file + " failed (" + e.getMessage() + ").", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- ChatSource

    @Override
    public SourceInfo info() {
        Backup.BackupInfo h = header[0];
        Map<String, Object> extra = new LinkedHashMap<>(infoExtra);
        extra.put("attachmentsMissing", missingMedia);
        return new SourceInfo(export != null ? TYPE_EXPORT : TYPE_LOCAL,
                h.getCurrentAppVersion().isEmpty() ? null : h.getCurrentAppVersion(), (int) h.getVersion(), sha256,
                local != null ? "recovery key" : null, extra);
    }

    @Override
    public List<Participant> participants() {
        return dir.participants();
    }

    @Override
    public String ownerId() {
        return dir.ownerId();
    }

    @Override
    public List<Conversation> conversations() {
        List<Conversation> out = new ArrayList<>();
        for (Directory.ChatEntry e : dir.chats.values()) {
            out.add(e.conversation);
        }
        return out;
    }

    @Override
    public long messageCountHint() {
        return messageCount;
    }

    @Override
    public SourceCount sourceCount(Conversation conversation) {
        Directory.ChatEntry e = entry(conversation);
        return e == null ? null : new SourceCount(e.items, Map.of());
    }

    private Directory.ChatEntry entry(Conversation c) {
        for (Directory.ChatEntry e : dir.chats.values()) {
            if (e.conversation.id().equals(c.id())) {
                return e;
            }
        }
        return null;
    }

    @Override
    public void messages(Conversation conversation, Consumer<Message> sink) throws SourceException {
        Directory.ChatEntry e = entry(conversation);
        if (e == null) {
            throw new SourceException(Kind.NOT_A_SOURCE, "The conversation " + conversation.id()
                    + " is not in this Signal backup.");
        }
        Set<String> seen = new HashSet<>();
        Consumer<Backup.ChatItem> emit = item -> {
            Message m = mapper.map(item, e.conversation);
            if (!seen.add(m.id())) {
                // Two items by one author with one sent time: keep both, the later one with a suffix.
                int n = 2;
                while (!seen.add(m.id() + "#" + n)) {
                    n++;
                }
                m = withId(m, m.id() + "#" + n);
            }
            sink.accept(m);
        };
        if (export != null && export.mainFile != null) {
            try (FileChannel ch = FileChannel.open(export.mainFile, StandardOpenOption.READ)) {
                for (int i = 0; i < e.items; i++) {
                    ByteBuffer buf = ByteBuffer.allocate(e.lengths[i]);
                    long pos = e.offsets[i];
                    while (buf.hasRemaining()) {
                        int n = ch.read(buf, pos + buf.position());
                        if (n < 0) {
                            throw new SourceException(Kind.CORRUPT, export.mainFile + " changed since it was"
                                    + " opened; open it again.");
                        }
                    }
                    Backup.Frame f = FrameReader.JsonLines.parse(new String(buf.array(), StandardCharsets.UTF_8));
                    emit.accept(f.getChatItem());
                }
            } catch (IOException ex) {
                throw new SourceException(Kind.IO, "Reading " + export.mainFile + " failed (" + ex.getMessage()
                        + ").", ex);
            }
            return;
        }
        try (FrameReader frames = openFrames(false, null)) {
            frames.readInfo();
            Backup.Frame f;
            while ((f = frames.next()) != null) {
                if (f.hasChatItem() && f.getChatItem().getChatId() == e.chatId) {
                    emit.accept(f.getChatItem());
                }
            }
        } catch (IOException ex) {
            throw new SourceException(Kind.CORRUPT, "Reading " + describe() + " again failed (" + ex.getMessage()
                    + "); it may have changed since it was opened.", ex);
        }
    }

    private static Message withId(Message m, String id) {
        return new Message(id, m.conversationId(), m.senderId(), m.direction(), m.sentAt(), m.receivedAt(),
                m.serverAt(), m.body(), m.ranges(), m.attachments(), m.quote(), m.reactions(), m.edits(), m.receipts(),
                m.flags(), m.previews(), m.sticker(), m.contacts(), m.poll(), m.event(), m.extra());
    }

    @Override
    public InputStream openAttachment(Attachment attachment) throws SourceException, IOException {
        String ref = attachment.sourceRef();
        if (ref == null) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "This attachment has no file in the backup.");
        }
        if (export != null) {
            try {
                return export.openMedia(ref);
            } catch (NoSuchFileException e) {
                throw new SourceException(Kind.ATTACHMENT_MISSING, "The file " + ref + " is no longer in the export.",
                        e);
            }
        }
        LocalRef lr = localRefs.get(ref);
        Path file = local.mediaFile(ref);
        if (lr == null || !Files.isRegularFile(file)) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "The media file " + file + " is not in the backup"
                    + " folder.");
        }
        try {
            return LocalMedia.open(file, lr.localKey(), lr.size());
        } catch (EncryptedBackup.BadMacException e) {
            throw new SourceException(Kind.ATTACHMENT_UNREADABLE, "The media file " + file + " failed its HMAC"
                    + " check (damaged, or not the file the backup names).", e);
        }
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
    public void close() throws SourceException {
        if (export != null) {
            try {
                export.close();
            } catch (IOException e) {
                throw new SourceException(Kind.IO, "Closing " + export.describe() + " failed.", e);
            }
        }
        if (aesKey != null) {
            java.util.Arrays.fill(aesKey, (byte) 0);
        }
    }

    // ---------------------------------------------------------------------------------------------- media

    private static Attachment described(Backup.FilePointer fp, AttachmentKind kind, Availability availability,
                                        String reason, String ref) {
        Backup.FilePointer.LocatorInfo li = fp.getLocatorInfo();
        return new Attachment(fp.hasContentType() ? fp.getContentType() : null,
                fp.hasFileName() ? fp.getFileName() : null,
                fp.hasLocatorInfo() ? (long) Integer.toUnsignedLong(li.getSize()) : null, null,
                fp.hasWidth() ? fp.getWidth() : null, fp.hasHeight() ? fp.getHeight() : null, null, kind,
                fp.hasCaption() ? fp.getCaption() : null, availability, reason, null, ref);
    }

    private static String mediaName(Backup.FilePointer fp) {
        Backup.FilePointer.LocatorInfo li = fp.getLocatorInfo();
        if (!li.hasPlaintextHash() || !li.hasLocalKey()) {
            return null;
        }
        return LocalMedia.mediaName(li.getPlaintextHash().toByteArray(), li.getLocalKey().toByteArray());
    }

    /** Media of a plaintext export: plaintext files, matched by media name with any extension. */
    private final class ExportMedia implements ItemMapper.Media {
        @Override
        public Attachment attachment(Backup.FilePointer fp, AttachmentKind kind) {
            String name = mediaName(fp);
            if (name == null) {
                missingMedia++;
                return described(fp, kind, Availability.NOT_DOWNLOADED, "Signal did not have this file on the"
                        + " device when it made the export.", null);
            }
            String ref;
            try {
                ref = export.findMedia(name);
            } catch (IOException e) {
                ref = null;
            }
            if (ref == null) {
                missingMedia++;
                return described(fp, kind, Availability.FILE_MISSING, "The export names this file (" + name
                        + ") but it is not in its files folder; media may have been left out of the export.", null);
            }
            return described(fp, kind, null, null, ref);
        }

        @Override
        public String longText(Backup.FilePointer fp) {
            String name = mediaName(fp);
            try {
                String ref = name == null ? null : export.findMedia(name);
                if (ref == null) {
                    return null;
                }
                try (InputStream in = export.openMedia(ref)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Media of a local backup: encrypted files in the shared {@code files/} store. */
    private final class LocalBackupMedia implements ItemMapper.Media {
        @Override
        public Attachment attachment(Backup.FilePointer fp, AttachmentKind kind) {
            String name = mediaName(fp);
            if (name == null) {
                missingMedia++;
                return described(fp, kind, Availability.NOT_DOWNLOADED, "Signal did not have this file on the"
                        + " device when it made the backup.", null);
            }
            if (!Files.isRegularFile(local.mediaFile(name))) {
                missingMedia++;
                return described(fp, kind, Availability.FILE_MISSING, "The backup names this file (" + name
                        + ") but it is not in the backup's files folder.", null);
            }
            localRefs.put(name, new LocalRef(fp.getLocatorInfo().getLocalKey().toByteArray(),
                    Integer.toUnsignedLong(fp.getLocatorInfo().getSize())));
            return described(fp, kind, null, null, name);
        }

        @Override
        public String longText(Backup.FilePointer fp) {
            String name = mediaName(fp);
            if (name == null || !Files.isRegularFile(local.mediaFile(name))) {
                return null;
            }
            try (InputStream in = LocalMedia.open(local.mediaFile(name), fp.getLocatorInfo().getLocalKey()
                    .toByteArray(), Integer.toUnsignedLong(fp.getLocatorInfo().getSize()))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }
    }
}
