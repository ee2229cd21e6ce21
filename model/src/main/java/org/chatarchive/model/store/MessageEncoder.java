package org.chatarchive.model.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.util.ClassUtil;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;

/**
 * Writes a {@link Message} in its canonical JSON form without Jackson's reflective bean serialization.
 *
 * <p>Messages are by far the most numerous values an export writes, and serializing them through databind (an
 * accessor call by reflection per property, an inclusion filter's {@code equals} per property, record
 * {@code equals} against {@link MessageFlags#NONE}) costs more than turning their text into bytes. This class
 * writes the message and the small records that come with most messages ({@link MessageFlags}, {@link BodyRange},
 * {@link Reaction}, {@link Receipt}, {@link Attachment}, {@link Quote}) field by field, with the rules of
 * {@link CanonicalJson}: properties in record component order; nulls, empty lists and maps, {@code false}
 * primitive booleans and {@link MessageFlags#NONE} left out; a {@code Boolean} kept when {@code false}; enums as
 * names. It also writes the maps, lists and plain values in {@code extra} (see {@link #value}), which is what
 * sources' extra maps hold, and hands anything else inside to the serializer databind would use for it.
 * Everything else a message may hold (edits, previews, sticker, contacts, poll, event, archive) is handed to
 * Jackson's own property writer for that component, so those bytes are Jackson's by construction.
 *
 * <p>It writes through a generator made by the canonical writer, so string escaping, number formatting and UTF-8
 * encoding are exactly Jackson's. The differential test holds it to byte equality with the reflective path. In
 * addition, {@link #ACTIVE} is false (and {@link CanonicalJson} keeps using databind) if the property names or
 * order Jackson derives for any hand-written record differ from the ones written here, say after a component was
 * added to a record without this class being updated, or if a few probe messages come out differently, say
 * after an annotation changed how databind writes a component.
 *
 * <p>Stateless: the only static state is Jackson's shared, thread-safe serializers.
 */
final class MessageEncoder {

    /** Message components, in record component order. */
    private static final String[] MESSAGE = {"id", "conversationId", "senderId", "direction", "sentAt",
            "receivedAt", "serverAt", "body", "ranges", "attachments", "quote", "reactions", "edits", "receipts",
            "flags", "previews", "sticker", "contacts", "poll", "event", "extra", "archive"};
    private static final String[] FLAGS = {"viewOnce", "erased", "expireTimerSeconds", "expirationStartAt",
            "deletedForEveryone", "deletedAt", "read"};
    private static final String[] RANGE = {"start", "length", "style", "mentionId"};
    private static final String[] REACTION = {"participantId", "emoji", "at"};
    private static final String[] RECEIPT = {"participantId", "status", "at"};
    /** Without {@code sourceRef}, which is {@code @JsonIgnore}d. */
    private static final String[] ATTACHMENT = {"contentType", "fileName", "size", "sha256", "width", "height",
            "durationMs", "kind", "caption", "availability", "missingReason", "storePath"};
    private static final String[] QUOTE = {"messageId", "sentAt", "authorId", "text", "ranges", "attachments",
            "referencedMessageNotFound"};

    private static final SerializableString ID = name("id");
    private static final SerializableString CONVERSATION_ID = name("conversationId");
    private static final SerializableString SENDER_ID = name("senderId");
    private static final SerializableString DIRECTION = name("direction");
    private static final SerializableString SENT_AT = name("sentAt");
    private static final SerializableString RECEIVED_AT = name("receivedAt");
    private static final SerializableString SERVER_AT = name("serverAt");
    private static final SerializableString BODY = name("body");
    private static final SerializableString RANGES = name("ranges");
    private static final SerializableString ATTACHMENTS = name("attachments");
    private static final SerializableString QUOTE_ = name("quote");
    private static final SerializableString REACTIONS = name("reactions");
    private static final SerializableString RECEIPTS = name("receipts");
    private static final SerializableString FLAGS_ = name("flags");

