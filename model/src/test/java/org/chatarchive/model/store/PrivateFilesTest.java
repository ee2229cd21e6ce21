package org.chatarchive.model.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrivateFiles#replace}: a new or existing file replaced whole, private, with no temporary left behind. */
class PrivateFilesTest {

    @TempDir
    Path tmp;

    @Test
    void replaceWritesAPrivateFileOverTheOldAndLeavesNoTemporary() throws Exception {
        Path f = tmp.resolve("state");
        Files.writeString(f.resolveSibling("state.tmp"), "left by a killed run");
        PrivateFiles.replace(f, "one".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
        PrivateFiles.replace(f, "two, longer".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("two, longer".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
        assertFalse(Files.exists(tmp.resolve("state.tmp")));
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }
}
