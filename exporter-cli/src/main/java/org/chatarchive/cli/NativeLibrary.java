package org.chatarchive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.sqlite.util.LibraryLoaderUtil;

import org.chatarchive.model.store.PrivateFiles;

/**
 * Copies SQLite's native library for this machine out of the jar into a folder, and prints the JVM options with
 * which a run loads it from there ({@code -Dorg.sqlite.lib.path}, {@code -Dorg.sqlite.lib.name}). Without them, every
 * run writes the library to the temporary folder, compares it there byte by byte with the jar's copy and deletes it
 * at exit: about 0.06 s of a core per run. Used once per build by the launcher (exporter-cli/cds-archive), as
 * {@code java -cp chat-archive.jar org.chatarchive.cli.NativeLibrary DIR}; a run whose folder lacks the library
 * falls back to sqlite-jdbc's own way. Prints nothing, and exits with 1, when the jar has no library for this
 * machine.
 */
final class NativeLibrary {

    private NativeLibrary() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: NativeLibrary DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        String name = LibraryLoaderUtil.getNativeLibName();
        byte[] library;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name)) {
            if (in == null) {
                System.exit(1);
            }
            library = in.readAllBytes();
        }
        PrivateFiles.ensureDirectory(dir);
        PrivateFiles.replace(dir.resolve(name), library);
        System.out.println("-Dorg.sqlite.lib.path=" + dir);
        System.out.println("-Dorg.sqlite.lib.name=" + name);
    }
}
