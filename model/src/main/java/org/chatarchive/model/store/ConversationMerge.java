package org.chatarchive.model.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;

/**
 * Merges one conversation of the source into its archived messages file, streaming.
 *
 * <p>The archived file is indexed first (message id → line offset; about 100 bytes per archived message, the only
 * memory that grows with the conversation). The source's messages are then merged one by one in the source's
 * order ({@link MessageMerge}) into a staged file. Archived messages the source no longer has are marked gone and
 * put back right after the message that preceded them in the archive, so their place in the timeline is kept.
 * When the result is byte for byte the archived file, the staged copy is dropped and the archive keeps its file.
 */
public final class ConversationMerge implements AutoCloseable {

    /** What happened to one source message. */
    public enum Outcome { ADDED, UPDATED, UNCHANGED }

    /** What {@link #keepRow} did. */
    public enum Kept {
        /** No archived line names the row (or it was put already): nothing written. */
        NOT_ARCHIVED,
        /** The archived line was kept. */
        KEPT,
        /** The archived line was kept; it has an attachment whose file is not stored. */
        KEPT_LACKING_A_FILE
    }

    /**
     * Archived files up to this size are read into memory once, and the lines a run keeps are taken from there
     * rather than read again one by one.
     */
    static final int HOLD_AT_MOST = 64 << 20;

    private final ArchiveUpdate update;
    private final Conversation conversation;
    private final String file;
    private final String spoolName;
    private final int run;
    private final Path oldPath;
    private final long holdAtMost;
    private final FileChannel old;
    private final ObjectReader reader = CanonicalJson.reader(Message.class, new UnknownContent());
    private final Map<String, Integer> oldIndex = new HashMap<>();
    /** Source row → archived line, when asked for; null otherwise. */
    private final Map<String, Integer> rowIndex;
    /** Whether some archived line names its source row more than once, or names a row another line names. */
    private boolean rowsAmbiguous;
    /** The archived file's bytes, when it is at most {@link #holdAtMost}: kept lines are taken from them. */
    private byte[] whole;
    /** Archived lines with an attachment whose file is not stored ({@link #keepRow}), when rows are indexed. */
    private final BitSet lacking = new BitSet();
    private long[] offsets = new long[16];
    private int[] lengths = new int[16];
    private int oldCount;
    private String oldSha;
    private long oldSize;

    private final BitSet matched = new BitSet();
    private int[] spoolPosOfOld = new int[0];
    private final FileChannel spoolChannel;
    private final OutputStream spool;
    private int spoolLines;
    private final MessageDigest spoolDigest = ArchiveLayout.sha256();
    private long spoolBytes;
    private long spoolAttachments;
    private Long firstAt;
    private Long lastAt;
    private long added;
    private long updated;
    private long unchanged;
    private long goneNow;
    private long goneBefore;
    private boolean finished;

    /**
     * @param oldFile the archived file ({@code null} or absent for a new conversation)
     * @param run     this run's number
     */
    public ConversationMerge(ArchiveUpdate update, Conversation conversation, Path oldFile, int run) throws IOException {
        this(update, conversation, oldFile, run, false);
    }

    /**
     * @param oldFile the archived file ({@code null} or absent for a new conversation)
     * @param run     this run's number
     * @param byRow   whether archived lines are also found by the source row they name
     *                ({@code extra.sourceRowId}), for {@link #keepRow} and {@link #archivedByRow}
     */
    public ConversationMerge(ArchiveUpdate update, Conversation conversation, Path oldFile, int run, boolean byRow)
            throws IOException {
        this(update, conversation, oldFile, run, byRow, HOLD_AT_MOST);
    }

    /** @param holdAtMost the largest archived file read into memory ({@link #HOLD_AT_MOST}; tests use less) */
    ConversationMerge(ArchiveUpdate update, Conversation conversation, Path oldFile, int run, boolean byRow,
                      long holdAtMost) throws IOException {
        this.holdAtMost = holdAtMost;
        this.update = update;
        this.rowIndex = byRow ? new HashMap<>() : null;
        this.conversation = conversation;
        this.file = ArchiveLayout.messagesFile(conversation.id());
        this.spoolName = file + ".merge.tmp";
        this.run = run;
        this.oldPath = oldFile != null && Files.isRegularFile(oldFile) ? oldFile : null;
        this.old = oldPath == null ? null : FileChannel.open(oldPath, StandardOpenOption.READ);
        if (old != null) {
            index();
        }
        spoolPosOfOld = new int[oldCount];
        this.spoolChannel = update.create(spoolName);
        // Hashed as it is written: when no archived message is to be put back, the spool is the new file.
        this.spool = new BufferedOutputStream(new DigestOutputStream(PrivateFiles.stream(spoolChannel), spoolDigest),
                1 << 16);
    }

