package org.chatarchive.renderers.pdf;

import java.util.Objects;

/**
 * Bates numbering: prefix + zero-padded counter + suffix, one number per page, sequential across every PDF of
 * one export.
 *
 * @param prefix text before the number, e.g. {@code ABC}
 * @param start  the first page's number (0 or more)
 * @param digits minimum digits (zero-padded), 1 to 15
 * @param suffix text after the number, or empty
 */
public record BatesOptions(String prefix, long start, int digits, String suffix) {

    public BatesOptions {
        prefix = Objects.requireNonNullElse(prefix, "");
        suffix = Objects.requireNonNullElse(suffix, "");
        if (start < 0) {
            throw new IllegalArgumentException("--bates-start must be 0 or more, not " + start);
        }
        if (digits < 1 || digits > 15) {
            throw new IllegalArgumentException("--bates-digits must be 1 to 15, not " + digits);
        }
    }

    /** The Bates number of page counter {@code n}, e.g. {@code ABC000001}. */
    public String format(long n) {
        String num = Long.toString(n);
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = num.length(); i < digits; i++) {
            sb.append('0');
        }
        return sb.append(num).append(suffix).toString();
    }
}
