package org.chatarchive.model;

/**
 * Details of a call event.
 *
 * @param media      {@code audio}, {@code video}, {@code group} or {@code adhoc}
 * @param direction  incoming or outgoing, from the owner's side
 * @param status     the source's status word (e.g. {@code accepted}, {@code missed}, {@code declined})
 * @param startedAt  when the call started (UTC epoch ms)
 * @param durationMs how long it lasted, if known
 */
public record CallInfo(String media, Direction direction, String status, Long startedAt, Long durationMs) {
}
