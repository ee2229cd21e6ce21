package org.chatarchive.renderers.html;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.chatarchive.model.Participant;

/** Participants by id: display names, a stable colour each, and initials for avatars. */
final class People {

    /** Number of name colours in the stylesheet ({@code .p0} to {@code .p11}). */
    static final int COLOURS = 12;

    private final Map<String, Participant> byId = new HashMap<>();
    private final String ownerId;

    People(List<Participant> participants, String ownerId) {
        for (Participant p : participants) {
            byId.putIfAbsent(p.id(), p);
        }
        String owner = ownerId;
        if (owner == null) {
            owner = participants.stream().filter(Participant::owner).map(Participant::id).findFirst().orElse(null);
        }
        this.ownerId = owner;
    }

    /** The archive owner's id, if known. */
    String ownerId() {
        return ownerId;
    }

    /** The name to show for {@code id}: its display name, else its phone or username, else "Unknown". */
    String name(String id) {
        if (id == null) {
            return "Unknown";
        }
        Participant p = byId.get(id);
        if (p == null) {
            return "Unknown";
        }
        if (p.displayName() != null && !p.displayName().isBlank()) {
            return p.displayName();
        }
        if (p.phone() != null) {
            return p.phone();
        }
        return p.username() != null ? p.username() : "Unknown";
    }

    /** "You" for the owner, else the name: how a chat app words who did something. */
    String nameOrYou(String id) {
        return id != null && id.equals(ownerId) ? "You" : name(id);
    }

    /** The colour class ({@code p0}..{@code p11}) of an id: the same person always gets the same colour. */
    static String colour(String id) {
        if (id == null) {
            return "p0";
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return "p" + Math.floorMod(h ^ (h >>> 32), COLOURS);
    }

    /** Up to two initials of a name for a round avatar; "#" when the name has no letter (e.g. a phone number). */
    static String initials(String name) {
        if (name == null) {
            return "#";
        }
        StringBuilder b = new StringBuilder(2);
        boolean atWordStart = true;
        for (int i = 0; i < name.length() && b.length() < 4; ) {
            int cp = name.codePointAt(i);
            if (Character.isLetter(cp)) {
                if (atWordStart) {
                    b.appendCodePoint(Character.toUpperCase(cp));
                    if (b.codePointCount(0, b.length()) == 2) {
                        break;
                    }
                }
                atWordStart = false;
            } else if (Character.isWhitespace(cp) || cp == '-') {
                atWordStart = true;
            }
            i += Character.charCount(cp);
        }
        return b.length() == 0 ? "#" : b.toString();
    }
}
