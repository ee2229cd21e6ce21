package org.chatarchive.readers.signal.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.google.protobuf.ByteString;

import org.chatarchive.readers.signal.backup.proto.Backup;
import org.chatarchive.readers.signal.backup.proto.Backup.ChatItem;
import org.chatarchive.readers.signal.backup.proto.Backup.Frame;

/**
 * The test encoder: one account's history described as frames with the project's own schema, written as a plain
 * varint-delimited stream. libsignal validates it and turns it into main.jsonl ({@code backup-oracle.mjs}), or the
 * test encryptor turns it into a local backup. Media bytes are kept so tests can lay out {@code files/}.
 */
final class BackupFixture {

    static final UUID OWNER = UUID.fromString("0f0f0f0f-1111-4222-8333-444455556666");
    static final UUID ALICE = UUID.fromString("a11ce000-0000-4000-8000-000000000001");
    static final UUID BOB = UUID.fromString("b0b00000-0000-4000-8000-000000000002");
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    static final long SELF = 1;
    static final long ALICE_ID = 2;
    static final long BOB_ID = 3;
    static final long GROUP_ID = 4;
    static final long RELEASE_ID = 5;
    static final long CAROL_ID = 6;

    static final byte[] MASTER_KEY = filled(32, 0x4d);

    /** One attachment's bytes and its media name (hex SHA-256(plaintextHash ‖ localKey)). */
    record MediaFile(String mediaName, String extension, byte[] plaintext, byte[] localKey) {
    }

    final Map<String, MediaFile> media = new LinkedHashMap<>();
    final List<Frame> frames = new ArrayList<>();
    Backup.BackupInfo info;

