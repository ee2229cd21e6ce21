package org.chatarchive.renderers.html;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.Availability;
import org.chatarchive.model.ConversationEntry;
import org.chatarchive.model.store.ArchiveLayout;

/**
 * Names and links inside the site: {@code html/index.html}, {@code html/c-<16 hex>/p-<n>.html}, message anchors
 * {@code #m-<id>}, and attachments referenced in place from the archive's store.
 */
public final class Links {

    /** The site's folder inside the archive. */
    public static final String SITE_DIR = "html";
    /** The index page, relative to the site folder. */
    public static final String INDEX = "index.html";

    private Links() {
    }

    /**
     * The anchor of a message: {@code m-} and the id with every character other than ASCII letters, digits and
     * {@code -} written as {@code _} and two hex digits per UTF-8 byte ({@code signal-msg:1a2b} becomes
     * {@code m-signal-msg_3a1a2b}). Stable, unique per id, and valid in both {@code id} attributes and URL fragments.
     */
    public static String anchor(String messageId) {
        return org.chatarchive.model.Anchors.htmlAnchor(messageId);
    }

    /** The folder of a conversation's pages inside the site: {@code c-<16 hex>}, the name of its messages file. */
    public static String conversationDir(ConversationEntry entry) {
        String f = entry.messagesFile();
        return f.substring(f.lastIndexOf('/') + 1, f.length() - ".jsonl".length());
    }

    /** A page's file name inside its conversation's folder: {@code p-1.html} for the first. */
    public static String pageFile(int page) {
        return "p-" + page + ".html";
    }

    /** A page's path relative to the site folder, e.g. {@code c-0a1b2c3d4e5f6071/p-1.html}. */
    public static String pagePath(ConversationEntry entry, int page) {
        return conversationDir(entry) + "/" + pageFile(page);
    }

    /**
     * The link to an attachment's bytes from a page {@code toRoot} below the archive root ({@code "../../"} for
     * a conversation page), or null when the bytes are not in the archive's store. Paths that are not exactly a
     * store path (e.g. {@code ../}) are never linked.
     */
    static String attachmentHref(Attachment a, String toRoot) {
        if (a == null || a.availability() != Availability.STORED || a.storePath() == null
                || !ArchiveLayout.STORE_PATH.matcher(a.storePath()).matches()) {
            return null;
        }
        return toRoot + a.storePath();
    }

    /** Whether {@code url} is an http(s) link that may be made clickable; anything else is shown as text. */
    static boolean isWebLink(String url) {
        if (url == null) {
            return false;
        }
        String u = url.strip().toLowerCase(Locale.ROOT);
        return (u.startsWith("https://") || u.startsWith("http://")) && u.length() > 8
                && u.chars().noneMatch(ch -> ch <= ' ' || ch == '"' || ch == '<' || ch == '>' || ch == '\\');
    }
}
