package org.chatarchive.model.store;

import java.io.IOException;
import java.nio.file.Path;

/** Another run holds the archive's lock. */
public final class ArchiveLockedException extends IOException {

    public ArchiveLockedException(Path dir, String holder) {
        super("Another chat-archive run is working on " + dir + (holder == null || holder.isBlank() ? "" : " ("
                + holder.strip() + ")") + ". Wait for it to finish; a lock left by a run that crashed is taken over"
                + " by the next run by itself.");
    }
}