    /** The standard scenario: three contacts, a group, note to self, release notes, every item kind. */
    static BackupFixture standard() {
        BackupFixture f = new BackupFixture();
        f.info = Backup.BackupInfo.newBuilder().setVersion(1).setBackupTimeMs(T0 + 86_400_000L)
                .setMediaRootBackupKey(ByteString.copyFrom(filled(32, 7)))
                .setCurrentAppVersion("Desktop 8.20.0").setFirstAppVersion("Desktop 7.90.0").build();
        f.add(Frame.newBuilder().setAccount(Backup.AccountData.newBuilder()
                .setProfileKey(ByteString.copyFrom(filled(32, 9))).setGivenName("Olivia").setFamilyName("Owner")
                .setUsername("olivia.42")
                .setAccountSettings(Backup.AccountData.AccountSettings.newBuilder().setReadReceipts(true)
                        .setPhoneNumberSharingMode(Backup.AccountData.PhoneNumberSharingMode.NOBODY)
                        // Settings this schema does not name (defaultSentMediaQuality 23, autoDownloadSettings
                        // 24, appTheme 28, callsUseLessDataSetting 29), which libsignal requires: written raw, read back as unknown fields.
                        .setUnknownFields(rawSettings()))));
        f.recipient(Backup.Recipient.newBuilder().setId(SELF).setSelf(Backup.Self.getDefaultInstance()));
        f.recipient(Backup.Recipient.newBuilder().setId(ALICE_ID).setContact(Backup.Contact.newBuilder()
                .setAci(uuid(ALICE)).setE164(15_551_230_001L).setProfileGivenName("Alice").setProfileFamilyName("A.")
                .setSystemGivenName("Alice").setSystemFamilyName("Anders")
                .setRegistered(Backup.Contact.Registered.getDefaultInstance()).setProfileSharing(true)));
        f.recipient(Backup.Recipient.newBuilder().setId(BOB_ID).setContact(Backup.Contact.newBuilder()
                .setAci(uuid(BOB)).setProfileGivenName("Robert")
                .setNickname(Backup.Contact.Name.newBuilder().setGiven("Bobby"))
                .setRegistered(Backup.Contact.Registered.getDefaultInstance())));
        f.recipient(Backup.Recipient.newBuilder().setId(GROUP_ID).setGroup(Backup.Group.newBuilder()
                .setMasterKey(ByteString.copyFrom(MASTER_KEY)).setWhitelisted(true)
                .setSnapshot(Backup.Group.GroupSnapshot.newBuilder()
                        .setTitle(Backup.Group.GroupAttributeBlob.newBuilder().setTitle("Family 🏡"))
                        .setDescription(Backup.Group.GroupAttributeBlob.newBuilder().setDescriptionText("Us"))
                        .setVersion(3)
                        .addMembers(member(OWNER, Backup.Group.Member.Role.ADMINISTRATOR))
                        .addMembers(member(ALICE, Backup.Group.Member.Role.DEFAULT))
                        .addMembers(member(BOB, Backup.Group.Member.Role.DEFAULT)))));
        f.recipient(Backup.Recipient.newBuilder().setId(RELEASE_ID)
                .setReleaseNotes(Backup.ReleaseNotes.getDefaultInstance()));
        f.recipient(Backup.Recipient.newBuilder().setId(CAROL_ID).setContact(Backup.Contact.newBuilder()
                .setE164(15_551_230_003L).setProfileGivenName("Carol")
                .setRegistered(Backup.Contact.Registered.getDefaultInstance())));
        for (long id : new long[] {SELF, ALICE_ID, BOB_ID, GROUP_ID, RELEASE_ID, CAROL_ID}) {
            f.add(Frame.newBuilder().setChat(Backup.Chat.newBuilder().setId(id).setRecipientId(id)
                    .setArchived(id == CAROL_ID)));
        }

        long t = T0;
        // Alice 1:1: text with styles, a quote reply, an edited message, attachments, a long text, a preview.
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("Hello **there**", range(6, 9, Backup.BodyRange.Style.BOLD)))
                .addReactions(Backup.Reaction.newBuilder().setEmoji("👍").setAuthorId(SELF)
                        .setSentTimestamp(t + 500).setSortOrder(1))));
        long aliceHello = t;
        f.item(out(ALICE_ID, t += 1000, ALICE_ID).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("Hi Alice"))
                .setQuote(Backup.Quote.newBuilder().setTargetSentTimestamp(aliceHello).setAuthorId(ALICE_ID)
                        .setText(text("Hello **there**")).setType(Backup.Quote.Type.NORMAL))));
        long editedAt = t += 1000;
        f.item(out(ALICE_ID, editedAt + 5000, ALICE_ID).setStandardMessage(Backup.StandardMessage.newBuilder()
                        .setText(text("See you at 8")))
                .addRevisions(out(ALICE_ID, editedAt, ALICE_ID).setStandardMessage(
                        Backup.StandardMessage.newBuilder().setText(text("See you at 7"))))
                .addRevisions(out(ALICE_ID, editedAt + 2000, ALICE_ID).setStandardMessage(
                        Backup.StandardMessage.newBuilder().setText(text("See you at 7:30")))));
        t = editedAt + 5000;
        byte[] photo = "not really a JPEG, but bytes all the same".getBytes(StandardCharsets.UTF_8);
        f.item(out(ALICE_ID, t += 1000, ALICE_ID).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("photo"))
                .addAttachments(Backup.MessageAttachment.newBuilder().setWasDownloaded(true)
                        .setPointer(f.file("image/jpeg", "beach.jpg", "jpg", photo, 11, true)
                                .setWidth(640).setHeight(480).setCaption("the beach")))));
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setStandardMessage(Backup.StandardMessage.newBuilder()
                .addAttachments(Backup.MessageAttachment.newBuilder().setFlag(Backup.MessageAttachment.Flag.VOICE_MESSAGE)
                        .setPointer(f.file("audio/aac", null, "aac", "voice".getBytes(StandardCharsets.UTF_8), 12,
                                false)))));
        String longBody = "L".repeat(3000) + " the end";
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text(longBody.substring(0, 2000)))
                .setLongText(f.file("text/x-signal-plain", null, "txt", longBody.getBytes(StandardCharsets.UTF_8), 13,
                        true))));
        f.item(out(ALICE_ID, t += 1000, ALICE_ID).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("https://signal.org"))
                .addLinkPreview(Backup.LinkPreview.newBuilder().setUrl("https://signal.org").setTitle("Signal")
                        .setDescription("Speak freely").setDate(T0))));
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setStickerMessage(Backup.StickerMessage.newBuilder()
                .setSticker(Backup.Sticker.newBuilder().setPackId(ByteString.copyFrom(filled(16, 0x5a)))
                        .setPackKey(ByteString.copyFrom(filled(32, 0x5b))).setStickerId(3).setEmoji("🐱")
                        .setData(f.file("image/webp", null, "webp", "sticker".getBytes(StandardCharsets.UTF_8), 14,
                                true)))));
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setContactMessage(Backup.ContactMessage.newBuilder()
                .setContact(Backup.ContactAttachment.newBuilder()
                        .setName(Backup.ContactAttachment.Name.newBuilder().setGivenName("Dora").setFamilyName("D"))
                        .addNumber(Backup.ContactAttachment.Phone.newBuilder().setValue("+15551230099")
                                .setType(Backup.ContactAttachment.Phone.Type.MOBILE))
                        .setOrganization("Dora Inc."))));
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setRemoteDeletedMessage(Backup.RemoteDeletedMessage
                .getDefaultInstance()));
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setViewOnceMessage(Backup.ViewOnceMessage.getDefaultInstance()));
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setPaymentNotification(Backup.PaymentNotification.newBuilder()
                .setAmountMob("1.5").setFeeMob("0.01").setNote("for lunch")));
        // No gift badge: libsignal checks that it holds a real receipt credential presentation.
        f.item(in(ALICE_ID, ALICE_ID, t += 1000).setDirectStoryReplyMessage(Backup.DirectStoryReplyMessage
                .newBuilder().setEmoji("😂")));
        f.item(update(ALICE_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setIndividualCall(Backup.IndividualCall.newBuilder().setCallId(77).setType(
                        Backup.IndividualCall.Type.VIDEO_CALL).setDirection(Backup.IndividualCall.Direction.INCOMING)
                        .setState(Backup.IndividualCall.State.MISSED).setStartedCallTimestamp(t))));
        f.item(update(ALICE_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setExpirationTimerChange(Backup.ExpirationTimerChatUpdate.newBuilder().setExpiresInMs(604_800_000L))));
        f.item(update(ALICE_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setProfileChange(Backup.ProfileChangeChatUpdate.newBuilder().setPreviousName("Ali")
                        .setNewName("Alice"))));
        f.item(update(ALICE_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setSimpleUpdate(Backup.SimpleChatUpdate.newBuilder()
                        .setType(Backup.SimpleChatUpdate.Type.IDENTITY_UPDATE))));
        f.item(update(ALICE_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setThreadMerge(Backup.ThreadMergeChatUpdate.newBuilder().setPreviousE164(15_551_230_011L))));
        f.item(update(ALICE_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setSessionSwitchover(Backup.SessionSwitchoverChatUpdate.newBuilder().setE164(15_551_230_001L))));
        f.item(update(ALICE_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setLearnedProfileChange(Backup.LearnedProfileChatUpdate.newBuilder().setUsername("alice.01"))));

        // The group: changes by the owner, a mention, a poll and its end, a group call, a timer change.
        f.item(update(GROUP_ID, SELF, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setGroupChange(Backup.GroupChangeChatUpdate.newBuilder()
                        .addUpdates(Backup.GroupChangeChatUpdate.Update.newBuilder().setGroupCreationUpdate(
                                Backup.GroupCreationUpdate.newBuilder().setUpdaterAci(uuid(OWNER))))
                        .addUpdates(Backup.GroupChangeChatUpdate.Update.newBuilder().setGroupMemberAddedUpdate(
                                Backup.GroupMemberAddedUpdate.newBuilder().setUpdaterAci(uuid(OWNER))
                                        .setNewMemberAci(uuid(BOB)))))));
        f.item(update(GROUP_ID, ALICE_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setGroupChange(Backup.GroupChangeChatUpdate.newBuilder()
                        .addUpdates(Backup.GroupChangeChatUpdate.Update.newBuilder().setGroupNameUpdate(
                                Backup.GroupNameUpdate.newBuilder().setUpdaterAci(uuid(ALICE))
                                        .setNewGroupName("Family 🏡"))))));
        f.item(in(GROUP_ID, BOB_ID, t += 1000).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(Backup.Text.newBuilder().setBody("hey \uFFFC!").addBodyRanges(Backup.BodyRange.newBuilder()
                        .setStart(4).setLength(1).setMentionAci(uuid(ALICE))))));
        long pollAt = t += 1000;
        f.item(out(GROUP_ID, pollAt, ALICE_ID, BOB_ID).setPoll(Backup.Poll.newBuilder().setQuestion("Pizza?")
                .addOptions(Backup.Poll.PollOption.newBuilder().setOption("yes")
                        .addVotes(Backup.Poll.PollOption.PollVote.newBuilder().setVoterId(ALICE_ID).setVoteCount(1))
                        .addVotes(Backup.Poll.PollOption.PollVote.newBuilder().setVoterId(BOB_ID).setVoteCount(1)))
                .addOptions(Backup.Poll.PollOption.newBuilder().setOption("no"))
                .setHasEnded(true)));
        f.item(update(GROUP_ID, SELF, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setPollTerminate(Backup.PollTerminateUpdate.newBuilder().setTargetSentTimestamp(pollAt)
                        .setQuestion("Pizza?"))));
        f.item(update(GROUP_ID, BOB_ID, t += 1000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setGroupCall(Backup.GroupCall.newBuilder().setCallId(88).setState(Backup.GroupCall.State.JOINED)
                        .setStartedCallRecipientId(BOB_ID).setStartedCallTimestamp(t)
                        .setEndedCallTimestamp(t + 60_000))));
        f.item(update(GROUP_ID, SELF, t += 61_000).setUpdateMessage(Backup.ChatUpdateMessage.newBuilder()
                .setGroupChange(Backup.GroupChangeChatUpdate.newBuilder()
                        .addUpdates(Backup.GroupChangeChatUpdate.Update.newBuilder().setGroupExpirationTimerUpdate(
                                Backup.GroupExpirationTimerUpdate.newBuilder().setUpdaterAci(uuid(OWNER))
                                        .setExpiresInMs(86_400_000L))))));
        // Note to self, Bob, Carol (no ACI), release notes.
        f.item(out(SELF, t += 1000, SELF).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("remember the milk"))));
        f.item(in(BOB_ID, BOB_ID, t += 1000).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("yo"))));
        f.item(in(CAROL_ID, CAROL_ID, t += 1000).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("it's Carol"))));
        f.item(in(RELEASE_ID, RELEASE_ID, t += 1000).setStandardMessage(Backup.StandardMessage.newBuilder()
                .setText(text("What's new in Signal"))));
        return f;
    }

    // ------------------------------------------------------------------------------------------------ builders

    static com.google.protobuf.UnknownFieldSet rawSettings() {
        com.google.protobuf.UnknownFieldSet.Builder auto = com.google.protobuf.UnknownFieldSet.newBuilder();
        for (int i = 1; i <= 4; i++) {
            auto.addField(i, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(2).build());
        }
        return com.google.protobuf.UnknownFieldSet.newBuilder()
                .addField(23, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .addField(24, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(auto.build().toByteString()).build())
                .addField(28, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .addField(29, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .build();
    }

    void add(Frame.Builder b) {
        frames.add(b.build());
    }

    void recipient(Backup.Recipient.Builder r) {
        add(Frame.newBuilder().setRecipient(r));
    }

    void item(ChatItem.Builder item) {
        add(Frame.newBuilder().setChatItem(item));
    }

    static ChatItem.Builder in(long chat, long author, long sent) {
        return ChatItem.newBuilder().setChatId(chat).setAuthorId(author).setDateSent(sent)
                .setIncoming(ChatItem.IncomingMessageDetails.newBuilder().setDateReceived(sent + 100)
                        .setDateServerSent(sent + 50).setRead(true).setSealedSender(true));
    }

    static ChatItem.Builder out(long chat, long sent, long... to) {
        ChatItem.OutgoingMessageDetails.Builder o = ChatItem.OutgoingMessageDetails.newBuilder();
        for (long r : to) {
            o.addSendStatus(Backup.SendStatus.newBuilder().setRecipientId(r).setTimestamp(sent + 2000)
                    .setRead(Backup.SendStatus.Read.newBuilder().setSealedSender(true)));
        }
        return ChatItem.newBuilder().setChatId(chat).setAuthorId(SELF).setDateSent(sent).setOutgoing(o);
    }

    static ChatItem.Builder update(long chat, long author, long sent) {
        return ChatItem.newBuilder().setChatId(chat).setAuthorId(author).setDateSent(sent)
                .setDirectionless(ChatItem.DirectionlessMessageDetails.getDefaultInstance());
    }

    static Backup.Text text(String body, Backup.BodyRange... ranges) {
        return Backup.Text.newBuilder().setBody(body).addAllBodyRanges(Arrays.asList(ranges)).build();
    }

    static Backup.BodyRange range(int start, int length, Backup.BodyRange.Style style) {
        return Backup.BodyRange.newBuilder().setStart(start).setLength(length).setStyle(style).build();
    }

    static Backup.Group.Member member(UUID aci, Backup.Group.Member.Role role) {
        return Backup.Group.Member.newBuilder().setUserId(uuid(aci)).setRole(role).setJoinedAtVersion(1).build();
    }

    /** A pointer to a local copy of {@code bytes}; with {@code present}, its file is laid out in files/. */
    Backup.FilePointer.Builder file(String contentType, String fileName, String extension, byte[] bytes, int seed,
                                    boolean present) {
        byte[] hash = sha256(bytes);
        byte[] localKey = filled(64, seed);
        String name = LocalMedia.mediaName(hash, localKey);
        if (present) {
            media.put(name, new MediaFile(name, extension, bytes, localKey));
        }
        Backup.FilePointer.Builder fp = Backup.FilePointer.newBuilder().setContentType(contentType)
                .setLocatorInfo(Backup.FilePointer.LocatorInfo.newBuilder()
                        .setKey(ByteString.copyFrom(filled(64, seed + 100)))
                        .setPlaintextHash(ByteString.copyFrom(hash)).setSize(bytes.length)
                        .setLocalKey(ByteString.copyFrom(localKey)));
        if (fileName != null) {
            fp.setFileName(fileName);
        }
        return fp;
    }

    /** The plain varint-delimited stream: BackupInfo, then every frame. */
    byte[] binproto() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            info.writeDelimitedTo(out);
            for (Frame f : frames) {
                f.writeDelimitedTo(out);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ByteString uuid(UUID u) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array());
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (value + i);
        }
        return b;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
