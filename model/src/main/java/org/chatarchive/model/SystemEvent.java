package org.chatarchive.model;

import java.util.List;
import java.util.Map;

/**
 * A typed system event: a call, a group change, a timer change, a safety-number change, ...
 *
 * @param type         what happened
 * @param actorId      participant who caused it, if known
 * @param targetIds    participants it was about (members added, contact whose key changed, ...)
 * @param text         a plain-language description
 * @param call         details when {@code type} is {@link EventType#CALL}
 * @param timerSeconds the new timer when {@code type} is {@link EventType#TIMER_CHANGE} (0 = off)
 * @param details      the source's own data for this event, kept so nothing is lost
 */
public record SystemEvent(
        EventType type,
        String actorId,
        List<String> targetIds,
        String text,
        CallInfo call,
        Integer timerSeconds,
        Map<String, Object> details) {

    public SystemEvent {
        targetIds = Values.list(targetIds);
        details = Values.map(details);
    }
}
