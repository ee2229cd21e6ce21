package org.chatarchive.readers.signal.backup;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.google.protobuf.ByteString;

import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Participant;
import org.chatarchive.readers.signal.backup.proto.Backup;

/**
 * Who and what the backup's file-local recipient and chat ids stand for, keyed by stable identity so that the
 * same person or group gets the same id from every Signal input: contacts {@code signal:<aci>} (lower case), or
 * {@code signal-phone:+<e164>} without an ACI; groups {@code signal-group:<base64url master key>}; 1:1 chats
 * {@code signal-direct:<aci>} (or {@code signal-direct:+<e164>}).
 */
final class Directory {

    static final String SOURCE_APP = "signal-backup";
    static final String SELF_FALLBACK_ID = "signal-self";
    static final String RELEASE_NOTES_ID = "signal-release:notes";
    static final String NOTE_TO_SELF_ID = "signal-note:self";

    /** One chat: its conversation and how many items the first pass saw for it. */
    static final class ChatEntry {
        final long chatId;
        final long recipientId;
        final Backup.Chat chat;
        long items;
        Conversation conversation;
        /** Offsets and lengths of its items in main.jsonl, when the file allows random access. */
        long[] offsets = new long[0];
        int[] lengths = new int[0];

        ChatEntry(Backup.Chat chat) {
            this.chatId = chat.getId();
            this.recipientId = chat.getRecipientId();
            this.chat = chat;
        }

