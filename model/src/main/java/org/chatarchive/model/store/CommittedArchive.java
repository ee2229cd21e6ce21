package org.chatarchive.model.store;

import java.nio.file.Path;

import org.chatarchive.model.ArchiveInfo;

/**
 * An archive in its final place.
 *
 * @param dir               the archive directory
 * @param info              what {@code archive.json} holds
 * @param archiveJsonSha256 lower-case hex SHA-256 of {@code archive.json} as written
 */
public record CommittedArchive(Path dir, ArchiveInfo info, String archiveJsonSha256) {
}
