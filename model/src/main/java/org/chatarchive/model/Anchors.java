package org.chatarchive.model;

import java.nio.charset.StandardCharsets;

/**
 * Names of the places a message can be linked to. One rule, shared by the HTML site (which puts the anchor on the
 * message's element) and by search (which prints links to it), so the two always agree.
 */
public final class Anchors {

    private Anchors() {
    }

    /**
     * The HTML anchor of a message: {@code m-} and the id with every character other than ASCII letters, digits
     * and {@code -} written as {@code _} and two hex digits per UTF-8 byte ({@code signal-msg:1a2b} becomes
     * {@code m-signal-msg_3a1a2b}). Stable, unique per id (the encoding can be undone), and valid in both
     * {@code id} attributes and URL fragments without escaping.
     */
    public static String htmlAnchor(String messageId) {
        StringBuilder b = new StringBuilder(messageId.length() + 8).append("m-");
        for (int i = 0; i < messageId.length(); i++) {
            char c = messageId.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
                b.append(c);
            } else {
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < messageId.length()) {
                    end++;
                }
                for (byte x : messageId.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    b.append('_').append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
                }
                i = end - 1;
            }
        }
        return b.toString();
    }
}
