package org.chatarchive.cli;

import picocli.CommandLine.Option;

/**
 * {@code -q/--quiet} and {@code --debug}, shared by the commands that show progress. {@code --debug} is read by
 * {@link Main} from the parse result, so the field is only here to declare the option.
 */
final class OutputOptions {

    @Option(names = {"-q", "--quiet"}, description = "No progress output; errors are still printed.")
    boolean quiet;

    @Option(names = "--debug", description = "Print stack traces for errors.")
    boolean debug;
}
