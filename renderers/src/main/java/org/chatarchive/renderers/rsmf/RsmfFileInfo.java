package org.chatarchive.renderers.rsmf;

/**
 * One RSMF file written.
 *
 * @param path           relative to the archive (or production) folder, with '/' separators
 * @param conversationId the conversation it holds a slice of
 * @param slice          the day (in the slicing zone), with {@code -partN} for later parts
 * @param events         events in it
 * @param attachments    attachment references in it
 * @param begin          the earliest event time, RFC 3339 UTC
 * @param end            the latest event time, RFC 3339 UTC
 * @param sha256         SHA-256 of the file
 * @param md5            MD5 of the file
 * @param size           bytes
 * @param subject        its Subject header (conversation name and day)
 * @param participants   its participants' display names, in manifest order
 */
public record RsmfFileInfo(String path, String conversationId, String slice, long events, long attachments,
                           String begin, String end, String sha256, String md5, long size, String subject,
                           java.util.List<String> participants) {
}
