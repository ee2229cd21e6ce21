package org.chatarchive.readers.sqlcipher;

/** Receives decryption progress now and then: pages done out of the total. */
@FunctionalInterface
public interface ProgressListener {

    /** Called with the number of pages done so far and the number of pages in total. */
    void update(long done, long total);

    /** A listener that ignores every update. */
    static ProgressListener none() {
        return (done, total) -> { };
    }
}
