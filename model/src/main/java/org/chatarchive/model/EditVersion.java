package org.chatarchive.model;

import java.util.List;

/**
 * An earlier version of an edited message. The message itself holds the current version.
 *
 * @param sentAt      when this version was sent (UTC epoch ms)
 * @param receivedAt  when this version was received (UTC epoch ms), if known
 * @param body        the text of this version
 * @param ranges      styles and mentions in {@code body}
 * @param attachments attachments of this version
 */
public record EditVersion(
        Long sentAt,
        Long receivedAt,
        String body,
        List<BodyRange> ranges,
        List<Attachment> attachments) {

    public EditVersion {
        ranges = Values.list(ranges);
        attachments = Values.list(attachments);
    }
}
