package org.chatarchive.renderers.rsmf;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** The third-party RSMF conformance data (Relativity's schema and samples), found beside the project. */
final class Conformance {

    private Conformance() {
    }

    /** {@code shared/conformance/rsmf} in the working directory or one of its parents, or null. */
    static Path dir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("conformance").resolve("rsmf");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    /** The conformance folder, or the test is skipped with a message saying what is missing. */
    static Path require() {
        Path d = dir();
        Assumptions.assumeTrue(d != null, "RSMF conformance data not found: expected ../shared/conformance/rsmf"
                + " (Relativity's rsmf-validator-samples: RSMFManifestSchema/ and Documentation/) above the working"
                + " directory; skipping");
        return d;
    }
}
