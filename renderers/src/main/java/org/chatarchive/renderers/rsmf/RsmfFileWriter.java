package org.chatarchive.renderers.rsmf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.chatarchive.model.store.FileHashes;

/**
 * Writes one {@code .rsmf}: the zip (manifest first, then the files it references, in name order, every entry
 * dated 1980-01-01 00:00), then the EML around it. The MIME boundary and the Message-ID are derived from the
 * content, so the same slice always gives the same bytes. The file passes the strict {@link RsmfCheck} before it
 * takes its name; if it does not, nothing is left behind and {@link RsmfValidationException} says why.
 */
final class RsmfFileWriter {

    private static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM uuuu HH:mm:ss xx",
            Locale.ENGLISH);

    /** What the headers say beyond the manifest's roll-ups. */
    record Headers(String generator, String application, String custodianName, String custodianId, String subject,
                   String matter, String zone, Slicer.Slice slice, String platform) {
    }

    private RsmfFileWriter() {
    }

    static RsmfFileInfo write(Path target, String relative, ManifestMapper.Mapped mapped, Path archiveDir, Headers h,
                              long maxBytes) throws IOException {
        ObjectNode m = mapped.manifest();
        byte[] manifest = ManifestMapper.JSON.writeValueAsBytes(m);
        Set<String> names = new TreeSet<>();
        mapped.files().forEach(f -> names.add(f.name()));
        RsmfReport early = RsmfCheck.strict().checkManifest(manifest, names);
        if (early.result() == RsmfReport.Result.Failed) {
            throw new RsmfValidationException(relative, early);
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String stem = target.getFileName().toString();
        Path zip = dir.resolve("." + stem + ".zip.tmp");
        Path eml = dir.resolve("." + stem + ".tmp.rsmf");
        try {
            byte[] zipSha = writeZip(zip, manifest, mapped.files(), archiveDir);
            MessageDigest seed = sha256();
            seed.update(manifest);
            seed.update(mapped.transcript().getBytes(StandardCharsets.UTF_8));
            seed.update(zipSha);
            String hex = HexFormat.of().formatHex(seed.digest());
            RollUp r = RollUp.of(m);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(eml), 1 << 16)) {
                out.write(headers(r, h, m, hex).getBytes(StandardCharsets.UTF_8));
                String boundary = "=_rsmf_" + hex.substring(0, 32);
                StringBuilder b = new StringBuilder();
                b.append("This is a multi-part message in MIME format. The conversation is in rsmf.zip;")
                        .append(Eml.CRLF).append("the text below is its transcript.").append(Eml.CRLF).append(Eml.CRLF);
                b.append("--").append(boundary).append(Eml.CRLF);
                b.append("Content-Type: text/plain; charset=utf-8").append(Eml.CRLF);
                b.append("Content-Transfer-Encoding: quoted-printable").append(Eml.CRLF).append(Eml.CRLF);
                b.append(Eml.quotedPrintable(mapped.transcript())).append(Eml.CRLF);
                b.append("--").append(boundary).append(Eml.CRLF);
                b.append("Content-Type: application/zip; name=\"rsmf.zip\"").append(Eml.CRLF);
                b.append("Content-Transfer-Encoding: base64").append(Eml.CRLF);
                b.append("Content-Disposition: attachment; filename=\"rsmf.zip\"").append(Eml.CRLF).append(Eml.CRLF);
                out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
                OutputStream b64 = Base64.getMimeEncoder(76, new byte[]{'\r', '\n'}).wrap(new NonClosing(out));
                try (InputStream in = Files.newInputStream(zip)) {
                    in.transferTo(b64);
                }
                b64.close();
                out.write((Eml.CRLF + "--" + boundary + "--" + Eml.CRLF).getBytes(StandardCharsets.US_ASCII));
            }
            long size = Files.size(eml);
            if (size > maxBytes) {
                throw new RsmfValidationException(relative, new RsmfReport(List.of(new RsmfProblem(
                        RsmfProblem.Severity.ERROR, "FileTooLarge", "eml", "", "the file would be " + size
                        + " bytes, over the limit of " + maxBytes))));
            }
            RsmfReport report = RsmfCheck.strict().checkFile(eml);
            if (report.result() == RsmfReport.Result.Failed) {
                throw new RsmfValidationException(relative, report);
            }
            Files.move(eml, target, StandardCopyOption.REPLACE_EXISTING);
            FileHashes hashes = FileHashes.of(target, relative);
            List<String> people = new ArrayList<>();
            for (JsonNode p : m.path("participants")) {
                people.add(p.path("display").asText(p.path("id").asText()));
            }
            return new RsmfFileInfo(relative, h.slice() == null ? null : m.path("conversations").path(0).path("id")
                    .asText(), h.slice() == null ? "" : h.slice().key(), r.events(), r.attachments(), r.begin(),
                    r.end(), hashes.sha256(), hashes.md5(), size, h.subject(), List.copyOf(people));
        } finally {
            Files.deleteIfExists(zip);
            Files.deleteIfExists(eml);
        }
    }

    /** Counts and times the headers repeat, taken from the manifest itself (R4). */
    record RollUp(long events, long attachments, String begin, String end, String collectionId) {
        static RollUp of(JsonNode m) {
            long atts = 0;
            Instant b = null;
            Instant e = null;
            String bs = null;
            String es = null;
            for (JsonNode ev : m.path("events")) {
                atts += ev.path("attachments").size();
                if (ev.path("timestamp").isTextual()) {
                    String s = ev.get("timestamp").asText();
                    Instant t = Instant.parse(s);
                    if (b == null || t.isBefore(b)) {
                        b = t;
                        bs = s;
                    }
                    if (e == null || t.isAfter(e)) {
                        e = t;
                        es = s;
                    }
                }
            }
            return new RollUp(m.path("events").size(), atts, bs, es, m.path("eventcollectionid").asText(null));
        }
    }

    private static String headers(RollUp r, Headers h, ObjectNode m, String hex) {
        StringBuilder s = new StringBuilder();
        s.append("X-RSMF-Version: ").append(RsmfCheck.VERSION).append(Eml.CRLF);
        s.append(Eml.rsmfField("X-RSMF-Generator", h.generator()));
        if (r.begin() != null) {
            s.append("X-RSMF-BeginDate: ").append(r.begin()).append(Eml.CRLF);
            s.append("X-RSMF-EndDate: ").append(r.end()).append(Eml.CRLF);
        }
        s.append("X-RSMF-EventCount: ").append(r.events()).append(Eml.CRLF);
        s.append("X-RSMF-AttachmentCount: ").append(r.attachments()).append(Eml.CRLF);
        s.append(Eml.rsmfField("X-RSMF-Application", h.application()));
        if (h.custodianName() != null) {
            s.append(Eml.rsmfField("X-RSMF-Custodian", h.custodianName()));
        }
        List<String> names = new ArrayList<>();
        List<String> to = new ArrayList<>();
        for (JsonNode p : m.path("participants")) {
            String name = p.path("display").asText(p.path("id").asText());
            names.add(name);
            to.addAll(mailbox(name, address(p, h.platform()), true));
        }
        if (!to.isEmpty()) {
            String last = to.remove(to.size() - 1);
            to.add(last.substring(0, last.length() - 1));
        }
        s.append(Eml.rsmfList("X-RSMF-Participants", names));
        if (r.collectionId() != null) {
            s.append(Eml.rsmfField("X-RSMF-EventCollectionID", r.collectionId()));
        }
        if (h.matter() != null) {
            s.append(Eml.rsmfField("X-RSMF-Matter", h.matter()));
        }
        if (h.slice() != null) {
            s.append(Eml.rsmfField("X-RSMF-SliceZone", h.zone()));
            s.append("X-RSMF-SliceStart: ").append(ManifestMapper.UTC.format(h.slice().windowStart())).append(Eml.CRLF);
            s.append("X-RSMF-SliceEnd: ").append(ManifestMapper.UTC.format(h.slice().windowEnd())).append(Eml.CRLF);
            s.append("X-RSMF-SlicePart: ").append(h.slice().part()).append(Eml.CRLF);
        }
        JsonNode custodian = null;
        for (JsonNode p : m.path("participants")) {
            if (p.path("id").asText().equals(h.custodianId())) {
                custodian = p;
            }
        }
        String fromName = h.custodianName() != null ? h.custodianName()
                : custodian != null ? custodian.path("display").asText(h.custodianId()) : "Unknown custodian";
        String fromAddress = custodian != null ? address(custodian, h.platform()) : "custodian@" + domain(h.platform());
        s.append(Eml.fold("From", mailbox(fromName, fromAddress, false), false));
        s.append(Eml.fold("To", to, false));
        s.append(Eml.unstructured("Subject", h.subject()));
        Instant date = r.begin() != null ? Instant.parse(r.begin())
                : h.slice() != null ? h.slice().windowStart() : Instant.EPOCH;
        s.append("Date: ").append(RFC5322.format(date.atOffset(ZoneOffset.UTC))).append(Eml.CRLF);
        s.append("Message-ID: <").append(hex.substring(0, 40)).append("@chat-archive.invalid>").append(Eml.CRLF);
        s.append("MIME-Version: 1.0").append(Eml.CRLF);
        s.append("Content-Type: multipart/mixed;").append(Eml.CRLF).append(" boundary=\"=_rsmf_").append(hex, 0, 32).append('"').append(Eml.CRLF);
        s.append(Eml.CRLF);
        return s.toString();
    }

    /** {@code "Name" <addr>} as folding words; a trailing comma when it is one of a list. */
    private static List<String> mailbox(String name, String address, boolean listItem) {
        List<String> words = new ArrayList<>(Eml.phrase(name));
        words.add("<" + address + ">" + (listItem ? "," : ""));
        return words;
    }

    private static String domain(String platform) {
        String d = platform.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
        return (d.isEmpty() ? "chat" : d) + ".invalid";
    }

    /**
     * A syntactically valid address that is plainly not a real one (RFC 2606 {@code .invalid}): chat accounts have
     * phone numbers and ids, not email addresses. The local part is the account id where it is safe, else a hash.
     */
    static String address(JsonNode participant, String platform) {
        String acct = participant.path("account_id").asText(participant.path("id").asText());
        String local = acct.replaceAll("[^A-Za-z0-9+_-]+", ".").replaceAll("^\\.+|\\.+$", "");
        if (local.isEmpty() || local.length() > 64) {
            local = "id-" + HexFormat.of().formatHex(sha256().digest(acct.getBytes(StandardCharsets.UTF_8)), 0, 8);
        }
        return local + "@" + domain(platform);
    }

    private static byte[] writeZip(Path zip, byte[] manifest, List<ManifestMapper.ZipFile> files, Path archiveDir)
            throws IOException {
        MessageDigest md = sha256();
        try (ZipOutputStream z = new ZipOutputStream(new DigestOutputStream(new BufferedOutputStream(
                Files.newOutputStream(zip), 1 << 16), md))) {
            z.setLevel(6);
            ZipEntry e = new ZipEntry(RsmfCheck.MANIFEST);
            e.setTimeLocal(ZIP_TIME);
            z.putNextEntry(e);
            z.write(manifest);
            z.closeEntry();
            List<ManifestMapper.ZipFile> sorted = new ArrayList<>(files);
            sorted.sort((a, b) -> a.name().compareTo(b.name()));
            for (ManifestMapper.ZipFile f : sorted) {
                ZipEntry fe = new ZipEntry(f.name());
                fe.setTimeLocal(ZIP_TIME);
                z.putNextEntry(fe);
                try (InputStream in = Files.newInputStream(archiveDir.resolve(f.storePath()))) {
                    in.transferTo(z);
                } catch (NoSuchFileException missing) {
                    throw new IOException("the archive's attachment file " + f.storePath() + " is missing; run"
                            + " 'chat-archive verify' on the archive", missing);
                }
                z.closeEntry();
            }
        }
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets the base64 encoder be closed (to flush its last bytes) without closing the file. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
