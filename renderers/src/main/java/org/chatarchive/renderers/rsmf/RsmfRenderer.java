package org.chatarchive.renderers.rsmf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.Message;
import org.chatarchive.model.Participant;
import org.chatarchive.model.store.ArchiveReader;
import org.chatarchive.renderers.production.CustodyLog;

/**
 * Writes an archive's conversations as RSMF 2.0.0 files for review platforms: one {@code .rsmf} per conversation
 * per calendar day in the slicing zone (UTC unless chosen), split further so that no file holds more than 10,000
 * events or 2 GB. The slices of one conversation share an event collection id (the conversation's id).
 *
 * <p>Output: {@code <out>/c-<16 hex>-<yyyy-MM-dd>[-partN].rsmf}. Each file passes {@link RsmfCheck#strict()}
 * (the published schema and the reference rules) before it is written; a failure stops the run with
 * {@link RsmfValidationException} and leaves any earlier output as it was. Memory holds one slice at a time.
 */
public final class RsmfRenderer {

    private final ArchiveReader archive;
    private final RsmfOptions options;
    private final CustodyLog log;
    private final Map<String, Participant> people = new LinkedHashMap<>();
    private final List<RsmfFileInfo> files = new ArrayList<>();
    private final Path staging;
    private final String outRelative;
    private long events;
    private long attachments;
    private long warnings;

    private RsmfRenderer(ArchiveReader archive, RsmfOptions options, CustodyLog log, Path staging, String outRelative)
            throws IOException {
        this.archive = archive;
        this.options = options;
        this.log = log;
        this.staging = staging;
        this.outRelative = outRelative;
        for (Participant p : archive.participants()) {
            people.put(p.id(), p);
        }
    }

