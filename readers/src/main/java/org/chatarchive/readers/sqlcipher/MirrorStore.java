package org.chatarchive.readers.sqlcipher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * A private plaintext copy of an SQLCipher database kept between runs, so that a later run decrypts only the pages
 * that changed since, and can tell which rows they hold.
 *
 * <p>The folder holds {@value #DB} (the plaintext pages that are kept, see {@link #keep}; every other page is
 * zeros), {@value #TAGS} (per page, the first {@value #TAG} bytes of the page's HMAC in the source: a page whose
 * HMAC is the same has the same content, as SQLCipher's HMAC covers the page's ciphertext, IV and number),
 * {@value #MAP} (the {@link PageMap} of the copy) and {@value #STATE}, written last: a folder without it, or whose
 * state does not match the files, is not used (the next run builds the copy again). The state is removed before
 * the copy is changed, so a run interrupted while changing it leaves no copy that claims to be whole.
 *
 * <p>Kept in plaintext: the pages of the tables a reader asks for (and of their indexes), every interior b-tree
 * page (page numbers and row ids only, or index keys), freelist trunk pages up to their used part. Leaves and
 * overflow pages of every other table, freelist leaves and unused pages are zeros, so key material (Signal's
 * {@code items}, {@code sessions}, pre-keys) never lands in the copy.
 */
final class MirrorStore {

    static final String DB = "db.sqlite";
    static final String TAGS = "tags";
    static final String MAP = "pages.map";
    /** The page map's changes since {@value #MAP} was written whole, when a run wrote only those. */
    static final String DELTA = "pages.delta";
    static final String STATE = "state.properties";
    /** Bytes of each page's HMAC kept to tell whether it changed. */
    static final int TAG = 16;
    /** 2: the state records the generation and CRC-32C checksums of the tags and the map (1: their SHA-256). */
    private static final int FORMAT = 2;

    final Path dir;
    final String salt;
    final String cipher;
    final int pageSize;
    final long pageCount;
    final byte[] tags;
    /** The page map, parsed on another thread while the caller reads the source (see {@link #map()}). */
    private final CompletableFuture<Loaded> map;
    /** The length and CRC-32C of {@value #MAP}, as the state records them. */
    private final String mapCrc;
    final String generation;

    /** The page map and the pages its delta file holds (none when there is no delta). */
    private record Loaded(PageMap map, BitSet deltaPages) {
    }

    private MirrorStore(Path dir, String salt, String cipher, int pageSize, long pageCount, byte[] tags,
                        CompletableFuture<Loaded> map, String mapCrc, String generation) {
        this.dir = dir;
        this.salt = salt;
        this.cipher = cipher;
        this.pageSize = pageSize;
        this.pageCount = pageCount;
        this.tags = tags;
        this.map = map;
        this.mapCrc = mapCrc;
        this.generation = generation;
    }

    /**
     * The copy in {@code dir} when it is whole and made from a database with this salt, cipher and page size;
     * null otherwise (no copy, an interrupted one, another database, a damaged file).
     */
    static MirrorStore load(Path dir, String salt, String cipher, int pageSize) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(STATE), StandardCharsets.UTF_8)) {
            p.load(in);
            if (!String.valueOf(FORMAT).equals(p.getProperty("format")) || !salt.equals(p.getProperty("salt"))
                    || !cipher.equals(p.getProperty("cipher"))
                    || pageSize != Integer.parseInt(p.getProperty("pageSize", "0"))) {
                return null;
            }
            long pageCount = Long.parseLong(p.getProperty("pageCount", "-1"));
            byte[] tags = Files.readAllBytes(dir.resolve(TAGS));
            String generation = p.getProperty("generation", "");
            if (pageCount < 1 || tags.length != pageCount * TAG
                    || Files.size(dir.resolve(DB)) != pageCount * pageSize
                    || !generation.matches("[0-9a-f]{64}")
                    || !crc32c(tags).equals(p.getProperty("tagsCrc32c"))) {
                return null;
            }
            if (!Files.isRegularFile(dir.resolve(MAP))) {
                return null;
            }
            String mapCrc = p.getProperty("mapCrc32c");
            String deltaCrc = p.getProperty("deltaCrc32c");
            CompletableFuture<Loaded> map = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] mapBytes = Files.readAllBytes(dir.resolve(MAP));
                    if (!crc32c(mapBytes).equals(mapCrc)) {
                        return null;
                    }
                    PageMap m = PageMap.read(mapBytes); // kept by the map, not copied
                    BitSet deltaPages = new BitSet();
                    if (deltaCrc != null) {
                        byte[] deltaBytes = Files.readAllBytes(dir.resolve(DELTA));
                        if (!crc32c(deltaBytes).equals(deltaCrc)) {
                            return null;
                        }
                        PageMapFile.Delta d = PageMapFile.readDelta(m, new ByteArrayInputStream(deltaBytes));
                        m = d.map();
                        deltaPages = d.pages();
                    }
                    return m.pageCount() == pageCount ? new Loaded(m, deltaPages) : null;
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            });
            return new MirrorStore(dir, salt, cipher, pageSize, pageCount, tags, map, mapCrc, generation);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The copy's page map, or null when its file does not match the state (then the copy is made anew). */
    PageMap map() {
        Loaded l = map.join();
        return l == null ? null : l.map();
    }

    /**
     * The pages of the next state's page map to write as a delta of this copy's {@value #MAP} (those of its delta
     * and those where the next map differs, {@code differing}); null when the map should be written whole: there
     * is no usable map, it is of the first format, or the delta would hold more than an eighth of the pages.
     */
    BitSet deltaPagesFor(BitSet differing, long nextPageCount) {
        Loaded l = map.join();
        if (l == null || l.map().parents == null || nextPageCount >= Integer.MAX_VALUE) {
            return null; // no map, or one of the first format: a delta is written over a map of its own format
        }
        BitSet pages = (BitSet) l.deltaPages().clone();
        pages.or(differing);
        pages.clear((int) nextPageCount + 1, Math.max((int) nextPageCount + 1, pages.length()));
        return pages.cardinality() <= nextPageCount / 8 ? pages : null;
    }

    /** The length and CRC-32C of this copy's {@value #MAP}, for a delta written over it. */
    String mapChecksum() {
        return mapCrc;
    }

    /** For each b-tree of {@code map} (by index), whether its leaves and overflow pages are kept. */
    static boolean[] keptTrees(PageMap map, Set<String> tables) {
        boolean[] out = new boolean[map.treeTables.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = keptTable(map.treeTables.get(i), tables);
        }
        return out;
    }

    /** {@link #keep} with the trees' flags from {@link #keptTrees}. */
    static boolean keep(PageMap map, int p, boolean[] keptTrees) {
        int k = map.kinds[p];
        if (k == PageMap.Kind.TABLE_INTERIOR.ordinal() || k == PageMap.Kind.INDEX_INTERIOR.ordinal()
                || k == PageMap.Kind.FREE_TRUNK.ordinal()) {
            return true;
        }
        if (k == PageMap.Kind.TABLE_LEAF.ordinal() || k == PageMap.Kind.INDEX_LEAF.ordinal()
                || k == PageMap.Kind.OVERFLOW.ordinal()) {
            int t = map.trees[p];
            return t >= 0 && keptTrees[t];
        }
        return false;
    }

    private static boolean keptTable(String t, Set<String> tables) {
        // SQLite's own tables, and the configuration table of each full-text index (FTS5 reads it to open the
        // schema; a few rows of settings, no text)
        return t != null && (tables.contains(t) || t.equals("sqlite_master") || t.equals("sqlite_schema")
                || t.startsWith("sqlite_stat") || t.equals("sqlite_sequence") || t.endsWith("_config"));
    }

    /**
     * What of {@code plain} (page {@code p}) goes into the copy: the page, a freelist trunk up to its used part, or
     * nothing (zeros). Returns {@code plain} itself or a new array.
     */
    static byte[] kept(PageMap map, int p, boolean[] keptTrees, byte[] plain) {
        if (!keep(map, p, keptTrees)) {
            return new byte[plain.length];
        }
        if (map.kind(p) == PageMap.Kind.FREE_TRUNK) {
            long n = ((plain[4] & 0xffL) << 24) | ((plain[5] & 0xff) << 16) | ((plain[6] & 0xff) << 8) | (plain[7] & 0xff);
            int used = (int) Math.min(plain.length, 8 + 4 * n);
            byte[] out = Arrays.copyOf(plain, plain.length);
            Arrays.fill(out, used, out.length, (byte) 0);
            return out;
        }
        return plain;
    }

    /** Reads page {@code p} of the copy (zeros for a page that is not kept). */
    byte[] read(FileChannel db, long p) throws IOException {
        byte[] b = new byte[pageSize];
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            if (db.read(bb, (p - 1) * pageSize + bb.position()) < 0) {
                throw new IOException("the plaintext copy ends before page " + p);
            }
        }
        return b;
    }

    /**
     * Marks the copy in {@code dir} as not whole (its state file goes first), before its pages are changed; creates
     * the folder (0700) when missing.
     */
    static void beginChange(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (Files.deleteIfExists(dir.resolve(STATE))) {
            syncDir(dir);
        }
    }

    /** Opens (creating, 0600) the copy's database file for writing. */
    static FileChannel openForWrite(Path dir) throws IOException {
        Path f = dir.resolve(DB);
        if (!Files.exists(f) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Records the copy as whole: tags and page map (each synced and renamed into place), then the state, with the
     * {@link #generation} of these tags. The database file must be complete and synced. The page map is written
     * whole, or, when {@code deltaPages} is not null, as a delta ({@value #DELTA}) of the {@value #MAP} that is there
     * (whose checksum is {@code baseChecksum}) holding those pages.
     */
    static void commit(Path dir, String salt, String cipher, int pageSize, long pageCount, byte[] tags, PageMap map,
                       String generation, BitSet deltaPages, String baseChecksum) throws IOException {
        write(dir, TAGS, tags);
        ByteArrayOutputStream mapBytes = new ByteArrayOutputStream();
        String mapCrc;
        String deltaCrc = null;
        if (deltaPages != null) {
            PageMapFile.writeDelta(map, deltaPages, mapBytes);
            byte[] d = mapBytes.toByteArray();
            write(dir, DELTA, d);
            mapCrc = baseChecksum;
            deltaCrc = crc32c(d);
        } else {
            map.write(mapBytes);
            byte[] m = mapBytes.toByteArray();
            write(dir, MAP, m);
            mapCrc = crc32c(m);
        }
        Map<String, String> values = new TreeMap<>();
        values.put("format", String.valueOf(FORMAT));
        values.put("salt", salt);
        values.put("cipher", cipher);
        values.put("pageSize", String.valueOf(pageSize));
        values.put("pageCount", String.valueOf(pageCount));
        values.put("generation", generation);
        values.put("tagsCrc32c", crc32c(tags));
        values.put("mapCrc32c", mapCrc);
        if (deltaCrc != null) {
            values.put("deltaCrc32c", deltaCrc);
        }
        StringBuilder sb = new StringBuilder("# plaintext copy of the message tables; see docs/archive-format.md\n");
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        write(dir, STATE, sb.toString().getBytes(StandardCharsets.UTF_8));
        syncDir(dir);
        if (deltaCrc == null) {
            Files.deleteIfExists(dir.resolve(DELTA)); // the state no longer names it
        }
    }

    /** A digest of the database state the copy holds: the same source pages give the same generation. */
    static String generation(String salt, String cipher, int pageSize, long pageCount, byte[] tags) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((salt + "\n" + cipher + "\n" + pageSize + "\n" + pageCount + "\n").getBytes(StandardCharsets.UTF_8));
            d.update(tags);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes the copy in {@code dir}, if any: the state first, then every file of the folder (the copy's, and what
     * a reader keeps beside it for the copy's state, such as its message counts), then the folder.
     */
    static void delete(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Files.deleteIfExists(dir.resolve(STATE));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // a folder inside it (not the copy's): leave the folder
        }
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        org.chatarchive.model.store.PrivateFiles.replace(dir.resolve(name), bytes);
    }

    private static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every file system can sync a directory; the renames are still atomic
        }
    }

    /**
     * A checksum against damage of a file the copy's state describes: its length and CRC-32C. The tags and the map
     * are written by this class (synced and renamed into place before the state), so a checksum that finds a
     * damaged or stray file is enough; the state's generation, a SHA-256, names what the tags say.
     */
    static String crc32c(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b, 0, b.length);
        return b.length + ":" + Long.toHexString(c.getValue());
    }

}
