package org.chatarchive.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.chatarchive.model.Anchors;
import org.chatarchive.model.ConversationEntry;

/**
 * Links into the archive's HTML site: {@code html/<conversation folder>/p-<n>.html#<anchor>}, the page found
 * from the site's page map ({@code html/pages.json}: how many messages each page of each conversation holds).
 */
public final class HtmlPageLinks implements MessageLinks {

    private record Pages(String dir, long[] starts) {
    }

    private final Map<String, Pages> byConversation;

    private HtmlPageLinks(Map<String, Pages> byConversation) {
        this.byConversation = byConversation;
    }

    /** Links into the site of {@code archive}, or the store's links when it has no site (or an unreadable map). */
    public static MessageLinks of(Path archive) {
        Path map = archive.resolve("html").resolve("pages.json");
        if (!Files.isRegularFile(map)) {
            return STORE;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(map.toFile());
            Map<String, Pages> out = new HashMap<>();
            for (JsonNode c : root.path("conversations")) {
                JsonNode counts = c.path("pages");
                long[] starts = new long[counts.size()];
                long at = 0;
                for (int i = 0; i < counts.size(); i++) {
                    starts[i] = at;
                    at += counts.get(i).asLong();
                }
                out.put(c.path("id").asText(), new Pages(c.path("dir").asText(), starts));
            }
            return new HtmlPageLinks(out);
        } catch (IOException e) {
            return STORE;
        }
    }

    @Override
    public String link(ConversationEntry entry, String messageId, long ordinal) {
        Pages p = byConversation.get(entry.conversation().id());
        if (p == null || p.starts().length == 0) {
            return STORE.link(entry, messageId, ordinal);
        }
        int page = 0;
        while (page + 1 < p.starts().length && p.starts()[page + 1] <= ordinal) {
            page++;
        }
        return "html/" + p.dir() + "/p-" + (page + 1) + ".html#" + Anchors.htmlAnchor(messageId);
    }
}
