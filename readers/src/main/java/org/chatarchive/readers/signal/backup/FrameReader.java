package org.chatarchive.readers.signal.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import org.chatarchive.readers.signal.backup.proto.Backup;

/**
 * Reads a backup stream one frame at a time: {@link BackupInfo} first, then {@link Backup.Frame}s, either as
 * varint-delimited binary (the decrypted {@code main} of a local backup) or as proto3 JSON lines
 * ({@code main.jsonl} of a plaintext export). Frames are numbered from 1 (the BackupInfo is frame 0), the number a
 * person is told when a frame cannot be read.
 */
abstract class FrameReader implements AutoCloseable {

    /** A frame that could not be read, with its number. */
    static final class BadFrameException extends IOException {
        final long frameNumber;

        BadFrameException(long frameNumber, String what, Throwable cause) {
            super(what, cause);
            this.frameNumber = frameNumber;
        }
    }

    protected final InputStream in;
    protected final UnknownFields unknowns;
    protected long frameNumber;
    protected long position;
    protected long lastStart;

    FrameReader(InputStream in, UnknownFields unknowns) {
        this.in = in;
        this.unknowns = unknowns;
    }

    /** The header; call once, first. */
    abstract Backup.BackupInfo readInfo() throws IOException;

    /** The next frame, or null at the end. */
    abstract Backup.Frame next() throws IOException;

    /** The number of the frame last returned by {@link #next}. */
    long frameNumber() {
        return frameNumber;
    }

    /** Byte offset (in the plaintext stream) where the frame last returned starts. */
    long lastStart() {
        return lastStart;
    }

    /** Byte length of the frame last returned, including its line break or length prefix. */
    long lastLength() {
        return position - lastStart;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    // ------------------------------------------------------------------------------------------------ binary

    /** Varint-length-prefixed protobuf frames. */
    static final class Binary extends FrameReader {
        Binary(InputStream in, UnknownFields unknowns) {
            super(in, unknowns);
        }

        @Override
        Backup.BackupInfo readInfo() throws IOException {
            byte[] bytes = readDelimited();
            if (bytes == null) {
                throw new BadFrameException(0, "the stream is empty (no backup header)", null);
            }
            try {
                Backup.BackupInfo info = Backup.BackupInfo.parseFrom(bytes);
                unknowns.count("backupInfo", info);
                return info;
            } catch (InvalidProtocolBufferException e) {
                throw new BadFrameException(0, "the backup header is not readable (" + e.getMessage() + ")", e);
            }
        }

        @Override
        Backup.Frame next() throws IOException {
            lastStart = position;
            byte[] bytes = readDelimited();
            if (bytes == null) {
                return null;
            }
            frameNumber++;
            try {
                Backup.Frame f = Backup.Frame.parseFrom(bytes);
                unknowns.count("frame", f);
                return f;
            } catch (InvalidProtocolBufferException e) {
                throw new BadFrameException(frameNumber, e.getMessage(), e);
            }
        }

        /** One length-prefixed record, or null at a clean end (end of stream, or a zero length). */
        private byte[] readDelimited() throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            position++;
            int length;
            try {
                length = CodedInputStream.readRawVarint32(first, in);
            } catch (InvalidProtocolBufferException e) {
                throw new BadFrameException(frameNumber + 1, "the stream ends inside a frame's length", e);
            }
            position += varintSize(length) - 1;
            if (length == 0) {
                return null;
            }
            if (length < 0) {
                throw new BadFrameException(frameNumber + 1, "a frame has an impossible length", null);
            }
            byte[] bytes = in.readNBytes(length);
            position += bytes.length;
            if (bytes.length != length) {
                throw new BadFrameException(frameNumber + 1, "the stream ends inside the frame (" + bytes.length
                        + " of " + length + " bytes)", null);
            }
            return bytes;
        }

        private static int varintSize(int v) {
            return CodedInputStreamSizes.varint(v);
        }
    }

    /** Sizes of varints, kept apart so that the reader above stays about reading. */
    static final class CodedInputStreamSizes {
        private CodedInputStreamSizes() {
        }

        static int varint(int v) {
            return com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(v);
        }
    }

    // ------------------------------------------------------------------------------------------------ JSON lines

    /** Proto3 JSON, one object a line (BackupInfo, then Frames), as libsignal's exporter writes main.jsonl. */
    static final class JsonLines extends FrameReader {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);

        JsonLines(InputStream in, UnknownFields unknowns) {
            super(in, unknowns);
        }

        @Override
        Backup.BackupInfo readInfo() throws IOException {
            String text = readLine();
            while (text != null && text.isBlank()) {
                text = readLine();
            }
            if (text == null) {
                throw new BadFrameException(0, "the file is empty (no backup header on line 1)", null);
            }
            Backup.BackupInfo.Builder b = Backup.BackupInfo.newBuilder();
            try {
                unknowns.mergeJson("backupInfo", text.replace("\uFEFF", ""), b);
            } catch (IOException e) {
                throw new BadFrameException(0, "line 1 is not a backup header (" + e.getMessage() + ")", e);
            }
            return b.build();
        }

        @Override
        Backup.Frame next() throws IOException {
            String text;
            do {
                lastStart = position;
                text = readLine();
                if (text == null) {
                    return null;
                }
            } while (text.isBlank());
            frameNumber++;
            Backup.Frame.Builder b = Backup.Frame.newBuilder();
            try {
                unknowns.mergeJson("frame", text, b);
            } catch (IOException e) {
                throw new BadFrameException(frameNumber, e.getMessage(), e);
            }
            return b.build();
        }

        /** Parses one line read by random access (an offset recorded in the first pass). */
        static Backup.Frame parse(String text) throws IOException {
            Backup.Frame.Builder b = Backup.Frame.newBuilder();
            UnknownFields.lenientParser().merge(text, b);
            return b.build();
        }

        private String readLine() throws IOException {
            line.reset();
            int c;
            boolean any = false;
            while ((c = in.read()) >= 0) {
                position++;
                any = true;
                if (c == '\n') {
                    break;
                }
                line.write(c);
            }
            if (!any) {
                return null;
            }
            String s = line.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
