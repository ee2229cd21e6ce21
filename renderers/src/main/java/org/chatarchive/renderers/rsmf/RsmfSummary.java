package org.chatarchive.renderers.rsmf;

import java.util.List;

/**
 * What an RSMF run wrote.
 *
 * @param files       every file, in the order written (conversation order, then time)
 * @param events      events in all files
 * @param attachments attachment references in all files
 * @param warnings    things the files lack or show differently (missing attachment bytes, events without time),
 *                    each also in the custody log
 */
public record RsmfSummary(List<RsmfFileInfo> files, long events, long attachments, long warnings) {
}
