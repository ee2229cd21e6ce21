package org.chatarchive.renderers.production;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Concordance/Relativity DAT load file: a header row, then one row per document; every value in the þ (U+00FE)
 * qualifier, values separated by U+0014, newlines inside a value written as ® (U+00AE), rows ending in CRLF,
 * UTF-8 with a byte-order mark (Relativity detects the encoding only from the BOM).
 *
 * <p>The delimiter characters cannot be escaped in this format, so a value's own U+0014 and þ are replaced by a
 * space and by "th" (the letter's usual transliteration), and a literal ® by "(R)", so that every value reads back
 * unambiguously; {@link #parse} reverses only the newline mapping.
 */
public final class DatFile {

    public static final char SEPARATOR = '\u0014';
    public static final char QUOTE = '\u00fe';
    public static final char NEWLINE = '\u00ae';
    /** Multi-value separator inside one field. */
    public static final char MULTI = ';';
    /** Nested-value (hierarchy) separator inside one field. */
    public static final char NESTED = '\\';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final List<String> fields;
    private final List<List<String>> rows = new ArrayList<>();

    public DatFile(List<String> fields) {
        this.fields = List.copyOf(fields);
    }

    public List<String> fields() {
        return fields;
    }

    /** The rows added so far, as given. */
    public List<List<String>> rows() {
        return rows.stream().map(List::copyOf).toList();
    }

    /** Adds a row; {@code values} in {@link #fields()} order, null written as empty. */
    public void add(List<String> values) {
        if (values.size() != fields.size()) {
            throw new IllegalArgumentException("a DAT row needs " + fields.size() + " values, not " + values.size());
        }
        rows.add(new ArrayList<>(values));
    }

    /** A value as the file holds it: delimiters neutralised, line breaks as ®. */
    static String neutralise(String v) {
        if (v == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case SEPARATOR -> sb.append(' ');
                case QUOTE -> sb.append("th");
                case '\u00de' -> sb.append("Th"); // capital thorn, the same letter
                case NEWLINE -> sb.append("(R)");
                case '\r' -> {
                    if (i + 1 < v.length() && v.charAt(i + 1) == '\n') {
                        i++;
                    }
                    sb.append(NEWLINE);
                }
                case '\n' -> sb.append(NEWLINE);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A multi-value field: the values joined by "; ". A value's own {@code ;} becomes {@code ,} and its {@code \}
     * (the nested-value delimiter) becomes {@code /}, so that {@link #split} gives the values back.
     */
    public static String multi(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            String clean = v == null ? "" : v.replace(MULTI, ',').replace(NESTED, '/').strip();
            if (clean.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(MULTI).append(' ');
            }
            sb.append(clean);
        }
        return sb.toString();
    }

    /** The values of a multi-value field written by {@link #multi}. */
    public static List<String> split(String field) {
        List<String> out = new ArrayList<>();
        for (String v : field.split(String.valueOf(MULTI), -1)) {
            if (!v.isBlank()) {
                out.add(v.strip());
            }
        }
        return out;
    }

    /** The file's bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public void write(OutputStream out) throws IOException {
        out.write(BOM);
        out.write(row(fields).getBytes(StandardCharsets.UTF_8));
        for (List<String> r : rows) {
            out.write(row(r).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String row(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(QUOTE).append(neutralise(values.get(i))).append(QUOTE);
        }
        return sb.append("\r\n").toString();
    }

    /**
     * Reads a DAT written with these delimiters (UTF-8, BOM optional): the header row first, then the rows, each
     * value with ® turned back into a newline.
     */
    public static List<List<String>> parse(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.startsWith("\uFEFF")) {
            s = s.substring(1);
        }
        List<List<String>> out = new ArrayList<>();
        for (String line : s.split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String cell : line.split(String.valueOf(SEPARATOR), -1)) {
                if (cell.length() < 2 || cell.charAt(0) != QUOTE || cell.charAt(cell.length() - 1) != QUOTE) {
                    throw new IllegalArgumentException("a DAT value is not in þ qualifiers: " + cell);
                }
                values.add(cell.substring(1, cell.length() - 1).replace(NEWLINE, '\n'));
            }
            out.add(values);
        }
        return out;
    }
}