    private static final SerializableString VIEW_ONCE = name("viewOnce");
    private static final SerializableString ERASED = name("erased");
    private static final SerializableString EXPIRE_TIMER_SECONDS = name("expireTimerSeconds");
    private static final SerializableString EXPIRATION_START_AT = name("expirationStartAt");
    private static final SerializableString DELETED_FOR_EVERYONE = name("deletedForEveryone");
    private static final SerializableString DELETED_AT = name("deletedAt");
    private static final SerializableString READ = name("read");

    private static final SerializableString START = name("start");
    private static final SerializableString LENGTH = name("length");
    private static final SerializableString STYLE = name("style");
    private static final SerializableString MENTION_ID = name("mentionId");

    private static final SerializableString PARTICIPANT_ID = name("participantId");
    private static final SerializableString EMOJI = name("emoji");
    private static final SerializableString AT = name("at");
    private static final SerializableString STATUS = name("status");

    private static final SerializableString CONTENT_TYPE = name("contentType");
    private static final SerializableString FILE_NAME = name("fileName");
    private static final SerializableString SIZE = name("size");
    private static final SerializableString SHA256 = name("sha256");
    private static final SerializableString WIDTH = name("width");
    private static final SerializableString HEIGHT = name("height");
    private static final SerializableString DURATION_MS = name("durationMs");
    private static final SerializableString KIND = name("kind");
    private static final SerializableString CAPTION = name("caption");
    private static final SerializableString AVAILABILITY = name("availability");
    private static final SerializableString MISSING_REASON = name("missingReason");
    private static final SerializableString STORE_PATH = name("storePath");

    private static final SerializableString MESSAGE_ID = name("messageId");
    private static final SerializableString AUTHOR_ID = name("authorId");
    private static final SerializableString TEXT = name("text");
    private static final SerializableString REFERENCED_MESSAGE_NOT_FOUND = name("referencedMessageNotFound");
    private static final SerializableString EXTRA_ = name("extra");

    /**
     * How deep {@link #value} writes maps and collections inside {@code extra} itself. Anything deeper, a cycle
     * among them too, is left to databind, which fails on it or writes it as it always has.
     */
    private static final int MAX_EXTRA_DEPTH = 100;

    /** Jackson's own writers for the message components this class does not write itself. */
    private static final BeanPropertyWriter EDITS;
    private static final BeanPropertyWriter PREVIEWS;
    private static final BeanPropertyWriter STICKER;
    private static final BeanPropertyWriter CONTACTS;
    private static final BeanPropertyWriter POLL;
    private static final BeanPropertyWriter EVENT;
    private static final BeanPropertyWriter EXTRA;
    private static final BeanPropertyWriter ARCHIVE;

    /**
     * Whether Jackson sees the hand-written records with exactly the properties, in exactly the order, written
     * here; when not, {@link CanonicalJson} does not use this class.
     */
    static final boolean ACTIVE;

    /** The omission rule for reference-typed properties, the one the canonical mapper applies. */
    private static final CanonicalJson.OmitEmpty OMIT = new CanonicalJson.OmitEmpty();

    static {
        BeanPropertyWriter[] message = null;
        boolean active;
        try {
            SerializerProvider provider = provider();
            message = properties(provider, Message.class, MESSAGE);
            active = message != null
                    && properties(provider, MessageFlags.class, FLAGS) != null
                    && properties(provider, BodyRange.class, RANGE) != null
                    && properties(provider, Reaction.class, REACTION) != null
                    && properties(provider, Receipt.class, RECEIPT) != null
                    && properties(provider, Attachment.class, ATTACHMENT) != null
                    && properties(provider, Quote.class, QUOTE) != null;
        } catch (IOException | RuntimeException e) {
            active = false;
        }
        EDITS = active ? message[12] : null;
        PREVIEWS = active ? message[15] : null;
        STICKER = active ? message[16] : null;
        CONTACTS = active ? message[17] : null;
        POLL = active ? message[18] : null;
        EVENT = active ? message[19] : null;
        EXTRA = active ? message[20] : null;
        ARCHIVE = active ? message[21] : null;
        ACTIVE = active && probesAgree();
    }

    private MessageEncoder() {
    }