    /** Renders every conversation of the archive in {@code archiveDir}; see the class comment. */
    public static RsmfSummary render(Path archiveDir, RsmfOptions options, CustodyLog log) throws IOException {
        Path out = (options.outDir() != null ? options.outDir() : archiveDir.resolve("rsmf")).toAbsolutePath().normalize();
        Path root = archiveDir.toAbsolutePath().normalize();
        String rel = out.startsWith(root) ? root.relativize(out).toString().replace('\\', '/') : out.getFileName().toString();
        Path staging = out.resolveSibling("." + out.getFileName() + ".staging");
        deleteTree(staging);
        RsmfSummary summary;
        try {
            summary = writeTo(archiveDir, staging, rel, options, log);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        deleteTree(out);
        Files.createDirectories(out.getParent());
        Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        return summary;
    }

    /**
     * Renders every conversation of the archive in {@code archiveDir} straight into {@code into}, an empty folder
     * that the caller puts in place of the output once complete (a staged replacement of {@code rsmf/}, say);
     * {@code outRelative} is the output's path relative to the archive as it will be then (e.g. {@code rsmf}), for
     * the files' paths and the custody log. The files are the same, byte for byte, as {@link #render} writes.
     */
    public static RsmfSummary writeTo(Path archiveDir, Path into, String outRelative, RsmfOptions options,
            CustodyLog log) throws IOException {
        ArchiveReader archive = ArchiveReader.open(archiveDir);
        Files.createDirectories(into);
        start(log, outRelative, options);
        RsmfRenderer r = new RsmfRenderer(archive, options, log, into, outRelative);
        try {
            r.conversations();
        } catch (IOException | RuntimeException e) {
            log.error("rsmf-failed", e.getMessage());
            throw e;
        }
        return r.done();
    }

    private static void start(CustodyLog log, String rel, RsmfOptions options) {
        log.step("rsmf-start", "RSMF " + RsmfCheck.VERSION + " to " + rel + "/, slices of one day in "
                + options.zone().getId() + ", at most " + options.maxEvents() + " events and " + options.maxBytes()
                + " bytes per file" + (options.custodian() != null ? ", custodian " + options.custodian() : "")
                + (options.matter() != null ? ", matter " + options.matter() : ""));
    }

    private void conversations() throws IOException {
        for (ConversationEntry e : archive.info().conversations()) {
            conversation(e);
        }
    }

    private RsmfSummary done() {
        log.step("rsmf-done", files.size() + " files, " + events + " events, " + attachments + " attachments, "
                + warnings + " warnings");
        return new RsmfSummary(List.copyOf(files), events, attachments, warnings);
    }

    private void conversation(ConversationEntry e) throws IOException {
        String stem = e.messagesFile().substring(e.messagesFile().lastIndexOf('/') + 1).replace(".jsonl", "");
        ManifestMapper mapper = new ManifestMapper(e.conversation(), people, archive.info().ownerId(),
                e.conversation().id(), options.zone(), options.matter());
        Slicer slicer = new Slicer(options.zone(), options.maxEvents(), budget());
        List<Message> slice = new ArrayList<>();
        Slicer.Slice current = null;
        try (Stream<Message> ms = archive.messages(e)) {
            for (Iterator<Message> it = ms.iterator(); it.hasNext(); ) {
                Message m = it.next();
                Slicer.Slice s = slicer.place(m.timelineAt(), estimate(m));
                if (slicer.startedNew() && current != null) {
                    flush(e, stem, mapper, current, slice);
                    slice.clear();
                }
                current = s;
                slice.add(m);
            }
        }
        if (current != null) {
            flush(e, stem, mapper, current, slice);
        } else {
            log.step("rsmf-empty-conversation", e.conversation().id() + " has no messages; no RSMF file");
        }
    }

    /** Bytes available to events once the headers, transcript and zip directory are paid for. */
    private long budget() {
        return Math.max(1, options.maxBytes() - 64 * 1024);
    }

    /** A generous guess of what an event adds to the file: JSON, transcript, and attachments in base64. */
    static long estimate(Message m) {
        long text = m.body() == null ? 0 : m.body().length() * 4L;
        for (var v : m.edits()) {
            text += v.body() == null ? 0 : v.body().length() * 8L;
        }
        long files = 0;
        for (Attachment a : m.attachments()) {
            files += a.storePath() != null && a.size() != null ? a.size() : 0;
        }
        return (2048 + text * 2 + files) * 4 / 3 + 1;
    }

    private void flush(ConversationEntry e, String stem, ManifestMapper mapper, Slicer.Slice s, List<Message> slice)
            throws IOException {
        ManifestMapper.Mapped mapped = mapper.map(slice, s);
        String name = stem + "-" + s.key() + ".rsmf";
        String title = e.conversation().title() == null || e.conversation().title().isBlank()
                ? e.conversation().id() : e.conversation().title();
        String ownerId = archive.info().ownerId();
        String custodianName = options.custodian() != null ? options.custodian()
                : ownerId != null && people.containsKey(ownerId) ? mapper.name(ownerId) : null;
        RsmfFileWriter.Headers h = new RsmfFileWriter.Headers(options.generator(),
                ManifestMapper.application(mapper.platform()), custodianName, ownerId,
                title + " - " + s.day() + (s.part() > 1 ? " (part " + s.part() + ")" : ""), options.matter(),
                options.zone().getId(), s, mapper.platform());
        RsmfFileInfo info;
        try {
            info = RsmfFileWriter.write(staging.resolve(name), outRelative + "/" + name, mapped, archive.dir(), h,
                    options.maxBytes());
        } catch (RsmfValidationException ex) {
            for (RsmfProblem p : ex.report().errors()) {
                log.error("rsmf-validation", outRelative + "/" + name + ": " + p);
            }
            throw ex;
        }
        for (ManifestMapper.Note n : mapped.notes()) {
            warnings++;
            log.warn(n.step(), n.detail() + " (" + info.path() + ")");
        }
        log.step("rsmf-file", info.path() + " " + info.events() + " events, " + info.attachments()
                + " attachments, sha256 " + info.sha256() + ", md5 " + info.md5());
        files.add(info);
        events += info.events();
        attachments += info.attachments();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
