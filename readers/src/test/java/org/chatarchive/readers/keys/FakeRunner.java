package org.chatarchive.readers.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted {@link CommandRunner}. This is the one place a fake is right: the real keyrings (GNOME keyring,
 * KWallet, the macOS Keychain, DPAPI) cannot run in a test, so the tests check the exact command line each backend
 * runs and how it reads what the tool prints, with outputs copied from the real tools' behaviour.
 */
final class FakeRunner implements CommandRunner {

    final List<List<String>> calls = new ArrayList<>();
    private final Map<String, Object> answers = new LinkedHashMap<>();

    /** Answers the command whose program is {@code program} with this exit code and output. */
    FakeRunner answer(String program, int exitCode, String stdout, String stderr) {
        answers.put(program, new Result(exitCode, stdout.getBytes(StandardCharsets.UTF_8), stderr));
        return this;
    }

    /** Makes {@code program} look not installed. */
    FakeRunner missing(String program) {
        answers.put(program, new NotInstalledException(program, new IOException("No such file or directory")));
        return this;
    }

    @Override
    public Result run(List<String> command, Duration timeout) throws IOException {
        calls.add(List.copyOf(command));
        Object a = answers.get(command.get(0));
        if (a == null) {
            throw new NotInstalledException(command.get(0), new IOException("not scripted"));
        }
        if (a instanceof IOException e) {
            throw e;
        }
        Result r = (Result) a;
        return new Result(r.exitCode(), r.stdout().clone(), r.stderr());
    }
}
