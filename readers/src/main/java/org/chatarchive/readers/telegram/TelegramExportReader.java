package org.chatarchive.readers.telegram;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * Reads a Telegram Desktop JSON export ({@code result.json}): a full-account export ({@code chats.list[]},
 * {@code left_chats.list[]}) or a single-chat export (the dialog object at the top level), from either id era
 * (integer {@code from_id} before 2021, {@code "user123"} strings after).
 *
 * <p><b>Memory.</b> The file is read twice with Jackson's streaming parser, never as a whole tree. The first pass
 * (in {@link #open}) reads the small top-level objects ({@code personal_information}, {@code contacts} count) and,
 * for each chat, its header and the byte offset of its {@code messages} array; it walks the messages one at a time
 * to collect senders and count them, then forgets them. {@link #messages} seeks to the recorded offset and parses
 * that array one message at a time. Held in memory: participants, chat headers, and, while one chat is streamed, a
 * compact index of that chat's earlier messages (id → time, author, first 200 characters) so that replies can be
 * resolved; that index grows with the chat's length but holds no bodies beyond the snippet.
 *
 * <p><b>Order.</b> Messages are streamed in file order, which is Telegram's message order (by id, which is
 * chronological apart from rare migration service messages); messages with equal times keep that order.
 *
 * <p><b>Times.</b> {@code date_unixtime} (exports from 2022-06 on) is used when present. Older exports only have
 * {@code date}, the exporting machine's local time without an offset; it is read in {@link Options#localZone()},
 * or in UTC with a warning when no zone is given.
 */
public final class TelegramExportReader implements ChatSource {

    static final String SOURCE_APP = "telegram-desktop";
    static final String RESULT_JSON = "result.json";

    /**
     * Options for opening an export.
     *
     * @param localZone the time zone of the machine that made the export, used for exports that carry only local
     *                  {@code date} strings (before 2022-06); null means unknown (UTC is assumed, with a warning)
     */
    public record Options(ZoneId localZone) {
        public static Options defaults() {
            return new Options(null);
        }
    }

    /** One chat as found by the first pass. */
    record ChatIndex(String conversationId, String telegramId, String type, String name, boolean left,
                     long messagesOffset, int messagesLine, int messagesColumn, long messageCount,
                     Set<String> participantIds, Map<String, Object> extra) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final Path root;
    private final Options options;
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> warnedKeys = new LinkedHashSet<>();
    private final Map<String, Long> excluded = new TreeMap<>();
    private final Participants people = new Participants();
    private final List<ChatIndex> chats = new ArrayList<>();
    private final Map<String, ChatIndex> chatsById = new LinkedHashMap<>();
    private final Map<String, Object> infoExtra = new LinkedHashMap<>();
    private String ownerId;
    private String sha256;
    private List<Conversation> conversations;

    private TelegramExportReader(Path file, Options options) {
        this.file = file;
        this.root = file.toAbsolutePath().getParent();
        this.options = options == null ? Options.defaults() : options;
    }

    /**
     * Opens the export at {@code path}: a {@code result.json} file or the folder that holds it.
     *
     * @throws SourceException {@link Kind#NOT_A_SOURCE} when the path is not a Telegram JSON export,
     *                         {@link Kind#CORRUPT} when the JSON is malformed or truncated (with line and column),
     *                         {@link Kind#IO} when it cannot be read
     */
    public static TelegramExportReader open(Path path, Options options) throws SourceException {
        Path file = path;
        if (Files.isDirectory(path)) {
            file = path.resolve(RESULT_JSON);
            if (!Files.isRegularFile(file)) {
                throw new SourceException(Kind.NOT_A_SOURCE, "The folder " + path + " has no " + RESULT_JSON
                        + "; expected a Telegram Desktop export made in JSON format (Settings › Advanced › Export"
                        + " Telegram data, format \"Machine-readable JSON\").");
            }
        } else if (!Files.isRegularFile(path)) {
            throw new SourceException(Kind.NOT_A_SOURCE, "There is no file or folder at " + path + ".");
        }
        TelegramExportReader reader = new TelegramExportReader(file, options);
        reader.index();
        return reader;
    }

    /**
     * Cheap check used to pick a reader: a folder holding {@code result.json}, or a {@code .json} file whose first
     * bytes name a Telegram export's top-level keys. Never throws.
     */
    public static boolean looksLike(Path path) {
        try {
            Path file = path;
            if (Files.isDirectory(path)) {
                file = path.resolve(RESULT_JSON);
                if (!Files.isRegularFile(file)) {
                    return false;
                }
            }
            if (!Files.isRegularFile(file) || !file.getFileName().toString().toLowerCase().endsWith(".json")) {
                return false;
            }
            byte[] head = new byte[4096];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, head.length);
            }
            String s = new String(head, 0, n, StandardCharsets.UTF_8);
            if (!s.stripLeading().replace("\uFEFF", "").startsWith("{")) {
                return false;
            }
            return s.contains("\"personal_information\"") || s.contains("\"chats\"")
                    || (s.contains("\"messages\"") && s.contains("\"type\"") && s.contains("\"id\""))
                    || (s.contains("\"type\"") && s.contains("\"id\"")
                    && (s.contains("\"personal_chat\"") || s.contains("\"private_group\"")
                    || s.contains("\"saved_messages\"") || s.contains("_supergroup\"")
                    || s.contains("_channel\"") || s.contains("\"bot_chat\"")));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------- first pass

    private void index() throws SourceException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        JsonNode personal = null;
        Map<String, JsonNode> singleHeader = new LinkedHashMap<>();
        Set<String> topKeys = new LinkedHashSet<>();
        boolean singleMessages = false;
        long[] singleOffset = {-1};
        int[] singleLoc = new int[2];
        long singleCount = 0;
        Set<String> singleParticipants = new LinkedHashSet<>();
        try (InputStream raw = Files.newInputStream(file);
             DigestInputStream in = new DigestInputStream(raw, digest)) {
            JsonParser p = json.getFactory().createParser(in);
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            JsonToken first;
            try {
                first = p.nextToken();
            } catch (JsonProcessingException e) {
                throw notTelegram("it is not JSON (" + e.getOriginalMessage() + ")");
            }
            if (first != JsonToken.START_OBJECT) {
                throw notTelegram("its top level is not a JSON object");
            }
            try {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    topKeys.add(field);
                    switch (field) {
                        case "personal_information" -> personal = p.readValueAsTree();
                        case "chats", "left_chats" -> readChatList(p, "left_chats".equals(field));
                        case "contacts", "frequent_contacts" -> {
                            JsonNode node = p.readValueAsTree();
                            JsonNode list = node == null ? null : node.get("list");
                            infoExtra.put(camel(field) + "Count", list != null && list.isArray() ? list.size() : 0);
                        }
                        case "messages" -> {
                            if (value != JsonToken.START_ARRAY) {
                                throw notTelegram("its \"messages\" is not an array");
                            }
                            singleMessages = true;
                            JsonLocation at = p.currentTokenLocation();
                            singleOffset[0] = at.getByteOffset();
                            singleLoc[0] = at.getLineNr();
                            singleLoc[1] = at.getColumnNr();
                            singleCount = scanMessages(p, singleParticipants);
                        }
                        case "name", "type", "id" -> singleHeader.put(field, p.readValueAsTree());
                        case "about", "profile_pictures", "stories", "sessions", "web_sessions", "other_data" -> {
                            if (value.isStructStart()) {
                                JsonNode node = p.readValueAsTree();
                                if (node.isArray() && node.size() > 0) {
                                    excluded.merge(camel(field), (long) node.size(), Long::sum);
                                }
                            }
                        }
                        default -> {
                            p.skipChildren();
                            infoExtra.computeIfAbsent("unknownTopLevelKeys", k -> new ArrayList<String>());
                            @SuppressWarnings("unchecked")
                            List<String> keys = (List<String>) infoExtra.get("unknownTopLevelKeys");
                            keys.add(field);
                        }
                    }
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    throw corrupt(p.currentTokenLocation(), "unexpected " + p.currentToken());
                }
            } catch (JsonProcessingException e) {
                throw corrupt(e.getLocation(), e.getOriginalMessage());
            }
            p.close();
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            throw new SourceException(Kind.NOT_A_SOURCE, "There is no file at " + file + ".", e);
        } catch (JsonProcessingException e) {
            throw corrupt(e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "Reading " + file + " failed (" + e.getMessage() + ").", e);
        }
        sha256 = HexFormat.of().formatHex(digest.digest());

        if (singleMessages) {
            JsonNode id = singleHeader.get("id");
            JsonNode type = singleHeader.get("type");
            JsonNode name = singleHeader.get("name");
            addChat(text(id), text(type), text(name), false, singleOffset[0], singleLoc[0], singleLoc[1],
                    singleCount, singleParticipants, Map.of());
            infoExtra.put("layout", "single-chat");
        } else if (topKeys.contains("chats") || topKeys.contains("left_chats") || personal != null) {
            infoExtra.put("layout", "full-account");
        } else {
            throw notTelegram("it has none of the keys \"chats\", \"personal_information\" or \"messages\""
                    + " (top-level keys: " + String.join(", ", topKeys) + ")");
        }

        if (personal != null) {
            JsonNode uid = personal.get("user_id");
            if (uid != null && !uid.isNull()) {
                ownerId = Participants.PREFIX + Participants.normalizePeer(uid);
                String first = text(personal.get("first_name"));
                String last = text(personal.get("last_name"));
                String full = joinName(first, last);
                people.setOwner(ownerId, full, text(personal.get("phone_number")), text(personal.get("username")),
                        text(personal.get("bio")));
            }
        }
        if (ownerId == null) {
            warnings.add("The export does not say whose account it is (no personal_information.user_id), so no"
                    + " message is marked as sent by the owner.");
        }
        buildConversations();
    }

    private void readChatList(JsonParser p, boolean left) throws IOException, SourceException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("list".equals(field) && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    readChat(p, left);
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private void readChat(JsonParser p, boolean left) throws IOException, SourceException {
        String id = null;
        String type = null;
        String name = null;
        long offset = -1;
        int line = 0;
        int column = 0;
        long count = 0;
        Set<String> participants = new LinkedHashSet<>();
        Map<String, Object> extra = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = p.getValueAsString();
                case "type" -> type = p.getValueAsString();
                case "name" -> name = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                case "messages" -> {
                    if (value != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    JsonLocation at = p.currentTokenLocation();
                    offset = at.getByteOffset();
                    line = at.getLineNr();
                    column = at.getColumnNr();
                    count = scanMessages(p, participants);
                }
                default -> extra.put(field, json.convertValue(p.readValueAsTree(), Object.class));
            }
        }
        if (offset < 0) {
            warnings.add("A chat (" + (name != null ? "\"" + name + "\"" : "id " + id) + ") has no messages"
                    + " array; it is listed without messages.");
        }
        addChat(id, type, name, left, offset, line, column, count, participants, extra);
    }

    /** Walks a messages array one message at a time, noting senders and actors; returns how many there were. */
    private long scanMessages(JsonParser p, Set<String> chatParticipants) throws IOException {
        long n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            JsonNode m = p.readValueAsTree();
            n++;
            String sender = people.note(m.get("from_id"), m.get("from"));
            if (sender != null) {
                chatParticipants.add(sender);
            }
            String actor = people.note(m.get("actor_id"), m.get("actor"));
            if (actor != null) {
                chatParticipants.add(actor);
            }
            JsonNode reactions = m.get("reactions");
            if (reactions != null && reactions.isArray()) {
                for (JsonNode r : reactions) {
                    JsonNode recent = r.get("recent");
                    if (recent != null && recent.isArray()) {
                        for (JsonNode who : recent) {
                            String pid = people.note(who.get("from_id"), who.get("from"));
                            if (pid != null) {
                                chatParticipants.add(pid);
                            }
                        }
                    }
                }
            }
        }
        return n;
    }

    private void addChat(String id, String type, String name, boolean left, long offset, int line, int column,
                         long count, Set<String> participants, Map<String, Object> extra) {
        String base = "telegram-chat:" + (id == null ? "unknown" : id);
        String convId = base;
        for (int i = 2; chatsById.containsKey(convId); i++) {
            convId = base + "#" + i;
        }
        ChatIndex chat = new ChatIndex(convId, id, type, name, left, offset, line, column, count, participants,
                extra);
        chats.add(chat);
        chatsById.put(convId, chat);
    }

    private void buildConversations() {
        List<Conversation> out = new ArrayList<>();
        for (ChatIndex c : chats) {
            List<String> ids = new ArrayList<>();
            if (ownerId != null) {
                ids.add(ownerId);
            }
            for (String pid : c.participantIds()) {
                if (!ids.contains(pid)) {
                    ids.add(pid);
                }
            }
            ConversationKind kind = switch (c.type() == null ? "" : c.type()) {
                case "saved_messages" -> ConversationKind.NOTE_TO_SELF;
                case "personal_chat", "bot_chat" -> ConversationKind.DIRECT;
                default -> ConversationKind.GROUP;
            };
            Map<String, Object> extra = new LinkedHashMap<>(c.extra());
            extra.put("telegramType", c.type());
            extra.put("telegramId", c.telegramId());
            if (c.left()) {
                extra.put("left", true);
            }
            out.add(new Conversation(c.conversationId(), kind, title(c, ids), ids, null, SOURCE_APP, extra));
        }
        conversations = List.copyOf(out);
    }

    private String title(ChatIndex c, List<String> ids) {
        if (c.name() != null && !c.name().isBlank()) {
            return c.name();
        }
        String type = c.type() == null ? "" : c.type();
        switch (type) {
            case "saved_messages":
                return "Saved Messages";
            case "replies":
                return "Replies";
            case "verification_codes":
                return "Verification Codes";
            default:
                break;
        }
        for (String pid : ids) {
            if (!pid.equals(ownerId)) {
                Participant p = people.get(pid);
                if (p != null) {
                    return p.displayName();
                }
            }
        }
        return "Telegram chat " + c.telegramId();
    }

    // ---------------------------------------------------------------------------------------------- ChatSource

    @Override
    public SourceInfo info() {
        return new SourceInfo(SOURCE_APP, null, null, sha256, null, infoExtra);
    }

    @Override
    public List<Participant> participants() {
        return people.all();
    }

    @Override
    public String ownerId() {
        return ownerId;
    }

    @Override
    public List<Conversation> conversations() {
        return conversations;
    }

    @Override
    public void messages(Conversation conversation, Consumer<Message> sink) throws SourceException {
        ChatIndex chat = chatsById.get(conversation.id());
        if (chat == null) {
            throw new SourceException(Kind.NOT_A_SOURCE, "The conversation " + conversation.id()
                    + " is not in this Telegram export.");
        }
        if (chat.messagesOffset() < 0) {
            return;
        }
        MessageMapper mapper = new MessageMapper(this, chat);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(chat.messagesOffset());
            InputStream in = Channels.newInputStream(ch);
            JsonParser p = json.getFactory().createParser(in);
            try {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new SourceException(Kind.CORRUPT, file + " changed since it was opened: the messages of \""
                            + conversation.title() + "\" are no longer where they were.");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode m = p.readValueAsTree();
                    sink.accept(mapper.map(m));
                }
                if (p.currentToken() != JsonToken.END_ARRAY) {
                    p.skipChildren();
                }
            } catch (JsonProcessingException e) {
                JsonLocation loc = e.getLocation();
                int line = loc == null ? -1 : chat.messagesLine() + loc.getLineNr() - 1;
                int col = loc == null ? -1 : (loc.getLineNr() == 1
                        ? chat.messagesColumn() + loc.getColumnNr() - 1 : loc.getColumnNr());
                throw corrupt(line, col, e.getOriginalMessage(), e);
            } finally {
                p.close();
            }
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "Reading " + file + " failed (" + e.getMessage() + ").", e);
        }
    }

    @Override
    public InputStream openAttachment(Attachment attachment) throws SourceException, IOException {
        String ref = attachment.sourceRef();
        if (ref == null) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "This attachment has no file in the export.");
        }
        Path p = resolveInExport(ref);
        if (p == null || !Files.isRegularFile(p)) {
            throw new SourceException(Kind.ATTACHMENT_MISSING, "The file " + ref
                    + " is not in the export folder any more.");
        }
        return Files.newInputStream(p);
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
        // Nothing is held open between calls.
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The export-relative path as a file under the export folder, or null when it would leave the folder. */
    Path resolveInExport(String relative) {
        Path p;
        try {
            p = root.resolve(relative).normalize();
        } catch (RuntimeException e) {
            return null;
        }
        return p.startsWith(root) ? p : null;
    }

    Participants people() {
        return people;
    }

    ZoneId localZone() {
        return options.localZone();
    }

    /** Adds {@code text} once per {@code key}. */
    void warnOnce(String key, String text) {
        if (warnedKeys.add(key)) {
            warnings.add(text);
        }
    }

    private SourceException notTelegram(String why) {
        return new SourceException(Kind.NOT_A_SOURCE, file + " is not a Telegram Desktop export: " + why
                + ". Expected the result.json of a JSON export, with \"chats\" (full account) or \"name\", \"type\","
                + " \"id\" and \"messages\" (one chat).");
    }

    private SourceException corrupt(JsonLocation loc, String what) {
        return corrupt(loc == null ? -1 : loc.getLineNr(), loc == null ? -1 : loc.getColumnNr(), what, null);
    }

    private SourceException corrupt(int line, int column, String what, Throwable cause) {
        String where = line > 0 ? " at line " + line + ", column " + column : "";
        return new SourceException(Kind.CORRUPT, file + " is damaged or incomplete" + where + " (" + what
                + "). Export the data again, or check that the copy finished.", cause);
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    static String joinName(String first, String last) {
        String f = first == null ? "" : first.trim();
        String l = last == null ? "" : last.trim();
        String full = (f + " " + l).trim();
        return full.isEmpty() ? null : full;
    }

    static String camel(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    ObjectMapper json() {
        return json;
    }
}
