package org.chatarchive.readers.signal.backup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.BodyRange;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.EventType;
import org.chatarchive.model.LinkPreview;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.RangeStyle;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.SharedContact;
import org.chatarchive.model.Sticker;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.readers.signal.backup.proto.Backup;

/**
 * Turns one {@link Backup.ChatItem} into a {@link Message}. Message ids are stable across Signal inputs:
 * {@code signal-sent:<conversation id>/<author participant id>/<dateSent>}, the triple Signal itself uses to point
 * at a message from quotes, pins and poll ends.
 */
final class ItemMapper {

    /** How attachments are found and long texts read; implemented by the reader for each container. */
    interface Media {
        /** The attachment for a pointer, with {@code sourceRef} set when its bytes are available. */
        Attachment attachment(Backup.FilePointer fp, AttachmentKind kind);

        /** The full text of a long-text pointer, or null when its file is not available. */
        String longText(Backup.FilePointer fp);
    }

    private final Directory dir;
    private final Media media;

    ItemMapper(Directory dir, Media media) {
        this.dir = dir;
        this.media = media;
    }

    static String messageId(String conversationId, String authorId, long dateSent) {
        return "signal-sent:" + conversationId + "/" + authorId + "/" + Long.toUnsignedString(dateSent);
    }

    Message map(Backup.ChatItem item, Conversation conv) {
        String author = dir.ofRecipient(item.getAuthorId());
        Direction direction = item.hasOutgoing() ? Direction.OUTGOING
                : item.hasIncoming() ? Direction.INCOMING : Direction.SYSTEM;
        if (direction == Direction.INCOMING && author != null && author.equals(dir.ownerId())) {
            direction = Direction.OUTGOING;
        }
        Long sent = item.getDateSent();
        Long received = received(item);
        Long server = item.hasIncoming() && item.getIncoming().hasDateServerSent()
                ? Long.valueOf(item.getIncoming().getDateServerSent()) : null;
        Map<String, Object> extra = new LinkedHashMap<>();
        if (item.getSms()) {
            extra.put("sms", true);
        }
        if (item.hasPinDetails()) {
            Backup.ChatItem.PinDetails p = item.getPinDetails();
            extra.put("pinnedAt", p.getPinnedAtTimestamp());
            if (p.hasPinExpiresAtTimestamp()) {
                extra.put("pinExpiresAt", p.getPinExpiresAtTimestamp());
            }
        }
        if (author == null && item.getAuthorId() != 0) {
            extra.put("unknownAuthorRecipientId", Long.toUnsignedString(item.getAuthorId()));
        }

        String body = null;
        List<BodyRange> ranges = List.of();
        List<Attachment> attachments = new ArrayList<>();
        Quote quote = null;
        List<Reaction> reactions = List.of();
        List<LinkPreview> previews = new ArrayList<>();
        Sticker sticker = null;
        List<SharedContact> contacts = new ArrayList<>();
        Poll poll = null;
        SystemEvent event = null;
        boolean viewOnce = false;
        boolean erased = false;
        boolean deleted = false;

        switch (item.getItemCase()) {
            case STANDARDMESSAGE -> {
                Backup.StandardMessage m = item.getStandardMessage();
                body = m.hasText() ? m.getText().getBody() : null;
                ranges = ranges(m.getText().getBodyRangesList());
                if (m.hasLongText()) {
                    String full = media.longText(m.getLongText());
                    if (full != null) {
                        body = full;
                    } else {
                        extra.put("longTextMissing", true);
                    }
                }
                for (Backup.MessageAttachment a : m.getAttachmentsList()) {
                    attachments.add(attachment(a, m.getAttachmentsCount()));
                }
                if (m.hasQuote()) {
                    quote = quote(m.getQuote(), conv);
                }
                for (Backup.LinkPreview p : m.getLinkPreviewList()) {
                    previews.add(new LinkPreview(p.getUrl(), p.hasTitle() ? p.getTitle() : null,
                            p.hasDescription() ? p.getDescription() : null, p.hasDate() ? p.getDate() : null,
                            p.hasImage() ? media.attachment(p.getImage(), AttachmentKind.IMAGE) : null));
                }
                reactions = reactions(m.getReactionsList());
            }
            case CONTACTMESSAGE -> {
                Backup.ContactAttachment c = item.getContactMessage().getContact();
                contacts.add(sharedContact(c));
                reactions = reactions(item.getContactMessage().getReactionsList());
            }
            case STICKERMESSAGE -> {
                Backup.Sticker s = item.getStickerMessage().getSticker();
                sticker = new Sticker(HexFormat.of().formatHex(s.getPackId().toByteArray()), s.getStickerId(),
                        s.hasEmoji() ? s.getEmoji() : null,
                        s.hasData() ? media.attachment(s.getData(), AttachmentKind.STICKER) : null);
                reactions = reactions(item.getStickerMessage().getReactionsList());
            }
            case REMOTEDELETEDMESSAGE -> deleted = true;
            case ADMINDELETEDMESSAGE -> {
                deleted = true;
                extra.put("deletedByAdminId", dir.ofRecipient(item.getAdminDeletedMessage().getAdminId()));
            }
            case UPDATEMESSAGE -> event = Updates.event(item.getUpdateMessage(), author, conv, dir);
            case PAYMENTNOTIFICATION -> {
                Backup.PaymentNotification p = item.getPaymentNotification();
                Map<String, Object> pay = new LinkedHashMap<>();
                if (p.hasAmountMob()) {
                    pay.put("amountMob", p.getAmountMob());
                }
                if (p.hasFeeMob()) {
                    pay.put("feeMob", p.getFeeMob());
                }
                if (p.hasNote()) {
                    pay.put("note", p.getNote());
                }
                Backup.PaymentNotification.TransactionDetails t = p.getTransactionDetails();
                pay.put("status", t.hasFailedTransaction() ? "failed: " + t.getFailedTransaction().getReason()
                        .name().toLowerCase(Locale.ROOT)
                        : t.hasTransaction() ? t.getTransaction().getStatus().name().toLowerCase(Locale.ROOT)
                        : "successful");
                extra.put("payment", pay);
                body = p.hasNote() ? p.getNote() : null;
            }
            case GIFTBADGE -> extra.put("giftBadge", Map.of("state",
                    item.getGiftBadge().getState().name().toLowerCase(Locale.ROOT)));
            case VIEWONCEMESSAGE -> {
                viewOnce = true;
                Backup.ViewOnceMessage v = item.getViewOnceMessage();
                if (v.hasAttachment()) {
                    attachments.add(attachment(v.getAttachment(), 1));
                } else {
                    erased = true;
                }
                reactions = reactions(v.getReactionsList());
            }
            case DIRECTSTORYREPLYMESSAGE -> {
                Backup.DirectStoryReplyMessage r = item.getDirectStoryReplyMessage();
                extra.put("storyReply", true);
                if (r.hasTextReply()) {
                    body = r.getTextReply().getText().getBody();
                    ranges = ranges(r.getTextReply().getText().getBodyRangesList());
                    if (r.getTextReply().hasLongText()) {
                        String full = media.longText(r.getTextReply().getLongText());
                        if (full != null) {
                            body = full;
                        }
                    }
                } else if (r.hasEmoji()) {
                    body = r.getEmoji();
                    extra.put("storyReplyEmoji", r.getEmoji());
                }
                reactions = reactions(r.getReactionsList());
            }
            case POLL -> {
                Backup.Poll p = item.getPoll();
                List<Poll.Option> options = new ArrayList<>();
                for (Backup.Poll.PollOption o : p.getOptionsList()) {
                    List<String> voters = new ArrayList<>();
                    for (Backup.Poll.PollOption.PollVote v : o.getVotesList()) {
                        String voter = dir.ofRecipient(v.getVoterId());
                        if (voter != null) {
                            voters.add(voter);
                        }
                    }
                    options.add(new Poll.Option(o.getOption(), voters));
                }
                poll = new Poll(p.getQuestion(), options, p.getAllowMultiple(), p.getHasEnded());
                body = p.getQuestion();
                reactions = reactions(p.getReactionsList());
            }
            case ITEM_NOT_SET -> extra.put("emptyItem", true);
            default -> extra.put("unknownItemKind", item.getItemCase().name());
        }

        List<EditVersion> edits = new ArrayList<>();
        for (Backup.ChatItem rev : item.getRevisionsList()) {
            edits.add(revision(rev));
        }
        List<Receipt> receipts = new ArrayList<>();
        if (item.hasOutgoing()) {
            for (Backup.SendStatus s : item.getOutgoing().getSendStatusList()) {
                receipts.add(new Receipt(dir.ofRecipient(s.getRecipientId()), status(s),
                        s.getTimestamp() == 0 ? null : s.getTimestamp()));
            }
        }
        Integer timer = item.hasExpiresInMs() ? (int) Math.min(Integer.MAX_VALUE, item.getExpiresInMs() / 1000) : null;
        MessageFlags flags = new MessageFlags(viewOnce, erased, timer,
                item.hasExpireStartDate() ? item.getExpireStartDate() : null, deleted, null,
                item.hasIncoming() ? item.getIncoming().getRead() : null);
        String id = messageId(conv.id(), author == null ? "signal-recipient:"
                + Long.toUnsignedString(item.getAuthorId()) : author, item.getDateSent());
        return new Message(id, conv.id(), author, direction, sent, received, server, body, ranges, attachments,
                quote, reactions, edits, receipts, flags, previews, sticker, contacts, poll, event, extra);
    }

