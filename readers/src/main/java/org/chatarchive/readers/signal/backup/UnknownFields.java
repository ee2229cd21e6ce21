package org.chatarchive.readers.signal.backup;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * Counts what a newer Signal wrote that this reader's schema does not name: unknown fields and unknown enum
 * values, by path (e.g. {@code frame.chatItem.standardMessage#23}, {@code frame.account.accountSettings.appTheme}).
 * Nothing unknown is fatal; the counts go into the source's warnings and info.
 */
final class UnknownFields {

    private static final JsonFormat.Parser STRICT = JsonFormat.parser();
    private static final JsonFormat.Parser LENIENT = JsonFormat.parser().ignoringUnknownFields();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> counts = new TreeMap<>();
    private final boolean enabled;

    UnknownFields(boolean enabled) {
        this.enabled = enabled;
    }

    static JsonFormat.Parser lenientParser() {
        return LENIENT;
    }

    /** Unknown things met so far, by path. */
    Map<String, Long> counts() {
        return counts;
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts the unknown fields and enum values of a message parsed from binary. */
    void count(String path, Message m) {
        if (!enabled) {
            return;
        }
        for (int number : m.getUnknownFields().asMap().keySet()) {
            add(path + "#" + number);
        }
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor fd = e.getKey();
            String p = path + "." + fd.getJsonName();
            if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (fd.isRepeated()) {
                    for (Object o : (Iterable<?>) e.getValue()) {
                        count(p, (Message) o);
                    }
                } else {
                    count(p, (Message) e.getValue());
                }
            } else if (fd.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                if (fd.isRepeated()) {
                    for (Object o : (Iterable<?>) e.getValue()) {
                        checkEnum(p, fd, (EnumValueDescriptor) o);
                    }
                } else {
                    checkEnum(p, fd, (EnumValueDescriptor) e.getValue());
                }
            }
        }
    }

    private void checkEnum(String path, FieldDescriptor fd, EnumValueDescriptor v) {
        if (fd.getEnumType().findValueByNumber(v.getNumber()) == null) {
            add(path + "=" + v.getNumber());
        }
    }

    /**
     * Parses one JSON object into {@code builder}. The strict parser is tried first; when it refuses (a field or
     * enum name this schema lacks), the object is walked to count what is unknown and parsed again leniently.
     */
    void mergeJson(String path, String json, Message.Builder builder) throws IOException {
        try {
            STRICT.merge(json, builder);
            return;
        } catch (InvalidProtocolBufferException e) {
            builder.clear();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException("not JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IOException("not a JSON object");
        }
        if (enabled) {
            walk(path, tree, builder.getDescriptorForType());
        }
        try {
            LENIENT.merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void walk(String path, JsonNode node, Descriptor type) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldDescriptor fd = field(type, e.getKey());
            String p = path + "." + e.getKey();
            if (fd == null) {
                add(p);
                continue;
            }
            JsonNode v = e.getValue();
            if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (v.isArray()) {
                    v.forEach(x -> {
                        if (x.isObject()) {
                            walk(p, x, fd.getMessageType());
                        }
                    });
                } else if (v.isObject()) {
                    walk(p, v, fd.getMessageType());
                }
            } else if (fd.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                for (JsonNode x : v.isArray() ? v : JSON.createArrayNode().add(v)) {
                    boolean known = x.isTextual() ? fd.getEnumType().findValueByName(x.asText()) != null
                            : x.isInt() && fd.getEnumType().findValueByNumber(x.asInt()) != null;
                    if (!known) {
                        add(p + "=" + x.asText());
                    }
                }
            }
        }
    }

    private static FieldDescriptor field(Descriptor type, String name) {
        FieldDescriptor fd = type.findFieldByName(name);
        if (fd == null) {
            for (FieldDescriptor f : type.getFields()) {
                if (f.getJsonName().equals(name)) {
                    return f;
                }
            }
        }
        return fd;
    }

    private void add(String key) {
        counts.merge(key, 1L, Long::sum);
    }
}
