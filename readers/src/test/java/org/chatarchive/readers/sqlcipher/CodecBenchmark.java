package org.chatarchive.readers.sqlcipher;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decryption throughput of the SQLCipher codec against the JDK's bare AES-256-CBC + HMAC-SHA512 over the same
 * pages (not a test; run by scripts/bench-codec.sh). One thread; rounds alternate between the measurements.
 *
 * <pre>java ... CodecBenchmark DB_FILE KEY_HEX [ROUNDS]</pre>
 */
public final class CodecBenchmark {

    private static final int WARMUP_ROUNDS = 2;

    private CodecBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CodecBenchmark DB_FILE KEY_HEX [ROUNDS]");
            System.exit(2);
        }
        Path db = Path.of(args[0]);
        byte[] rawKey = HexFormat.of().parseHex(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        SqlCipherKey key = SqlCipherKey.raw(rawKey);

        byte[] file = readFile(db);
        long bytes = file.length;
        int pageSize = 4096;
        int pages = (int) (bytes / pageSize);
        byte[] salt = Arrays.copyOf(file, 16);
        CipherFormat format = CipherFormat.v4(pageSize);
        byte[] hmacKey = format.hmacKey(rawKey, salt);
        PageCodec codec = PageCodec.create(format, rawKey, salt);
        Baseline baseline = new Baseline(rawKey, hmacKey, pageSize, format.reserve());
        byte[] image = new byte[file.length];

        System.out.printf(Locale.ROOT, "database: %s, %d bytes, %d pages of %d; JVM %s; rounds %d (+%d warm-up);"
                        + " MB = 10^6 bytes%n", db.getFileName(), bytes, pages, pageSize,
                Runtime.version(), rounds, WARMUP_ROUNDS);

        Map<String, List<Double>> results = new LinkedHashMap<>();
        String[] names = {"baseline: JDK AES-256-CBC + HMAC-SHA512, pages in memory",
            "codec: PageCodec.decrypt, pages in memory -> image",
            "codec: full decryption pass from file (read + SHA-256 + verify + decrypt, no SQLite)",
            "DecryptedDatabase.open (pass + sqlite-jdbc deserialize + first query)",
            "reading the file (FileChannel, page cache)",
            "JDK SHA-256 over the file bytes in memory (part of the full pass)"};
        for (String n : names) {
            results.put(n, new ArrayList<>());
        }
        long peakOpen = 0;
        for (int r = 0; r < WARMUP_ROUNDS + rounds; r++) {
            boolean record = r >= WARMUP_ROUNDS;
            double[] mbs = new double[names.length];
            long t0 = System.nanoTime();
            baseline.run(file, pages);
            mbs[0] = mbPerSec(bytes, System.nanoTime() - t0);

            t0 = System.nanoTime();
            for (int p = 1; p <= pages; p++) {
                int off = (p - 1) * pageSize;
                if (!codec.decrypt(file, off, p, image, off)) {
                    throw new IllegalStateException("HMAC failed on page " + p);
                }
            }
            mbs[1] = mbPerSec(bytes, System.nanoTime() - t0);

            t0 = System.nanoTime();
            DecryptedDatabase.decryptOnly(db, key, OpenOptions.defaults());
            mbs[2] = mbPerSec(bytes, System.nanoTime() - t0);

            System.gc();
            long before = usedHeap();
            resetPeaks();
            t0 = System.nanoTime();
            try (DecryptedDatabase d = DecryptedDatabase.open(db, key, OpenOptions.defaults());
                    var st = d.connection().createStatement();
                    var rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
                rs.next();
                mbs[3] = mbPerSec(bytes, System.nanoTime() - t0);
            }
            peakOpen = Math.max(peakOpen, peakHeap() - before);

            t0 = System.nanoTime();
            byte[] again = readFile(db);
            mbs[4] = mbPerSec(again.length, System.nanoTime() - t0);

            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            t0 = System.nanoTime();
            sha.update(file);
            baseline.sink += sha.digest()[0];
            mbs[5] = mbPerSec(bytes, System.nanoTime() - t0);

            StringBuilder line = new StringBuilder(record ? "round " + (r - WARMUP_ROUNDS + 1) : "warm-up " + (r + 1));
            for (int i = 0; i < names.length; i++) {
                line.append(String.format(Locale.ROOT, "  %.0f", mbs[i]));
                if (record) {
                    results.get(names[i]).add(mbs[i]);
                }
            }
            System.out.println(line.append("  MB/s"));
        }

        System.out.println();
        System.out.println("medians:");
        double[] med = new double[names.length];
        int i = 0;
        for (var e : results.entrySet()) {
            med[i] = median(e.getValue());
            System.out.printf(Locale.ROOT, "  %8.1f MB/s  %s%n", med[i], e.getKey());
            i++;
        }
        System.out.printf(Locale.ROOT, "ratio codec/baseline (pages in memory): %.1f %%%n", 100 * med[1] / med[0]);
        System.out.printf(Locale.ROOT, "ratio codec/baseline (full pass from file): %.1f %%%n", 100 * med[2] / med[0]);
        System.out.printf(Locale.ROOT, "peak heap added by DecryptedDatabase.open: %.1f MiB (file %.1f MiB; SQLite's"
                + " native copy of the image is outside the heap)%n", peakOpen / 1048576.0, bytes / 1048576.0);
        System.out.printf(Locale.ROOT, "peak heap in the last round: %.1f MiB (-Xmx %.0f MiB; the benchmark itself"
                + " holds the file and one image)%n", peakHeap() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        System.out.println("target codec >= 70 % of baseline: " + (med[1] >= 0.7 * med[0] ? "met" : "NOT met"));
    }

    /** The practical limit: the JDK primitives alone, per page, same layout, output to one reused buffer. */
    private static final class Baseline {
        private final Mac mac;
        private final Cipher cipher;
        private final SecretKeySpec aes;
        private final int pageSize;
        private final int reserve;
        private final byte[] out;
        private final byte[] tag = new byte[64];
        private final byte[] le = new byte[4];
        long sink;

        Baseline(byte[] encKey, byte[] hmacKey, int pageSize, int reserve) throws Exception {
            this.mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA512"));
            this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
            this.aes = new SecretKeySpec(encKey, "AES");
            this.pageSize = pageSize;
            this.reserve = reserve;
            this.out = new byte[pageSize];
        }

        void run(byte[] file, int pages) throws Exception {
            int ctEnd = pageSize - reserve;
            for (int p = 1; p <= pages; p++) {
                int off = (p - 1) * pageSize;
                int o = p == 1 ? 16 : 0;
                mac.update(file, off + o, ctEnd + 16 - o);
                le[0] = (byte) p;
                le[1] = (byte) (p >>> 8);
                le[2] = (byte) (p >>> 16);
                le[3] = (byte) (p >>> 24);
                mac.update(le);
                mac.doFinal(tag, 0);
                cipher.init(Cipher.DECRYPT_MODE, aes, new IvParameterSpec(file, off + ctEnd, 16));
                cipher.doFinal(file, off + o, ctEnd - o, out, o);
                sink += tag[0] + out[100];
            }
        }
    }

    private static byte[] readFile(Path p) throws Exception {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            byte[] b = new byte[(int) ch.size()];
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) {
                if (ch.read(bb) < 0) {
                    break;
                }
            }
            return b;
        }
    }

    private static double mbPerSec(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                b.resetPeakUsage();
            }
        }
    }

    private static long usedHeap() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                sum += b.getUsage().getUsed();
            }
        }
        return sum;
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                sum += b.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
