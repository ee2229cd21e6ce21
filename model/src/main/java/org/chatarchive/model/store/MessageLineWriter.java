package org.chatarchive.model.store;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.util.ClassUtil;

import org.chatarchive.model.Message;

/**
 * Writes messages to one stream as canonical JSON lines, the same bytes as {@link CanonicalJson#line(OutputStream,
 * Object)} per message, through one generator kept for the whole stream.
 *
 * <p>A generator per message (what {@link CanonicalJson#line(OutputStream, Object)} must do, not knowing the
 * stream) costs a context, buffers from the recycler and a copy into the stream for every line; for a
 * conversation's thousands of short lines that is a noticeable share of the encoding. The kept generator writes
 * no separator between root values and ends each line with {@code \n} itself, so the bytes do not change.
 *
 * <p>One instance per stream, used by one thread at a time (as a {@link ConversationWriter} is). After a failed
 * message the generator is closed as databind closes its own on failure (what was written of that message goes
 * to the stream) and the next message starts a new one, so failures leave the same bytes as before too.
 */
final class MessageLineWriter {

    private final OutputStream out;
    private JsonGenerator generator;

    MessageLineWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code message} as one line ending in {@code \n}; it may stay buffered until {@link #flush()}. */
    void write(Message message) throws IOException {
        if (!MessageEncoder.ACTIVE) {
            CanonicalJson.line(out, message);
            return;
        }
        JsonGenerator g = generator;
        if (g == null) {
            g = CanonicalJson.lineGenerator(out);
            g.setRootValueSeparator(null); // lines are separated by the '\n' written below, as line() writes it
            generator = g;
        }
        try {
            MessageEncoder.write(g, message);
        } catch (Exception e) {
            generator = null;
            ClassUtil.closeOnFailAndThrowAsIOE(g, e);
            return;
        }
        g.writeRaw('\n');
    }

    /** Hands everything written so far to the stream, and gives the generator's buffers back; the stream is not flushed. */
    void flush() throws IOException {
        JsonGenerator g = generator;
        if (g != null) {
            generator = null;
            g.close(); // the stream is neither closed nor flushed: the canonical line writer disables both
        }
    }
}
