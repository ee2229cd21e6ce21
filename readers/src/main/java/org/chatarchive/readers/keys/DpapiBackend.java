package org.chatarchive.readers.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * Windows: the 32-byte AES key in the profile's {@code Local State} ({@code os_crypt.encrypted_key} = base64 of
 * "DPAPI" ‖ DPAPI blob), unwrapped by {@code CryptUnprotectData} through PowerShell's
 * {@code [Security.Cryptography.ProtectedData]::Unprotect}. Works only as the Windows user who ran Signal.
 */
public final class DpapiBackend implements KeyBackend {

    private static final byte[] DPAPI = "DPAPI".getBytes(StandardCharsets.US_ASCII);

    private final Path profileDir;
    private final CommandRunner runner;

    public DpapiBackend(Path profileDir, CommandRunner runner) {
        this.profileDir = profileDir;
        this.runner = runner;
    }

    /** The DPAPI blob from Local State, "DPAPI" prefix removed, base64 again (as PowerShell takes it). */
    public String wrappedKeyBase64() throws SourceException {
        Path localState = profileDir.resolve("Local State");
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(Files.readAllBytes(localState));
        } catch (IOException e) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, "The Windows key of this profile is in " + localState
                    + ", which cannot be read (" + e.getMessage() + "); copy it from the Signal profile folder, "
                    + KeyBackend.NEXT_STEPS, e);
        }
        JsonNode enc = node == null ? null : node.path("os_crypt").get("encrypted_key");
        byte[] raw;
        try {
            raw = enc == null || !enc.isTextual() ? null : Base64.getDecoder().decode(enc.asText());
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length <= DPAPI.length
                || !Arrays.equals(Arrays.copyOf(raw, DPAPI.length), DPAPI)) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, localState + " has no DPAPI-wrapped os_crypt.encrypted_key;"
                    + " copy Local State from the Signal profile folder, " + KeyBackend.NEXT_STEPS);
        }
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(raw, DPAPI.length, raw.length));
    }

    /** The exact command line for a given wrapped key. */
    public static List<String> command(String wrappedBase64) {
        return List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-Command",
                "Add-Type -AssemblyName System.Security; [Convert]::ToBase64String("
                        + "[Security.Cryptography.ProtectedData]::Unprotect([Convert]::FromBase64String('"
                        + wrappedBase64 + "'), $null, [Security.Cryptography.DataProtectionScope]::CurrentUser))");
    }

    @Override
    public String label() {
        return "Windows DPAPI (PowerShell)";
    }

    @Override
    public SecretKind kind() {
        return SecretKind.AES_KEY;
    }

    @Override
    public byte[] secret() throws SourceException {
        String what = "Windows DPAPI (PowerShell)";
        CommandRunner.Result r = Tools.run(runner, command(wrappedKeyBase64()), what,
                "run this on Windows, where powershell.exe is part of the system");
        byte[] out = Tools.trimLine(r.stdout());
        byte[] key = null;
        try {
            if (r.exitCode() == 0) {
                key = Base64.getDecoder().decode(new String(out, StandardCharsets.US_ASCII).strip());
            }
        } catch (IllegalArgumentException e) {
            key = null;
        } finally {
            Arrays.fill(out, (byte) 0);
        }
        if (key == null || key.length != 32) {
            throw new SourceException(Kind.KEY_UNAVAILABLE, what + " could not unwrap the key in Local State ("
                    + (r.exitCode() == 0 ? "unexpected output" : Tools.errorLine(r)) + "); run this as the Windows"
                    + " user who uses Signal Desktop, " + KeyBackend.NEXT_STEPS);
        }
        return key;
    }
}
