package org.chatarchive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chat-archive demo}: exports the bundled sample Signal Desktop profile, to show what an archive is. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Exports the sample Signal Desktop profile bundled with chat-archive (a fictional owner, a few"
                        + " conversations, several hundred messages in many scripts) into ./chat-archive-demo,"
                        + " with its HTML site and search index, and says what it made.",
                "",
                "It is the same as: chat-archive export samples/signal-desktop --out chat-archive-demo --format"
                        + " json,html --force",
                ""})
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE = "samples/signal-desktop";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "chat-archive-demo",
            description = "Where to write the demo archive. Default: ./${DEFAULT-VALUE}. A previous demo archive there"
                    + " is replaced.")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Path target = out.toAbsolutePath().normalize();
        boolean previousDemo = Files.isRegularFile(target.resolve("archive.json"));
        if (Files.isDirectory(target) && !previousDemo && !isEmpty(target)) {
            throw new UserError(ExitCode.OUTPUT, target + " exists and does not hold a previous demo archive;"
                    + " remove it, or pass --out with another folder.");
        }
        Path sample = Files.createTempDirectory("chat-archive-sample",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            copySample(sample);
            PrintWriter o = spec.commandLine().getOut();
            if (!quiet) {
                o.println("Exporting the bundled sample Signal Desktop profile (fictional; key in its README)...");
                o.flush();
            }
            ExportJob.Request req = new ExportJob.Request(sample, target, List.of("json", "html"), null, List.of(), null,
                    null, null, null, null, true, null, SourceType.SIGNAL_DESKTOP, null, null, null, null, null);
            Progress progress = new Progress(spec.commandLine().getErr(), Progress.detect(quiet));
            java.time.ZoneId zone = java.time.ZoneId.systemDefault();
            List<ExportJob.AfterCommit> renders = List.of(
                    (archive, p) -> HtmlRendering.render(archive, org.chatarchive.renderers.html.HtmlOptions.of(zone), p),
                    IndexCommand::afterExport);
            ExportJob.Result result = new ExportJob(req, progress, renders).run();
            result.print(o, quiet);
            if (!quiet) {
                describe(o, target);
            }
            return ExitCode.OK;
        } finally {
            deleteTree(sample);
        }
    }

    private static void describe(PrintWriter o, Path target) throws IOException {
        o.println();
        o.println("What it made, in " + target + ":");
        Map<String, String> what = Map.of(
                "archive.json", "the archive's table of contents: source, owner, conversations, counts",
                "participants.json", "everyone in the archive, with the rule that chose each name",
                "conversations", "one JSON Lines file per conversation, one message per line, oldest first",
                "attachments", "attachment files, each named by the SHA-256 of its content",
                "html", "a site to read it in any browser, offline: open html/index.html",
                "index", "the search index, for chat-archive search",
                "logs", "custody.log: what each run did and warned about, in UTC (not part of the manifest)",
                "manifest.json", "SHA-256 and MD5 of every file; chat-archive verify checks them");
        try (Stream<Path> s = Files.list(target)) {
            for (Path p : s.sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = p.getFileName().toString();
                long n = Files.isDirectory(p) ? countFiles(p) : 0;
                String size = Files.isDirectory(p) ? n + (n == 1 ? " file" : " files") : String.format(Locale.ROOT,
                        "%,d bytes", Files.size(p));
                o.printf(Locale.ROOT, "  %-20s %-14s %s%n", name + (Files.isDirectory(p) ? "/" : ""), size,
                        what.getOrDefault(name, ""));
            }
        }
        o.println();
        o.println("Next: open " + target.resolve("html").resolve("index.html") + " in a browser, try");
        o.println("  chat-archive search " + target + " 'hike OR Hauptbahnhof'");
        o.println("or export your own profile:");
        o.println("  chat-archive export ~/.config/Signal --out ~/SignalArchive --format json,html,pdf");
        o.flush();
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** Copies the sample profile bundled in the jar (or in the classes folder) into {@code dest}. */
    static void copySample(Path dest) throws IOException {
        URL marker = DemoCommand.class.getClassLoader().getResource(SAMPLE + "/config.json");
        if (marker == null) {
            throw new UserError(ExitCode.INTERNAL, "The bundled sample is missing from this build; rebuild with"
                    + " 'mvn -DskipTests package'.");
        }
        try {
            URI uri = marker.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(fs.getPath("/" + SAMPLE), dest);
                }
            } else {
                copyTree(Path.of(uri).getParent(), dest);
            }
        } catch (URISyntaxException e) {
            throw new IOException("bad sample location " + marker, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                Path d = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    try (InputStream in = Files.newInputStream(p)) {
                        Files.copy(in, d);
                    }
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary copy of a sample; nothing secret in it
        }
    }
}