        void addOffset(long offset, long length) {
            int n = (int) items - 1;
            if (n >= offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, Math.max(16, offsets.length * 2));
                lengths = java.util.Arrays.copyOf(lengths, offsets.length);
            }
            offsets[n] = offset;
            lengths[n] = (int) length;
        }
    }

    private final Map<Long, Backup.Recipient> recipients = new HashMap<>();
    private final Map<Long, String> participantOfRecipient = new HashMap<>();
    private final Map<String, String> participantOfAci = new HashMap<>();
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    final Map<Long, ChatEntry> chats = new LinkedHashMap<>();
    private final Set<String> contactAcis = new HashSet<>();
    private Backup.AccountData account;
    private String ownerId = SELF_FALLBACK_ID;
    private String ownerAci;
    String ownerRule = "unknown";

    // ------------------------------------------------------------------------------------------ first pass

    void account(Backup.AccountData a) {
        account = a;
    }

    void recipient(Backup.Recipient r) {
        recipients.put(r.getId(), r);
        if (r.hasContact() && r.getContact().hasAci()) {
            contactAcis.add(uuid(r.getContact().getAci()));
        }
    }

    void chat(Backup.Chat c) {
        chats.put(c.getId(), new ChatEntry(c));
    }

    /**
     * Called once all frames were seen: fixes the owner's identity (given, or inferred as the one ACI that is a
     * member of every group without being anyone's contact) and builds participants and conversations.
     */
    void finish(String givenOwnerAci) {
        if (givenOwnerAci != null) {
            ownerAci = givenOwnerAci.toLowerCase(Locale.ROOT);
            ownerRule = "given";
        } else {
            Set<String> candidates = null;
            for (Backup.Recipient r : recipients.values()) {
                if (r.hasGroup() && r.getGroup().getSnapshot().getMembersCount() > 0) {
                    Set<String> strangers = new HashSet<>();
                    for (Backup.Group.Member m : r.getGroup().getSnapshot().getMembersList()) {
                        String aci = uuid(m.getUserId());
                        if (aci != null && !contactAcis.contains(aci)) {
                            strangers.add(aci);
                        }
                    }
                    if (candidates == null) {
                        candidates = strangers;
                    } else {
                        candidates.retainAll(strangers);
                    }
                }
            }
            if (candidates != null && candidates.size() == 1) {
                ownerAci = candidates.iterator().next();
                ownerRule = "inferred: the only member of every group who is not a contact";
            }
        }
        if (ownerAci != null) {
            ownerId = "signal:" + ownerAci;
            participantOfAci.put(ownerAci, ownerId);
        }
        buildParticipants();
        buildConversations();
    }

    private void buildParticipants() {
        // The owner first, then contacts in recipient-id order, then anyone only named by ACI.
        String ownerName = account == null ? null
                : join(account.getGivenName(), account.getFamilyName());
        Map<String, Object> ownerExtra = new LinkedHashMap<>();
        ownerExtra.put("identityRule", ownerRule);
        String ownerUsername = account != null && account.hasUsername() ? account.getUsername() : null;
        participants.put(ownerId, new Participant(ownerId, ownerName == null ? "You" : ownerName,
                ownerName == null ? "unknown" : "profile", null, ownerUsername, true, ownerExtra));
        recipients.values().stream().sorted((a, b) -> Long.compare(a.getId(), b.getId())).forEach(r -> {
            if (r.hasSelf()) {
                participantOfRecipient.put(r.getId(), ownerId);
            } else if (r.hasReleaseNotes()) {
                participantOfRecipient.put(r.getId(), RELEASE_NOTES_ID);
                participants.putIfAbsent(RELEASE_NOTES_ID, new Participant(RELEASE_NOTES_ID, "Signal",
                        "app", null, null, false, Map.of("releaseNotes", true)));
            } else if (r.hasContact()) {
                addContact(r);
            }
        });
    }

    private void addContact(Backup.Recipient r) {
        Backup.Contact c = r.getContact();
        String aci = c.hasAci() ? uuid(c.getAci()) : null;
        String phone = c.hasE164() ? "+" + Long.toUnsignedString(c.getE164()) : null;
        String id;
        if (aci != null) {
            id = "signal:" + aci;
        } else if (phone != null) {
            id = "signal-phone:" + phone;
        } else if (c.hasPni()) {
            id = "signal-pni:" + uuid(c.getPni());
        } else if (c.hasUsername()) {
            id = "signal-username:" + c.getUsername();
        } else {
            id = "signal-recipient:" + Long.toUnsignedString(r.getId());
        }
        if (aci != null && aci.equals(ownerAci)) {
            participantOfRecipient.put(r.getId(), ownerId);
            return;
        }
        String[] name = displayName(c, phone);
        Map<String, Object> extra = new LinkedHashMap<>();
        if (c.hasPni()) {
            extra.put("pni", uuid(c.getPni()));
        }
        if (c.getBlocked()) {
            extra.put("blocked", true);
        }
        if (!c.getNote().isEmpty()) {
            extra.put("note", c.getNote());
        }
        if (c.hasNotRegistered()) {
            extra.put("unregisteredAt", c.getNotRegistered().getUnregisteredTimestamp());
        }
        if (c.getVisibility() != Backup.Contact.Visibility.VISIBLE) {
            extra.put("visibility", c.getVisibility().name());
        }
        participants.putIfAbsent(id, new Participant(id, name[0], name[1], phone,
                c.hasUsername() ? c.getUsername() : null, false, extra));
        participantOfRecipient.put(r.getId(), id);
        if (aci != null) {
            participantOfAci.put(aci, id);
        }
    }

    /** Nickname, then the system contact name, then the profile name, then phone, then username. */
    static String[] displayName(Backup.Contact c, String phone) {
        String nick = c.hasNickname() ? join(c.getNickname().getGiven(), c.getNickname().getFamily()) : null;
        if (nick != null) {
            return new String[] {nick, "nickname"};
        }
        String system = join(c.getSystemGivenName(), c.getSystemFamilyName());
        if (system == null && !c.getSystemNickname().isBlank()) {
            system = c.getSystemNickname().trim();
        }
        if (system != null) {
            return new String[] {system, "system-contact"};
        }
        String profile = join(c.getProfileGivenName(), c.getProfileFamilyName());
        if (profile != null) {
            return new String[] {profile, "profile"};
        }
        if (phone != null) {
            return new String[] {phone, "phone"};
        }
        if (c.hasUsername() && !c.getUsername().isBlank()) {
            return new String[] {c.getUsername(), "username"};
        }
        return new String[] {"Unknown contact", "unknown"};
    }

    private void buildConversations() {
        for (ChatEntry e : chats.values()) {
            Backup.Recipient r = recipients.get(e.recipientId);
            Map<String, Object> extra = new LinkedHashMap<>();
            Backup.Chat c = e.chat;
            if (c.getArchived()) {
                extra.put("archived", true);
            }
            if (c.hasPinnedOrder()) {
                extra.put("pinnedOrder", c.getPinnedOrder());
            }
            if (c.hasMuteUntilMs()) {
                extra.put("muteUntilMs", c.getMuteUntilMs());
            }
            if (c.hasExpirationTimerMs()) {
                extra.put("expirationTimerMs", c.getExpirationTimerMs());
            }
            if (c.getMarkedUnread()) {
                extra.put("markedUnread", true);
            }
            List<String> ids = new ArrayList<>();
            ids.add(ownerId);
            String convId;
            ConversationKind kind;
            String title;
            if (r == null) {
                convId = "signal-chat:" + Long.toUnsignedString(e.chatId);
                kind = ConversationKind.DIRECT;
                title = "Unknown chat";
                extra.put("recipientMissing", true);
            } else if (r.hasSelf()) {
                convId = NOTE_TO_SELF_ID;
                kind = ConversationKind.NOTE_TO_SELF;
                title = "Note to Self";
            } else if (r.hasReleaseNotes()) {
                convId = RELEASE_NOTES_ID;
                kind = ConversationKind.DIRECT;
                title = "Signal";
                ids.add(RELEASE_NOTES_ID);
            } else if (r.hasGroup()) {
                Backup.Group g = r.getGroup();
                convId = "signal-group:" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(g.getMasterKey().toByteArray());
                kind = ConversationKind.GROUP;
                Backup.Group.GroupSnapshot s = g.getSnapshot();
                title = s.getTitle().getTitle().isBlank() ? "Unnamed group" : s.getTitle().getTitle();
                for (Backup.Group.Member m : s.getMembersList()) {
                    String pid = ofAci(m.getUserId());
                    if (pid != null && !ids.contains(pid)) {
                        ids.add(pid);
                    }
                }
                if (!s.getDescription().getDescriptionText().isEmpty()) {
                    extra.put("description", s.getDescription().getDescriptionText());
                }
                List<String> admins = new ArrayList<>();
                for (Backup.Group.Member m : s.getMembersList()) {
                    if (m.getRole() == Backup.Group.Member.Role.ADMINISTRATOR) {
                        admins.add(ofAci(m.getUserId()));
                    }
                }
                if (!admins.isEmpty()) {
                    extra.put("adminIds", admins);
                }
                if (s.getTerminated()) {
                    extra.put("terminated", true);
                }
            } else if (r.hasContact()) {
                String pid = participantOfRecipient.get(r.getId());
                Backup.Contact ct = r.getContact();
                convId = "signal-direct:" + (ct.hasAci() ? uuid(ct.getAci())
                        : ct.hasE164() ? "+" + Long.toUnsignedString(ct.getE164()) : pid);
                kind = ConversationKind.DIRECT;
                title = participants.get(pid) == null ? "Unknown contact" : participants.get(pid).displayName();
                if (pid != null && !ids.contains(pid)) {
                    ids.add(pid);
                }
            } else {
                // Chats belong to contacts, groups, self or release notes; anything else is kept but named plainly.
                convId = "signal-chat:" + Long.toUnsignedString(e.chatId);
                kind = ConversationKind.DIRECT;
                title = "Chat " + Long.toUnsignedString(e.chatId);
            }
            e.conversation = new Conversation(convId, kind, title, ids, null, SOURCE_APP, extra);
        }
    }

    // ------------------------------------------------------------------------------------------ lookups

    String ownerId() {
        return ownerId;
    }

    /** The participant id of a file-local recipient id; null for 0 or an unknown id. */
    String ofRecipient(long recipientId) {
        return participantOfRecipient.get(recipientId);
    }

    boolean isSelf(long recipientId) {
        Backup.Recipient r = recipients.get(recipientId);
        return r != null && r.hasSelf();
    }

    /**
     * The participant id of a raw 16-byte ACI (or a 17-byte service id: {@code 0x01 ‖ uuid} for a PNI); someone only
     * named by ACI gets a participant of their own.
     */
    String ofAci(ByteString raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        if (raw.size() == 17 && raw.byteAt(0) == 1) {
            return "signal-pni:" + uuid(raw.substring(1));
        }
        String aci = uuid(raw);
        if (aci == null) {
            return null;
        }
        String id = participantOfAci.get(aci);
        if (id == null) {
            id = "signal:" + aci;
            participantOfAci.put(aci, id);
            participants.putIfAbsent(id, new Participant(id, "Unknown contact", "unknown", null, null, false,
                    Map.of()));
        }
        return id;
    }

    String name(String participantId) {
        if (participantId == null) {
            return "Someone";
        }
        if (participantId.equals(ownerId)) {
            return "You";
        }
        Participant p = participants.get(participantId);
        return p == null ? "Someone" : p.displayName();
    }

    List<Participant> participants() {
        return List.copyOf(participants.values());
    }

    Map<Long, Backup.Recipient> recipients() {
        return recipients;
    }

    Set<String> participantIds() {
        return new LinkedHashSet<>(participants.keySet());
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Lower-case UUID text of 16 raw bytes, or null when the bytes are not 16. */
    static String uuid(ByteString b) {
        if (b == null || b.size() != 16) {
            return null;
        }
        ByteBuffer bb = b.asReadOnlyByteBuffer();
        return new UUID(bb.getLong(), bb.getLong()).toString();
    }

    static String join(String given, String family) {
        String g = given == null ? "" : given.trim();
        String f = family == null ? "" : family.trim();
        String s = (g + " " + f).trim();
        return s.isEmpty() ? null : s;
    }
}
