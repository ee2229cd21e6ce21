package org.chatarchive.readers.signal.backup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.ByteString;

import org.chatarchive.model.CallInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EventType;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.readers.signal.backup.proto.Backup;
import org.chatarchive.readers.signal.backup.proto.Backup.GroupChangeChatUpdate.Update;

/** Turns a {@link Backup.ChatUpdateMessage} (every update kind) into a typed {@link SystemEvent}. */
final class Updates {

    private Updates() {
    }

    static SystemEvent event(Backup.ChatUpdateMessage u, String author, Conversation conv, Directory dir) {
        String who = dir.name(author);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("signalUpdate", u.getUpdateCase().name().toLowerCase(Locale.ROOT));
        switch (u.getUpdateCase()) {
            case SIMPLEUPDATE -> {
                Backup.SimpleChatUpdate.Type t = u.getSimpleUpdate().getType();
                details.put("type", t == Backup.SimpleChatUpdate.Type.UNRECOGNIZED
                        ? String.valueOf(u.getSimpleUpdate().getTypeValue()) : t.name());
                return simple(t, author, who, details);
            }
            case GROUPCHANGE -> {
                return groupChange(u.getGroupChange(), dir, details);
            }
            case EXPIRATIONTIMERCHANGE -> {
                long ms = u.getExpirationTimerChange().getExpiresInMs();
                int seconds = (int) Math.min(Integer.MAX_VALUE, ms / 1000);
                return new SystemEvent(EventType.TIMER_CHANGE, author, null, seconds == 0
                        ? who + " turned off disappearing messages."
                        : who + " set the disappearing message timer to " + duration(seconds) + ".", null, seconds,
                        details);
            }
            case PROFILECHANGE -> {
                Backup.ProfileChangeChatUpdate p = u.getProfileChange();
                details.put("previousName", p.getPreviousName());
                details.put("newName", p.getNewName());
                return new SystemEvent(EventType.PROFILE_CHANGE, author, null, p.getPreviousName()
                        + " changed their profile name to " + p.getNewName() + ".", null, null, details);
            }
            case THREADMERGE -> {
                String phone = "+" + Long.toUnsignedString(u.getThreadMerge().getPreviousE164());
                details.put("previousE164", phone);
                return new SystemEvent(EventType.CONVERSATION_MERGE, author, null, "Your message history with "
                        + who + " and their number " + phone + " has been merged.", null, null, details);
            }
            case SESSIONSWITCHOVER -> {
                String phone = "+" + Long.toUnsignedString(u.getSessionSwitchover().getE164());
                details.put("e164", phone);
                return new SystemEvent(EventType.CONVERSATION_MERGE, author, null, phone + " belongs to " + who
                        + ".", null, null, details);
            }
            case INDIVIDUALCALL -> {
                Backup.IndividualCall c = u.getIndividualCall();
                CallInfo info = ItemMapper.call(c);
                if (c.hasCallId()) {
                    details.put("callId", Long.toUnsignedString(c.getCallId()));
                }
                String kind = "video".equals(info.media()) ? "video call" : "voice call";
                String text = switch (info.status()) {
                    case "missed", "missed-notification-profile" -> "Missed " + kind + ".";
                    case "not-accepted" -> info.direction() == Direction.OUTGOING ? "Unanswered " + kind + "."
                            : "Declined " + kind + ".";
                    default -> (info.direction() == Direction.OUTGOING ? "Outgoing " : "Incoming ") + kind + ".";
                };
                return new SystemEvent(EventType.CALL, author, null, text, info, null, details);
            }
            case GROUPCALL -> {
                Backup.GroupCall c = u.getGroupCall();
                String starter = c.hasStartedCallRecipientId() ? dir.ofRecipient(c.getStartedCallRecipientId()) : null;
                String ringer = c.hasRingerRecipientId() ? dir.ofRecipient(c.getRingerRecipientId()) : null;
                boolean mine = dir.ownerId().equals(starter) || dir.ownerId().equals(ringer)
                        || c.getState() == Backup.GroupCall.State.OUTGOING_RING;
                Long duration = c.hasEndedCallTimestamp() && c.getStartedCallTimestamp() != 0
                        && c.getEndedCallTimestamp() >= c.getStartedCallTimestamp()
                        ? c.getEndedCallTimestamp() - c.getStartedCallTimestamp() : null;
                String status = c.getState() == Backup.GroupCall.State.UNKNOWN_STATE ? "generic"
                        : c.getState().name().toLowerCase(Locale.ROOT).replace('_', '-');
                if (c.hasCallId()) {
                    details.put("callId", Long.toUnsignedString(c.getCallId()));
                }
                if (ringer != null) {
                    details.put("ringerId", ringer);
                }
                CallInfo info = new CallInfo("group", mine ? Direction.OUTGOING : Direction.INCOMING, status,
                        c.getStartedCallTimestamp() == 0 ? null : c.getStartedCallTimestamp(), duration);
                String by = starter != null ? starter : ringer;
                return new SystemEvent(EventType.CALL, by, null, dir.name(by) + " started a group call.", info, null,
                        details);
            }
            case LEARNEDPROFILECHANGE -> {
                Backup.LearnedProfileChatUpdate l = u.getLearnedProfileChange();
                String previous = l.hasE164() ? "+" + Long.toUnsignedString(l.getE164())
                        : l.hasUsername() ? l.getUsername() : "";
                details.put("previousName", previous);
                return new SystemEvent(EventType.PROFILE_CHANGE, author, null, "You started this chat with "
                        + (previous.isEmpty() ? "a number or username" : previous) + ", now known as " + who + ".",
                        null, null, details);
            }
            case POLLTERMINATE -> {
                Backup.PollTerminateUpdate p = u.getPollTerminate();
                details.put("targetMessageId", ItemMapper.messageId(conv.id(), author, p.getTargetSentTimestamp()));
                details.put("question", p.getQuestion());
                return new SystemEvent(EventType.POLL_END, author, null, who + " ended the poll \"" + p.getQuestion()
                        + "\".", null, null, details);
            }
            case PINMESSAGE -> {
                Backup.PinMessageUpdate p = u.getPinMessage();
                String target = dir.ofRecipient(p.getAuthorId());
                details.put("targetMessageId", ItemMapper.messageId(conv.id(), target, p.getTargetSentTimestamp()));
                details.put("targetSentAt", p.getTargetSentTimestamp());
                return new SystemEvent(EventType.PIN, author, target == null ? null : List.of(target), who
                        + " pinned a message.", null, null, details);
            }
            default -> {
                return new SystemEvent(EventType.OTHER, author, null, "An update of a kind this version does not"
                        + " know.", null, null, details);
            }
        }
    }

