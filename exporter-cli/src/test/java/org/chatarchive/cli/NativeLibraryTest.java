package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;

/** {@link NativeLibrary}: the launcher's copy of SQLite's native library, and the options that point a run at it. */
class NativeLibraryTest {

    @Test
    void unpacksTheJarsLibraryPrivatelyAndNamesItForSqliteJdbc(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("lib");
        String printed = runMain(dir);
        String name = LibraryLoaderUtil.getNativeLibName();
        assertEquals(List.of("-Dorg.sqlite.lib.path=" + dir.toAbsolutePath(), "-Dorg.sqlite.lib.name=" + name),
                printed.lines().toList());
        byte[] expected;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name)) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve(name)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        // Run again (a new build): the library is replaced in place, nothing else is left in the folder.
        Files.write(dir.resolve(name), new byte[] {1, 2, 3});
        runMain(dir);
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve(name)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(name)), files.toList());
        }
    }

    private static String runMain(Path dir) throws Exception {
        PrintStream was = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            NativeLibrary.main(new String[] {dir.toString()});
        } finally {
            System.setOut(was);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
