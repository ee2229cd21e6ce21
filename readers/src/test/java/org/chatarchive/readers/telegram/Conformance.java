package org.chatarchive.readers.telegram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the third-party Telegram test exports ({@code shared/conformance/telegram}), which are not part of this
 * repository: walks up from the working directory to a folder holding {@code shared/conformance/telegram}.
 */
final class Conformance {

    private Conformance() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("conformance").resolve("telegram");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    /** The export folder {@code name}, or skips the test when the conformance data is absent. */
    static Path export(String name) {
        Path root = root();
        Assumptions.assumeTrue(root != null && Files.isRegularFile(root.resolve(name).resolve("result.json")),
                "Telegram conformance export " + name + " (shared/conformance/telegram) not found; skipping");
        return root.resolve(name);
    }

    /** Every export folder with a result.json, or skips when the conformance data is absent. */
    static List<Path> all() throws java.io.IOException {
        Path root = root();
        Assumptions.assumeTrue(root != null, "Telegram conformance data (shared/conformance/telegram) not found;"
                + " skipping");
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(root)) {
            s.filter(p -> Files.isRegularFile(p.resolve("result.json"))).sorted().forEach(out::add);
        }
        Assumptions.assumeFalse(out.isEmpty(), "No Telegram conformance exports found; skipping");
        return out;
    }
}
