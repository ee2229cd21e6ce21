package org.chatarchive.model;

import java.util.Map;

/**
 * Where an archive's content came from.
 *
 * @param type           the reader that read it, e.g. {@code signal-desktop}
 * @param appVersion     the app's version, if the source records it
 * @param schemaVersion  the source's schema version (Signal Desktop: {@code PRAGMA user_version})
 * @param databaseSha256 lower-case hex SHA-256 of the source's main file as read (database, export file)
 * @param keySource      where the decryption key came from (e.g. {@code config.json key}, {@code --key}); never the key
 * @param extra          other facts about the source (sizes, WAL frames applied, ...)
 */
public record SourceInfo(
        String type,
        String appVersion,
        Integer schemaVersion,
        String databaseSha256,
        String keySource,
        Map<String, Object> extra) {

    public SourceInfo {
        extra = Values.map(extra);
    }
}
