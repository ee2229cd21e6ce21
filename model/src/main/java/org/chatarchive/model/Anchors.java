package org.chatarchive.model;

/**
 * Names of the places a message can be linked to. One rule, shared by the HTML site (which puts the anchor on the
 * message's element) and by search (which prints links to it), so the two always agree.
 */
public final class Anchors {

    private Anchors() {
    }

    /**
     * The HTML anchor of a message: {@code "m-"} + the message id with every character outside
     * {@code [A-Za-z0-9_-]} replaced by {@code _}. Example: {@code signal-msg:0f1e…} gives {@code m-signal-msg_0f1e…}.
     * The result is a valid HTML id and URL fragment without escaping. Ids are {@code <scope>:<value>} with
     * URL-safe values, so in practice only the colon is replaced and distinct ids give distinct anchors.
     */
    public static String htmlAnchor(String messageId) {
        StringBuilder b = new StringBuilder(messageId.length() + 2).append("m-");
        for (int i = 0; i < messageId.length(); i++) {
            char c = messageId.charAt(i);
            boolean safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            b.append(safe ? c : '_');
        }
        return b.toString();
    }
}
