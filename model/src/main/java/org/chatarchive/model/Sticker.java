package org.chatarchive.model;

/**
 * A sticker message.
 *
 * @param packId    sticker pack id
 * @param stickerId sticker index within the pack
 * @param emoji     the emoji the sticker stands for
 * @param image     the sticker image
 */
public record Sticker(String packId, Integer stickerId, String emoji, Attachment image) {
}
