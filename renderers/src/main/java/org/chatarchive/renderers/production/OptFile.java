package org.chatarchive.renderers.production;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * An Opticon image cross-reference file (OPT): one line per single-page image, seven comma-separated fields
 * {@code PageID,Volume,ImagePath,DocBreak,FolderBreak,BoxBreak,PageCount}, {@code Y} and the page count on each
 * document's first page only, CRLF line ends, ANSI (Windows-1252) encoding, which is what Relativity requires.
 */
public final class OptFile {

    /** The OPT encoding. */
    public static final Charset ANSI = Charset.forName("windows-1252");

    /**
     * One page image.
     *
     * @param pageId    the page's Bates number
     * @param volume    the volume name
     * @param imagePath the image's path, relative, with {@code \} separators
     * @param docBreak  whether a document starts on this page
     * @param pageCount the document's pages, on its first page; 0 on the others
     */
    public record Page(String pageId, String volume, String imagePath, boolean docBreak, int pageCount) {
    }

    private final List<Page> pages = new ArrayList<>();

    /** Adds one document's pages: {@code ids} and {@code paths} in page order. */
    public void document(String volume, List<String> ids, List<String> paths) {
        if (ids.isEmpty() || ids.size() != paths.size()) {
            throw new IllegalArgumentException("a document needs one image path per page");
        }
        for (int i = 0; i < ids.size(); i++) {
            Page p = new Page(ids.get(i), volume, paths.get(i), i == 0, i == 0 ? ids.size() : 0);
            for (String v : List.of(p.pageId(), p.volume(), p.imagePath())) {
                if (v.indexOf(',') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("an OPT value cannot hold a comma or a line break: " + v);
                }
            }
            pages.add(p);
        }
    }

    public List<Page> pages() {
        return List.copyOf(pages);
    }

    /** The file's bytes. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder();
        for (Page p : pages) {
            sb.append(p.pageId()).append(',').append(p.volume()).append(',').append(p.imagePath()).append(',')
                    .append(p.docBreak() ? "Y" : "").append(",,,").append(p.docBreak() ? String.valueOf(p.pageCount()) : "")
                    .append("\r\n");
        }
        CharsetEncoder enc = ANSI.newEncoder();
        if (!enc.canEncode(sb)) {
            throw new IllegalArgumentException("an OPT file is ANSI (Windows-1252); a page id or path has a character"
                    + " it cannot hold");
        }
        return sb.toString().getBytes(ANSI);
    }

    /** Reads an OPT file: seven fields a line, CRLF (or LF) line ends, Windows-1252. */
    public static List<Page> parse(byte[] bytes) {
        List<Page> out = new ArrayList<>();
        int n = 0;
        for (String line : new String(bytes, ANSI).split("\r?\n")) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException("OPT line " + n + " has " + f.length + " fields, not 7: " + line);
            }
            boolean y = f[3].equals("Y");
            if (!y && !f[3].isEmpty()) {
                throw new IllegalArgumentException("OPT line " + n + ": the document break is Y or empty, not " + f[3]);
            }
            out.add(new Page(f[0], f[1], f[2], y, f[6].isEmpty() ? 0 : Integer.parseInt(f[6])));
        }
        return out;
    }
}
