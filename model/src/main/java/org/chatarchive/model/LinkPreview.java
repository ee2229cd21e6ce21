package org.chatarchive.model;

/**
 * A link preview card attached to a message.
 *
 * @param url         the link
 * @param title       the page title
 * @param description the page description
 * @param date        the page's date (UTC epoch ms), if given
 * @param image       the preview image
 */
public record LinkPreview(String url, String title, String description, Long date, Attachment image) {
}
