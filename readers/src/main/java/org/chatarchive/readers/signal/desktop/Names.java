package org.chatarchive.readers.signal.desktop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Chooses the name Signal Desktop would show for a contact, and says which rule chose it.
 *
 * <p>Order, as in the app: the nickname the owner set, the system-contact name, the profile name the contact
 * set, the phone number, the username. Signal wraps some names in Unicode isolates (U+2068 ... U+2069); one
 * enclosing pair is removed.
 */
final class Names {

    /** A chosen name and the rule that chose it. */
    record Chosen(String name, String rule) {
    }

    private Names() {
    }

    static Chosen forContact(JsonNode c) {
        String nickname = join(text(c, "nicknameGivenName"), text(c, "nicknameFamilyName"));
        if (nickname != null) {
            return new Chosen(nickname, "nickname");
        }
        String system = text(c, "name");
        if (system == null) {
            system = join(text(c, "systemGivenName"), text(c, "systemFamilyName"));
        }
        if (system != null) {
            return new Chosen(system, "system-contact");
        }
        String profile = text(c, "profileFullName");
        if (profile == null) {
            profile = join(text(c, "profileName"), text(c, "profileFamilyName"));
        }
        if (profile != null) {
            return new Chosen(profile, "profile");
        }
        String phone = text(c, "e164");
        if (phone != null) {
            return new Chosen(phone, "phone");
        }
        String username = text(c, "username");
        if (username != null) {
            return new Chosen(username, "username");
        }
        return new Chosen("Unknown contact", "unknown");
    }

    /** The text of a field, isolates stripped and blanks treated as absent. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.isTextual() ? v.asText() : v.toString();
        s = stripIsolates(s).strip();
        return s.isEmpty() ? null : s;
    }

    static String stripIsolates(String s) {
        if (s.length() >= 2 && s.charAt(0) == '\u2068' && s.charAt(s.length() - 1) == '\u2069') {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + " " + b;
    }
}
