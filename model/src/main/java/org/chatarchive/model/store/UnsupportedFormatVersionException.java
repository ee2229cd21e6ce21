package org.chatarchive.model.store;

/** The archive was written in a newer major format version than this code reads. */
public class UnsupportedFormatVersionException extends ArchiveFormatException {

    private final int found;
    private final int supported;

    public UnsupportedFormatVersionException(String file, int found, int supported) {
        super(file, "archive format version " + found + " is newer than this program reads (version "
                + supported + "); update chat-archive to read it");
        this.found = found;
        this.supported = supported;
    }

    public int found() {
        return found;
    }

    public int supported() {
        return supported;
    }
}