    /**
     * Writes {@code m} as one JSON object to {@code out} (not flushed, not closed), through a generator made by
     * the canonical line writer and closed as that writer closes its own, also on failure. Only when
     * {@link #ACTIVE}.
     */
    static void write(OutputStream out, Message m) throws IOException {
        JsonGenerator g = CanonicalJson.lineGenerator(out);
        try {
            write(g, m);
        } catch (Exception e) {
            ClassUtil.closeOnFailAndThrowAsIOE(g, e);
            return;
        }
        g.close();
    }

    /**
     * Writes {@code m} as one JSON object to {@code g}, a generator made by the canonical line writer; the same
     * bytes as Jackson's serialization of {@code m} through that writer. Only when {@link #ACTIVE}.
     */
    static void write(JsonGenerator g, Message m) throws Exception {
        g.writeStartObject(m);
        string(g, ID, m.id());
        string(g, CONVERSATION_ID, m.conversationId());
        string(g, SENDER_ID, m.senderId());
        constant(g, DIRECTION, m.direction());
        number(g, SENT_AT, m.sentAt());
        number(g, RECEIVED_AT, m.receivedAt());
        number(g, SERVER_AT, m.serverAt());
        string(g, BODY, m.body());
        ranges(g, m.ranges());
        attachments(g, m.attachments());
        if (m.quote() != null) {
            g.writeFieldName(QUOTE_);
            quote(g, m.quote());
        }
        reactions(g, m.reactions());
        SerializerProvider provider = delegate(g, m, m.edits(), EDITS, null);
        receipts(g, m.receipts());
        if (!OMIT.equals(m.flags())) {
            g.writeFieldName(FLAGS_);
            flags(g, m.flags());
        }
        provider = delegate(g, m, m.previews(), PREVIEWS, provider);
        provider = delegate(g, m, m.sticker(), STICKER, provider);
        provider = delegate(g, m, m.contacts(), CONTACTS, provider);
        provider = delegate(g, m, m.poll(), POLL, provider);
        provider = delegate(g, m, m.event(), EVENT, provider);
        provider = extra(g, m, provider);
        delegate(g, m, m.archive(), ARCHIVE, provider);
        g.writeEndObject();
    }

    /**
     * Lets Jackson write component {@code value} of {@code m} with its own property writer, unless the canonical
     * rules leave it out. Returns the serializer provider, made on first use.
     */
    private static SerializerProvider delegate(JsonGenerator g, Message m, Object value, BeanPropertyWriter writer,
                                               SerializerProvider provider) throws Exception {
        if (OMIT.equals(value)) {
            return provider;
        }
        SerializerProvider p = provider != null ? provider : provider();
        writer.serializeAsField(m, g, p);
        return p;
    }

    /**
     * Writes component {@code extra} of {@code m}: the maps, lists and plain values in it itself, anything else
     * with the serializer databind's map serializer would use for it. Returns the serializer provider, made on
     * first use.
     *
     * <p>Databind writes each map in {@code extra} through its map serializer, which under the canonical
     * {@code ORDER_MAP_ENTRIES_BY_KEYS} copies every map that is not a {@link SortedMap} into a {@link TreeMap}
     * before writing it, and looks up a serializer for every value's class; for a source's own data, nested maps
     * and lists of strings, numbers and booleans, that was a large share of writing a message.
     *
     * <p>Inside {@code extra} the canonical inclusion rules do not apply: they are property rules, and the map
     * serializer's content inclusion is {@code ALWAYS}. So nested nulls, empty lists and empty maps are written,
     * and so they are here.
     *
     * <p>Databind's map and collection serializers write each value they hold with the serializer
     * {@link SerializerProvider#findContentValueSerializer(Class, com.fasterxml.jackson.databind.BeanProperty)}
     * gives for its class within this property; so does {@link #value} for every value it does not write itself,
     * and those bytes, and failures, are databind's. Only a top-level key that is not a string (possible only by
     * an unchecked cast) hands the whole property to Jackson's property writer: its map serializer is typed for
     * string keys there, and fails where a nested map's would not.
     */
    private static SerializerProvider extra(JsonGenerator g, Message m, SerializerProvider provider)
            throws Exception {
        Map<String, Object> extra = m.extra();
        if (extra == null || extra.isEmpty()) { // what the canonical rules leave out of a map-typed property
            return provider;
        }
        int keys = keys(extra);
        if (keys == OTHER_KEYS) {
            return delegate(g, m, extra, EXTRA, provider);
        }
        g.writeFieldName(EXTRA_);
        return map(g, extra, keys, 0, provider);
    }

