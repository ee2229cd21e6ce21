package org.chatarchive.readers.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The real runner, on a POSIX shell: output, exit code, a missing program, a hung one. */
class CommandRunnerTest {

    static void needShell() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
    }

    @Test
    void capturesOutputAndExitCode() throws Exception {
        needShell();
        CommandRunner.Result r = CommandRunner.system().run(
                List.of("/bin/sh", "-c", "printf 'pass word\\n'; echo oops >&2; exit 3"), Duration.ofSeconds(10));
        assertEquals(3, r.exitCode());
        assertEquals("pass word\n", new String(r.stdout(), StandardCharsets.UTF_8));
        assertEquals("oops", r.stderr());
    }

    @Test
    void missingProgramIsNotInstalled() {
        assertThrows(CommandRunner.NotInstalledException.class, () -> CommandRunner.system()
                .run(List.of("chat-archive-no-such-keyring-tool"), Duration.ofSeconds(5)));
    }

    @Test
    void hungProgramIsKilledAfterTheTimeout() {
        needShell();
        long t0 = System.nanoTime();
        CommandRunner.TimedOutException e = assertThrows(CommandRunner.TimedOutException.class,
                () -> CommandRunner.system().run(List.of("/bin/sh", "-c", "exec sleep 30"), Duration.ofMillis(300)));
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "did not wait for the program");
        assertTrue(e.getMessage().contains("/bin/sh"), e.getMessage());
    }
}
