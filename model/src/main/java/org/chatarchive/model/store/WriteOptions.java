package org.chatarchive.model.store;

/**
 * How {@link ArchiveWriter} treats the output directory.
 *
 * @param force replace an existing, non-empty output directory (only once the new archive is complete)
 */
public record WriteOptions(boolean force) {

    /** Refuse a non-empty output directory. */
    public static WriteOptions defaults() {
        return new WriteOptions(false);
    }
}
