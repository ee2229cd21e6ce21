package org.chatarchive.readers.sqlcipher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SqlCipherKeyTest {

    @Test
    void hmacKeyMatchesTheDocumentedVectors() {
        byte[] encKey = new byte[32];
        byte[] salt = new byte[16];
        for (int i = 0; i < 32; i++) {
            encKey[i] = (byte) i;
        }
        for (int i = 0; i < 16; i++) {
            salt[i] = (byte) i;
        }
        assertArrayEquals(Fixtures.hex("601364baed0dde5a2d291ede302ae7e0540a85b57a281a0d19c344b7d4f382ce"),
                CipherFormat.v4(4096).hmacKey(encKey, salt));
        assertArrayEquals(Fixtures.hex("1432461fa1f9a01e6366dc8db27c9634cc0b7e4675af39b56e6d0d024a127e9f"),
                CipherFormat.v4(4096).hmacKey(encKey, Fixtures.hex("27c098530b3503b9ba73e274d5b7ea9f")));
    }

    @Test
    void pbkdf2MatchesTheJdkForAsciiPasswords() throws Exception {
        byte[] salt = Fixtures.hex("27c098530b3503b9ba73e274d5b7ea9f");
        var spec = new javax.crypto.spec.PBEKeySpec("hunter2".toCharArray(), salt, 1000, 256);
        byte[] jdk = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        assertArrayEquals(jdk, Pbkdf2.derive("HmacSHA512", "hunter2".getBytes(), salt, 1000, 32));
    }

    @Test
    void parseRecognisesRawKeysAndPassphrases() {
        assertTrue(SqlCipherKey.parse("x'" + Fixtures.KEY_HEX + "'").isRaw());
        assertTrue(SqlCipherKey.parse(Fixtures.KEY_HEX.toUpperCase()).isRaw());
        assertTrue(SqlCipherKey.parse(" " + Fixtures.KEY_HEX + "\n").isRaw());
        assertFalse(SqlCipherKey.parse(Fixtures.KEY_HEX.substring(2)).isRaw());
        assertFalse(SqlCipherKey.parse("correct horse battery staple").isRaw());
        assertArrayEquals(Fixtures.hex(Fixtures.KEY_HEX),
                SqlCipherKey.parse(Fixtures.KEY_HEX).encryptionKey(new byte[16], CipherFormat.v4(4096)));
        assertThrows(IllegalArgumentException.class, () -> SqlCipherKey.raw(new byte[31]));
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        for (SqlCipherKey k : new SqlCipherKey[] {SqlCipherKey.parse(Fixtures.KEY_HEX),
                SqlCipherKey.parse("x'" + Fixtures.KEY_HEX + "'"), SqlCipherKey.raw(Fixtures.hex(Fixtures.KEY_HEX)),
                SqlCipherKey.passphrase("sekrit-passphrase".toCharArray())}) {
            String s = k.toString();
            assertFalse(s.toLowerCase().contains(Fixtures.KEY_HEX.substring(0, 16)), s);
            assertFalse(s.contains("sekrit"), s);
            assertFalse(s.contains("0, 1, 2"), s);
        }
    }
}
