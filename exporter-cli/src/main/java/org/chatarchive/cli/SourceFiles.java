package org.chatarchive.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.chatarchive.model.store.FileHashes;

/**
 * The files of a source that an export reads and a manifest hashes: for a Signal Desktop profile its database,
 * write-ahead log and config.json; for an export file, the file. Paths are relative to the source, so that the
 * same source copied elsewhere gives the same list.
 */
final class SourceFiles {

    private SourceFiles() {
    }

    /** Hashes the files {@code type} reads at {@code source}; those absent are left out. */
    static List<FileHashes> hash(SourceType type, Path source) throws IOException {
        List<FileHashes> out = new ArrayList<>();
        switch (type) {
            case SIGNAL_DESKTOP -> {
                for (String f : List.of("config.json", "sql/db.sqlite", "sql/db.sqlite-wal")) {
                    Path p = source.resolve(f);
                    if (Files.isRegularFile(p)) {
                        out.add(FileHashes.of(p, f));
                    }
                }
            }
            case TELEGRAM -> {
                Path p = Files.isDirectory(source) ? source.resolve("result.json") : source;
                if (Files.isRegularFile(p)) {
                    out.add(FileHashes.of(p, p.getFileName().toString()));
                }
            }
            case WHATSAPP -> {
                if (Files.isRegularFile(source)) {
                    out.add(FileHashes.of(source, source.getFileName().toString()));
                }
            }
        }
        return out;
    }
}
