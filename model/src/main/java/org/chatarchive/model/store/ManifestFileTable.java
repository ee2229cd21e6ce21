package org.chatarchive.model.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * The manifest's file table ({@link Manifest#files}) read and written by hand, to the bytes Jackson reads and
 * writes: at a million messages it is some 20,000 entries, 5 MB, nearly all of the manifest, and a backup run reads
 * the last one and writes the next. Tokenizing and generating it through Jackson took 0.15 s of CPU in a fresh
 * JVM, and as much again to compile Jackson's parser and generator for it.
 *
 * <p>Only the form the canonical pretty writer gives is taken: every entry's path, SHA-256 and MD5 printable ASCII
 * without quotation marks or backslashes (so nothing is escaped), its size a whole number. Any other table, or a
 * table anywhere but as a property of the manifest object itself, is read and written by Jackson, as before.
 */
final class ManifestFileTable {

    /** The attribute the canonical pretty writer carries: the file table is written by hand only through it. */
    static final String PRETTY = "org.chatarchive.manifest.pretty";

    private static final byte[] KEY = ascii("\n  \"files\": [");
    private static final byte[] PATH = ascii("\n    {\n      \"path\": \"");
    private static final byte[] SIZE = ascii("\",\n      \"size\": ");
    private static final byte[] SHA256 = ascii(",\n      \"sha256\": \"");
    private static final byte[] MD5 = ascii("\",\n      \"md5\": \"");
    private static final byte[] ENTRY_END = ascii("\"\n    }");
    private static final byte[] TABLE_END = ascii("\n  ]");

    private ManifestFileTable() {
    }

    /**
     * Reads a manifest whose file table is in the canonical form: the table scanned here, everything else by
     * {@code reader}. Null when the table is not in that form (or not there): read it all with Jackson then, which
     * also reports what is wrong with it.
     */
    static Manifest read(byte[] json, ObjectReader reader) {
        int key = indexOf(json, KEY, 0);
        if (key < 0 || depthAt(json, key) != 1) {
            return null;
        }
        int from = key + KEY.length;
        List<FileHashes> files = new ArrayList<>();
        int at = from;
        while (true) {
            at = expect(json, at, PATH);
            int pathEnd = plainString(json, at);
            if (pathEnd < 0) {
                return null;
            }
            String path = new String(json, at, pathEnd - at, StandardCharsets.US_ASCII);
            at = expect(json, pathEnd, SIZE);
            long size = 0;
            int digits = at;
            while (at >= 0 && at < json.length && json[at] >= '0' && json[at] <= '9') {
                int d = json[at] - '0';
                if (size > (Long.MAX_VALUE - d) / 10) {
                    return null; // past a long
                }
                size = size * 10 + d;
                at++;
            }
            if (at < 0 || at == digits || (json[digits] == '0' && at - digits > 1)) {
                return null; // no digits, or a leading zero
            }
            at = expect(json, at, SHA256);
            int shaEnd = plainString(json, at);
            if (shaEnd < 0) {
                return null;
            }
            String sha256 = new String(json, at, shaEnd - at, StandardCharsets.US_ASCII);
            String md5 = null;
            at = shaEnd;
            if (startsWith(json, at, MD5)) {
                at += MD5.length;
                int md5End = plainString(json, at);
                if (md5End < 0) {
                    return null;
                }
                md5 = new String(json, at, md5End - at, StandardCharsets.US_ASCII);
                at = md5End;
            }
            at = expect(json, at, ENTRY_END);
            if (at < 0) {
                return null;
            }
            files.add(new FileHashes(path, size, sha256, md5));
            if (at < json.length && json[at] == ',') {
                at++;
                continue;
            }
            if (!startsWith(json, at, TABLE_END)) {
                return null;
            }
            break;
        }
        if (indexOf(json, KEY, at) >= 0) {
            return null; // a second table under the same name (the entries cannot hold the key): Jackson decides
        }
        // The rest with the table left empty: "files": [\n  ]
        byte[] rest = new byte[json.length - (at - from)];
        System.arraycopy(json, 0, rest, 0, from);
        System.arraycopy(json, at, rest, from, json.length - at);
        Manifest m;
        try {
            m = reader.readValue(rest);
        } catch (IOException | RuntimeException e) {
            return null; // Jackson reads the whole and says what is wrong
        }
        if (m == null || (m.files() != null && !m.files().isEmpty())) {
            return null; // a second table under the same name: Jackson decides which counts
        }
        return new Manifest(m.manifestVersion(), m.tool(), m.toolVersion(), m.command(), m.options(), m.sources(),
                m.counts(), List.copyOf(files), m.run());
    }

