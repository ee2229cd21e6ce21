package org.chatarchive.readers.sqlcipher;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2 over raw password bytes (the JDK's PBKDF2 takes chars only; SQLCipher feeds it key bytes and Electron's
 * safeStorage a keyring secret). Used by the SQLCipher codec and the key backends.
 */
public final class Pbkdf2 {

    private Pbkdf2() {
    }

    /**
     * Derives {@code length} bytes. An empty password is allowed: the JDK's HMAC refuses an empty key, and HMAC
     * pads keys with zeros to its block size, so a single zero byte gives the same HMAC.
     */
    public static byte[] derive(String macAlgorithm, byte[] password, byte[] salt, int iterations, int length) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, macAlgorithm));
            int hLen = mac.getMacLength();
            byte[] out = new byte[length];
            byte[] u = new byte[hLen];
            byte[] t = new byte[hLen];
            for (int block = 1, done = 0; done < length; block++) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hLen);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < hLen; j++) {
                        t[j] ^= u[j];
                    }
                }
                int n = Math.min(hLen, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(macAlgorithm + " is not available in this JVM", e);
        }
    }
}
