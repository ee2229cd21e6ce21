package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.chatarchive.model.store.FileHashes;

/** {@link SourceFiles}: which files of a source are hashed, and a hashing in the background called off. */
class SourceFilesTest {

    @Test
    void aCalledOffHashingFailsAndLeavesNothingRememberedForTheNextReader(@TempDir Path profile) throws Exception {
        Files.writeString(profile.resolve("config.json"), "{\"key\":\"00\"}");
        Files.createDirectories(profile.resolve("sql"));
        Path db = profile.resolve("sql/db.sqlite");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.setLength(512L << 20); // half a gigabyte (sparse): far longer to hash than to call off
            f.seek(12345);
            f.write("some bytes".getBytes(StandardCharsets.UTF_8));
        }
        SourceFiles.Hashing h = SourceFiles.hashing(SourceType.SIGNAL_DESKTOP, profile, false);
        h.cancel();
        CompletionException e = assertThrows(CompletionException.class, () -> h.result().join());
        assertInstanceOf(UncheckedIOException.class, e.getCause());
        assertInstanceOf(ClosedByInterruptException.class, e.getCause().getCause());
        h.thread().join();

        // A later hashing of the same, unchanged files reads them again, whole.
        List<FileHashes> again = SourceFiles.hash(SourceType.SIGNAL_DESKTOP, profile, false);
        assertEquals(List.of("config.json", "sql/db.sqlite"), again.stream().map(FileHashes::path).toList());
        assertEquals(sha256(db), again.get(1).sha256());
        assertEquals(512L << 20, again.get(1).size());
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
