package org.chatarchive.readers.telegram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.chatarchive.model.BodyRange;
import org.chatarchive.model.RangeStyle;

/**
 * A message's text: the body built from {@code text_entities} (exports from 2022-09 on) or from {@code text} (a
 * string, or an array of strings and entity objects), styles and resolvable mentions as {@link BodyRange}s in
 * UTF-16 code units, and every other entity (links, hashtags, custom emoji, blockquotes, unresolved mentions, ...)
 * as {@code {type, start, length, text?, href?, userId?, documentId?, language?}} maps for {@code extra.entities}.
 *
 * @param body          the text, empty when there is none
 * @param ranges        styles and mentions
 * @param extraEntities entities the model has no style for
 */
record Text(String body, List<BodyRange> ranges, List<Map<String, Object>> extraEntities) {

    static Text of(JsonNode message, Participants people) {
        JsonNode entities = message.get("text_entities");
        JsonNode source = entities != null && entities.isArray() ? entities : message.get("text");
        StringBuilder body = new StringBuilder();
        List<BodyRange> ranges = new ArrayList<>();
        List<Map<String, Object>> extra = new ArrayList<>();
        if (source == null || source.isNull()) {
            return new Text("", ranges, extra);
        }
        if (!source.isArray()) {
            return new Text(source.asText(), ranges, extra);
        }
        for (JsonNode part : source) {
            if (!part.isObject()) {
                body.append(part.isNull() ? "" : part.asText());
                continue;
            }
            String type = TelegramExportReader.text(part.get("type"));
            String text = part.hasNonNull("text") ? part.get("text").asText() : "";
            int start = body.length();
            body.append(text);
            int length = text.length();
            if (type == null || "plain".equals(type)) {
                continue;
            }
            RangeStyle style = switch (type) {
                case "bold" -> RangeStyle.BOLD;
                case "italic" -> RangeStyle.ITALIC;
                case "strikethrough" -> RangeStyle.STRIKETHROUGH;
                case "spoiler" -> RangeStyle.SPOILER;
                case "code", "pre" -> RangeStyle.MONOSPACE;
                default -> null;
            };
            String mentionId = null;
            if ("mention_name".equals(type)) {
                mentionId = Participants.idOf(part.get("user_id"));
            } else if ("mention".equals(type)) {
                mentionId = people.byUsername(text);
            }
            if (mentionId != null) {
                ranges.add(new BodyRange(start, length, RangeStyle.MENTION, mentionId));
                continue;
            }
            if (style != null) {
                if (length > 0) {
                    ranges.add(new BodyRange(start, length, style, null));
                }
                if (!"pre".equals(type) || !part.hasNonNull("language") || part.get("language").asText().isEmpty()) {
                    continue;
                }
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", type);
            e.put("start", start);
            e.put("length", length);
            copy(part, "href", e, "href");
            copy(part, "user_id", e, "userId");
            copy(part, "document_id", e, "documentId");
            copy(part, "language", e, "language");
            extra.add(e);
        }
        return new Text(body.toString(), ranges, extra);
    }

    private static void copy(JsonNode part, String from, Map<String, Object> to, String key) {
        JsonNode n = part.get(from);
        if (n != null && !n.isNull()) {
            to.put(key, n.isNumber() ? n.numberValue() : n.asText());
        }
    }
}
