package org.chatarchive.renderers.html;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.chatarchive.model.store.PrivateFiles;

/**
 * Files of the site: private like the rest of the archive (0700 folders, 0600 files where POSIX permissions exist),
 * because the pages hold decrypted messages.
 */
final class SiteFiles {

    private SiteFiles() {
    }

    /** Creates a private directory; fails if it exists. */
    static void createDirectory(Path dir) throws IOException {
        PrivateFiles.createDirectory(dir);
    }

    /** A buffered UTF-8 writer on a new private file; fails if it exists. */
    static Writer newWriter(Path file) throws IOException {
        FileChannel ch = PrivateFiles.create(file);
        return new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8), 1 << 16);
    }

    /** Copies a resource beside {@link SiteFiles} to a new private file. */
    static void copyResource(String name, Path file) throws IOException {
        try (InputStream in = SiteFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the renderers jar");
            }
            PrivateFiles.write(file, in.readAllBytes());
        }
    }

    /** Whether {@code file} holds exactly the bytes of the resource {@code name}. */
    static boolean sameAsResource(String name, Path file) throws IOException {
        try (InputStream in = SiteFiles.class.getResourceAsStream(name)) {
            return in != null && java.util.Arrays.equals(in.readAllBytes(), java.nio.file.Files.readAllBytes(file));
        }
    }

    /** Deletes {@code root} and everything under it; nothing if it is absent. Never follows links. */
    static void deleteTree(Path root) throws IOException {
        PrivateFiles.deleteTree(root);
    }
}
