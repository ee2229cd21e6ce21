package org.chatarchive.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a {@code chat-archive} command line in the tests, with its exit code and what it printed. */
final class Cli {

    private Cli() {
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }
}
