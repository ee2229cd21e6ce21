package org.chatarchive.readers.signal.desktop;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a Signal group change ({@code groupV2Change: {from, details: [...]}}) into a readable summary and the
 * participants it was about, the way the app words it ("Alice added Bob.", "Alice changed the group name to
 * “Hikers”."). Detail types the summary does not know are named as they are, never dropped.
 */
final class GroupChanges {

    /** A summary and the participants it concerns. */
    record Summary(String actorId, String text, List<String> targetIds) {
    }

    /** Member role: {@code Member.Role.ADMINISTRATOR} in Signal's group protocol. */
    private static final int ROLE_ADMIN = 2;

    private final Directory directory;

    GroupChanges(Directory directory) {
        this.directory = directory;
    }

    Summary summarize(JsonNode change, String fallbackActor) {
        String actor = ref(change, "from");
        if (actor == null) {
            actor = fallbackActor;
        }
        String who = actor == null ? "A member" : name(actor);
        List<String> lines = new ArrayList<>();
        Set<String> targets = new LinkedHashSet<>();
        for (JsonNode d : change.path("details")) {
            String type = d.path("type").asText("");
            String target = member(d);
            if (target != null) {
                targets.add(target);
            }
            String them = target == null ? "someone" : name(target);
            lines.add(switch (type) {
                case "create" -> who + " created the group.";
                case "title" -> d.hasNonNull("newTitle")
                        ? who + " changed the group name to \u201c" + d.get("newTitle").asText() + "\u201d."
                        : who + " removed the group name.";
                case "avatar" -> d.path("removed").asBoolean(false) ? who + " removed the group avatar."
                        : who + " changed the group avatar.";
                case "description" -> d.path("removed").asBoolean(false) ? who + " removed the group description."
                        : who + " changed the group description" + quoted(d, "description") + ".";
                case "access-attributes" -> who + " changed who can edit group info to "
                        + access(d.path("newPrivilege").asInt()) + ".";
                case "access-members" -> who + " changed who can add members to "
                        + access(d.path("newPrivilege").asInt()) + ".";
                case "access-invite-link" -> who + " changed whether new members via the group link need approval.";
                case "announcements-only" -> d.path("announcementsOnly").asBoolean(false)
                        ? who + " allowed only admins to send messages." : who + " allowed all members to send messages.";
                case "member-add" -> target != null && target.equals(actor) ? them + " joined the group."
                        : who + " added " + them + ".";
                case "member-add-from-invite" -> them + " accepted an invitation to the group"
                        + (ref(d, "inviter") != null ? " from " + name(ref(d, "inviter")) : "") + ".";
                case "member-add-from-link" -> them + " joined the group via the group link.";
                case "member-add-from-admin-approval" -> who + " approved a request to join from " + them + ".";
                case "member-privilege" -> d.path("newPrivilege").asInt() == ROLE_ADMIN
                        ? who + " made " + them + " an admin." : who + " revoked admin privileges from " + them + ".";
                case "member-remove" -> target != null && target.equals(actor) ? them + " left the group."
                        : who + " removed " + them + ".";
                case "pending-add-one" -> who + " invited " + them + " to the group.";
                case "pending-add-many" -> who + " invited " + d.path("count").asInt() + " people to the group.";
                case "pending-remove-one" -> "An invitation to the group for " + them + " was revoked.";
                case "pending-remove-many" -> who + " revoked " + d.path("count").asInt() + " invitations to the group.";
                case "admin-approval-add-one" -> them + " requested to join via the group link.";
                case "admin-approval-remove-one" -> them + "'s request to join was withdrawn or denied.";
                case "admin-approval-bounce" -> them + " requested and cancelled a request to join several times.";
                case "group-link-add" -> who + " turned on the group link.";
                case "group-link-reset" -> who + " reset the group link.";
                case "group-link-remove" -> who + " turned off the group link.";
                case "summary" -> "The group was changed.";
                default -> "Group change \u201c" + type + "\u201d.";
            });
        }
        String text = lines.isEmpty() ? who + " changed the group." : String.join(" ", lines);
        return new Summary(actor, text, List.copyOf(targets));
    }

    /** The member a detail is about, whichever field names them in this schema era. */
    private String member(JsonNode d) {
        for (String f : List.of("aci", "serviceId", "uuid")) {
            String v = Names.text(d, f);
            if (v != null) {
                return directory.participantForAci(v);
            }
        }
        String conv = Names.text(d, "conversationId");
        return conv == null ? null : directory.participantForReference(conv);
    }

    private String ref(JsonNode node, String field) {
        String v = Names.text(node, field);
        if (v == null) {
            return null;
        }
        // Newer data holds an ACI; older data a conversation id or an E.164 number.
        return v.matches("[0-9a-fA-F-]{36}") && directory.knowsReference(v) ? directory.participantForReference(v)
                : v.matches("[0-9a-fA-F-]{36}") ? directory.participantForAci(v) : directory.participantForReference(v);
    }

    private String name(String participantId) {
        return directory.displayName(participantId);
    }

    private static String quoted(JsonNode d, String field) {
        String v = Names.text(d, field);
        return v == null ? "" : " to \u201c" + v + "\u201d";
    }

    private static String access(int privilege) {
        return switch (privilege) {
            case 1 -> "anyone";
            case 2 -> "all members";
            case 3 -> "only admins";
            default -> "an unknown setting (" + privilege + ")";
        };
    }
}