    /**
     * Writes {@code value}, found {@code depth} maps and collections deep inside {@code extra}, as databind's map
     * and collection serializers write it. Strings, booleans, {@code Integer}, {@code Long}, {@code Short},
     * {@code Byte}, {@code Double}, {@code Float}, {@code BigInteger} and {@code BigDecimal} (not subclasses of
     * the last two) are a single generator call in databind's serializer for them, the one made here (a
     * {@code Byte} as an {@code int}; doubles and floats, NaN and infinities included, as the generator formats
     * them). Maps and collections are written here when they are the JDK's own (bootstrap class loader), since
     * another class may carry annotations or a serializer of its own; but not {@link EnumSet}, which has a
     * serializer of its own, nor {@link Properties}, which databind types as holding strings only. Everything else
     * (records, enums, arrays, {@code Optional}, ...) and anything nested deeper than {@link #MAX_EXTRA_DEPTH} is
     * written by databind's serializer for its class. Returns the serializer provider, made on first use.
     */
    private static SerializerProvider value(JsonGenerator g, Object value, int depth, SerializerProvider provider)
            throws Exception {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Integer i) {
            g.writeNumber(i.intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l.longValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Map<?, ?> map && jdk(value, depth) && !(value instanceof Properties)) {
            int keys = keys(map);
            return keys == OTHER_KEYS ? jackson(g, value, provider) : map(g, map, keys, depth, provider);
        } else if (value instanceof Collection<?> collection && jdk(value, depth) && !(value instanceof EnumSet<?>)) {
            g.writeStartArray(collection, collection.size());
            SerializerProvider p = provider;
            for (Object element : collection) {
                p = value(g, element, depth + 1, p);
            }
            g.writeEndArray();
            return p;
        } else if (value instanceof Double d) {
            g.writeNumber(d.doubleValue());
        } else if (value instanceof Float f) {
            g.writeNumber(f.floatValue());
        } else if (value instanceof Short s) {
            g.writeNumber(s.shortValue());
        } else if (value instanceof Byte b) {
            g.writeNumber(b.intValue());
        } else if (value.getClass() == BigInteger.class) {
            g.writeNumber((BigInteger) value);
        } else if (value.getClass() == BigDecimal.class) {
            g.writeNumber((BigDecimal) value); // plain or not as the generator is configured, as databind's
        } else {
            return jackson(g, value, provider);
        }
        return provider;
    }

    /** Whether {@code container} is a JDK class, and not nested so deep that databind should take over. */
    private static boolean jdk(Object container, int depth) {
        return depth < MAX_EXTRA_DEPTH && container.getClass().getClassLoader() == null;
    }

    /**
     * Writes {@code value} with the serializer databind's map and collection serializers find for its class
     * within {@code extra}.
     */
    private static SerializerProvider jackson(JsonGenerator g, Object value, SerializerProvider provider)
            throws Exception {
        SerializerProvider p = provider != null ? provider : provider();
        p.findContentValueSerializer(value.getClass(), EXTRA).serialize(value, g, p);
        return p;
    }

    /** {@link #keys}: all strings, in strictly ascending order. */
    private static final int ASCENDING_KEYS = 0;
    /** {@link #keys}: all strings, not in strictly ascending order. */
    private static final int UNORDERED_KEYS = 1;
    /** {@link #keys}: a key that is not a string, or null. */
    private static final int OTHER_KEYS = 2;

