package org.chatarchive.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.chatarchive.model.SourceInfo;
import org.chatarchive.model.store.FileHashes;
import org.chatarchive.model.store.Manifest;

/** Builds and writes {@code manifest.json} for a finished output directory. */
final class Manifests {

    private Manifests() {
    }

    /** The manifest of a run, listing {@code files}. */
    static Manifest build(String command, Map<String, Object> options, SourceInfo info, List<FileHashes> sourceFiles,
                          Map<String, Object> counts, List<FileHashes> files, Map<String, Object> run) {
        Manifest.Source source = new Manifest.Source(info.type(), info.schemaVersion(), info.databaseSha256(),
                sourceFiles);
        // the run's warnings, counted in a note that points to the custody log (which holds them)
        return new Manifest(Manifest.VERSION, "chat-archive", Main.version(), command, options, List.of(source),
                RunLog.withNotes(counts), files, run);
    }

    /** Hashes every file in {@code dir} and writes its manifest; returns the manifest's SHA-256. */
    static String write(Path dir, String command, Map<String, Object> options, SourceInfo info,
                        List<FileHashes> sourceFiles, Map<String, Object> counts, Map<String, Object> run)
            throws IOException {
        return write(dir, command, options, info, sourceFiles, counts, run, Map.of());
    }

    /** {@link #write}, taking the hashes of files hashed as they were written from {@code known}. */
    static String write(Path dir, String command, Map<String, Object> options, SourceInfo info,
                        List<FileHashes> sourceFiles, Map<String, Object> counts, Map<String, Object> run,
                        Map<String, FileHashes> known) throws IOException {
        return Manifest.writeTo(dir, build(command, options, info, sourceFiles, counts,
                Manifest.hashFiles(dir, known), run));
    }
}