    private EditVersion revision(Backup.ChatItem rev) {
        String body = null;
        List<BodyRange> ranges = List.of();
        List<Attachment> attachments = new ArrayList<>();
        if (rev.hasStandardMessage()) {
            Backup.StandardMessage m = rev.getStandardMessage();
            body = m.hasText() ? m.getText().getBody() : null;
            ranges = ranges(m.getText().getBodyRangesList());
            if (m.hasLongText()) {
                String full = media.longText(m.getLongText());
                body = full != null ? full : body;
            }
            for (Backup.MessageAttachment a : m.getAttachmentsList()) {
                attachments.add(attachment(a, m.getAttachmentsCount()));
            }
        } else if (rev.hasDirectStoryReplyMessage() && rev.getDirectStoryReplyMessage().hasTextReply()) {
            body = rev.getDirectStoryReplyMessage().getTextReply().getText().getBody();
            ranges = ranges(rev.getDirectStoryReplyMessage().getTextReply().getText().getBodyRangesList());
        }
        return new EditVersion(rev.getDateSent(), received(rev), body, ranges, attachments);
    }

    private static Long received(Backup.ChatItem item) {
        if (item.hasIncoming()) {
            return item.getIncoming().getDateReceived();
        }
        if (item.hasOutgoing() && item.getOutgoing().getDateReceived() != 0) {
            return item.getOutgoing().getDateReceived();
        }
        return null;
    }