    private static SystemEvent simple(Backup.SimpleChatUpdate.Type t, String author, String who,
                                      Map<String, Object> details) {
        List<String> target = author == null ? null : List.of(author);
        return switch (t) {
            case JOINED_SIGNAL -> new SystemEvent(EventType.JOINED, author, null, who + " is on Signal.", null, null,
                    details);
            case IDENTITY_UPDATE -> new SystemEvent(EventType.SAFETY_NUMBER_CHANGE, null, target,
                    "Your safety number with " + who + " has changed.", null, null, details);
            case IDENTITY_VERIFIED -> new SystemEvent(EventType.VERIFIED_CHANGE, null, target,
                    "You marked your safety number with " + who + " verified.", null, null, details);
            case IDENTITY_DEFAULT -> new SystemEvent(EventType.VERIFIED_CHANGE, null, target,
                    "You marked your safety number with " + who + " unverified.", null, null, details);
            case CHANGE_NUMBER -> new SystemEvent(EventType.NUMBER_CHANGE, author, null, who
                    + " changed their phone number.", null, null, details);
            case END_SESSION, CHAT_SESSION_REFRESH -> new SystemEvent(EventType.SESSION_REFRESH, author, null,
                    "Chat session refreshed.", null, null, details);
            case BAD_DECRYPT -> new SystemEvent(EventType.DELIVERY_ISSUE, author, null, "A message from " + who
                    + " could not be delivered.", null, null, details);
            case MESSAGE_REQUEST_ACCEPTED -> new SystemEvent(EventType.MESSAGE_REQUEST, author, null,
                    "You accepted the message request.", null, null, details);
            case BLOCKED -> new SystemEvent(EventType.MESSAGE_REQUEST, author, null, "You blocked " + who + ".",
                    null, null, details);
            case UNBLOCKED -> new SystemEvent(EventType.MESSAGE_REQUEST, author, null, "You unblocked " + who + ".",
                    null, null, details);
            case REPORTED_SPAM -> new SystemEvent(EventType.MESSAGE_REQUEST, author, null, "You reported " + who
                    + " as spam.", null, null, details);
            case PAYMENTS_ACTIVATED -> new SystemEvent(EventType.OTHER, author, null, who + " activated payments.",
                    null, null, details);
            case PAYMENT_ACTIVATION_REQUEST -> new SystemEvent(EventType.OTHER, author, null, who
                    + " asked you to activate payments.", null, null, details);
            case UNSUPPORTED_PROTOCOL_MESSAGE -> new SystemEvent(EventType.DELIVERY_ISSUE, author, null, who
                    + " sent a message this Signal version could not process.", null, null, details);
            case RELEASE_CHANNEL_DONATION_REQUEST -> new SystemEvent(EventType.OTHER, author, null,
                    "Signal asked for a donation.", null, null, details);
            default -> new SystemEvent(EventType.OTHER, author, null, "A notice of a kind this version does not"
                    + " know.", null, null, details);
        };
    }

