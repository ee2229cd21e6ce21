package org.chatarchive.renderers.rsmf;

/**
 * One finding of an RSMF check.
 *
 * @param severity whether it fails the file or only may change how a review platform shows it
 * @param category a Relativity-style category, e.g. {@code ManifestSchemaViolation},
 *                 {@code ManifestInvalidEventParticipant}, {@code AttachmentNotFound}, {@code UnreferencedFile},
 *                 {@code EmlExtraAttachment}
 * @param layer    the layer it was found in: {@code eml}, {@code zip} or {@code manifest}
 * @param where    a JSON path, header name, zip entry name or line number; may be empty
 * @param message  a sentence saying what is wrong
 */
public record RsmfProblem(Severity severity, String category, String layer, String where, String message) {

    /** How bad a finding is. */
    public enum Severity {
        /** The file fails validation. */
        ERROR,
        /** The file passes with warnings. */
        WARNING
    }

    /** One line for a person: {@code ERROR ManifestSchemaViolation [manifest $.participants[0]] ...}. */
    @Override
    public String toString() {
        return severity + " " + category + " [" + layer + (where == null || where.isEmpty() ? "" : " " + where) + "] "
                + message;
    }
}
