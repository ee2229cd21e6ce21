package org.chatarchive.readers.signal.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.chatarchive.fixtures.NodeTool;

/** libsignal (npm {@code @signalapp/libsignal-client}) run through {@code test-fixtures/node/backup-oracle.mjs}. */
final class Oracle {

    private Oracle() {
    }

    /** Validates the fixture's frames with libsignal and writes libsignal's main.jsonl of them to {@code out}. */
    static JsonNode exportJsonl(BackupFixture f, Path out) throws IOException {
        Path bin = Files.createTempFile("fixture", ".binproto");
        try {
            Files.write(bin, f.binproto());
            return json(NodeTool.run("backup-oracle.mjs", List.of("export", bin.toString(), out.toString())));
        } finally {
            Files.deleteIfExists(bin);
        }
    }

    /** libsignal's verdict on an encrypted backup file, given the backup key and backup id. */
    static JsonNode validateEncrypted(Path main, String backupKeyHex, String backupIdHex) throws IOException {
        return json(NodeTool.run("backup-oracle.mjs", List.of("validate-encrypted", main.toString(), backupKeyHex,
                backupIdHex)));
    }

    static JsonNode keys(String aep, String aci) throws IOException {
        return json(NodeTool.run("backup-oracle.mjs", aci == null ? List.of("keys", aep) : List.of("keys", aep, aci)));
    }

    private static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s.strip());
    }
}
