package org.chatarchive.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.source.ChatSource;
import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceFingerprints;

/**
 * Which conversations a backup run can leave as they are: the source's fingerprints
 * ({@link SourceFingerprints}) against those the last run recorded in {@code archive.json}
 * ({@code extra.backup.fingerprints}, see docs/archive-format.md §12).
 *
 * <p>A conversation is left as it is (not read, not merged, its file not rewritten) only when the run's context
 * (the source's shared fingerprint, the program version and the options that shape messages) is the same as the
 * last run's and the conversation's fingerprint is too. A conversation the source no longer has, and whose messages
 * the last run already marked gone, is left as it is too. Everything else is read and merged as before.
 */
final class ChangeTracker {

    static final String CONTEXT = "context";
    static final String CONVERSATIONS = "conversations";
    private static final String FINGERPRINT = "fingerprint";
    private static final String ABSENT = "absent";
    private static final String GONE = "gone";
    private static final String EXPIRING = "expiring";
    /**
     * How a conversation found changed from the source's changed rows, without being fingerprinted, is recorded:
     * followed by the source state of the run ({@link SourceFingerprints#baseline()}).
     */
    static final String CHANGED = "changed:";

    /** What the last run recorded of a conversation that is left as it is. */
    record Kept(long gone, long expiring) {
    }

    private final String context;
    private final boolean sameContext;
    private final Map<String, String> now;
    private final Map<String, Object> before;
    private final Map<String, Object> next = new TreeMap<>();

    /** Conversations the source found changed without fingerprinting them: never kept as they are. */
    private final Set<String> changed;

    private ChangeTracker(String context, boolean sameContext, Map<String, String> now, Map<String, Object> before,
                          Set<String> changed) {
        this.context = context;
        this.sameContext = sameContext;
        this.now = now;
        this.before = before;
        this.changed = changed;
    }

    /**
     * @param last     {@code extra.backup.fingerprints} of the archive, or null
     * @param settings what else shapes the messages of this run (program version, options), as text
     */
    static ChangeTracker of(ChatSource source, Object last, String settings) throws SourceException {
        Map<String, Object> was = asMap(last);
        Map<String, Object> before = asMap(was.get(CONVERSATIONS));
        if (!(source instanceof SourceFingerprints f)) {
            return new ChangeTracker(null, false, Map.of(), before, Set.of());
        }
        String context;
        Map<String, String> now;
        try {
            context = sha256(f.contextFingerprint() + "\n" + settings);
            Set<String> changed = f.changedSinceBaseline();
            if (changed != null && f.baseline() != null) {
                // Found without fingerprinting: a changed conversation is recorded with a mark naming this run's
                // source state, unequal to any fingerprint; the others keep what the last run recorded.
                Map<String, String> recorded = fingerprintsOf(last);
                now = new HashMap<>();
                for (Conversation c : source.conversations()) {
                    String fp = recorded.get(c.id());
                    now.put(c.id(), changed.contains(c.id()) || fp == null ? CHANGED + f.baseline() : fp);
                }
                return new ChangeTracker(context, context.equals(was.get(CONTEXT)), now, before, changed);
            }
            now = f.conversationFingerprints();
        } catch (SourceException | RuntimeException e) {
            // Without fingerprints every conversation is read and merged, as before they existed.
            return new ChangeTracker(null, false, Map.of(), before, Set.of());
        }
        return new ChangeTracker(context, context.equals(was.get(CONTEXT)), now, before, Set.of());
    }

    /** Conversation id → fingerprint, as recorded by the last run ({@code extra.backup.fingerprints}, or null). */
    static Map<String, String> fingerprintsOf(Object last) {
        Map<String, String> out = new TreeMap<>();
        asMap(asMap(last).get(CONVERSATIONS)).forEach((id, e) -> {
            if (asMap(e).get(FINGERPRINT) instanceof String fp) {
                out.put(id, fp);
            }
        });
        return out;
    }

    /** Whether what is shared by every conversation (people, schema, settings) is as at the last run. */
    boolean sameContext() {
        return sameContext;
    }

    /** Whether {@link #unchanged} would keep conversation {@code id} (records nothing). */
    boolean wouldKeep(String id) {
        String fp = now.get(id);
        return sameContext && fp != null && !changed.contains(id) && fp.equals(asMap(before.get(id)).get(FINGERPRINT));
    }

    /** The last run's record of conversation {@code id} when the source says it has not changed since, else null. */
    Kept unchanged(String id) {
        if (!wouldKeep(id)) {
            return null;
        }
        Map<String, Object> b = asMap(before.get(id));
        Kept k = new Kept(number(b.get(GONE)), number(b.get(EXPIRING)));
        record(id, k.gone(), k.expiring());
        return k;
    }

    /** The last run's record of a conversation the source no longer has, when it already found it gone, else null. */
    Kept stillAbsent(String id) {
        Map<String, Object> b = asMap(before.get(id));
        if (!Boolean.TRUE.equals(b.get(ABSENT))) {
            return null;
        }
        Kept k = new Kept(number(b.get(GONE)), 0);
        recordAbsent(id, k.gone());
        return k;
    }

    /** Records a conversation this run merged: {@code gone} archived messages marked gone, {@code expiring} left out. */
    void record(String id, long gone, long expiring) {
        String fp = now.get(id);
        if (fp == null) {
            return;
        }
        Map<String, Object> e = new TreeMap<>();
        e.put(FINGERPRINT, fp);
        e.put(GONE, gone);
        e.put(EXPIRING, expiring);
        next.put(id, e);
    }

    /** Records a conversation the source no longer has (every message of it marked gone). */
    void recordAbsent(String id, long gone) {
        Map<String, Object> e = new TreeMap<>();
        e.put(ABSENT, true);
        e.put(GONE, gone);
        next.put(id, e);
    }

    /** What to record in {@code extra.backup.fingerprints}, or null when the source gives no fingerprints. */
    Map<String, Object> state() {
        if (context == null) {
            return null;
        }
        Map<String, Object> s = new TreeMap<>();
        s.put(CONTEXT, context);
        s.put(CONVERSATIONS, next);
        return s;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
