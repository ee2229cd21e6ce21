package org.chatarchive.readers.sqlcipher;

import java.util.ArrayList;
import java.util.List;

/** One SQLCipher page format: page size, HMAC and KDF algorithms, reserve bytes per page. */
record CipherFormat(int version, int pageSize, String hmacAlgorithm, int hmacSize, String kdfAlgorithm,
                    int kdfIterations) {

    static final int IV_SIZE = 16;
    static final int SALT_SIZE = 16;
    /** SQLCipher's HMAC_SALT_MASK: the HMAC-key salt is the file salt XOR this byte. */
    static final int HMAC_SALT_MASK = 0x3a;

    static CipherFormat v4(int pageSize) {
        return new CipherFormat(4, pageSize, "HmacSHA512", 64, "HmacSHA512", 256_000);
    }

    static CipherFormat v3() {
        return new CipherFormat(3, 1024, "HmacSHA1", 20, "HmacSHA1", 64_000);
    }

    /** The formats tried on page 1, most likely first: SQLCipher 4 at 4096, other v4 page sizes, then v3. */
    static List<CipherFormat> candidates() {
        List<CipherFormat> list = new ArrayList<>();
        list.add(v4(4096));
        for (int p : new int[] {1024, 2048, 8192, 16384, 32768, 65536}) {
            list.add(v4(p));
        }
        list.add(v3());
        return list;
    }

    /** IV plus HMAC, rounded up to the AES block size. */
    int reserve() {
        int r = IV_SIZE + hmacSize;
        return (r + 15) / 16 * 16;
    }

    /** The HMAC key: PBKDF2 (same hash as the KDF) of the AES key, salt XOR 0x3a, 2 iterations, 32 bytes. */
    byte[] hmacKey(byte[] encKey, byte[] salt) {
        byte[] hmacSalt = salt.clone();
        for (int i = 0; i < hmacSalt.length; i++) {
            hmacSalt[i] ^= HMAC_SALT_MASK;
        }
        return Pbkdf2.derive(kdfAlgorithm, encKey, hmacSalt, 2, 32);
    }

    @Override
    public String toString() {
        return "SQLCipher " + version + " (page size " + pageSize + ", " + hmacAlgorithm + ")";
    }
}
