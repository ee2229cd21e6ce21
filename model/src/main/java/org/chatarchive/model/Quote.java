package org.chatarchive.model;

import java.util.List;

/**
 * A reply's reference to an earlier message, with the snapshot the replier saw.
 *
 * @param messageId                 id of the quoted message in this archive, when it was found
 * @param sentAt                    the quoted message's sent instant (UTC epoch ms), the source's reference
 * @param authorId                  participant id of the quoted message's author
 * @param text                      the quoted text as the replier saw it
 * @param ranges                    styles and mentions in {@code text}
 * @param attachments               the quoted attachments (descriptions, usually without bytes)
 * @param referencedMessageNotFound whether the source says the quoted message was not found
 */
public record Quote(
        String messageId,
        Long sentAt,
        String authorId,
        String text,
        List<BodyRange> ranges,
        List<Attachment> attachments,
        boolean referencedMessageNotFound) {

    public Quote {
        ranges = Values.list(ranges);
        attachments = Values.list(attachments);
    }
}
