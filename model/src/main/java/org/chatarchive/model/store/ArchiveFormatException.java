package org.chatarchive.model.store;

/**
 * An archive file is not what the format says: bad JSON, a missing field, counts that do not add up. Names the
 * file (relative to the archive root) and, for JSON Lines files, the 1-based line.
 */
public class ArchiveFormatException extends RuntimeException {

    private final String file;
    private final long line;

    public ArchiveFormatException(String file, long line, String problem, Throwable cause) {
        super(file + (line > 0 ? " line " + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    public ArchiveFormatException(String file, String problem) {
        this(file, 0, problem, null);
    }

    /** The file, relative to the archive root. */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when not about one line. */
    public long line() {
        return line;
    }
}
