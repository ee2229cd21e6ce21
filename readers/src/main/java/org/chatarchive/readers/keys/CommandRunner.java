package org.chatarchive.readers.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a key store's command-line tool ({@code secret-tool}, {@code security}, ...). Injectable so that tests can
 * check the exact command line and feed back output, since real keyrings cannot run in a test.
 */
public interface CommandRunner {

    /**
     * What a command did. {@code stdout} may hold a secret: callers take what they need and zero it; it is
     * never logged.
     *
     * @param exitCode the process exit code
     * @param stdout   standard output, raw
     * @param stderr   standard error as text (for error messages: these tools print no secrets there)
     */
    record Result(int exitCode, byte[] stdout, String stderr) {
    }

    /** Thrown when the program is not installed (could not be started at all). */
    final class NotInstalledException extends IOException {
        public NotInstalledException(String program, Throwable cause) {
            super(program + " could not be started", cause);
        }
    }

    /** Thrown when the program did not finish in time (it was killed). */
    final class TimedOutException extends IOException {
        public TimedOutException(String program, Duration timeout) {
            super(program + " did not finish within " + timeout.toSeconds() + " s");
        }
    }

    /** Runs {@code command} with no input and returns its result. */
    Result run(List<String> command, Duration timeout) throws IOException;

    /** The real runner: {@link ProcessBuilder}, output captured in memory, killed after the timeout. */
    static CommandRunner system() {
        return (command, timeout) -> {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            } catch (IOException e) {
                throw new NotInstalledException(command.get(0), e);
            }
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new TimedOutException(command.get(0), timeout);
                }
                return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8).strip());
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(command.get(0) + " was interrupted", e);
            }
        };
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
