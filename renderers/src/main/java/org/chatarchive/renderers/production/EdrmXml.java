package org.chatarchive.renderers.production;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An EDRM XML load file (EDRM XML Interchange Format, version 1.2): one {@code Document} per produced document,
 * in Bates order, inside one {@code Batch}, with the family links as {@code Relationship}s.
 *
 * <pre>
 * &lt;Root DataInterchangeType="Export" MajorVersion="1" MinorVersion="2" Description="…"&gt;
 *   &lt;Batch name="VOL001"&gt;
 *     &lt;Documents&gt;
 *       &lt;Document DocID="ACME000001" DocType="Message" MimeType="application/pdf"&gt;
 *         &lt;Tags&gt;&lt;Tag TagName="#From" TagDataType="Text" TagValue="…"/&gt; …&lt;/Tags&gt;
 *         &lt;Files&gt;&lt;File FileType="Native"&gt;&lt;ExternalFile FilePath="PDF" FileName="…" FileSize="…" Hash="…"
 *           HashType="MD5"/&gt;&lt;/File&gt; …&lt;/Files&gt;
 *         &lt;Locations&gt;&lt;Location&gt;&lt;Custodian&gt;…&lt;/Custodian&gt;&lt;LocationURI&gt;…&lt;/LocationURI&gt;&lt;/Location&gt;&lt;/Locations&gt;
 *       &lt;/Document&gt;
 *     &lt;/Documents&gt;
 *     &lt;Relationships&gt;&lt;Relationship Type="Attachment" ParentDocId="…" ChildDocId="…"/&gt;&lt;/Relationships&gt;
 *   &lt;/Batch&gt;
 * &lt;/Root&gt;
 * </pre>
 *
 * UTF-8 without a byte-order mark, LF line ends, attributes in a fixed order: the same documents give the same
 * bytes. Characters XML 1.0 cannot hold (control characters other than tab and line breaks, unpaired surrogates)
 * are left out of values.
 */
public final class EdrmXml {

    /** A tag: an EDRM name ({@code #From}, {@code #To}, {@code #Subject}, {@code #DateSent}) or one of this tool's. */
    public record Tag(String name, String dataType, String value) {
    }

    /**
     * A file of a document.
     *
     * @param type   {@code Native}, {@code Text} or {@code Image}
     * @param folder the folder, relative to the production folder
     * @param name   the file name
     * @param size   its size in bytes
     * @param md5    its MD5, lower-case hex (the hash review platforms compare)
     */
    public record FileRef(String type, String folder, String name, long size, String md5) {
    }

    /** One document: its id (first Bates number), type, MIME type, tags, files and where it was collected. */
    public record Doc(String docId, String docType, String mimeType, List<Tag> tags, List<FileRef> files,
                      String custodian, String locationUri) {
    }

    private final List<Doc> docs = new ArrayList<>();
    private final List<String[]> relationships = new ArrayList<>();

    public void add(Doc d) {
        docs.add(d);
    }

    /** Records that {@code child} (a native) is an attachment of {@code parent} (its transcript). */
    public void attachment(String parent, String child) {
        relationships.add(new String[]{parent, child});
    }

    public List<Doc> documents() {
        return List.copyOf(docs);
    }

    /** The file's bytes, for the batch {@code batchName} (the volume). */
    public byte[] toBytes(String batchName, String description) {
        StringBuilder sb = new StringBuilder(4096 + docs.size() * 2048);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<Root DataInterchangeType=\"Export\" MajorVersion=\"1\" MinorVersion=\"2\" Description=\"")
                .append(attr(description)).append("\">\n");
        sb.append("  <Batch name=\"").append(attr(batchName)).append("\">\n");
        sb.append("    <Documents>\n");
        for (Doc d : docs) {
            sb.append("      <Document DocID=\"").append(attr(d.docId())).append("\" DocType=\"").append(attr(d.docType()))
                    .append("\" MimeType=\"").append(attr(d.mimeType())).append("\">\n");
            sb.append("        <Tags>\n");
            for (Tag t : d.tags()) {
                if (t.value() == null || t.value().isEmpty()) {
                    continue;
                }
                sb.append("          <Tag TagName=\"").append(attr(t.name())).append("\" TagDataType=\"")
                        .append(attr(t.dataType())).append("\" TagValue=\"").append(attr(t.value())).append("\"/>\n");
            }
            sb.append("        </Tags>\n");
            sb.append("        <Files>\n");
            for (FileRef f : d.files()) {
                sb.append("          <File FileType=\"").append(attr(f.type())).append("\">\n")
                        .append("            <ExternalFile FilePath=\"").append(attr(f.folder())).append("\" FileName=\"")
                        .append(attr(f.name())).append("\" FileSize=\"").append(f.size()).append("\" Hash=\"")
                        .append(attr(f.md5())).append("\" HashType=\"MD5\"/>\n")
                        .append("          </File>\n");
            }
            sb.append("        </Files>\n");
            sb.append("        <Locations>\n          <Location>\n            <Custodian>").append(text(d.custodian()))
                    .append("</Custodian>\n            <LocationURI>").append(text(d.locationUri()))
                    .append("</LocationURI>\n          </Location>\n        </Locations>\n");
            sb.append("      </Document>\n");
        }
        sb.append("    </Documents>\n");
        if (!relationships.isEmpty()) {
            sb.append("    <Relationships>\n");
            for (String[] r : relationships) {
                sb.append("      <Relationship Type=\"Attachment\" ParentDocId=\"").append(attr(r[0]))
                        .append("\" ChildDocId=\"").append(attr(r[1])).append("\"/>\n");
            }
            sb.append("    </Relationships>\n");
        }
        sb.append("  </Batch>\n</Root>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Text content: {@code < > &} escaped, characters XML cannot hold left out. */
    static String text(String s) {
        return escape(s, false);
    }

    /** An attribute value: also quotes escaped, and tabs and line breaks as character references (kept as such). */
    static String attr(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean attribute) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append(attribute ? "&quot;" : "\"");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append(attribute ? "&#13;" : "\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF) {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
