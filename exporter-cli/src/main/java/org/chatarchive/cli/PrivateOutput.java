package org.chatarchive.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.chatarchive.model.store.ArchiveLayout;
import org.chatarchive.model.store.PrivateFiles;

/**
 * Outputs readable by the user only. The store writes its own files privately; renderers go through libraries
 * (PDFBox, Lucene, zip, image writers) that create files with the process's default permissions, so each command
 * makes its output folder private once it is written. The folders they write into are private already, so no
 * other user can reach those files in between.
 */
final class PrivateOutput {

    private PrivateOutput() {
    }

    /**
     * Makes the folders beside the archive in {@code dir} private ({@link ArchiveLayout#BESIDE_DIRS}: renders, index,
     * log); the store's own files are created private and are not walked again.
     */
    static void apply(Path dir) {
        try {
            for (String folder : ArchiveLayout.BESIDE_DIRS) {
                PrivateFiles.restrictTree(dir.resolve(folder));
            }
        } catch (IOException e) {
            throw new UserError(ExitCode.OUTPUT, "Everything is written to " + dir + ", but making it readable by you"
                    + " only failed (" + e.getMessage() + "); check the folder's owner, or run: chmod -R go-rwx " + dir,
                    e);
        }
    }
}
