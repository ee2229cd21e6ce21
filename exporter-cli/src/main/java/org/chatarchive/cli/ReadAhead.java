package org.chatarchive.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.Message;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.readers.signal.desktop.SignalDesktopReader;

/**
 * Reads a source's messages on a second thread, conversation after conversation, while the caller copies
 * attachments, encodes and writes the ones read before: the export uses two cores instead of one. Messages are
 * handed over in small batches through a bounded queue, so at most a few thousand are in memory at once, and
 * the caller sees them in exactly the order the source gives them.
 *
 * <p>Only for sources whose attachments may be opened while their messages are being read (see
 * {@link #of}); for the others every call reads on the caller's thread, as the source itself would.
 */
final class ReadAhead implements AutoCloseable {

    private static final int BATCH = 256;
    private static final int BATCHES_IN_FLIGHT = 16;
    private static final Object END = new Object();

    /** A failure of the reading thread, to be thrown on the caller's. */
    private record Failure(Throwable error) {
    }

    /** Unwinds the reading thread when the caller has stopped. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private final ChatSource source;
    private final List<Conversation> order;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean stopped;
    private int next;

    private ReadAhead(ChatSource source, List<Conversation> order, boolean ahead) {
        this.source = source;
        this.order = List.copyOf(order);
        if (ahead) {
            this.queue = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
            this.thread = new Thread(this::readAll, "chat-archive-reader");
            thread.setDaemon(true);
            thread.start();
        } else {
            this.queue = null;
            this.thread = null;
        }
    }

    /**
     * Messages of {@code order}'s conversations, to be asked for in that order. Read ahead on a second thread for
     * a Signal Desktop database (its reader and its attachment files share nothing but the SQLite connection,
     * which serializes its own use), on the caller's thread for every other source. A Signal Desktop reader is
     * told which conversations are to be read ({@link SignalDesktopReader#willRead}).
     */
    static ReadAhead of(ChatSource source, List<Conversation> order) {
        if (source instanceof SignalDesktopReader signal) {
            signal.willRead(order); // before the reading thread starts
        }
        return new ReadAhead(source, order, source instanceof SignalDesktopReader);
    }

    /** Gives {@code conversation}'s messages to {@code sink}, as {@link ChatSource#messages} would. */
    void messages(Conversation conversation, Consumer<Message> sink) throws SourceException {
        if (next >= order.size() || !order.get(next).id().equals(conversation.id())) {
            throw new IllegalStateException("conversation " + conversation.id() + " asked for out of order");
        }
        next++;
        if (thread == null) {
            source.messages(conversation, sink);
            return;
        }
        while (true) {
            Object item = take();
            if (item == END) {
                return;
            }
            if (item instanceof Failure f) {
                if (f.error() instanceof SourceException e) {
                    throw e;
                }
                if (f.error() instanceof RuntimeException e) {
                    throw e;
                }
                throw (Error) f.error();
            }
            @SuppressWarnings("unchecked")
            List<Message> batch = (List<Message>) item;
            for (Message m : batch) {
                sink.accept(m);
            }
        }
    }

    private void readAll() {
        try {
            for (Conversation c : order) {
                List<List<Message>> pending = new ArrayList<>(1);
                pending.add(new ArrayList<>(BATCH));
                source.messages(c, m -> {
                    List<Message> batch = pending.get(0);
                    batch.add(m);
                    if (batch.size() == BATCH) {
                        put(batch);
                        pending.set(0, new ArrayList<>(BATCH));
                    }
                });
                if (!pending.get(0).isEmpty()) {
                    put(pending.get(0));
                }
                put(END);
            }
        } catch (Stopped s) {
            // the caller is gone; nobody reads the rest
        } catch (SourceException | RuntimeException | Error e) {
            try {
                put(new Failure(e));
            } catch (Stopped s) {
                // the caller is gone
            }
        }
    }

    private void put(Object item) {
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (stopped) {
                    throw new Stopped();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
        if (stopped) {
            throw new Stopped();
        }
    }

    private Object take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for messages", e);
        }
    }

    /** Stops the reading thread and waits for it, so that the source can be closed safely after this. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        stopped = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            queue.clear();
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
