package org.chatarchive.renderers.production;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * The text of a native, for its {@code TEXT/<Bates>.txt} file: plain-text attachments as they are (when they are
 * UTF-8), PDF attachments through PDFBox's text extraction. Anything else (images, audio, video, other binary
 * formats) has no extracted text; its load-file row leaves TEXTPATH empty.
 */
final class NativeText {

    private static final Set<String> TEXT_EXTENSIONS = Set.of("txt", "text", "csv", "tsv", "md", "json", "xml",
            "html", "htm", "vcf", "ics", "log");

    private NativeText() {
    }

    /** The text of {@code file}, or null when it has none that can be taken out (or it is not what it claims). */
    static String extract(Path file, String contentType, String extension) throws IOException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        String ext = extension == null ? "" : extension.toLowerCase(Locale.ROOT);
        if (type.equals("application/pdf") || ext.equals("pdf")) {
            try (PDDocument doc = Loader.loadPDF(file.toFile())) {
                if (doc.isEncrypted()) {
                    return null;
                }
                return new PDFTextStripper().getText(doc);
            } catch (IOException e) {
                return null; // not a readable PDF: produced as a native only
            }
        }
        if (type.startsWith("text/") || TEXT_EXTENSIONS.contains(ext)) {
            byte[] bytes = Files.readAllBytes(file);
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                return s.startsWith("\uFEFF") ? s.substring(1) : s;
            } catch (CharacterCodingException e) {
                return null; // not UTF-8: left to the review platform, which can detect other encodings
            }
        }
        return null;
    }
}
