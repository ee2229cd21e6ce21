package org.chatarchive.readers.sqlcipher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing the copy removes its folder, with what a reader kept beside it (its message counts); a folder inside
 * it, which the copy never makes, is left, and so is the folder then.
 */
class MirrorStoreDeleteTest {

    @TempDir
    Path tmp;

    @Test
    void theCopyAndWhatIsKeptBesideItGoWithTheFolder() throws Exception {
        Path dir = tmp.resolve("copy");
        Files.createDirectory(dir);
        for (String f : List.of(MirrorStore.DB, MirrorStore.TAGS, MirrorStore.MAP, MirrorStore.DELTA,
                MirrorStore.STATE, MirrorStore.MAP + ".tmp", "message-counts.bin")) {
            Files.write(dir.resolve(f), new byte[] {1, 2, 3});
        }
        MirrorStore.delete(dir);
        assertFalse(Files.exists(dir));
    }

    @Test
    void aFolderInsideIsLeft() throws Exception {
        Path dir = tmp.resolve("copy");
        Files.createDirectories(dir.resolve("other"));
        Files.write(dir.resolve(MirrorStore.DB), new byte[] {1});
        Files.write(dir.resolve("other").resolve("file"), new byte[] {1});
        MirrorStore.delete(dir);
        assertFalse(Files.exists(dir.resolve(MirrorStore.DB)));
        assertTrue(Files.exists(dir.resolve("other").resolve("file")));
    }
}
