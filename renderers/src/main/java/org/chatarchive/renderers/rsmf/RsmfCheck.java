package org.chatarchive.renderers.rsmf;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.ContentDispositionFieldImpl;
import org.apache.james.mime4j.field.ContentTypeFieldImpl;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

import org.chatarchive.renderers.rsmf.RsmfProblem.Severity;

/**
 * Checks an RSMF file layer by layer, as Relativity's validator describes its rules: the EML layer (RFC 5322, an
 * {@code X-RSMF-Version} header, exactly one base64 {@code rsmf.zip} attachment), the zip layer
 * ({@code rsmf_manifest.json} at the root, every referenced file present, no unreferenced file) and the manifest
 * (the published 2.0.0 JSON Schema, draft-07 with format checks, then references between participants,
 * conversations, events and files, and properties the schema does not define).
 *
 * <p>The lenient check is for any tool's file; the strict one is the gate for files this project writes: it also
 * requires CRLF line ends, the version as the first header, a text/plain body, the roll-up headers and
 * {@code From}/{@code Date}, and treats undefined properties and unresolved replies as errors.
 */
public final class RsmfCheck {

    /** The RSMF version this project writes and checks against its schema. */
    public static final String VERSION = "2.0.0";
    /** The manifest's name inside {@code rsmf.zip}. */
    public static final String MANIFEST = "rsmf_manifest.json";
    /** The one attachment of the EML layer. */
    public static final String ZIP = "rsmf.zip";

