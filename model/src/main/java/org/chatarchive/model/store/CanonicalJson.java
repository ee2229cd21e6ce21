package org.chatarchive.model.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;

/**
 * The canonical JSON form of the model: one configuration, so that equal content always gives equal bytes.
 *
 * <ul>
 *   <li>properties in record component order (creator properties first, in constructor order);</li>
 *   <li>map keys sorted, at every depth;</li>
 *   <li>nulls, empty lists and maps, {@code false} primitive booleans and {@link MessageFlags#NONE} omitted
 *       (a nullable {@code Boolean} keeps {@code false}: there it means something);</li>
 *   <li>enums as their names; UTF-8, non-ASCII written as is;</li>
 *   <li>{@link #line} writes one compact object per line ending in {@code \n}; {@link #pretty} writes
 *       2-space indentation with {@code \n} line endings and a final {@code \n}.</li>
 * </ul>
 *
 * <p>{@link Message}s, most of what an archive holds, are written by {@link MessageEncoder}
 * field by field instead of by databind's reflection, to the same bytes.
 *
 * <p>Reading tolerates properties and enum constants it does not know (a newer minor format revision may add
 * them); they are dropped, and reported through {@link UnknownContent} so that the loss is not silent.
 */
public final class CanonicalJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            // Emoji and other non-BMP characters as 4-byte UTF-8, not as escaped surrogate pairs.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES) // an omitted false or 0 reads back as such
            .defaultPropertyInclusion(JsonInclude.Value.construct(
                    JsonInclude.Include.CUSTOM, JsonInclude.Include.ALWAYS, OmitEmpty.class, null))
            .withConfigOverride(boolean.class, o -> o.setInclude(JsonInclude.Value.construct(
                    JsonInclude.Include.CUSTOM, JsonInclude.Include.ALWAYS, OmitFalse.class, null)))
            .build();

    private static final DefaultPrettyPrinter PRETTY = prettyPrinter();
    private static final ObjectWriter LINE = MAPPER.writer();
    private static final ObjectWriter PRETTY_WRITER = MAPPER.writer(PRETTY)
            .withAttribute(ManifestFileTable.PRETTY, Boolean.TRUE); // the manifest's file table, written by hand
    /** {@link #LINE} that leaves flushing to the stream's owner (a flush per message would be a write per message). */
    private static final ObjectWriter LINE_TO_STREAM = LINE.without(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);

    private CanonicalJson() {
    }

    /** The configured mapper. Do not reconfigure it; use {@link #reader} and {@link #line}/{@link #pretty}. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A reader for {@code type} that reports unknown properties and enum constants to {@code unknown}. */
    public static ObjectReader reader(Class<?> type, UnknownContent unknown) {
        return MAPPER.readerFor(type).withHandler(unknown.handler());
    }

    /** Writes {@code value} as one compact line ending in {@code \n}. */
    public static void line(Writer out, Object value) throws IOException {
        LINE.writeValue(out, value);
        out.write('\n');
    }

    /**
     * Writes {@code value} as one compact line ending in {@code \n}, UTF-8, to {@code out} (not flushed, not
     * closed): the same bytes as {@link #lineBytes} without building them as an array first.
     */
    public static void line(OutputStream out, Object value) throws IOException {
        if (value instanceof Message message && MessageEncoder.ACTIVE) {
            // Messages are most of what an archive holds: written field by field, without databind's reflection.
            MessageEncoder.write(out, message);
        } else {
            LINE_TO_STREAM.writeValue(out, value);
        }
        out.write('\n');
    }

    /** {@code value} as one compact line ending in {@code \n}, UTF-8. */
    public static byte[] lineBytes(Object value) throws IOException {
        if (value instanceof Message message && MessageEncoder.ACTIVE) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            MessageEncoder.write(out, message);
            out.write('\n');
            return out.toByteArray();
        }
        return jacksonLineBytes(value);
    }

    /**
     * {@code value} as one compact line ending in {@code \n}, always through databind's own serialization: what
     * {@link MessageEncoder} must reproduce byte for byte.
     */
    static byte[] jacksonLineBytes(Object value) throws IOException {
        byte[] json = LINE.writeValueAsBytes(value);
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    /** A generator on {@code out} configured as {@link #line(OutputStream, Object)} configures its own. */
    static JsonGenerator lineGenerator(OutputStream out) throws IOException {
        return LINE_TO_STREAM.createGenerator(out, JsonEncoding.UTF8);
    }

    /** The serialization configuration of {@link #line(OutputStream, Object)}. */
    static SerializationConfig lineConfig() {
        return LINE_TO_STREAM.getConfig();
    }

    /** {@code value} pretty-printed (2 spaces, {@code \n}, final {@code \n}), UTF-8. */
    public static byte[] prettyBytes(Object value) throws IOException {
        byte[] json = PRETTY_WRITER.writeValueAsBytes(value);
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    /** Writes {@code value} pretty-printed to {@code out}. */
    public static void pretty(OutputStream out, Object value) throws IOException {
        out.write(prettyBytes(value));
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    /** Inclusion filter: {@code equals} returns true for values to leave out. */
    static final class OmitEmpty {
        @Override
        public boolean equals(Object value) {
            return value == null
                    || value instanceof Collection<?> c && c.isEmpty()
                    || value instanceof Map<?, ?> m && m.isEmpty()
                    || MessageFlags.NONE.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** Inclusion filter for primitive booleans: {@code false} is the default and is left out. */
    static final class OmitFalse {
        @Override
        public boolean equals(Object value) {
            return value == null || Boolean.FALSE.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
