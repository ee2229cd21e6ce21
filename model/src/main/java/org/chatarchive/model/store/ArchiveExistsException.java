package org.chatarchive.model.store;

import java.io.IOException;
import java.nio.file.Path;

/** The output directory already holds something and replacing it was not asked for. */
public class ArchiveExistsException extends IOException {

    private final transient Path dir;

    public ArchiveExistsException(Path dir, String what) {
        super(dir + " " + what + "; use --force to replace it or choose another directory");
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }
}