    private Attachment attachment(Backup.MessageAttachment a, int count) {
        Backup.FilePointer fp = a.getPointer();
        AttachmentKind kind = switch (a.getFlag()) {
            // libsignal reads a message whose only attachment is flagged as a voice message as a voice note.
            case VOICE_MESSAGE -> count == 1 ? AttachmentKind.VOICE_NOTE : AttachmentKind.AUDIO;
            case GIF -> AttachmentKind.GIF;
            default -> kindOf(fp.hasContentType() ? fp.getContentType() : null);
        };
        return media.attachment(fp, kind);
    }

    static AttachmentKind kindOf(String contentType) {
        if (contentType == null) {
            return AttachmentKind.FILE;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        if (ct.equals("image/gif")) {
            return AttachmentKind.GIF;
        }
        if (ct.startsWith("image/")) {
            return AttachmentKind.IMAGE;
        }
        if (ct.startsWith("video/")) {
            return AttachmentKind.VIDEO;
        }
        if (ct.startsWith("audio/")) {
            return AttachmentKind.AUDIO;
        }
        if (ct.equals("text/x-signal-plain")) {
            return AttachmentKind.LONG_TEXT;
        }
        return AttachmentKind.FILE;
    }

    private Quote quote(Backup.Quote q, Conversation conv) {
        String author = dir.ofRecipient(q.getAuthorId());
        List<Attachment> atts = new ArrayList<>();
        for (Backup.Quote.QuotedAttachment qa : q.getAttachmentsList()) {
            String ct = qa.hasContentType() ? qa.getContentType() : null;
            if (qa.hasThumbnail()) {
                Attachment t = media.attachment(qa.getThumbnail().getPointer(), kindOf(ct));
                atts.add(new Attachment(ct != null ? ct : t.contentType(), qa.hasFileName() ? qa.getFileName()
                        : t.fileName(), t.size(), t.sha256(), t.width(), t.height(), t.durationMs(), t.kind(),
                        t.caption(), t.availability(), t.missingReason(), t.storePath(), t.sourceRef()));
            } else {
                atts.add(new Attachment(ct, qa.hasFileName() ? qa.getFileName() : null, null, null, null, null, null,
                        kindOf(ct), null, org.chatarchive.model.Availability.NOT_DOWNLOADED,
                        "A quote carries only a description of the quoted attachment.", null, null));
            }
        }
        boolean found = q.hasTargetSentTimestamp();
        String target = found && author != null ? messageId(conv.id(), author, q.getTargetSentTimestamp()) : null;
        return new Quote(target, found ? q.getTargetSentTimestamp() : null, author,
                q.hasText() ? q.getText().getBody() : null, ranges(q.getText().getBodyRangesList()), atts, !found);
    }

    private List<Reaction> reactions(List<Backup.Reaction> in) {
        List<Backup.Reaction> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingLong(Backup.Reaction::getSortOrder));
        List<Reaction> out = new ArrayList<>();
        for (Backup.Reaction r : sorted) {
            out.add(new Reaction(dir.ofRecipient(r.getAuthorId()), r.getEmoji(),
                    r.getSentTimestamp() == 0 ? null : r.getSentTimestamp()));
        }
        return out;
    }