    static final String SCHEMA_RESOURCE = "rsmf_schema_2_0_0.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode SCHEMA_JSON = loadSchemaJson();
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
            .getSchema(SCHEMA_JSON, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    private static final int MAX_LINE = 998;
    /** How much of a header block is read for its fields. */
    private static final int MAX_HEADER = 1 << 20;
    private static final java.util.regex.Pattern LOCAL_DATE_TIME =
            java.util.regex.Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?");

    private final boolean strict;

    private RsmfCheck(boolean strict) {
        this.strict = strict;
    }

    /** The check for any tool's file. */
    public static RsmfCheck lenient() {
        return new RsmfCheck(false);
    }

    /** The gate for files this project writes (see the class comment). */
    public static RsmfCheck strict() {
        return new RsmfCheck(true);
    }

    /** The published schema, as shipped in this module. */
    public static JsonNode schema() {
        return SCHEMA_JSON.deepCopy();
    }

    private static JsonNode loadSchemaJson() {
        try (InputStream in = RsmfCheck.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the RSMF schema " + SCHEMA_RESOURCE + " is missing from the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Findings {
        final List<RsmfProblem> list = new ArrayList<>();

        void error(String category, String layer, String where, String message) {
            list.add(new RsmfProblem(Severity.ERROR, category, layer, where, message));
        }

        void warning(String category, String layer, String where, String message) {
            list.add(new RsmfProblem(Severity.WARNING, category, layer, where, message));
        }

        /** An error in the strict gate, a warning otherwise. */
        void strictError(String category, String layer, String where, String message) {
            list.add(new RsmfProblem(strict ? Severity.ERROR : Severity.WARNING, category, layer, where, message));
        }
    }

    // ---------------------------------------------------------------- manifest

    /** Checks a manifest alone (no zip to compare file references with). */
    public RsmfReport checkManifest(byte[] json) {
        Findings f = new Findings();
        manifest(json, null, f);
        return new RsmfReport(f.list);
    }

    /** Checks a manifest against the names of the files that travel with it (the zip's entries, manifest excluded). */
    public RsmfReport checkManifest(byte[] json, Set<String> files) {
        Findings f = new Findings();
        manifest(json, files, f);
        return new RsmfReport(f.list);
    }

    private JsonNode manifest(byte[] json, Set<String> files, Findings f) {
        JsonNode m;
        try {
            m = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            f.error("ManifestInvalidJson", "manifest", "line " + e.getLocation().getLineNr(),
                    "rsmf_manifest.json is not valid JSON: " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (m == null || !m.isObject()) {
            f.error("ManifestSchemaViolation", "manifest", "$", "the manifest is not a JSON object");
            return null;
        }
        String version = m.path("version").asText("");
        if (m.path("version").isTextual() && !version.equals(VERSION)) {
            f.warning("ManifestVersion", "manifest", "$.version", "version " + version
                    + " is checked against the " + VERSION + " schema and rules (the only ones published in full)");
        }
        Set<ValidationMessage> violations = SCHEMA.validate(m);
        List<ValidationMessage> sorted = new ArrayList<>(violations);
        sorted.sort((a, b) -> (a.getInstanceLocation() + a.getMessage()).compareTo(b.getInstanceLocation() + b.getMessage()));
        for (ValidationMessage v : sorted) {
            String at = path(v.getInstanceLocation().toString());
            JsonNode value = m.at(v.getInstanceLocation().toString());
            if ("format".equals(v.getType()) && value.isTextual() && LOCAL_DATE_TIME.matcher(value.asText()).matches()) {
                // Relativity's own examples have no offset; strict RFC 3339 (draft-07 date-time) requires one.
                f.strictError("TimestampWithoutOffset", "manifest", at, "\"" + value.asText() + "\" has no time"
                        + " offset: not an RFC 3339 date-time, and how review platforms read it is undocumented");
                continue;
            }
            f.error("ManifestSchemaViolation", "manifest", at, v.getMessage());
        }
        undefinedProperties(SCHEMA_JSON, m, "$", f);
        references(m, files, f);
        return m;
    }

    /** {@code /events/0/timestamp} as {@code $.events[0].timestamp}, the form every finding uses. */
    static String path(String pointer) {
        StringBuilder sb = new StringBuilder("$");
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            String p = part.replace("~1", "/").replace("~0", "~");
            sb.append(p.chars().allMatch(Character::isDigit) ? "[" + p + "]" : "." + p);
        }
        return sb.toString();
    }

    /** Properties the schema does not define: Relativity's validator warns ({@code ManifestUndefinedProperty}). */
    private void undefinedProperties(JsonNode schema, JsonNode node, String path, Findings f) {
        if (node.isObject() && schema.has("properties")) {
            JsonNode props = schema.get("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path + "." + e.getKey();
                if (!props.has(e.getKey())) {
                    f.strictError("ManifestUndefinedProperty", "manifest", p, "\"" + e.getKey()
                            + "\" is not defined by the RSMF schema; put extra data in \"custom\"");
                } else {
                    undefinedProperties(props.get(e.getKey()), e.getValue(), p, f);
                }
            }
        } else if (node.isArray() && schema.has("items")) {
            for (int i = 0; i < node.size(); i++) {
                undefinedProperties(schema.get("items"), node.get(i), path + "[" + i + "]", f);
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private void references(JsonNode m, Set<String> files, Findings f) {
        Set<String> participants = new HashSet<>();
        Set<String> referenced = new HashSet<>();
        JsonNode ps = m.path("participants");
        for (int i = 0; i < ps.size(); i++) {
            JsonNode p = ps.get(i);
            String id = text(p, "id");
            if (id != null && !participants.add(id)) {
                f.error("ManifestDuplicateParticipant", "manifest", "$.participants[" + i + "].id",
                        "participant id \"" + id + "\" is defined twice");
            }
            String avatar = text(p, "avatar");
            if (avatar != null) {
                referenced.add(avatar);
                if (files != null && !files.contains(avatar)) {
                    f.warning("AvatarNotFound", "zip", avatar, "the avatar " + avatar + " of participant \"" + id
                            + "\" was not found in the zip archive");
                }
            }
        }
        Map<String, Set<String>> members = new HashMap<>();
        JsonNode cs = m.path("conversations");
        for (int i = 0; i < cs.size(); i++) {
            JsonNode c = cs.get(i);
            String id = text(c, "id");
            Set<String> mine = new HashSet<>();
            JsonNode cp = c.path("participants");
            for (int k = 0; k < cp.size(); k++) {
                String pid = cp.get(k).isTextual() ? cp.get(k).asText() : null;
                if (pid == null) {
                    continue;
                }
                mine.add(pid);
                if (!participants.contains(pid)) {
                    f.error("ManifestInvalidConversationParticipant", "manifest",
                            "$.conversations[" + i + "].participants[" + k + "]", "conversation \"" + id
                                    + "\" lists participant \"" + pid + "\", which is not defined");
                }
            }
            if (id != null && members.putIfAbsent(id, mine) != null) {
                f.error("ManifestDuplicateConversation", "manifest", "$.conversations[" + i + "].id",
                        "conversation id \"" + id + "\" is defined twice");
            }
            String custodian = text(c, "custodian");
            if (custodian != null && !mine.contains(custodian)) {
                f.error("ManifestInvalidCustodian", "manifest", "$.conversations[" + i + "].custodian",
                        "custodian \"" + custodian + "\" is not a participant of conversation \"" + id + "\"");
            }
            String icon = text(c, "icon");
            if (icon != null) {
                referenced.add(icon);
                if (files != null && !files.contains(icon)) {
                    f.warning("IconNotFound", "zip", icon, "the icon " + icon + " was not found in the zip archive");
                }
            }
        }
        JsonNode es = m.path("events");
        Map<String, Set<String>> eventIds = new HashMap<>();
        for (int i = 0; i < es.size(); i++) {
            JsonNode e = es.get(i);
            String id = text(e, "id");
            String conv = text(e, "conversation");
            if (id != null && !eventIds.computeIfAbsent(String.valueOf(conv), k -> new HashSet<>()).add(id)) {
                f.strictError("ManifestDuplicateEventId", "manifest", "$.events[" + i + "].id", "event id \"" + id
                        + "\" is used twice in conversation \"" + conv + "\"");
            }
        }
        Map<String, Set<String>> joined = new HashMap<>();
        for (int i = 0; i < es.size(); i++) {
            JsonNode e = es.get(i);
            String at = "$.events[" + i + "]";
            String conv = text(e, "conversation");
            if (conv != null && !members.containsKey(conv)) {
                f.error("ManifestInvalidEventConversation", "manifest", at + ".conversation", "event refers to"
                        + " conversation \"" + conv + "\", which is not defined");
            } else if (conv == null && strict) {
                f.error("ManifestEventWithoutConversation", "manifest", at, "event has no conversation");
            }
            if (!e.has("timestamp")) {
                f.warning("ManifestEventWithoutTimestamp", "manifest", at, "event has no timestamp (the viewer lists"
                        + " it at the top)");
            }
            String who = text(e, "participant");
            participantRef(who, participants, at + ".participant", f);
            if (who == null) {
                // Relativity's validator: "Participant id  found in event ... is missing from the participant list".
                f.strictError("ManifestUndefinedParticipantId", "manifest", at + ".participant", "event has no"
                        + " participant; Relativity reports it as an undefined participant, not a member of the"
                        + " conversation");
            } else if (participants.contains(who) && conv != null && members.containsKey(conv)) {
                Set<String> in = joined.computeIfAbsent(conv, k -> new HashSet<>(members.get(conv)));
                if ("join".equals(text(e, "type"))) {
                    in.add(who);
                } else if (!in.contains(who)) {
                    f.strictError("ManifestInvalidEventParticipant", "manifest", at + ".participant", "participant \""
                            + who + "\" is not in conversation \"" + conv + "\"'s participant list and has no join"
                            + " event before this one (or left before it)");
                } else if ("leave".equals(text(e, "type"))) {
                    in.remove(who);
                }
            }
            String parent = text(e, "parent");
            if (parent != null && !eventIds.getOrDefault(String.valueOf(conv), Set.of()).contains(parent)) {
                f.strictError("ManifestInvalidParent", "manifest", at + ".parent", "parent \"" + parent
                        + "\" is not an event of the same conversation (shown as an orphaned reply)");
            }
            JsonNode rs = e.path("reactions");
            for (int k = 0; k < rs.size(); k++) {
                JsonNode rp = rs.get(k).path("participants");
                for (int j = 0; j < rp.size(); j++) {
                    participantRef(rp.get(j).isTextual() ? rp.get(j).asText() : null, participants,
                            at + ".reactions[" + k + "].participants[" + j + "]", f);
                }
            }
            JsonNode ed = e.path("edits");
            for (int k = 0; k < ed.size(); k++) {
                participantRef(text(ed.get(k), "participant"), participants, at + ".edits[" + k + "].participant", f);
            }
            JsonNode rr = e.path("read_receipts");
            for (int k = 0; k < rr.size(); k++) {
                participantRef(text(rr.get(k), "participant"), participants, at + ".read_receipts[" + k
                        + "].participant", f);
            }
            JsonNode as = e.path("attachments");
            for (int k = 0; k < as.size(); k++) {
                String aid = text(as.get(k), "id");
                if (aid == null) {
                    continue;
                }
                referenced.add(aid);
                if (files != null && !files.contains(aid)) {
                    f.error("AttachmentNotFound", "zip", aid, "The attachment with ID " + aid
                            + " was not found in the zip archive");
                }
            }
        }
        if (files != null) {
            for (String name : new TreeSet<>(files)) {
                if (!referenced.contains(name)) {
                    f.error("UnreferencedFile", "zip", name, "The file " + name
                            + " in the zip archive does not have a reference");
                }
            }
        }
    }

    private static void participantRef(String id, Set<String> participants, String at, Findings f) {
        if (id != null && !participants.contains(id)) {
            f.error("ManifestInvalidEventParticipant", "manifest", at, "participant \"" + id + "\" is not defined");
        }
    }

    // ---------------------------------------------------------------- zip

    /** Checks an {@code rsmf.zip}. */
    public RsmfReport checkZip(Path zip) throws IOException {
        Findings f = new Findings();
        zip(zip, f);
        return new RsmfReport(f.list);
    }

    private JsonNode zip(Path zip, Findings f) throws IOException {
        Set<String> files = new LinkedHashSet<>();
        byte[] manifest = null;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                if (e.getName().equals(MANIFEST)) {
                    try (InputStream in = z.getInputStream(e)) {
                        manifest = in.readAllBytes();
                    }
                } else {
                    if (e.getName().contains("/")) {
                        f.warning("ZipSubfolder", "zip", e.getName(), "file in a sub-folder of the zip; Relativity's"
                                + " generator puts every file at the root");
                    }
                    files.add(e.getName());
                }
            }
        } catch (ZipException e) {
            f.error("ZipInvalid", "zip", "", "rsmf.zip is not a readable zip archive (" + e.getMessage() + ")");
            return null;
        }
        if (manifest == null) {
            f.error("ZipMissingManifest", "zip", MANIFEST, "rsmf.zip has no rsmf_manifest.json at its root");
            return null;
        }
        return manifest(manifest, files, f);
    }

    // ---------------------------------------------------------------- EML

    /** One part (or the message itself) as the MIME parser saw it. */
    private static final class Part {
        final List<Field> headers = new ArrayList<>();
        /** The message's own header fields read as UTF-8 (RFC 6532) and unfolded: name, value as written. */
        List<String[]> raw;
        String mimeType;
        String transferEncoding;
        String disposition;
        String fileName;
        Path saved;
    }

    /** Checks a {@code .rsmf} file: the EML layer, then the zip and manifest it carries. */
    public RsmfReport checkFile(Path rsmf) throws IOException {
        Findings f = new Findings();
        if (!rsmf.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".rsmf")) {
            f.strictError("EmlExtension", "eml", rsmf.getFileName().toString(), "the file name does not end in .rsmf");
        }
        List<String[]> rawTop = raw(rsmf, f);
        List<Part> parts = new ArrayList<>();
        Part top = new Part();
        top.raw = rawTop;
        Path tempDir = Files.createTempDirectory("rsmf-check");
        try {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(rsmf))) {
                MimeStreamParser parser = new MimeStreamParser(MimeConfig.PERMISSIVE);
                parser.setContentDecoding(true);
                parser.setContentHandler(new AbstractContentHandler() {
                    Part current = top;

                    @Override
                    public void startMultipart(BodyDescriptor bd) {
                        if (current.mimeType == null) {
                            current.mimeType = bd.getMimeType();
                        }
                    }

                    @Override
                    public void startBodyPart() {
                        current = new Part();
                        parts.add(current);
                    }

                    @Override
                    public void field(Field field) {
                        current.headers.add(field);
                    }

                    @Override
                    public void body(BodyDescriptor bd, InputStream is) throws IOException {
                        Part p = current;
                        p.mimeType = bd.getMimeType();
                        p.transferEncoding = bd.getTransferEncoding();
                        for (Field h : p.headers) {
                            if (h.getName().equalsIgnoreCase("Content-Disposition")) {
                                ContentDispositionField cd = ContentDispositionFieldImpl.PARSER.parse(h,
                                        DecodeMonitor.SILENT);
                                p.disposition = cd.getDispositionType();
                                p.fileName = cd.getFilename();
                            }
                        }
                        if (p.fileName == null) {
                            for (Field h : p.headers) {
                                if (h.getName().equalsIgnoreCase("Content-Type")) {
                                    ContentTypeField ct = ContentTypeFieldImpl.PARSER.parse(h, DecodeMonitor.SILENT);
                                    p.fileName = ct.getParameter("name");
                                }
                            }
                        }
                        if (p != top && ZIP.equals(p.fileName) && p.saved == null) {
                            p.saved = tempDir.resolve("rsmf-" + parts.indexOf(p) + ".zip");
                            try (OutputStream out = Files.newOutputStream(p.saved)) {
                                is.transferTo(out);
                            }
                        }
                    }
                });
                parser.parse(in);
            } catch (MimeException e) {
                f.error("EmlInvalid", "eml", "", "the file is not a readable RFC 5322 message (" + e.getMessage() + ")");
                return new RsmfReport(f.list);
            }
            String version = header(top, "X-RSMF-Version");
            if (version == null) {
                f.error("EmlMissingVersion", "eml", "X-RSMF-Version", "the X-RSMF-Version header is missing");
            } else if (!version.strip().equals(VERSION)) {
                f.warning("EmlVersion", "eml", "X-RSMF-Version", "version " + version.strip() + "; only " + VERSION
                        + " is checked in full");
            }
            if (strict) {
                for (String h : List.of("From", "Date", "X-RSMF-BeginDate", "X-RSMF-EndDate", "X-RSMF-EventCount",
                        "X-RSMF-AttachmentCount", "X-RSMF-EventCollectionID", "Message-ID")) {
                    if (header(top, h) == null) {
                        f.error("EmlMissingHeader", "eml", h, "the " + h + " header is missing");
                    }
                }
            }
            if (top.mimeType == null || !top.mimeType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
                f.error("EmlNotMultipart", "eml", "Content-Type", "the message is " + top.mimeType
                        + ", not multipart/mixed, so it cannot carry rsmf.zip");
            }
            Part zipPart = null;
            boolean textBody = false;
            for (Part p : parts) {
                boolean attachment = p.fileName != null || "attachment".equalsIgnoreCase(p.disposition);
                if (!attachment) {
                    textBody |= "text/plain".equalsIgnoreCase(p.mimeType);
                    continue;
                }
                if (ZIP.equals(p.fileName) && zipPart == null) {
                    zipPart = p;
                    if (!"base64".equalsIgnoreCase(p.transferEncoding)) {
                        f.error("EmlZipNotBase64", "eml", ZIP, "rsmf.zip is sent with Content-Transfer-Encoding "
                                + p.transferEncoding + ", not base64");
                    }
                    if (!"attachment".equalsIgnoreCase(p.disposition)) {
                        f.error("EmlZipNotAttachment", "eml", ZIP, "rsmf.zip has no Content-Disposition: attachment");
                    }
                } else {
                    f.error("EmlExtraAttachment", "eml", String.valueOf(p.fileName), "the EML layer has an attachment"
                            + " other than rsmf.zip (" + p.fileName + "); exactly one attachment is allowed");
                }
            }
            if (strict && !textBody) {
                f.error("EmlMissingBody", "eml", "", "no text/plain body with the transcript");
            }
            if (zipPart == null) {
                f.error("EmlMissingZip", "eml", ZIP, "the EML layer has no rsmf.zip attachment");
                return new RsmfReport(f.list);
            }
            JsonNode manifest = zip(zipPart.saved, f);
            if (manifest != null) {
                rollUp(top, manifest, f);
            }
        } finally {
            try (var s = Files.list(tempDir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(tempDir);
        }
        return new RsmfReport(f.list);
    }

    private static String header(Part p, String name) {
        String raw = rawHeader(p, name);
        if (raw != null) {
            return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT).strip();
        }
        for (Field h : p.headers) {
            if (h.getName().equalsIgnoreCase(name)) {
                return DecoderUtil.decodeEncodedWords(h.getBody(), DecodeMonitor.SILENT).strip();
            }
        }
        return null;
    }

    /** The first field called {@code name} as written (not decoded), unfolded (RFC 5322 2.2.3), or null. */
    private static String rawHeader(Part p, String name) {
        String v = folded(p, name);
        return v == null ? null : v.replace("\r\n", "").strip();
    }

    /** The first field called {@code name} as written, line breaks of folding kept, or null. */
    private static String folded(Part p, String name) {
        if (p.raw != null) {
            for (String[] h : p.raw) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
        }
        return null;
    }

    /**
     * {@code X-RSMF-Participants} as Relativity's validator reads it: the value as written, split at commas, must
     * hold the same names as the manifest's participants' {@code display}. It takes RFC 2047 encoded-words
     * literally (an encoded name never matches) and a name folded across lines does not match either; a display
     * name with a comma cannot be listed at all.
     */
    private void participantsHeader(Part top, JsonNode m, Findings f) {
        String v = folded(top, "X-RSMF-Participants");
        if (v == null) {
            return;
        }
        // Relativity's validator joins a folded value without the folding white space: "Alex Doe,<CRLF> Bo" reads
        // as "Alex Doe,Bo" (two names), "Alex<CRLF> Doe" as "AlexDoe".
        v = v.replaceAll("\r\n[ \t]+", "").strip();
        List<String> got = new ArrayList<>();
        for (String s : v.split(",", -1)) {
            got.add(s.strip());
        }
        List<String> want = new ArrayList<>();
        List<String> wantSplit = new ArrayList<>();
        for (JsonNode p : m.path("participants")) {
            String d = text(p, "display");
            want.add(d == null ? "" : d.strip());
            for (String s : (d == null ? "" : d).split(",", -1)) {
                wantSplit.add(s.strip());
            }
        }
        got.sort(null);
        want.sort(null);
        wantSplit.sort(null);
        if (got.equals(want)) {
            return;
        }
        boolean comma = got.equals(wantSplit);
        String why = v.contains("=?") ? " (RFC 2047 encoded-words are read literally; write UTF-8 text)"
                : want.contains("") ? " (a participant has no display name)" : "";
        String message = "X-RSMF-Participants has different members than the JSON participants list" + why
                + ": header " + got + ", manifest " + want;
        if (comma) {
            f.warning("RSMFHeaderParticipantsMismatch", "eml", "X-RSMF-Participants", message
                    + "; a display name with a comma cannot be listed in this header");
        } else {
            f.strictError("RSMFHeaderParticipantsMismatch", "eml", "X-RSMF-Participants", message);
        }
    }

    /** Roll-up headers must match the manifest they summarise (R4). */
    private void rollUp(Part top, JsonNode m, Findings f) {
        JsonNode events = m.path("events");
        long attachments = 0;
        Instant begin = null;
        Instant end = null;
        for (JsonNode e : events) {
            attachments += e.path("attachments").size();
            Instant t = instant(text(e, "timestamp"));
            if (t != null) {
                begin = begin == null || t.isBefore(begin) ? t : begin;
                end = end == null || t.isAfter(end) ? t : end;
            }
        }
        compare(top, "X-RSMF-EventCount", String.valueOf(events.size()), f);
        compare(top, "X-RSMF-AttachmentCount", String.valueOf(attachments), f);
        compare(top, "X-RSMF-EventCollectionID", text(m, "eventcollectionid"), f);
        compareInstant(top, "X-RSMF-BeginDate", begin, f);
        compareInstant(top, "X-RSMF-EndDate", end, f);
        participantsHeader(top, m, f);
    }

    private static void compare(Part top, String name, String expected, Findings f) {
        String v = header(top, name);
        if (v != null && expected != null && !v.equals(expected)) {
            f.error("HeaderMismatch", "eml", name, name + " is " + v + " but the manifest gives " + expected);
        }
    }

    private static void compareInstant(Part top, String name, Instant expected, Findings f) {
        String v = header(top, name);
        if (v == null || expected == null) {
            return;
        }
        Instant got = instant(v);
        if (got == null || !got.equals(expected)) {
            f.error("HeaderMismatch", "eml", name, name + " is " + v + " but the manifest's events give " + expected);
        }
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Line ends, line lengths, non-ASCII header bytes and whether X-RSMF-Version is the first header; returns the
     * message's header fields read as UTF-8 and unfolded. Non-ASCII text is allowed only in {@code X-RSMF-}
     * fields (RFC 6532 UTF-8, which is how Relativity reads them); other fields need RFC 2047 encoded-words.
     */
    private List<String[]> raw(Path rsmf, Findings f) throws IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(rsmf), 1 << 16)) {
            long line = 1;
            int len = 0;
            int prev = -1;
            boolean inHeader = true;
            long bareLf = 0;
            long tooLong = 0;
            StringBuilder first = new StringBuilder();
            int b;
            while ((b = in.read()) != -1) {
                if (inHeader && head.size() < MAX_HEADER) {
                    head.write(b);
                }
                if (b == '\n') {
                    if (prev != '\r') {
                        bareLf++;
                    }
                    if (inHeader && (len == 0 || (len == 1 && prev == '\r'))) {
                        inHeader = false;
                    }
                    line++;
                    len = 0;
                } else {
                    if (b != '\r') {
                        len++;
                        if (len == MAX_LINE + 1) {
                            tooLong++;
                            if (tooLong == 1) {
                                f.error("EmlLineTooLong", "eml", "line " + line, "line " + line + " is longer than"
                                        + " 998 characters (RFC 5322 2.1.1)");
                            }
                        }
                        if (line == 1 && first.length() < 40) {
                            first.append((char) b);
                        }
                    }
                }
                prev = b;
            }
            if (bareLf > 0) {
                f.strictError("EmlLineEnding", "eml", "", bareLf + " line(s) end in LF alone; RFC 5322 requires CRLF");
            }
            if (!first.toString().toLowerCase(Locale.ROOT).startsWith("x-rsmf-version:")) {
                f.strictError("EmlVersionNotFirst", "eml", "line 1", "X-RSMF-Version is not the first header line");
            }
        }
        byte[] bytes = head.toByteArray();
        String text;
        try {
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            f.strictError("EmlNonAsciiHeader", "eml", "", "the header holds bytes that are not UTF-8");
            text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        List<String[]> fields = new ArrayList<>();
        for (String l : text.split("\r?\n", -1)) {
            if (l.isEmpty()) {
                break;
            }
            if ((l.charAt(0) == ' ' || l.charAt(0) == '\t') && !fields.isEmpty()) {
                String[] last = fields.get(fields.size() - 1);
                last[1] = last[1] + "\r\n" + l; // kept folded: see rawHeader and participantsHeader
            } else {
                int colon = l.indexOf(':');
                fields.add(colon < 0 ? new String[] {l, ""} : new String[] {l.substring(0, colon).strip(),
                        l.substring(colon + 1)});
            }
        }
        Set<String> nonAscii = new TreeSet<>();
        for (String[] h : fields) {
            boolean rsmfField = h[0].toLowerCase(Locale.ROOT).startsWith("x-rsmf-");
            if (!rsmfField && !(h[0] + h[1]).chars().allMatch(c -> c < 0x7f)) {
                nonAscii.add(h[0]);
            }
            if (rsmfField && strict && h[1].contains("=?") && h[1].contains("?=")) {
                f.error("EmlEncodedRsmfHeader", "eml", h[0], h[0] + " holds RFC 2047 encoded-words, which"
                        + " Relativity reads literally; X-RSMF- values are written as UTF-8 text");
            }
        }
        if (!nonAscii.isEmpty()) {
            f.strictError("EmlNonAsciiHeader", "eml", String.join(", ", nonAscii), "non-ASCII bytes in " + nonAscii
                    + "; RFC 5322 headers are ASCII, other text needs RFC 2047 encoded-words (only X-RSMF- fields"
                    + " are UTF-8 text, RFC 6532)");
        }
        return fields;
    }
}
