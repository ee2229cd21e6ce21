package org.chatarchive.model.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a directory against its {@code manifest.json}: every listed file is re-hashed (SHA-256 and MD5) and the
 * directory is walked for files the manifest does not list.
 *
 * @param manifestSha256 SHA-256 of {@code manifest.json} as found
 * @param checked        files that match
 * @param missing        listed, not found
 * @param extra          found, not listed
 * @param changed        found with another size or hash
 * @param interrupted    a backup run is under way or was interrupted (its transaction folder is there)
 */
public record ManifestCheck(String manifestSha256, int checked, List<String> missing, List<String> extra,
                            List<String> changed, boolean interrupted) {

    /** True when everything matches. */
    public boolean ok() {
        return missing.isEmpty() && extra.isEmpty() && changed.isEmpty() && !interrupted;
    }

    /** Checks {@code dir}; throws {@link ArchiveFormatException} when it has no readable manifest. */
    public static ManifestCheck of(Path dir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(Manifest.FILE));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ArchiveFormatException(Manifest.FILE, 0, "is missing; " + dir + " has no manifest to verify", e);
        }
        Manifest m = Manifest.read(dir);
        Map<String, FileHashes> listed = new LinkedHashMap<>();
        for (FileHashes f : m.files()) {
            listed.put(f.path(), f);
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        int checked = 0;
        List<String> present = Manifest.listFiles(dir);
        for (String f : present) {
            FileHashes want = listed.remove(f);
            if (want == null) {
                extra.add(f);
                continue;
            }
            FileHashes got = FileHashes.of(dir.resolve(f), f);
            if (got.size() != want.size() || !got.sha256().equals(want.sha256())
                    || (want.md5() != null && !got.md5().equals(want.md5()))) {
                changed.add(f);
            } else {
                checked++;
            }
        }
        missing.addAll(listed.keySet());
        return new ManifestCheck(Manifest.sha256Hex(bytes), checked, missing, extra, changed,
                ArchiveUpdate.interrupted(dir));
    }
}