    private List<BodyRange> ranges(List<Backup.BodyRange> in) {
        List<BodyRange> out = new ArrayList<>();
        for (Backup.BodyRange r : in) {
            if (r.hasMentionAci()) {
                out.add(new BodyRange(r.getStart(), r.getLength(), RangeStyle.MENTION, dir.ofAci(r.getMentionAci())));
            } else if (r.hasStyle()) {
                RangeStyle s = switch (r.getStyle()) {
                    case BOLD -> RangeStyle.BOLD;
                    case ITALIC -> RangeStyle.ITALIC;
                    case SPOILER -> RangeStyle.SPOILER;
                    case STRIKETHROUGH -> RangeStyle.STRIKETHROUGH;
                    case MONOSPACE -> RangeStyle.MONOSPACE;
                    default -> null;
                };
                if (s != null) {
                    out.add(new BodyRange(r.getStart(), r.getLength(), s, null));
                }
            }
        }
        return out;
    }

    private SharedContact sharedContact(Backup.ContactAttachment c) {
        Backup.ContactAttachment.Name n = c.getName();
        StringBuilder name = new StringBuilder();
        for (String part : new String[] {n.getPrefix(), n.getGivenName(), n.getMiddleName(), n.getFamilyName(),
                n.getSuffix()}) {
            if (!part.isBlank()) {
                name.append(name.length() == 0 ? "" : " ").append(part.trim());
            }
        }
        String display = name.length() > 0 ? name.toString() : n.getNickname().isBlank() ? null : n.getNickname();
        List<String> phones = new ArrayList<>();
        c.getNumberList().forEach(p -> phones.add(p.getValue()));
        List<String> emails = new ArrayList<>();
        c.getEmailList().forEach(e -> emails.add(e.getValue()));
        return new SharedContact(display, phones, emails, c.getOrganization().isEmpty() ? null : c.getOrganization(),
                c.hasAvatar() ? media.attachment(c.getAvatar(), AttachmentKind.IMAGE) : null);
    }

    private static DeliveryStatus status(Backup.SendStatus s) {
        return switch (s.getDeliveryStatusCase()) {
            case SENT -> DeliveryStatus.SENT;
            case DELIVERED -> DeliveryStatus.DELIVERED;
            case READ -> DeliveryStatus.READ;
            case VIEWED -> DeliveryStatus.VIEWED;
            case SKIPPED -> DeliveryStatus.SKIPPED;
            case FAILED -> DeliveryStatus.FAILED;
            default -> DeliveryStatus.PENDING;
        };
    }

    /** Call details for an individual call update. */
    static CallInfo call(Backup.IndividualCall c) {
        return new CallInfo(c.getType() == Backup.IndividualCall.Type.VIDEO_CALL ? "video" : "audio",
                c.getDirection() == Backup.IndividualCall.Direction.OUTGOING ? Direction.OUTGOING : Direction.INCOMING,
                c.getState() == Backup.IndividualCall.State.UNKNOWN_STATE ? "accepted"
                        : c.getState().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                c.getStartedCallTimestamp() == 0 ? null : c.getStartedCallTimestamp(), null);
    }
}
