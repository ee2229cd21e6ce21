package org.chatarchive.model.store;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.chatarchive.model.EditVersion;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageArchive;
import org.chatarchive.model.MessageRevision;

/**
 * How a backup run combines the archived state of a message with the source's current one, so that nothing the
 * source has forgotten is lost:
 *
 * <ul>
 *   <li>the current state is the source's;</li>
 *   <li>edit versions are the union of both, each version (same sent time, received time and body) once, oldest
 *       first;</li>
 *   <li>any other property that changed (reactions, read state and receipts, a deletion for everyone that emptied
 *       the body, an attachment the app has since dropped, ...) gets a {@link MessageRevision} holding its earlier
 *       value; a body change that the edit history already holds is not repeated there;</li>
 *   <li>a message the source no longer has is kept as archived and marked gone ({@link #gone}).</li>
 * </ul>
 *
 * Properties are compared by their canonical JSON form, so only what would be written counts.
 */
public final class MessageMerge {

    /** Properties that identify a message or are merged otherwise, so never recorded as a revision. */
    private static final Set<String> NOT_REVISED = Set.of("id", "conversationId", "edits", "archive");
    private static final RecordComponent[] COMPONENTS = Message.class.getRecordComponents();

    private MessageMerge() {
    }

    /** A message first archived by run {@code run}. */
    public static Message added(Message now, int run) {
        return now.withArchive(new MessageArchive(run, null, null, null));
    }

    /** {@code old} marked as gone from the source in run {@code run}; unchanged if it was already. */
    public static Message gone(Message old, int run) {
        MessageArchive a = old.archive();
        if (a != null && a.gone()) {
            return old;
        }
        return old.withArchive(new MessageArchive(a == null ? null : a.firstSeenRun(), run - 1, run,
                a == null ? null : a.revisions()));
    }

    /** The archived {@code old} brought up to the source's {@code now} in run {@code run}. */
    public static Message merge(Message old, Message now, int run) {
        List<EditVersion> edits = unionEdits(old.edits(), now.edits());
        Message current = new Message(now.id(), now.conversationId(), now.senderId(), now.direction(), now.sentAt(),
                now.receivedAt(), now.serverAt(), now.body(), now.ranges(), now.attachments(), now.quote(),
                now.reactions(), edits, now.receipts(), now.flags(), now.previews(), now.sticker(), now.contacts(),
                now.poll(), now.event(), now.extra(), null);
        Object[] previous = new Object[COMPONENTS.length];
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < COMPONENTS.length; i++) {
            RecordComponent c = COMPONENTS[i];
            Object was = get(c, old);
            if (Set.of("id", "conversationId", "direction").contains(c.getName())) {
                previous[i] = was;
            }
            if (NOT_REVISED.contains(c.getName())) {
                continue;
            }
            if (!tree(was).equals(tree(get(c, current)))) {
                fields.add(c.getName());
                previous[i] = was;
            }
        }
        if (fields.contains("body") && inEdits(old, edits)) {
            fields.remove("body");
            fields.remove("ranges");
            previous[index("body")] = null;
            previous[index("ranges")] = null;
        }
        MessageArchive a = old.archive();
        List<MessageRevision> revisions = new ArrayList<>(a == null ? List.of() : a.revisions());
        if (!fields.isEmpty()) {
            revisions.add(new MessageRevision(run, fields, construct(previous)));
        }
        Integer first = a == null ? null : a.firstSeenRun();
        MessageArchive merged = first == null && revisions.isEmpty() ? null
                : new MessageArchive(first, null, null, revisions);
        return current.withArchive(merged);
    }

    private static boolean inEdits(Message old, List<EditVersion> edits) {
        for (EditVersion v : edits) {
            if (Objects.equals(v.body(), old.body()) && tree(v.ranges()).equals(tree(old.ranges()))) {
                return true;
            }
        }
        return false;
    }

    /** Both lists' versions, each once (keyed by sent time, received time, body; the newer list's copy wins), oldest first. */
    static List<EditVersion> unionEdits(List<EditVersion> old, List<EditVersion> now) {
        if (old.isEmpty()) {
            return now;
        }
        Map<List<Object>, EditVersion> byKey = new LinkedHashMap<>();
        for (EditVersion v : old) {
            byKey.put(key(v), v);
        }
        for (EditVersion v : now) {
            byKey.put(key(v), v);
        }
        List<EditVersion> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing(EditVersion::sentAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    private static List<Object> key(EditVersion v) {
        return java.util.Arrays.asList(v.sentAt(), v.receivedAt(), v.body());
    }

    private static JsonNode tree(Object value) {
        return CanonicalJson.mapper().valueToTree(value);
    }

    private static Object get(RecordComponent c, Message m) {
        try {
            return c.getAccessor().invoke(m);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int index(String name) {
        for (int i = 0; i < COMPONENTS.length; i++) {
            if (COMPONENTS[i].getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static Message construct(Object[] args) {
        try {
            Class<?>[] types = java.util.Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new);
            return Message.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
