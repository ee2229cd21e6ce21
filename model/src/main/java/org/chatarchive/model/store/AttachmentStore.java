package org.chatarchive.model.store;

import java.io.IOException;
import java.io.InputStream;

/** Somewhere attachment bytes can be put into an archive's content-addressed store. */
public interface AttachmentStore {

    /**
     * Copies {@code in} (read to its end, not closed) into the store. The same bytes stored again keep the first
     * file, and its path is returned.
     */
    StoredFile storeAttachment(InputStream in, String contentType, String fileName) throws IOException;
}
