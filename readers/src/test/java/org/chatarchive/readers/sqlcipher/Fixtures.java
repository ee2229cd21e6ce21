package org.chatarchive.readers.sqlcipher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.chatarchive.fixtures.NodeTool;

/** Builds SQLCipher databases with Signal's own SQLCipher build (test-fixtures/node/make-db.mjs). */
final class Fixtures {

    static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String OTHER_KEY_HEX = "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** Runs make-db.mjs; {@code extra} are further CLI arguments. Returns its JSON report. */
    static JsonNode makeDb(Path out, int rows, int rowBytes, String... extra) {
        List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--key", KEY_HEX,
                "--rows", Integer.toString(rows), "--row-bytes", Integer.toString(rowBytes)));
        args.addAll(List.of(extra));
        String stdout = NodeTool.run("make-db.mjs", args);
        try {
            return JSON.readTree(stdout);
        } catch (IOException e) {
            throw new IllegalStateException("make-db.mjs printed no JSON: " + stdout, e);
        }
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