    /**
     * The table in the canonical pretty form, from its opening bracket to its closing one, for a property of the
     * manifest object; null when an entry has something this does not write as Jackson would (a string to escape
     * or outside ASCII, a missing path or SHA-256).
     */
    static byte[] format(List<FileHashes> files) {
        // The exact length first (every string is plain ASCII: a byte per character), then the bytes.
        long length = 1 + TABLE_END.length + Math.max(0, files.size() - 1); // [, ] and the commas between entries
        for (FileHashes f : files) {
            if (f == null || !plain(f.path()) || !plain(f.sha256()) || (f.md5() != null && !plain(f.md5()))) {
                return null;
            }
            length += PATH.length + f.path().length() + SIZE.length + Long.toString(f.size()).length()
                    + SHA256.length + f.sha256().length() + ENTRY_END.length
                    + (f.md5() == null ? 0 : MD5.length + f.md5().length());
        }
        if (length > Integer.MAX_VALUE - 16) {
            return null;
        }
        Out out = new Out((int) length);
        out.put((byte) '[');
        boolean first = true;
        for (FileHashes f : files) {
            if (!first) {
                out.put((byte) ',');
            }
            first = false;
            out.put(PATH);
            out.put(f.path());
            out.put(SIZE);
            out.put(Long.toString(f.size()));
            out.put(SHA256);
            out.put(f.sha256());
            if (f.md5() != null) {
                out.put(MD5);
                out.put(f.md5());
            }
            out.put(ENTRY_END);
        }
        out.put(TABLE_END);
        if (out.size != out.bytes.length) {
            throw new IllegalStateException("the file table was counted " + out.bytes.length + " bytes long, and is "
                    + out.size);
        }
        return out.bytes;
    }

    /** An array of the length counted beforehand, filled in order. */
    private static final class Out {
        final byte[] bytes;
        int size;

        Out(int length) {
            bytes = new byte[length];
        }

        void put(byte b) {
            bytes[size++] = b;
        }

        void put(byte[] b) {
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        /** An ASCII string ({@link #plain}). */
        @SuppressWarnings("deprecation") // the byte-per-character copy is what a plain ASCII string needs
        void put(String s) {
            s.getBytes(0, s.length(), bytes, size); // the low byte of each character: ASCII as it is
            size += s.length();
        }
    }

    /**
     * Writes the manifest's file table: by hand through the canonical pretty writer (which carries {@link #PRETTY}),
     * as a property of the manifest object; through Jackson's own list serializer otherwise.
     */
    static final class Serializer extends StdSerializer<List<FileHashes>> {

        Serializer() {
            super(List.class, false);
        }

        @Override
        public void serialize(List<FileHashes> files, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            byte[] table = Boolean.TRUE.equals(provider.getAttribute(PRETTY))
                    && gen.getOutputContext().inObject() && gen.getOutputContext().getNestingDepth() == 1
                    && !files.isEmpty() ? format(files) : null;
            if (table == null) {
                JavaType type = provider.getTypeFactory().constructCollectionType(List.class, FileHashes.class);
                provider.findValueSerializer(type).serialize(files, gen, provider);
                return;
            }
            gen.writeRawValue(new Raw(table));
        }
    }

    /** Bytes (ASCII) written as they are. */
    private record Raw(byte[] bytes) implements SerializableString {

        @Override
        public String getValue() {
            return new String(bytes, StandardCharsets.US_ASCII);
        }

        @Override
        public int charLength() {
            return bytes.length;
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is not quoted");
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return bytes;
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is not quoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is not quoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is not quoted");
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            for (int i = 0; i < bytes.length; i++) {
                buffer[offset + i] = (char) bytes[i];
            }
            return bytes.length;
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is not quoted");
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is not quoted");
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < bytes.length) {
                return -1;
            }
            buffer.put(bytes);
            return bytes.length;
        }
    }

    /** Printable ASCII without a quotation mark or backslash: written by Jackson as it is, between quotes. */
    private static boolean plain(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The end of a {@link #plain} string's bytes starting at {@code from} (at its closing quote), or -1. */
    private static int plainString(byte[] b, int from) {
        if (from < 0) {
            return -1;
        }
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c < 0x20 || c > 0x7e || c == '\\') { // bytes are signed: anything past ASCII is negative
                return -1;
            }
        }
        return -1;
    }

    /** The place after {@code what} when it is at {@code at}, else -1. */
    private static int expect(byte[] b, int at, byte[] what) {
        return startsWith(b, at, what) ? at + what.length : -1;
    }

    private static boolean startsWith(byte[] b, int at, byte[] what) {
        return at >= 0 && at + what.length <= b.length && Arrays.equals(b, at, at + what.length, what, 0, what.length);
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i + what.length <= b.length; i++) {
            if (b[i] != what[0]) {
                continue;
            }
            for (int j = 1; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** How many objects and arrays are open at {@code at}, counted outside strings. */
    private static int depthAt(byte[] b, int at) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < at; i++) {
            byte c = b[i];
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return inString ? -1 : depth;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
