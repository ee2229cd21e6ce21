package org.chatarchive.readers.telegram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.chatarchive.model.Participant;

/**
 * Everyone seen in an export, keyed by {@code telegram:<peer>}, where {@code <peer>} is the export's string id
 * ({@code user123}, {@code channel456}, {@code chat789}). Integer ids from exports before 2021 carry no peer type;
 * they are read as users ({@code user<id>}), which is what they are for every sender and actor in such exports.
 */
final class Participants {

    static final String PREFIX = "telegram:";

    private final Map<String, String> names = new LinkedHashMap<>();
    private String ownerId;
    private String ownerName;
    private String ownerPhone;
    private String ownerUsername;
    private String ownerBio;

    /** {@code user123} for {@code 123}, the string itself for {@code "user123"}, null for null. */
    static String normalizePeer(JsonNode id) {
        if (id == null || id.isNull() || id.isMissingNode()) {
            return null;
        }
        if (id.isIntegralNumber()) {
            return "user" + id.asText();
        }
        String s = id.asText().trim();
        if (s.isEmpty()) {
            return null;
        }
        return s.chars().allMatch(Character::isDigit) ? "user" + s : s;
    }

    /** The participant id for a peer id node, or null. */
    static String idOf(JsonNode id) {
        String peer = normalizePeer(id);
        return peer == null ? null : PREFIX + peer;
    }

    /** Records that {@code id} appeared with display name {@code name}; returns the participant id. */
    String note(JsonNode id, JsonNode name) {
        String pid = idOf(id);
        if (pid == null) {
            return null;
        }
        String n = name == null || name.isNull() ? null : name.asText();
        if (n != null && !n.isBlank()) {
            names.put(pid, n);
        } else {
            names.putIfAbsent(pid, null);
        }
        return pid;
    }

    void setOwner(String id, String name, String phone, String username, String bio) {
        ownerId = id;
        ownerName = name;
        ownerPhone = phone;
        ownerUsername = username;
        ownerBio = bio;
        names.putIfAbsent(id, null);
    }

    /** The participant whose display name is exactly {@code name}, when exactly one has it. */
    String byName(String name) {
        if (name == null) {
            return null;
        }
        String found = null;
        for (Map.Entry<String, String> e : names.entrySet()) {
            String display = e.getKey().equals(ownerId) && ownerName != null ? ownerName : e.getValue();
            if (name.equals(display) || name.equals(e.getValue())) {
                if (found != null && !found.equals(e.getKey())) {
                    return null;
                }
                found = e.getKey();
            }
        }
        return found;
    }

    /** The participant whose username is {@code username} (with or without '@'), when known. */
    String byUsername(String username) {
        if (username == null || ownerUsername == null) {
            return null;
        }
        String a = username.startsWith("@") ? username.substring(1) : username;
        String b = ownerUsername.startsWith("@") ? ownerUsername.substring(1) : ownerUsername;
        return a.equalsIgnoreCase(b) ? ownerId : null;
    }

    Participant get(String pid) {
        if (!names.containsKey(pid)) {
            return null;
        }
        return build(pid);
    }

    /** Everyone, owner first, then in order of first appearance in the file. */
    List<Participant> all() {
        List<Participant> out = new ArrayList<>();
        if (ownerId != null) {
            out.add(build(ownerId));
        }
        for (String pid : names.keySet()) {
            if (!pid.equals(ownerId)) {
                out.add(build(pid));
            }
        }
        return List.copyOf(out);
    }

    private Participant build(String pid) {
        boolean owner = pid.equals(ownerId);
        String seen = names.get(pid);
        String display = owner && ownerName != null ? ownerName : seen;
        String source = owner && ownerName != null ? "profile" : seen != null ? "export-name" : "id";
        Map<String, Object> extra = new LinkedHashMap<>();
        String peer = pid.substring(PREFIX.length());
        extra.put("peerId", peer);
        if (display == null) {
            display = (owner && ownerUsername != null) ? ownerUsername
                    : peer.startsWith("user") ? "Deleted account (" + peer + ")" : peer;
            extra.put("nameMissing", true);
        }
        if (owner && ownerBio != null && !ownerBio.isBlank()) {
            extra.put("bio", ownerBio);
        }
        String phone = owner ? blankToNull(ownerPhone) : null;
        String username = owner ? blankToNull(ownerUsername) : null;
        return new Participant(pid, display, source, phone, username, owner, extra);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