    /** One batched group change: the actor of its first part, everyone it was about, one sentence per part. */
    private static SystemEvent groupChange(Backup.GroupChangeChatUpdate g, Directory dir,
                                           Map<String, Object> details) {
        String actor = null;
        Set<String> targets = new LinkedHashSet<>();
        List<String> sentences = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        Integer timer = null;
        for (Update u : g.getUpdatesList()) {
            kinds.add(u.getUpdateCase() == Update.UpdateCase.UPDATE_NOT_SET ? "genericGroupUpdate"
                    : lowerFirst(u.getUpdateCase().name()));
            Part p = part(u, dir);
            if (actor == null && p.actor != null) {
                actor = p.actor;
            }
            if (p.target != null) {
                targets.add(p.target);
            }
            if (p.timerSeconds != null) {
                timer = p.timerSeconds;
            }
            sentences.add(p.text);
        }
        details.put("updates", kinds);
        return new SystemEvent(EventType.GROUP_CHANGE, actor, new ArrayList<>(targets), String.join(" ", sentences),
                null, timer, details);
    }

    private record Part(String actor, String target, String text, Integer timerSeconds) {
        Part(String actor, String target, String text) {
            this(actor, target, text, null);
        }
    }

    private static Part part(Update u, Directory dir) {
        switch (u.getUpdateCase()) {
            case GENERICGROUPUPDATE -> {
                String a = aci(dir, u.getGenericGroupUpdate().getUpdaterAci());
                return new Part(a, null, dir.name(a) + " updated the group.");
            }
            case GROUPCREATIONUPDATE -> {
                String a = aci(dir, u.getGroupCreationUpdate().getUpdaterAci());
                return new Part(a, null, dir.name(a) + " created the group.");
            }
            case GROUPNAMEUPDATE -> {
                Backup.GroupNameUpdate x = u.getGroupNameUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, x.hasNewGroupName() ? dir.name(a) + " changed the group name to \""
                        + x.getNewGroupName() + "\"." : dir.name(a) + " removed the group name.");
            }
            case GROUPAVATARUPDATE -> {
                String a = aci(dir, u.getGroupAvatarUpdate().getUpdaterAci());
                return new Part(a, null, dir.name(a) + (u.getGroupAvatarUpdate().getWasRemoved()
                        ? " removed the group avatar." : " changed the group avatar."));
            }
            case GROUPDESCRIPTIONUPDATE -> {
                Backup.GroupDescriptionUpdate x = u.getGroupDescriptionUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, x.hasNewDescription() ? dir.name(a) + " changed the group description."
                        : dir.name(a) + " removed the group description.");
            }
            case GROUPMEMBERSHIPACCESSLEVELCHANGEUPDATE -> {
                var x = u.getGroupMembershipAccessLevelChangeUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, dir.name(a) + " changed who can add members to \""
                        + level(x.getAccessLevel()) + "\".");
            }
            case GROUPATTRIBUTESACCESSLEVELCHANGEUPDATE -> {
                var x = u.getGroupAttributesAccessLevelChangeUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, dir.name(a) + " changed who can edit group info to \""
                        + level(x.getAccessLevel()) + "\".");
            }
            case GROUPANNOUNCEMENTONLYCHANGEUPDATE -> {
                var x = u.getGroupAnnouncementOnlyChangeUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, dir.name(a) + (x.getIsAnnouncementOnly()
                        ? " allowed only admins to send messages." : " allowed all members to send messages."));
            }
            case GROUPADMINSTATUSUPDATE -> {
                var x = u.getGroupAdminStatusUpdate();
                String a = aci(dir, x.getUpdaterAci());
                String m = aci(dir, x.getMemberAci());
                return new Part(a, m, dir.name(a) + (x.getWasAdminStatusGranted() ? " made " : " revoked admin from ")
                        + dir.name(m) + (x.getWasAdminStatusGranted() ? " an admin." : "."));
            }
            case GROUPMEMBERLEFTUPDATE -> {
                String m = aci(dir, u.getGroupMemberLeftUpdate().getAci());
                return new Part(m, m, dir.name(m) + " left the group.");
            }
            case GROUPMEMBERREMOVEDUPDATE -> {
                var x = u.getGroupMemberRemovedUpdate();
                String a = aci(dir, x.getRemoverAci());
                String m = aci(dir, x.getRemovedAci());
                return new Part(a, m, dir.name(a) + " removed " + dir.name(m) + ".");
            }
            case SELFINVITEDTOGROUPUPDATE -> {
                String a = aci(dir, u.getSelfInvitedToGroupUpdate().getInviterAci());
                return new Part(a, dir.ownerId(), dir.name(a) + " invited you to the group.");
            }
            case SELFINVITEDOTHERUSERTOGROUPUPDATE -> {
                String m = aci(dir, u.getSelfInvitedOtherUserToGroupUpdate().getInviteeServiceId());
                return new Part(dir.ownerId(), m, "You invited " + dir.name(m) + " to the group.");
            }
            case GROUPUNKNOWNINVITEEUPDATE -> {
                var x = u.getGroupUnknownInviteeUpdate();
                String a = aci(dir, x.getInviterAci());
                return new Part(a, null, dir.name(a) + " invited " + x.getInviteeCount() + " "
                        + (x.getInviteeCount() == 1 ? "person" : "people") + " to the group.");
            }
            case GROUPINVITATIONACCEPTEDUPDATE -> {
                var x = u.getGroupInvitationAcceptedUpdate();
                String m = aci(dir, x.getNewMemberAci());
                return new Part(m, m, dir.name(m) + " accepted an invitation to the group.");
            }
            case GROUPINVITATIONDECLINEDUPDATE -> {
                var x = u.getGroupInvitationDeclinedUpdate();
                String m = aci(dir, x.getInviteeAci());
                return new Part(m, m, (m == null ? "An invited person" : dir.name(m))
                        + " declined the invitation to the group.");
            }
            case GROUPMEMBERJOINEDUPDATE -> {
                String m = aci(dir, u.getGroupMemberJoinedUpdate().getNewMemberAci());
                return new Part(m, m, dir.name(m) + " joined the group.");
            }
            case GROUPMEMBERADDEDUPDATE -> {
                var x = u.getGroupMemberAddedUpdate();
                String a = aci(dir, x.getUpdaterAci());
                String m = aci(dir, x.getNewMemberAci());
                return new Part(a, m, dir.name(a) + " added " + dir.name(m) + ".");
            }
            case GROUPSELFINVITATIONREVOKEDUPDATE -> {
                String a = aci(dir, u.getGroupSelfInvitationRevokedUpdate().getRevokerAci());
                return new Part(a, dir.ownerId(), dir.name(a) + " revoked your invitation to the group.");
            }
            case GROUPINVITATIONREVOKEDUPDATE -> {
                var x = u.getGroupInvitationRevokedUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, dir.name(a) + " revoked " + x.getInviteesCount() + " "
                        + (x.getInviteesCount() == 1 ? "invitation" : "invitations") + " to the group.");
            }
            case GROUPJOINREQUESTUPDATE -> {
                String m = aci(dir, u.getGroupJoinRequestUpdate().getRequestorAci());
                return new Part(m, m, dir.name(m) + " asked to join the group.");
            }
            case GROUPJOINREQUESTAPPROVALUPDATE -> {
                var x = u.getGroupJoinRequestApprovalUpdate();
                String a = aci(dir, x.getUpdaterAci());
                String m = aci(dir, x.getRequestorAci());
                return new Part(a, m, dir.name(a) + (x.getWasApproved() ? " approved " : " denied ")
                        + "the request of " + dir.name(m) + " to join the group.");
            }
            case GROUPJOINREQUESTCANCELEDUPDATE -> {
                String m = aci(dir, u.getGroupJoinRequestCanceledUpdate().getRequestorAci());
                return new Part(m, m, dir.name(m) + " cancelled their request to join the group.");
            }
            case GROUPSEQUENCEOFREQUESTSANDCANCELSUPDATE -> {
                var x = u.getGroupSequenceOfRequestsAndCancelsUpdate();
                String m = aci(dir, x.getRequestorAci());
                return new Part(m, m, dir.name(m) + " requested and cancelled their request to join "
                        + x.getCount() + " times.");
            }
            case GROUPINVITELINKRESETUPDATE -> {
                String a = aci(dir, u.getGroupInviteLinkResetUpdate().getUpdaterAci());
                return new Part(a, null, dir.name(a) + " reset the group link.");
            }
            case GROUPINVITELINKENABLEDUPDATE -> {
                var x = u.getGroupInviteLinkEnabledUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, dir.name(a) + " turned on the group link"
                        + (x.getLinkRequiresAdminApproval() ? " with admin approval." : "."));
            }
            case GROUPINVITELINKADMINAPPROVALUPDATE -> {
                var x = u.getGroupInviteLinkAdminApprovalUpdate();
                String a = aci(dir, x.getUpdaterAci());
                return new Part(a, null, dir.name(a) + (x.getLinkRequiresAdminApproval()
                        ? " turned on admin approval for the group link."
                        : " turned off admin approval for the group link."));
            }
            case GROUPINVITELINKDISABLEDUPDATE -> {
                String a = aci(dir, u.getGroupInviteLinkDisabledUpdate().getUpdaterAci());
                return new Part(a, null, dir.name(a) + " turned off the group link.");
            }
            case GROUPMEMBERJOINEDBYLINKUPDATE -> {
                String m = aci(dir, u.getGroupMemberJoinedByLinkUpdate().getNewMemberAci());
                return new Part(m, m, dir.name(m) + " joined the group via the group link.");
            }
            case GROUPV2MIGRATIONUPDATE -> {
                return new Part(null, null, "This group was upgraded to a new group.");
            }
            case GROUPV2MIGRATIONSELFINVITEDUPDATE -> {
                return new Part(null, dir.ownerId(), "You could not be added to the new group and were invited.");
            }
            case GROUPV2MIGRATIONINVITEDMEMBERSUPDATE -> {
                int n = u.getGroupV2MigrationInvitedMembersUpdate().getInvitedMembersCount();
                return new Part(null, null, n + " " + (n == 1 ? "member" : "members")
                        + " could not be added to the new group and were invited.");
            }
            case GROUPV2MIGRATIONDROPPEDMEMBERSUPDATE -> {
                int n = u.getGroupV2MigrationDroppedMembersUpdate().getDroppedMembersCount();
                return new Part(null, null, n + " " + (n == 1 ? "member" : "members")
                        + " could not be added to the new group and were removed.");
            }
            case GROUPEXPIRATIONTIMERUPDATE -> {
                var x = u.getGroupExpirationTimerUpdate();
                String a = aci(dir, x.getUpdaterAci());
                int seconds = (int) Math.min(Integer.MAX_VALUE, x.getExpiresInMs() / 1000);
                return new Part(a, null, seconds == 0 ? dir.name(a) + " turned off disappearing messages."
                        : dir.name(a) + " set the disappearing message timer to " + duration(seconds) + ".", seconds);
            }
            case GROUPMEMBERLABELACCESSLEVELCHANGEUPDATE -> {
                String a = aci(dir, u.getGroupMemberLabelAccessLevelChangeUpdate().getUpdaterAci());
                return new Part(a, null, dir.name(a) + " changed who can set member labels.");
            }
            case GROUPTERMINATECHANGEUPDATE -> {
                String a = aci(dir, u.getGroupTerminateChangeUpdate().getUpdaterAci());
                return new Part(a, null, dir.name(a) + " ended the group.");
            }
            default -> {
                return new Part(null, null, "The group was updated.");
            }
        }
    }

    private static String aci(Directory dir, ByteString raw) {
        return dir.ofAci(raw);
    }

    private static String level(Backup.GroupV2AccessLevel l) {
        return switch (l) {
            case ANY -> "anyone";
            case MEMBER -> "all members";
            case ADMINISTRATOR -> "only admins";
            default -> "nobody";
        };
    }

    static String duration(int seconds) {
        if (seconds % 604800 == 0) {
            return plural(seconds / 604800, "week");
        }
        if (seconds % 86400 == 0) {
            return plural(seconds / 86400, "day");
        }
        if (seconds % 3600 == 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(int n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static String lowerFirst(String enumName) {
        // GROUPNAMEUPDATE → the proto field name, found through the descriptor, keeps camel case.
        for (com.google.protobuf.Descriptors.FieldDescriptor f : Update.getDescriptor().getFields()) {
            if (f.getName().toUpperCase(Locale.ROOT).equals(enumName)) {
                return f.getName();
            }
        }
        return enumName.toLowerCase(Locale.ROOT);
    }
}
