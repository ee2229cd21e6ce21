package org.chatarchive.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.chatarchive.model.ArchiveInfo;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Participant;

/**
 * The names in an archive, read from its {@code archive.json} and {@code participants.json} when searching: the
 * {@code from:} and {@code in:} filters match names here and filter on the ids they find, so a renamed contact is
 * found by the new name without reindexing.
 */
final class ArchiveNames {

    private final Map<String, Participant> people = new LinkedHashMap<>();
    private final Map<String, ConversationEntry> conversations = new LinkedHashMap<>();
    private final Set<String> owners = new LinkedHashSet<>();

    ArchiveNames(ArchiveInfo info, List<Participant> participants) {
        for (Participant p : participants) {
            people.put(p.id(), p);
            if (p.owner()) {
                owners.add(p.id());
            }
        }
        if (info.ownerId() != null) {
            owners.add(info.ownerId());
        }
        for (ConversationEntry e : info.conversations()) {
            conversations.put(e.conversation().id(), e);
        }
    }

    /** The participant with this id, or null. */
    Participant person(String id) {
        return id == null ? null : people.get(id);
    }

    /** The name to show for a participant id: display name, else phone, else username, else the id. */
    String personName(String id) {
        Participant p = person(id);
        if (p == null) {
            return id;
        }
        for (String s : new String[] {p.displayName(), p.phone(), p.username()}) {
            if (s != null && !s.isBlank()) {
                return s;
            }
        }
        return id;
    }

    /** The conversation entry with this id, or null. */
    ConversationEntry conversation(String id) {
        return conversations.get(id);
    }

    /** The title to show for a conversation. */
    String conversationTitle(String id) {
        ConversationEntry e = conversations.get(id);
        if (e == null || e.conversation().title() == null || e.conversation().title().isBlank()) {
            return id;
        }
        return e.conversation().title();
    }

    /** The archive owner's ids. */
    Set<String> owners() {
        return owners;
    }

    /**
     * Participants a {@code from:} value names: the exact id; or a display name or username containing it (case and
     * accents ignored); or, when it is a phone number (3 digits or more), a phone number containing its digits.
     */
    Set<String> peopleMatching(String name) {
        Set<String> ids = new LinkedHashSet<>();
        String folded = ChatAnalyzer.fold(name.strip());
        String user = folded.startsWith("@") ? folded.substring(1) : folded;
        String digits = name.matches("[+\\d\\s().-]+") ? name.replaceAll("\\D", "") : "";
        for (Participant p : people.values()) {
            if (p.id().equals(name)
                    || contains(p.displayName(), folded)
                    || contains(p.username(), user)
                    || (digits.length() >= 3 && p.phone() != null && p.phone().replaceAll("\\D", "").contains(digits))) {
                ids.add(p.id());
            }
        }
        return ids;
    }

    /**
     * Conversations an {@code in:} value names: the exact id; a title containing it (case and accents ignored); or
     * a direct chat with a participant {@link #peopleMatching} it (other than the owner).
     */
    Set<String> conversationsMatching(String name) {
        Set<String> ids = new LinkedHashSet<>();
        String folded = ChatAnalyzer.fold(name.strip());
        List<String> people = new ArrayList<>(peopleMatching(name));
        people.removeAll(owners);
        for (ConversationEntry e : conversations.values()) {
            var c = e.conversation();
            if (c.id().equals(name) || contains(c.title(), folded)
                    || (c.kind() == ConversationKind.DIRECT && c.participantIds().stream().anyMatch(people::contains))) {
                ids.add(c.id());
            }
        }
        return ids;
    }

    private static boolean contains(String haystack, String foldedNeedle) {
        return haystack != null && !foldedNeedle.isEmpty() && ChatAnalyzer.fold(haystack).contains(foldedNeedle);
    }
}
