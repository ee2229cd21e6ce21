package org.chatarchive.readers.signal.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;
import org.chatarchive.readers.signal.backup.proto.LocalBackup;

/**
 * A Signal local folder backup ({@code SignalBackups/}): a shared {@code files/xx/<mediaName>} store and one
 * {@code signal-backup-<UTC time>/} folder per snapshot holding {@code metadata} (the backup id, encrypted),
 * {@code main} (the encrypted frame stream) and {@code files} (the media names the snapshot uses).
 */
final class LocalBackupFolder {

    static final String SNAPSHOT_PREFIX = "signal-backup-";

    final Path root;
    final Path snapshot;
    final List<String> snapshots;

    private LocalBackupFolder(Path root, Path snapshot, List<String> snapshots) {
        this.root = root;
        this.snapshot = snapshot;
        this.snapshots = snapshots;
    }

    /** Complete snapshots (with {@code main} and {@code metadata}, not {@code -tmp}) in {@code root}, oldest first. */
    static List<String> snapshots(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, SNAPSHOT_PREFIX + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.endsWith("-tmp") && Files.isRegularFile(p.resolve("main"))
                        && Files.isRegularFile(p.resolve("metadata"))) {
                    names.add(n);
                }
            }
        }
        // Names carry a UTC time as YYYY-MM-DD-HH-mm-ss, so name order is time order.
        Collections.sort(names);
        return names;
    }

    /** Whether {@code path} is a local backup folder, or one snapshot folder of one. */
    static boolean looksLike(Path path) {
        try {
            if (isSnapshot(path)) {
                return true;
            }
            return !snapshots(path).isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isSnapshot(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(SNAPSHOT_PREFIX) && Files.isRegularFile(p.resolve("main"))
                && Files.isRegularFile(p.resolve("metadata"));
    }

    /**
     * Opens the folder at {@code path} (or a snapshot folder in it) and picks {@code snapshotName}, or the newest
     * complete snapshot when it is null.
     */
    static LocalBackupFolder open(Path path, String snapshotName) throws SourceException {
        try {
            Path root = path;
            if (isSnapshot(path) && snapshotName == null) {
                snapshotName = path.getFileName().toString();
                root = path.toAbsolutePath().getParent();
            }
            List<String> all = snapshots(root);
            if (all.isEmpty()) {
                throw new SourceException(Kind.NOT_A_SOURCE, "The folder " + path + " holds no complete Signal"
                        + " backup snapshot (a " + SNAPSHOT_PREFIX + "… folder with main and metadata).");
            }
            String chosen = snapshotName == null ? all.get(all.size() - 1) : snapshotName;
            if (!all.contains(chosen)) {
                throw new SourceException(Kind.NOT_A_SOURCE, "There is no complete snapshot named " + chosen
                        + " in " + root + "; it has " + String.join(", ", all) + ".");
            }
            return new LocalBackupFolder(root, root.resolve(chosen), List.copyOf(all));
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "Reading " + path + " failed (" + e.getMessage() + ").", e);
        }
    }

    Path main() {
        return snapshot.resolve("main");
    }

    /** The snapshot's backup id, decrypted from {@code metadata} with the recovery key's backup key. */
    byte[] backupId(byte[] backupKey) throws SourceException {
        LocalBackup.Metadata m;
        try {
            m = LocalBackup.Metadata.parseFrom(Files.readAllBytes(snapshot.resolve("metadata")));
        } catch (IOException e) {
            throw new SourceException(Kind.CORRUPT, "The snapshot's metadata file " + snapshot.resolve("metadata")
                    + " is not readable (" + e.getMessage() + ").", e);
        }
        if (m.getVersion() != 1) {
            throw new SourceException(Kind.UNSUPPORTED, "The snapshot's metadata has version " + m.getVersion()
                    + "; only version 1 is known. A newer chat-archive may read it.");
        }
        LocalBackup.Metadata.EncryptedBackupId id = m.getBackupId();
        if (!m.hasBackupId() || id.getEncryptedId().size() != 16
                || (id.getIv().size() != 12 && id.getIv().size() != 16)) {
            throw new SourceException(Kind.UNSUPPORTED, "The snapshot's metadata holds no backup id in the known"
                    + " form (an older Android backup?); it cannot be opened with the recovery key alone.");
        }
        return BackupKeys.decryptBackupId(BackupKeys.localMetadataKey(backupKey), id.getIv().toByteArray(),
                id.getEncryptedId().toByteArray());
    }

    /** The media names the snapshot's {@code files} list names, in order (empty when there is no list). */
    Set<String> expectedMedia() throws SourceException {
        Path list = snapshot.resolve("files");
        Set<String> names = new LinkedHashSet<>();
        if (!Files.isRegularFile(list)) {
            return names;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(list))) {
            LocalBackup.FilesFrame f;
            while ((f = LocalBackup.FilesFrame.parseDelimitedFrom(in)) != null) {
                if (!f.getMediaName().isEmpty()) {
                    names.add(f.getMediaName());
                }
            }
        } catch (IOException e) {
            throw new SourceException(Kind.CORRUPT, "The snapshot's files list " + list + " is damaged ("
                    + e.getMessage() + ").", e);
        }
        return names;
    }

    /** Where a media file of this backup lives (whether or not it exists). */
    Path mediaFile(String mediaName) {
        return root.resolve("files").resolve(mediaName.substring(0, 2)).resolve(mediaName);
    }
}