    private void index() throws IOException {
        MessageDigest digest = ArchiveLayout.sha256();
        if (old.size() <= holdAtMost) {
            byte[] b = Files.readAllBytes(oldPath);
            digest.update(b);
            if (indexLines(b, 0, 0, b.length, 0) < b.length) {
                throw new ArchiveFormatException(file, oldCount + 1, "does not end with a line break", null);
            }
            whole = b;
            oldSize = b.length;
            oldSha = java.util.HexFormat.of().formatHex(digest.digest());
            return;
        }
        // Read in large blocks and find line ends in place: this runs over every archived line of a changed
        // conversation, so it must cost little more than reading the file.
        try (InputStream in = Files.newInputStream(oldPath)) {
            byte[] buf = new byte[1 << 20];
            int filled = 0;
            long offset = 0; // file offset of buf[0]
            int start = 0;   // start of the current line in buf
            for (int n; (n = in.read(buf, filled, buf.length - filled)) >= 0; ) {
                int from = filled;
                filled += n;
                digest.update(buf, from, n);
                start = indexLines(buf, start, from, filled, offset);
                if (filled == buf.length) {
                    // Keep the unfinished line; grow when one line fills the whole buffer.
                    int rest = filled - start;
                    byte[] next = rest * 2 > buf.length ? new byte[buf.length * 2] : buf;
                    System.arraycopy(buf, start, next, 0, rest);
                    buf = next;
                    offset += start;
                    filled = rest;
                    start = 0;
                }
            }
            if (start < filled) {
                throw new ArchiveFormatException(file, oldCount + 1, "does not end with a line break", null);
            }
            oldSize = offset + filled;
        }
        oldSha = java.util.HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Indexes the archived lines that end in {@code buf[from, to)}, the first of them starting at {@code start};
     * {@code buf[0]} is at {@code offset} in the file. Returns where the line not yet ended starts.
     */
    private int indexLines(byte[] buf, int start, int from, int to, long offset) throws IOException {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                int len = i + 1 - start;
                if (rowIndex != null) {
                    indexRow(buf, start, len);
                }
                addOld(idOf(buf, start, len), offset + start, len);
                start = i + 1;
            }
        }
        return start;
    }

    private void addOld(String id, long offset, int len) {
        if (oldCount == offsets.length) {
            offsets = Arrays.copyOf(offsets, oldCount * 2);
            lengths = Arrays.copyOf(lengths, oldCount * 2);
        }
        offsets[oldCount] = offset;
        lengths[oldCount] = len;
        oldIndex.putIfAbsent(id, oldCount);
        oldCount++;
    }

    private static final byte[] ROW_KEY = "\"sourceRowId\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] AVAILABILITY = "\"availability\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] STORED = "STORED\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * Files line {@link #oldCount} under the source row it names, and notes whether it has an attachment whose
     * file is not stored (an {@code availability} property with another value than {@code STORED}), in one pass
     * over its bytes. A quotation mark inside a JSON string is
     * always escaped, so the key with its quotes can only be a property name; as it may also be one inside a nested
     * map, a line that has it more than once (or a row named by two lines) makes the rows ambiguous.
     */
    private void indexRow(byte[] buf, int start, int len) {
        int end = start + len;
        String row = null;
        int found = 0;
        for (int i = start; i < end; i++) {
            if (buf[i] != '"') {
                continue;
            }
            byte next = i + 1 < end ? buf[i + 1] : 0;
            if (next == 's' && i + ROW_KEY.length <= end
                    && Arrays.equals(buf, i, i + ROW_KEY.length, ROW_KEY, 0, ROW_KEY.length)) {
                found++;
                int from = i + ROW_KEY.length;
                int to = from;
                while (to < end && buf[to] != '"' && buf[to] != '\\') {
                    to++;
                }
                if (to >= end || buf[to] != '"') {
                    rowsAmbiguous = true;
                    return;
                }
                row = new String(buf, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
                i = to;
            } else if (next == 'a' && i + AVAILABILITY.length + STORED.length <= end
                    && Arrays.equals(buf, i, i + AVAILABILITY.length, AVAILABILITY, 0, AVAILABILITY.length)) {
                int v = i + AVAILABILITY.length;
                if (!Arrays.equals(buf, v, v + STORED.length, STORED, 0, STORED.length)) {
                    lacking.set(oldCount);
                }
                i = v - 1;
            }
        }
        if (found > 1 || (row != null && rowIndex.putIfAbsent(row, oldCount) != null)) {
            rowsAmbiguous = true;
        }
    }

    /** Whether every archived line can be found by its source row ({@link #keepRow}); false when not asked for. */
    public boolean rowsUsable() {
        return rowIndex != null && !rowsAmbiguous && rowIndex.size() == oldCount;
    }

    /** The source rows the archived lines name (when {@link #rowsUsable}). */
    public java.util.Set<String> archivedRows() {
        return java.util.Collections.unmodifiableSet(rowIndex.keySet());
    }

    /** The archived message read from source row {@code row}, or null. */
    public Message archivedByRow(String row) throws IOException {
        Integer i = rowIndex == null ? null : rowIndex.get(row);
        return i == null ? null : reader.readValue(oldLine(i));
    }

    /**
     * Keeps the archived line of source row {@code row} byte for byte, as the next line of the file: for a row the
     * source says reads as it did when that line was written. Says whether a line was kept, and whether it has an
     * attachment whose file is not stored.
     */
    public Kept keepRow(String row) throws IOException {
        if (!rowsUsable()) {
            throw new IllegalStateException("archived lines are not indexed by source row");
        }
        Integer i = rowIndex.get(row);
        if (i == null || matched.get(i)) {
            return Kept.NOT_ARCHIVED;
        }
        byte[] b = whole != null ? whole : oldLine(i);
        int from = whole != null ? (int) offsets[i] : 0;
        spoolLine(i, b, from, lengths[i]);
        countLine(b, from, from + lengths[i]);
        unchanged++;
        return lacking.get(i) ? Kept.KEPT_LACKING_A_FILE : Kept.KEPT;
    }

    /** Reads a line of the archived file as a message. */
    public Message parse(byte[] line) throws IOException {
        return reader.readValue(line);
    }

    /**
     * Counts a kept line as {@link #count} counts a message, reading only the properties it needs: the line is the
     * archive's own, so it is not mapped to a message. Its bytes are scanned ({@link #scanCounts}); a line the scan
     * does not take is read by Jackson.
     */
    private void countLine(byte[] b, int from, int to) throws IOException {
        LineCounts c = scanCounts(b, from, to);
        if (c == null) {
            c = readCounts(Arrays.copyOfRange(b, from, to));
            if (c == null) {
                throw new ArchiveFormatException(file, 0, "is not a message line", null);
            }
        }
        // Message#timelineAt's rule, from the two properties
        count(c.attachments(), c.sentAt() != null ? c.sentAt() : c.receivedAt() != null ? c.receivedAt() : 0);
    }

    /**
     * What {@link #countLine} needs of a message line: its top-level {@code sentAt} and {@code receivedAt} (null
     * unless a whole number) and how many elements its top-level {@code attachments} array has.
     */
    record LineCounts(Long sentAt, Long receivedAt, int attachments) {
    }

    /** {@link LineCounts} of a line read with Jackson; null when it is not a JSON object. */
    static LineCounts readCounts(byte[] line) throws IOException {
        Long sentAt = null;
        Long receivedAt = null;
        int attachments = 0;
        try (JsonParser p = CanonicalJson.mapper().getFactory().createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "sentAt" -> sentAt = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "receivedAt" -> receivedAt = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                    case "attachments" -> {
                        if (v == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                attachments++;
                                p.skipChildren();
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return new LineCounts(sentAt, receivedAt, attachments);
    }

    private static final byte[] SENT_AT = "sentAt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] RECEIVED_AT = "receivedAt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ATTACHMENTS = "attachments".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * {@link #readCounts} by scanning the bytes of a line as the archive writes them (one JSON object, names
     * without escapes, whole numbers of at most 18 digits): a scan of its structure, far cheaper than tokenizing
     * every value of a long line. Null when the line has anything else (a name with an escape, a number with a
     * fraction or exponent where a time is read, text after the object, unbalanced brackets): Jackson reads it then.
     */
    static LineCounts scanCounts(byte[] b) {
        return scanCounts(b, 0, b.length);
    }

    /** {@link #scanCounts(byte[])} of the line at {@code b[from, to)}. */
    static LineCounts scanCounts(byte[] b, int from, int to) {
        int n = to;
        int i = skipSpace(b, from, n);
        if (i >= n || b[i] != '{') {
            return null;
        }
        i = skipSpace(b, i + 1, n);
        Long sentAt = null;
        Long receivedAt = null;
        int attachments = 0;
        if (i < n && b[i] == '}') {
            return skipSpace(b, i + 1, n) == n ? new LineCounts(null, null, 0) : null;
        }
        while (true) {
            if (i >= n || b[i] != '"') {
                return null;
            }
            int nameStart = i + 1;
            int nameEnd = nameStart;
            while (nameEnd < n && b[nameEnd] != '"') {
                if (b[nameEnd] == '\\') {
                    return null;
                }
                nameEnd++;
            }
            i = skipSpace(b, nameEnd + 1, n);
            if (i >= n || b[i] != ':') {
                return null;
            }
            i = skipSpace(b, i + 1, n);
            if (i >= n) {
                return null;
            }
            boolean sent = is(b, nameStart, nameEnd, SENT_AT);
            if (sent || is(b, nameStart, nameEnd, RECEIVED_AT)) {
                int end = scalarEnd(b, i, n);
                Long v;
                if (end - i == 4 && b[i] == 'n' && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l') {
                    v = null;
                } else {
                    long[] parsed = wholeNumber(b, i, end);
                    if (parsed == null) {
                        return null;
                    }
                    v = parsed[0];
                }
                if (sent) {
                    sentAt = v;
                } else {
                    receivedAt = v;
                }
                i = end;
            } else if (is(b, nameStart, nameEnd, ATTACHMENTS) && b[i] == '[') {
                i = skipSpace(b, i + 1, n);
                if (i < n && b[i] == ']') {
                    i++;
                } else {
                    while (true) {
                        i = skipValue(b, i, n);
                        if (i < 0) {
                            return null;
                        }
                        attachments++;
                        i = skipSpace(b, i, n);
                        if (i < n && b[i] == ',') {
                            i = skipSpace(b, i + 1, n);
                        } else if (i < n && b[i] == ']') {
                            i++;
                            break;
                        } else {
                            return null;
                        }
                    }
                }
            } else {
                i = skipValue(b, i, n);
                if (i < 0) {
                    return null;
                }
            }
            i = skipSpace(b, i, n);
            if (i < n && b[i] == ',') {
                i = skipSpace(b, i + 1, n);
            } else if (i < n && b[i] == '}') {
                return skipSpace(b, i + 1, n) == n ? new LineCounts(sentAt, receivedAt, attachments) : null;
            } else {
                return null;
            }
        }
    }

    private static boolean is(byte[] b, int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(b, from, to, name, 0, name.length);
    }

    private static int skipSpace(byte[] b, int i, int n) {
        while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The end of a number, true, false or null starting at {@code i}. */
    private static int scalarEnd(byte[] b, int i, int n) {
        while (i < n && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n'
                && b[i] != '\r') {
            i++;
        }
        return i;
    }

    /** {value} of a JSON integer of at most 18 digits in {@code b[from, to)}, else null. */
    private static long[] wholeNumber(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        int i = negative ? from + 1 : from;
        if (i >= to || to - i > 18 || (b[i] == '0' && to - i > 1)) {
            return null;
        }
        long v = 0;
        for (; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return null;
            }
            v = v * 10 + (b[i] - '0');
        }
        return new long[] {negative ? -v : v};
    }

    /**
     * The index just past the JSON value starting at {@code i} (strings with their escapes, nested objects and
     * arrays by their brackets, anything else up to the next delimiter); -1 when the line ends inside it.
     */
    private static int skipValue(byte[] b, int i, int n) {
        if (i >= n) {
            return -1;
        }
        byte c = b[i];
        if (c == '"') {
            return stringEnd(b, i, n);
        }
        if (c != '{' && c != '[') {
            int end = scalarEnd(b, i, n);
            return end == i ? -1 : end;
        }
        int depth = 0;
        while (i < n) {
            c = b[i];
            if (c == '"') {
                i = stringEnd(b, i, n);
                if (i < 0) {
                    return -1;
                }
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }

    /** The index just past the string whose opening quote is at {@code i}; -1 when the line ends inside it. */
    private static int stringEnd(byte[] b, int i, int n) {
        for (i++; i < n; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    private static final byte[] ID_PREFIX = "{\"id\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** The message id of a canonical line: its first property. */
    private String idOf(byte[] buf, int start, int len) throws IOException {
        // Canonical lines begin {"id":"…"; an id without escapes is read straight from the bytes.
        if (len > ID_PREFIX.length && Arrays.equals(buf, start, start + ID_PREFIX.length, ID_PREFIX, 0, ID_PREFIX.length)) {
            int from = start + ID_PREFIX.length;
            for (int i = from; i < start + len; i++) {
                byte b = buf[i];
                if (b == '"') {
                    return new String(buf, from, i - from, java.nio.charset.StandardCharsets.UTF_8);
                }
                if (b == '\\') {
                    break;
                }
            }
        }
        try (JsonParser p = CanonicalJson.mapper().getFactory().createParser(buf, start, len)) {
            if (p.nextToken() == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME
                    && "id".equals(p.currentName()) && p.nextToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
        }
        throw new ArchiveFormatException(file, oldCount + 1, "is not a message line with an id first", null);
    }

    /** The archived message with this id, or null. */
    public Message archived(String id) throws IOException {
        Integer i = oldIndex.get(id);
        return i == null ? null : reader.readValue(oldLine(i));
    }

    private byte[] oldLine(int i) throws IOException {
        if (whole != null) {
            return Arrays.copyOfRange(whole, (int) offsets[i], (int) offsets[i] + lengths[i]);
        }
        ByteBuffer buf = ByteBuffer.allocate(lengths[i]);
        long pos = offsets[i];
        while (buf.hasRemaining()) {
            int n = old.read(buf, pos + buf.position());
            if (n < 0) {
                throw new ArchiveFormatException(file, i + 1, "changed while it was read", null);
            }
        }
        return buf.array();
    }

    /**
     * Merges the source's {@code now} (attachments already stored) with what is archived under its id, and writes
     * the result.
     */
    public Outcome put(Message now) throws IOException {
        Integer i = oldIndex.get(now.id());
        if (i != null && matched.get(i)) {
            i = null; // the source gives the id twice: keep both, as an export would
        }
        Message out;
        Outcome outcome;
        byte[] line;
        if (i == null) {
            out = MessageMerge.added(now, run);
            line = CanonicalJson.lineBytes(out);
            outcome = Outcome.ADDED;
            added++;
        } else {
            byte[] was = oldLine(i);
            Message old = reader.readValue(was);
            byte[] asIs = CanonicalJson.lineBytes(now.withArchive(old.archive()));
            if (Arrays.equals(was, asIs)) {
                // The source's message is the archived one (what the backup recorded aside): nothing to merge.
                out = old;
                line = was;
            } else {
                out = MessageMerge.merge(old, now, run);
                line = CanonicalJson.lineBytes(out);
            }
            outcome = Arrays.equals(was, line) ? Outcome.UNCHANGED : Outcome.UPDATED;
            if (outcome == Outcome.UNCHANGED) {
                unchanged++;
            } else {
                updated++;
            }
        }
        writeLine(i, out, line);
        return outcome;
    }

    /** Keeps the archived message {@code id} as it is (e.g. the source has it but the run leaves it out). */
    public boolean keep(String id) throws IOException {
        Integer i = oldIndex.get(id);
        if (i == null || matched.get(i)) {
            return false;
        }
        byte[] line = oldLine(i);
        writeLine(i, reader.readValue(line), line);
        unchanged++;
        return true;
    }

    private void writeLine(Integer oldLine, Message m, byte[] line) throws IOException {
        spoolLine(oldLine, line, 0, line.length);
        count(m);
    }

    /** Writes {@code line} as the next line of the merged file, the place of archived line {@code oldLine} if any. */
    private void spoolLine(Integer oldLine, byte[] b, int from, int len) throws IOException {
        if (oldLine != null) {
            matched.set(oldLine);
            spoolPosOfOld[oldLine] = spoolLines;
        }
        spool.write(b, from, len);
        spoolBytes += len;
        spoolLines++;
    }

    private void count(Message m) {
        count(m.attachments().size(), m.timelineAt());
    }

    private void count(int attachments, long at) {
        spoolAttachments += attachments;
        firstAt = firstAt == null ? at : Math.min(firstAt, at);
        lastAt = lastAt == null ? at : Math.max(lastAt, at);
    }

    /**
     * Puts back the archived messages the source did not give (marked gone), stages the file if it differs from
     * the archived one, and returns the conversation's entry.
     */
    public ConversationEntry finish() throws IOException {
        spool.flush();
        finished = true;
        List<int[]> goneAt = new ArrayList<>(); // {anchor spool line (-1: before the first), old line}
        int anchor = -1;
        for (int i = 0; i < oldCount; i++) {
            if (matched.get(i)) {
                anchor = spoolPosOfOld[i];
            } else {
                goneAt.add(new int[] {anchor, i});
            }
        }
        long messages = spoolLines;
        MessageDigest digest;
        long size;
        if (goneAt.isEmpty()) {
            spoolChannel.force(true);
            spoolChannel.close();
            update.moveStaged(spoolName, file);
            digest = spoolDigest;
            size = spoolBytes;
        } else {
            spoolChannel.close(); // a scratch file: the file made from it below is the one synced
            digest = ArchiveLayout.sha256();
            goneAt.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
            messages += goneAt.size();
            int next = 0;
            try (FileChannel ch = update.create(file);
                 OutputStream raw = new BufferedOutputStream(PrivateFiles.stream(ch), 1 << 16);
                 DigestOutputStream out = new DigestOutputStream(raw, digest);
                 InputStream in = Files.newInputStream(update.staged(spoolName))) {
                next = writeGone(goneAt, next, -1, out);
                // The spool's lines in large reads, each archived message put back right after its anchor line.
                byte[] buf = new byte[1 << 20];
                int p = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            out.write(buf, start, i + 1 - start);
                            start = i + 1;
                            next = writeGone(goneAt, next, p++, out);
                        }
                    }
                    out.write(buf, start, n - start);
                }
                if (p != spoolLines) {
                    throw new IOException("staged merge file ended early");
                }
                out.flush();
                ch.force(true);
            }
            update.discard(spoolName);
            size = Files.size(update.staged(file));
        }
        String sha = java.util.HexFormat.of().formatHex(digest.digest());
        if (old != null && size == oldSize && sha.equals(oldSha)) {
            update.discard(file);
        }
        return new ConversationEntry(conversation, file, messages, spoolAttachments, firstAt, lastAt);
    }

    private int writeGone(List<int[]> goneAt, int next, int anchor, OutputStream out) throws IOException {
        while (next < goneAt.size() && goneAt.get(next)[0] == anchor) {
            int i = goneAt.get(next)[1];
            byte[] was = oldLine(i);
            Message m = reader.readValue(was);
            Message marked = MessageMerge.gone(m, run);
            if (marked == m) {
                out.write(was);
                goneBefore++;
            } else {
                out.write(CanonicalJson.lineBytes(marked));
                goneNow++;
            }
            count(marked);
            next++;
        }
        return next;
    }

    /** True when the merge staged a new file for the conversation (it changed). */
    public boolean changed() {
        return update.isStaged(file);
    }

    /** The conversation file's path relative to the archive. */
    public String file() {
        return file;
    }

    /** Source messages new to the archive. */
    public long added() {
        return added;
    }

    /** Source messages whose archived line changed. */
    public long updated() {
        return updated;
    }

    /** Source messages archived as they are. */
    public long unchanged() {
        return unchanged;
    }

    /** Archived messages this run found gone from the source. */
    public long goneNow() {
        return goneNow;
    }

    /** Archived messages already marked gone by an earlier run. */
    public long goneBefore() {
        return goneBefore;
    }

    @Override
    public void close() throws IOException {
        spoolChannel.close();
        if (!finished) {
            update.discard(spoolName);
        }
        if (old != null) {
            old.close();
        }
    }
}
