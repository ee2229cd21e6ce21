package org.chatarchive.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.Participant;

/**
 * Picks conversations by {@code --conversation} selectors: an exact title, {@code /regex/} on titles, a phone
 * number {@code +15551234567} (direct chats with that person), or an id (the archive's {@code signal-conv:…}
 * or the source's own id). Every selector must match something, so a typo is never a silently empty export.
 */
final class ConversationSelector {

    private ConversationSelector() {
    }

    static List<Conversation> select(List<Conversation> all, Map<String, Participant> people, List<String> selectors) {
        if (selectors == null || selectors.isEmpty()) {
            return all;
        }
        Set<Conversation> chosen = new LinkedHashSet<>();
        for (String sel : selectors) {
            List<Conversation> hits = new ArrayList<>();
            for (Conversation c : all) {
                if (matches(c, people, sel)) {
                    hits.add(c);
                }
            }
            if (hits.isEmpty()) {
                throw new UserError(ExitCode.USAGE, "--conversation '" + sel + "' matches none of the " + all.size()
                        + " conversations" + sample(all) + ". Use the exact title, /regex/, +phone or an id.");
            }
            chosen.addAll(hits);
        }
        // Keep the source's order, whatever the order of the selectors.
        List<Conversation> out = new ArrayList<>();
        for (Conversation c : all) {
            if (chosen.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean matches(Conversation c, Map<String, Participant> people, String sel) {
        if (sel.length() >= 2 && sel.startsWith("/") && sel.endsWith("/")) {
            try {
                return Pattern.compile(sel.substring(1, sel.length() - 1), Pattern.UNICODE_CASE).matcher(c.title()).find();
            } catch (PatternSyntaxException e) {
                throw new UserError(ExitCode.USAGE, "--conversation " + sel + " is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        if (sel.startsWith("+")) {
            String digits = sel.replaceAll("[\\s().-]", "");
            for (String pid : c.participantIds()) {
                Participant p = people.get(pid);
                if (p != null && !p.owner() && digits.equals(p.phone()) && c.participantIds().size() <= 2) {
                    return true;
                }
            }
            return false;
        }
        return c.title().equals(sel) || c.id().equals(sel) || c.id().endsWith(":" + sel)
                || sel.equals(c.extra().get("sourceRowId"));
    }

    private static String sample(List<Conversation> all) {
        if (all.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        for (int i = 0; i < Math.min(8, all.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(all.get(i).title()).append('"');
        }
        return sb.append(all.size() > 8 ? ", ...)" : ")").toString();
    }
}
