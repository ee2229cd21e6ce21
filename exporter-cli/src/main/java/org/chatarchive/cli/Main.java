package org.chatarchive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chat-archive} command: subcommands, version, and the mapping of failures to exit codes. */
@Command(name = "chat-archive",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = {
                "Turns the chat history messaging apps keep on your computer into archives that outlive the app.",
                "",
                "Start with:  chat-archive demo            (exports the bundled sample into ./chat-archive-demo)",
                "Then:        chat-archive export ~/.config/Signal --out ~/SignalArchive",
                ""},
        footer = ExitCode.HELP)
public final class Main implements Runnable {

    /**
     * The subcommands, in the order the help lists them. Added by {@link #commandLine} rather than named in the
     * annotation, so that a run of one of them builds only its own model: picocli reads every option of every
     * command it is given by reflection, which took a run about 0.1 s of its start.
     */
    private static final List<Class<?>> COMMANDS = List.of(ExportCommand.class, BackupCommand.class,
            VerifyCommand.class, RenderCommand.class, IndexCommand.class, SearchCommand.class, RsmfCheckCommand.class,
            DemoCommand.class, SourcesCommand.class, KeyCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: export, backup, verify,"
                + " render, index, search, demo, sources, key or help.");
    }

    public static void main(String[] args) {
        Warmup.start();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (used by tests, which give their own streams). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean debug = Boolean.getBoolean("chatarchive.debug") || parsed.hasMatchedOption("--debug");
            if (ex instanceof UserError u) {
                err.println("chat-archive: " + u.getMessage());
                if (debug && u.getCause() != null) {
                    u.getCause().printStackTrace(err);
                }
                err.flush();
                return u.exitCode();
            }
            err.println("chat-archive: internal error: " + ex + ". This is a bug; please report it with the"
                    + " output of the same command run with --debug.");
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine c = ex.getCommandLine();
            err.println("chat-archive: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                err.println("Did you mean: " + String.join(" or ", u.getSuggestions()) + "?");
            }
            err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return ExitCode.USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line for {@code args}: when they start with a subcommand's name, with that subcommand alone (it
     * parses, helps and fails exactly as it does among the others, none of which it refers to); else with all of
     * them, for the general help, the help command, and the error that names them.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : null;
        Class<?> only = null;
        for (Class<?> c : COMMANDS) {
            if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first)) {
                only = c;
            }
        }
        for (Class<?> c : only == null ? COMMANDS : List.of(only)) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /** The version from the build, e.g. "chat-archive 0.1.0". */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"chat-archive " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
