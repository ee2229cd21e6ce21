package org.chatarchive.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run that starts with a subcommand's name builds that subcommand alone ({@link Main#commandLine}); it must read
 * its arguments, help and fail exactly as the full command line does.
 */
class MainCommandLineTest {

    @Test
    void aSubcommandAloneIsTheSameCommandAsAmongTheOthers() {
        Map<String, CommandLine> all = Main.commandLine(new String[0]).getSubcommands();
        assertEquals(List.of("export", "backup", "verify", "render", "index", "search", "rsmf-check", "demo",
                "sources", "key", "help"), List.copyOf(all.keySet()));
        for (String name : all.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Map<String, CommandLine> alone = Main.commandLine(new String[] {name, "--help"}).getSubcommands();
            assertEquals(List.of(name), List.copyOf(alone.keySet()), name);
            assertEquals(all.get(name).getUsageMessage(CommandLine.Help.Ansi.OFF),
                    alone.get(name).getUsageMessage(CommandLine.Help.Ansi.OFF), name);
            assertEquals(all.get(name).getCommandSpec().qualifiedName(),
                    alone.get(name).getCommandSpec().qualifiedName(), name);
        }
        // "help" takes the others' names, so it comes with all of them.
        assertEquals(all.keySet(), Main.commandLine(new String[] {"help", "backup"}).getSubcommands().keySet());
    }

    @Test
    void theGeneralHelpAndItsErrorsStillNameEveryCommand() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.code());
        for (String name : List.of("export", "backup", "verify", "render", "index", "search", "rsmf-check", "demo",
                "sources", "key")) {
            assertTrue(help.out().contains("  " + name + " "), name + " in " + help.out());
        }
        Cli.Result helpOf = Cli.run("help", "verify");
        assertEquals(0, helpOf.code(), helpOf.err());
        assertTrue(helpOf.out().contains("chat-archive verify"), helpOf.out());
        Cli.Result unknown = Cli.run("bakcup");
        assertEquals(ExitCode.USAGE, unknown.code());
        assertTrue(unknown.err().contains("'bakcup'") && unknown.err().contains("Did you mean: backup?")
                && unknown.err().contains("Run 'chat-archive --help'"), unknown.err());
        Cli.Result badOption = Cli.run("backup", "--no-such-option");
        assertEquals(ExitCode.USAGE, badOption.code());
        assertTrue(badOption.err().contains("Run 'chat-archive backup --help'"), badOption.err());
    }
}