    /** Whether the keys of {@code map} are strings, and whether they come in strictly ascending order. */
    private static int keys(Map<?, ?> map) {
        int result = ASCENDING_KEYS;
        String previous = null;
        for (Object key : map.keySet()) {
            if (!(key instanceof String k)) {
                return OTHER_KEYS;
            }
            if (previous != null && previous.compareTo(k) >= 0) {
                result = UNORDERED_KEYS;
            }
            previous = k;
        }
        return result;
    }

    /**
     * Writes {@code map}, whose keys are all strings ({@code keys} as {@link #keys} found them), in databind's
     * order: a {@link SortedMap} in its own order, any other map in the order of the {@link TreeMap} databind
     * copies it into. Keys in strictly ascending order, as in the top-level map the model keeps sorted, are
     * already in that order; a small map in another order is sorted here without the tree, unless two keys are
     * equal (distinct objects in an identity map), where the tree keeps one of them.
     */
    private static SerializerProvider map(JsonGenerator g, Map<?, ?> map, int keys, int depth,
                                          SerializerProvider provider) throws Exception {
        g.writeStartObject(map);
        SerializerProvider p = provider;
        if (keys == ASCENDING_KEYS || map instanceof SortedMap<?, ?>) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                p = value(g, e.getValue(), depth + 1, p);
            }
        } else {
            Object[] sorted = sorted(map);
            if (sorted != null) {
                for (int i = 0; i < sorted.length; i += 2) {
                    g.writeFieldName((String) sorted[i]);
                    p = value(g, sorted[i + 1], depth + 1, p);
                }
            } else {
                for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    p = value(g, e.getValue(), depth + 1, p);
                }
            }
        }
        g.writeEndObject();
        return p;
    }

    /**
     * The entries of {@code map}, whose keys are all strings, as key, value, key, value, ... sorted by key; or
     * null when the map is large, when two keys are equal, or when it yields another number of entries than its
     * size.
     */
    private static Object[] sorted(Map<?, ?> map) {
        int n = map.size();
        if (n > 32) {
            return null;
        }
        Object[] kv = new Object[2 * n];
        int count = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (count == n) {
                return null;
            }
            String key = (String) e.getKey();
            Object value = e.getValue();
            int i = count++;
            while (i > 0) { // insertion sort: a handful of entries
                int c = ((String) kv[2 * (i - 1)]).compareTo(key);
                if (c == 0) {
                    return null;
                }
                if (c < 0) {
                    break;
                }
                kv[2 * i] = kv[2 * (i - 1)];
                kv[2 * i + 1] = kv[2 * (i - 1) + 1];
                i--;
            }
            kv[2 * i] = key;
            kv[2 * i + 1] = value;
        }
        return count == n ? kv : null;
    }

    private static void flags(JsonGenerator g, MessageFlags f) throws IOException {
        g.writeStartObject(f);
        bool(g, VIEW_ONCE, f.viewOnce());
        bool(g, ERASED, f.erased());
        number(g, EXPIRE_TIMER_SECONDS, f.expireTimerSeconds());
        number(g, EXPIRATION_START_AT, f.expirationStartAt());
        bool(g, DELETED_FOR_EVERYONE, f.deletedForEveryone());
        number(g, DELETED_AT, f.deletedAt());
        if (f.read() != null) { // a Boolean: false is kept
            g.writeFieldName(READ);
            g.writeBoolean(f.read());
        }
        g.writeEndObject();
    }

    /** What an array element's object holds, between its braces. */
    private interface Fields<T> {
        void write(JsonGenerator g, T item) throws IOException;
    }

    /**
     * A list of records as Jackson writes it: left out when null or empty, a {@code null} element as such, each
     * other element as an object of {@code fields}.
     */
    private static <T> void array(JsonGenerator g, SerializableString name, List<T> items, Fields<T> fields)
            throws IOException {
        if (items == null || items.isEmpty()) {
            return;
        }
        g.writeFieldName(name);
        g.writeStartArray(items, items.size());
        for (T item : items) {
            if (item == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject(item);
            fields.write(g, item);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void ranges(JsonGenerator g, List<BodyRange> ranges) throws IOException {
        array(g, RANGES, ranges, MessageEncoder::rangeFields);
    }

    private static void rangeFields(JsonGenerator g, BodyRange r) throws IOException {
        g.writeFieldName(START);
        g.writeNumber(r.start());
        g.writeFieldName(LENGTH);
        g.writeNumber(r.length());
        constant(g, STYLE, r.style());
        string(g, MENTION_ID, r.mentionId());
    }

    private static void attachments(JsonGenerator g, List<Attachment> attachments) throws IOException {
        array(g, ATTACHMENTS, attachments, MessageEncoder::attachmentFields);
    }

    private static void attachmentFields(JsonGenerator g, Attachment a) throws IOException {
        string(g, CONTENT_TYPE, a.contentType());
        string(g, FILE_NAME, a.fileName());
        number(g, SIZE, a.size());
        string(g, SHA256, a.sha256());
        number(g, WIDTH, a.width());
        number(g, HEIGHT, a.height());
        number(g, DURATION_MS, a.durationMs());
        constant(g, KIND, a.kind());
        string(g, CAPTION, a.caption());
        constant(g, AVAILABILITY, a.availability());
        string(g, MISSING_REASON, a.missingReason());
        string(g, STORE_PATH, a.storePath());
        // sourceRef is @JsonIgnore: it never reaches the archive.
    }

    private static void quote(JsonGenerator g, Quote q) throws IOException {
        g.writeStartObject(q);
        string(g, MESSAGE_ID, q.messageId());
        number(g, SENT_AT, q.sentAt());
        string(g, AUTHOR_ID, q.authorId());
        string(g, TEXT, q.text());
        ranges(g, q.ranges());
        attachments(g, q.attachments());
        bool(g, REFERENCED_MESSAGE_NOT_FOUND, q.referencedMessageNotFound());
        g.writeEndObject();
    }

    private static void reactions(JsonGenerator g, List<Reaction> reactions) throws IOException {
        array(g, REACTIONS, reactions, MessageEncoder::reactionFields);
    }

    private static void reactionFields(JsonGenerator g, Reaction r) throws IOException {
        string(g, PARTICIPANT_ID, r.participantId());
        string(g, EMOJI, r.emoji());
        number(g, AT, r.at());
    }

    private static void receipts(JsonGenerator g, List<Receipt> receipts) throws IOException {
        array(g, RECEIPTS, receipts, MessageEncoder::receiptFields);
    }

    private static void receiptFields(JsonGenerator g, Receipt r) throws IOException {
        string(g, PARTICIPANT_ID, r.participantId());
        constant(g, STATUS, r.status());
        number(g, AT, r.at());
    }

    private static void string(JsonGenerator g, SerializableString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    /** An enum constant, by its name (what {@link #probesAgree} checks databind writes). */
    private static void constant(JsonGenerator g, SerializableString name, Enum<?> value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value.name());
        }
    }

    private static void number(JsonGenerator g, SerializableString name, Long value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value.longValue());
        }
    }

    private static void number(JsonGenerator g, SerializableString name, Integer value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value.intValue());
        }
    }

    /** A primitive boolean: {@code false} is the default and is left out. */
    private static void bool(JsonGenerator g, SerializableString name, boolean value) throws IOException {
        if (value) {
            g.writeFieldName(name);
            g.writeBoolean(true);
        }
    }

    private static SerializableString name(String name) {
        return new SerializedString(name);
    }

    /** A serializer provider for the canonical line writer's configuration, as that writer makes one per value. */
    private static SerializerProvider provider() {
        SerializationConfig config = CanonicalJson.lineConfig();
        return ((DefaultSerializerProvider) CanonicalJson.mapper().getSerializerProvider())
                .createInstance(config, CanonicalJson.mapper().getSerializerFactory());
    }

    /**
     * Jackson's property writers for {@code type}, or null unless they are plain bean property writers named
     * {@code expected}, in that order.
     */
    private static BeanPropertyWriter[] properties(SerializerProvider provider, Class<?> type, String[] expected)
            throws IOException {
        JsonSerializer<Object> serializer = provider.findTypedValueSerializer(type, true, null);
        if (serializer.getClass() != BeanSerializer.class) {
            return null;
        }
        List<BeanPropertyWriter> writers = new ArrayList<>();
        for (Iterator<PropertyWriter> it = serializer.properties(); it.hasNext(); ) {
            PropertyWriter w = it.next();
            if (w.getClass() != BeanPropertyWriter.class) {
                return null;
            }
            writers.add((BeanPropertyWriter) w);
        }
        if (writers.size() != expected.length) {
            return null;
        }
        for (int i = 0; i < expected.length; i++) {
            if (!writers.get(i).getName().equals(expected[i])) {
                return null;
            }
        }
        return writers.toArray(BeanPropertyWriter[]::new);
    }

    /**
     * Whether this class and databind write the same bytes for a few messages that between them set and leave
     * out every hand-written property, and whether databind writes every enum constant met here by its name.
     * A guard for production, where no test runs: an annotation added to a record, for example, would change
     * databind's output and not this class's.
     */
    private static boolean probesAgree() {
        try {
            for (Class<? extends Enum<?>> type : List.<Class<? extends Enum<?>>>of(Direction.class, RangeStyle.class,
                    AttachmentKind.class, Availability.class, DeliveryStatus.class)) {
                for (Enum<?> constant : type.getEnumConstants()) {
                    if (!CanonicalJson.mapper().writeValueAsString(constant).equals("\"" + constant.name() + "\"")) {
                        return false;
                    }
                }
            }
            Attachment full = new Attachment("image/jpeg", "a \"b\".jpg", Long.MAX_VALUE, "ab", 0, -1,
                    Long.MIN_VALUE, AttachmentKind.IMAGE, "\u00e9\ud83c\udf0a", Availability.STORED, "why\n",
                    "attachments/ab/ab.jpg", "source");
            Attachment none = new Attachment(null, null, null, null, null, null, null, null, null, null, null, null,
                    null);
            List<BodyRange> ranges = List.of(new BodyRange(0, 1, RangeStyle.MENTION, "p"),
                    new BodyRange(-1, 0, null, null));
            // Nested values of every kind extra may hold, in maps databind sorts (or not, a sorted one), with a null,
            // empties and an enum inside.
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("z", null);
            nested.put("\uff61", List.of());
            nested.put("\ud83d\ude00", Map.of());
            nested.put("a\"", Arrays.asList(1, -2L, (short) 3, (byte) 4, 0.5, -0.0f, Double.NaN, true, "s",
                    BigInteger.TEN.pow(30), new BigDecimal("1E+3"), Direction.OUTGOING, null));
            Map<String, Object> extra = Map.of("n", nested, "s", new TreeMap<>(nested), "l", List.of(nested));
            Message empty = new Message(null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null);
            Message rich = new Message("id", "c", "s", Direction.INCOMING, Long.MIN_VALUE, 0L, Long.MAX_VALUE,
                    "x\\y\u2028\u0001", ranges, List.of(full, none),
                    new Quote("q", 1L, "a", "t", ranges, List.of(none, full), true),
                    List.of(new Reaction("p", "\u2764\ufe0f", 2L), new Reaction(null, null, null)),
                    null, List.of(new Receipt("p", DeliveryStatus.READ, 3L), new Receipt(null, null, null)),
                    new MessageFlags(true, true, 0, 4L, true, 5L, Boolean.FALSE), null, null, null, null, null,
                    extra, null);
            Message plain = new Message("id", "c", null, Direction.SYSTEM, 1L, null, null, "", null, null,
                    new Quote(null, null, null, null, null, null, false), null, null, null,
                    new MessageFlags(false, false, null, null, false, null, Boolean.TRUE), null, null, null, null,
                    null, null, null);
            for (Message m : List.of(empty, rich, plain)) {
                ByteArrayOutputStream fast = new ByteArrayOutputStream();
                write(fast, m);
                fast.write('\n');
                if (!Arrays.equals(fast.toByteArray(), CanonicalJson.jacksonLineBytes(m))) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
