package org.chatarchive.readers.signal.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * Where the parts of a Signal plaintext export ("Export chat history") are: {@code main.jsonl}, {@code metadata.json}
 * and {@code files/xx/<mediaName>[.ext]}, in a folder or a zip. Accepted: the folder holding {@code main.jsonl} (or the
 * file itself), a folder holding {@code signal-export-*}{@code /} (newest first), a folder one level above
 * {@code main.jsonl} (Desktop's {@code signal-export-*}{@code /signal-backup-*}{@code /} layout), and a zip with
 * {@code main.jsonl} at any depth. Media are looked up next to {@code main.jsonl}, then in its parent.
 */
final class PlaintextExport implements AutoCloseable {

    static final String MAIN = "main.jsonl";
    static final String METADATA = "metadata.json";

    /** The {@code main.jsonl} file, for a folder export. */
    final Path mainFile;
    /** The zip, for a zipped export. */
    final Path zipPath;
    private final ZipFile zip;
    private final String zipMainEntry;
    private final List<Path> mediaRoots = new ArrayList<>();
    /** Zip: media name → entry name. Folder: cache of each {@code files/xx} listing. */
    private final Map<String, String> zipMedia = new HashMap<>();
    private final Map<Path, Map<String, Path>> listings = new HashMap<>();

    private PlaintextExport(Path mainFile, Path zipPath, ZipFile zip, String zipMainEntry) {
        this.mainFile = mainFile;
        this.zipPath = zipPath;
        this.zip = zip;
        this.zipMainEntry = zipMainEntry;
        if (mainFile != null) {
            Path dir = mainFile.toAbsolutePath().getParent();
            mediaRoots.add(dir.resolve("files"));
            if (dir.getParent() != null) {
                mediaRoots.add(dir.getParent().resolve("files"));
            }
        }
    }

    /** Finds {@code main.jsonl} at or below {@code path}; null when there is none. */
    static Path findMain(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return path.getFileName().toString().equals(MAIN) ? path : null;
        }
        if (!Files.isDirectory(path)) {
            return null;
        }
        if (Files.isRegularFile(path.resolve(MAIN))) {
            return path.resolve(MAIN);
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path, Files::isDirectory)) {
            ds.forEach(children::add);
        }
        // signal-export-<time> and signal-backup-<time> sort by time; the newest is last.
        children.sort(Collections.reverseOrder());
        for (Path c : children) {
            if (Files.isRegularFile(c.resolve(MAIN))) {
                return c.resolve(MAIN);
            }
        }
        for (Path c : children) {
            String n = c.getFileName().toString();
            if (n.startsWith("signal-export-")) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(c, Files::isDirectory)) {
                    List<Path> inner = new ArrayList<>();
                    ds.forEach(inner::add);
                    inner.sort(Collections.reverseOrder());
                    for (Path i : inner) {
                        if (Files.isRegularFile(i.resolve(MAIN))) {
                            return i.resolve(MAIN);
                        }
                    }
                }
            }
        }
        return null;
    }

    static boolean isZip(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    /** The shortest-path {@code main.jsonl} entry of a zip, or null. */
    static String zipMainEntry(ZipFile zip) {
        String best = null;
        Enumeration<? extends ZipEntry> en = zip.entries();
        while (en.hasMoreElements()) {
            ZipEntry e = en.nextElement();
            String n = e.getName();
            if (!e.isDirectory() && (n.equals(MAIN) || n.endsWith("/" + MAIN))
                    && (best == null || n.length() < best.length())) {
                best = n;
            }
        }
        return best;
    }

    static boolean looksLike(Path path) {
        try {
            if (isZip(path)) {
                try (ZipFile z = new ZipFile(path.toFile(), StandardCharsets.UTF_8)) {
                    return zipMainEntry(z) != null;
                }
            }
            return findMain(path) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static PlaintextExport open(Path path) throws SourceException {
        try {
            if (isZip(path)) {
                ZipFile z = new ZipFile(path.toFile(), StandardCharsets.UTF_8);
                String main = zipMainEntry(z);
                if (main == null) {
                    z.close();
                    throw new SourceException(Kind.NOT_A_SOURCE, "The zip " + path + " holds no " + MAIN
                            + "; expected a Signal chat export (Settings › Chats › Export chat history).");
                }
                PlaintextExport e = new PlaintextExport(null, path, z, main);
                e.indexZipMedia();
                return e;
            }
            Path main = findMain(path);
            if (main == null) {
                throw new SourceException(Kind.NOT_A_SOURCE, "There is no " + MAIN + " at or below " + path
                        + "; expected a Signal chat export (Settings › Chats › Export chat history).");
            }
            return new PlaintextExport(main, null, null, null);
        } catch (IOException e) {
            throw new SourceException(Kind.IO, "Reading " + path + " failed (" + e.getMessage() + ").", e);
        }
    }

    /** Where the export is, for messages. */
    String describe() {
        return zipPath != null ? zipPath + "!" + zipMainEntry : String.valueOf(mainFile);
    }

    /** A fresh, buffered stream of {@code main.jsonl}. */
    InputStream openMain() throws IOException {
        if (zip != null) {
            return new BufferedInputStream(zip.getInputStream(zip.getEntry(zipMainEntry)), 1 << 16);
        }
        return new BufferedInputStream(Files.newInputStream(mainFile), 1 << 16);
    }

    /** {@code metadata.json}'s text, or null when absent. */
    String metadataJson() throws IOException {
        if (zip != null) {
            String name = zipMainEntry.substring(0, zipMainEntry.length() - MAIN.length()) + METADATA;
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(e)) {
                return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
        }
        Path p = mainFile.resolveSibling(METADATA);
        return Files.isRegularFile(p) ? Files.readString(p) : null;
    }

    /** A reference to the media file named {@code mediaName} (with any extension), or null when absent. */
    String findMedia(String mediaName) throws IOException {
        if (mediaName == null || mediaName.length() < 2) {
            return null;
        }
        if (zip != null) {
            return zipMedia.get(mediaName);
        }
        for (Path root : mediaRoots) {
            Path dir = root.resolve(mediaName.substring(0, 2));
            Map<String, Path> listing = listings.get(dir);
            if (listing == null) {
                listing = new HashMap<>();
                if (Files.isDirectory(dir)) {
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                        for (Path f : ds) {
                            if (Files.isRegularFile(f)) {
                                listing.put(stem(f.getFileName().toString()), f);
                            }
                        }
                    }
                }
                listings.put(dir, listing);
            }
            Path f = listing.get(mediaName);
            if (f != null) {
                return f.toString();
            }
        }
        return null;
    }

    InputStream openMedia(String ref) throws IOException {
        if (zip != null) {
            ZipEntry e = zip.getEntry(ref);
            if (e == null) {
                throw new java.nio.file.NoSuchFileException(ref);
            }
            return zip.getInputStream(e);
        }
        return Files.newInputStream(Path.of(ref));
    }

    private void indexZipMedia() {
        String base = zipMainEntry.substring(0, zipMainEntry.length() - MAIN.length());
        String parent = base.isEmpty() ? null
                : base.substring(0, base.lastIndexOf('/', base.length() - 2) + 1);
        Enumeration<? extends ZipEntry> en = zip.entries();
        while (en.hasMoreElements()) {
            ZipEntry e = en.nextElement();
            String n = e.getName();
            if (e.isDirectory()) {
                continue;
            }
            String rest = n.startsWith(base + "files/") ? n.substring(base.length() + 6)
                    : parent != null && n.startsWith(parent + "files/") ? n.substring(parent.length() + 6) : null;
            if (rest == null || rest.indexOf('/') != 2) {
                continue;
            }
            String stem = stem(rest.substring(3));
            // Files next to main.jsonl win over files in its parent.
            if (n.startsWith(base + "files/") || !zipMedia.containsKey(stem)) {
                zipMedia.put(stem, n);
            }
        }
    }

    /** The media name part of a file name: everything before the first dot. */
    private static String stem(String fileName) {
        int dot = fileName.indexOf('.');
        return dot < 0 ? fileName : fileName.substring(0, dot);
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }
}
