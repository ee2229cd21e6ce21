package org.chatarchive.model;

/**
 * Lifetime and visibility flags of a message.
 *
 * @param viewOnce            sent as view-once
 * @param erased              view-once content already erased after viewing
 * @param expireTimerSeconds  disappearing-message timer, in seconds, if set
 * @param expirationStartAt   when the timer started (UTC epoch ms)
 * @param deletedForEveryone  deleted for everyone by its sender (content is gone)
 * @param deletedAt           when it was deleted for everyone (UTC epoch ms)
 * @param read                for incoming messages: whether the owner has read it ({@code null} if unknown)
 */
public record MessageFlags(
        boolean viewOnce,
        boolean erased,
        Integer expireTimerSeconds,
        Long expirationStartAt,
        boolean deletedForEveryone,
        Long deletedAt,
        Boolean read) {

    /** No flags set. */
    public static final MessageFlags NONE = new MessageFlags(false, false, null, null, false, null, null);
}
