package org.chatarchive.model;

/**
 * A styled or mentioning span of a message body.
 *
 * <p>Offsets are in UTF-16 code units (Java {@code String} indexes), the unit Signal uses.
 *
 * @param start     first UTF-16 code unit covered
 * @param length    number of UTF-16 code units covered
 * @param style     the style, or {@link RangeStyle#MENTION}
 * @param mentionId for a mention, the mentioned participant's id
 */
public record BodyRange(int start, int length, RangeStyle style, String mentionId) {
}
