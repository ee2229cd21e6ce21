package org.chatarchive.renderers.html;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.chatarchive.model.Attachment;
import org.chatarchive.model.AttachmentKind;
import org.chatarchive.model.Availability;
import org.chatarchive.model.CallInfo;
import org.chatarchive.model.DeliveryStatus;
import org.chatarchive.model.Direction;
import org.chatarchive.model.EditVersion;
import org.chatarchive.model.LinkPreview;
import org.chatarchive.model.Message;
import org.chatarchive.model.MessageFlags;
import org.chatarchive.model.Poll;
import org.chatarchive.model.Quote;
import org.chatarchive.model.Reaction;
import org.chatarchive.model.Receipt;
import org.chatarchive.model.SharedContact;
import org.chatarchive.model.SystemEvent;
import org.chatarchive.renderers.richtext.RichText;
import org.chatarchive.renderers.time.ZonedTimes;
import org.chatarchive.renderers.html.Views.AttachmentView;
import org.chatarchive.renderers.html.Views.ContactView;
import org.chatarchive.renderers.html.Views.EditView;
import org.chatarchive.renderers.html.Views.Item;
import org.chatarchive.renderers.html.Views.PollOption;
import org.chatarchive.renderers.html.Views.PollView;
import org.chatarchive.renderers.html.Views.PreviewView;
import org.chatarchive.renderers.html.Views.QuoteView;
import org.chatarchive.renderers.html.Views.ReactionView;
import org.chatarchive.renderers.html.Views.Time;

/**
 * Turns the messages of one conversation, in file order, into {@link Item}s: resolves names, links, times and
 * attachments, and decides day separators and sender runs from the message before.
 */
final class ItemFactory {

    /** Messages further apart than this start a new run (sender name and avatar shown again). */
    private static final long RUN_GAP_MS = 10 * 60_000L;
    /** From a conversation page up to the archive root, where the attachment store is. */
    static final String PAGE_TO_ROOT = "../../";

    private static final Set<String> INLINE_IMAGES = Set.of("image/jpeg", "image/jpg", "image/png", "image/gif",
            "image/webp", "image/avif", "image/bmp", "image/apng");
    private static final Set<String> INLINE_VIDEOS = Set.of("video/mp4", "video/webm", "video/ogg");

    private final People people;
    private final ZonedTimes times;
    private final boolean group;
    private final ConversationPlan plan;
    private final String zoneId;

    private LocalDate prevDay;
    private String prevSender;
    private Direction prevDirection;
    private long prevAt;
    private boolean prevNotice = true;

    ItemFactory(People people, ZonedTimes times, boolean group, ConversationPlan plan) {
        this.people = people;
        this.times = times;
        this.group = group;
        this.plan = plan;
        this.zoneId = times.zone().getId();
    }

    /** The item for {@code m}, the next message of the conversation, on page {@code page}. */
    Item item(Message m, int page, boolean firstOnPage) {
        plan.quotes.seen(m.id(), page);
        long at = m.timelineAt();
        LocalDate day = times.day(at);
        boolean newDay = firstOnPage || !day.equals(prevDay);
        String dayLabel = newDay ? times.dayLabel(day) : null;
        String anchor = Links.anchor(m.id());
        Time time = time(at);

        if (m.direction() == Direction.SYSTEM || m.event() != null) {
            remember(day, null, Direction.SYSTEM, at, true);
            return new Item(anchor, dayLabel, newDay ? day.toString() : null, true, noticeKind(m.event()),
                    noticeText(m), "notice", true, false, null, null, null, time, null, false, null, List.of(), null,
                    List.of(), List.of(), null, reactions(m.reactions()), List.of(), null, false, null, null, null,
                    null, null, null);
        }

        boolean out = m.direction() == Direction.OUTGOING;
        String sender = m.senderId() != null ? m.senderId() : (out ? people.ownerId() : null);
        boolean startsGroup = newDay || prevNotice || prevDirection != m.direction()
                || !java.util.Objects.equals(prevSender, sender) || at - prevAt > RUN_GAP_MS || at < prevAt;
        remember(day, sender, m.direction(), at, false);
        String name = out ? people.nameOrYou(sender) : people.name(sender);
        boolean showSender = group && !out && startsGroup;

        MessageFlags f = m.flags();
        if (f.deletedForEveryone()) {
            return new Item(anchor, dayLabel, newDay ? day.toString() : null, false, null, null, out ? "out" : "in",
                    startsGroup, showSender, name, People.colour(sender), People.initials(name), time, null, false,
                    null, List.of(), null, List.of(), List.of(), null, reactions(m.reactions()), List.of(), null, true,
                    f.deletedAt() != null ? "Deleted for everyone " + full(f.deletedAt()) : "Deleted for everyone",
                    null, null, null, status(m.receipts(), out), statusTitle(m.receipts(), out));
        }

        RichText body = RichText.parse(m.body(), m.ranges());
        String viewOnce = null;
        if (f.viewOnce()) {
            viewOnce = f.erased() ? "View-once media, already viewed: its content is gone" : "View-once media";
        }
        String timer = null;
        String timerTitle = null;
        if (f.expireTimerSeconds() != null && f.expireTimerSeconds() > 0) {
            timer = shortDuration(f.expireTimerSeconds());
            timerTitle = "Disappearing message, timer " + longDuration(f.expireTimerSeconds())
                    + (f.expirationStartAt() != null ? "; timer started " + full(f.expirationStartAt()) : "");
        }
        List<EditView> edits = edits(m.edits());
        String editedTitle = edits.isEmpty() ? null : "Edited: " + edits.size() + " earlier version"
                + (edits.size() == 1 ? "" : "s") + " below";
        AttachmentView sticker = null;
        if (m.sticker() != null) {
            Attachment img = m.sticker().image();
            String emoji = m.sticker().emoji();
            sticker = attachment(img == null ? new Attachment("image/webp", null, null, null, null, null, null,
                    AttachmentKind.STICKER, null, Availability.NOT_EXPORTED, "the sticker image was not in the source",
                    null, null) : img, "Sticker" + (emoji != null ? " " + emoji : ""));
        }
        return new Item(anchor, dayLabel, newDay ? day.toString() : null, false, null, null, out ? "out" : "in",
                startsGroup, showSender, name, People.colour(sender), People.initials(name), time,
                BodyHtml.of(body, people), isJumbo(m), quote(m.quote(), page), attachments(m.attachments()), sticker,
                previews(m.previews()), contacts(m.contacts()), poll(m.poll()), reactions(m.reactions()), edits,
                editedTitle, false, null, viewOnce, timer, timerTitle, status(m.receipts(), out),
                statusTitle(m.receipts(), out));
    }

    private void remember(LocalDate day, String sender, Direction d, long at, boolean notice) {
        prevDay = day;
        prevSender = sender;
        prevDirection = d;
        prevAt = at;
        prevNotice = notice;
    }

    private Time time(long at) {
        String full = times.full(at) + " (" + zoneId + ")";
        return new Time(times.iso(at), full, times.clock(at));
    }

    private String full(long at) {
        return times.full(at);
    }

    // ---- notices

    static String noticeKind(SystemEvent e) {
        if (e == null || e.type() == null) {
            return "info";
        }
        return switch (e.type()) {
            case CALL -> e.call() != null && isMissed(e.call()) ? "missed" : "call";
            case TIMER_CHANGE -> "timer";
            case SAFETY_NUMBER_CHANGE, VERIFIED_CHANGE, SESSION_REFRESH, DELIVERY_ISSUE -> "security";
            case GROUP_CHANGE, JOINED, CONVERSATION_MERGE, PROFILE_CHANGE, NUMBER_CHANGE -> "group";
            default -> "info";
        };
    }

    private static boolean isMissed(CallInfo c) {
        String s = c.status() == null ? "" : c.status().toLowerCase(Locale.ROOT);
        return s.contains("missed") || s.contains("declined") || s.contains("unanswered");
    }

    private String noticeText(Message m) {
        SystemEvent e = m.event();
        String text = e != null && e.text() != null && !e.text().isBlank() ? e.text()
                : m.body() != null && !m.body().isBlank() ? BodyHtml.plain(RichText.parse(m.body(), m.ranges()), people, 2000)
                : e != null ? fallbackText(e) : "System message";
        if (e != null && e.call() != null && e.call().durationMs() != null && e.call().durationMs() > 0) {
            text = text + " \u00b7 " + clockDuration(e.call().durationMs());
        }
        return text;
    }

    private String fallbackText(SystemEvent e) {
        String actor = e.actorId() != null ? people.nameOrYou(e.actorId()) : null;
        String targets = e.targetIds().isEmpty() ? null
                : String.join(", ", e.targetIds().stream().map(people::nameOrYou).toList());
        return switch (e.type()) {
            case CALL -> {
                CallInfo c = e.call();
                if (c == null) {
                    yield "Call";
                }
                String media = c.media() == null ? "" : switch (c.media()) {
                    case "video" -> "video ";
                    case "audio" -> "voice ";
                    case "group", "adhoc" -> "group ";
                    default -> "";
                };
                String dir = isMissed(c) ? "Missed " : c.direction() == Direction.OUTGOING ? "Outgoing "
                        : c.direction() == Direction.INCOMING ? "Incoming " : "";
                String s = dir + media + "call";
                yield Character.toUpperCase(s.charAt(0)) + s.substring(1);
            }
            case TIMER_CHANGE -> (actor != null ? actor : "Someone") + (e.timerSeconds() == null || e.timerSeconds() == 0
                    ? " turned off disappearing messages"
                    : " set the disappearing message timer to " + longDuration(e.timerSeconds()));
            case SAFETY_NUMBER_CHANGE -> "Your safety number with " + (targets != null ? targets : actor != null ? actor
                    : "a contact") + " has changed";
            case VERIFIED_CHANGE -> "Verification changed" + (targets != null ? " for " + targets : "");
            case GROUP_CHANGE -> (actor != null ? actor : "Someone") + " changed the group"
                    + (targets != null ? " (" + targets + ")" : "");
            case JOINED -> (targets != null ? targets : actor != null ? actor : "Someone") + " joined";
            case PROFILE_CHANGE -> (actor != null ? actor : "A contact") + " changed their profile";
            case NUMBER_CHANGE -> (actor != null ? actor : "A contact") + " changed their phone number";
            case CONVERSATION_MERGE -> "Conversations were merged";
            case MESSAGE_REQUEST -> "Message request accepted";
            case SESSION_REFRESH -> "Secure session refreshed";
            case DELIVERY_ISSUE -> "A message could not be delivered";
            case PIN -> (actor != null ? actor : "Someone") + " pinned a message";
            case POLL_END -> (actor != null ? actor : "Someone") + " ended a poll";
            case OTHER -> "System message";
        };
    }

    // ---- parts of a message

    private QuoteView quote(Quote q, int page) {
        if (q == null) {
            return null;
        }
        String href = null;
        if (q.messageId() != null) {
            int target = plan.quotes.page(q.messageId());
            if (target == 0 && q.sentAt() != null) {
                target = plan.pageAt(q.sentAt());
            }
            if (target != 0) {
                String a = "#" + Links.anchor(q.messageId());
                href = target == page ? a : Links.pageFile(target) + a;
            }
        }
        RichText text = RichText.parse(q.text(), q.ranges());
        String atts = q.attachments().isEmpty() ? null
                : String.join(", ", q.attachments().stream().map(ItemFactory::kindLabel).toList());
        String author = q.authorId() != null ? people.nameOrYou(q.authorId()) : "Unknown";
        return new QuoteView(href, author, People.colour(q.authorId()), BodyHtml.of(text, people), atts,
                q.referencedMessageNotFound());
    }

    private List<AttachmentView> attachments(List<Attachment> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<AttachmentView> out = new ArrayList<>(list.size());
        for (Attachment a : list) {
            out.add(attachment(a, kindLabel(a)));
        }
        return out;
    }

    /** How an attachment is shown: inline when the browser can show it and its bytes are stored, else a link. */
    static AttachmentView attachment(Attachment a, String label, String toRoot) {
        String href = Links.attachmentHref(a, toRoot);
        String type = a.contentType() == null ? "" : a.contentType().toLowerCase(Locale.ROOT).strip();
        String size = a.size() != null ? size(a.size()) : null;
        String duration = a.durationMs() != null && a.durationMs() > 0 ? clockDuration(a.durationMs()) : null;
        String show;
        String missing = null;
        if (href == null) {
            show = "missing";
            missing = missingReason(a);
        } else if (INLINE_IMAGES.contains(type)) {
            show = "image";
        } else if (INLINE_VIDEOS.contains(type)) {
            show = "video";
        } else if (type.startsWith("audio/")) {
            show = "audio";
        } else {
            show = "file";
        }
        String fileLabel = a.fileName() != null && !a.fileName().isBlank() ? a.fileName() : label;
        return new AttachmentView(show, href, show.equals("file") ? fileLabel : label, a.fileName(), size, a.width(),
                a.height(), duration, a.caption(), missing, a.contentType());
    }

    private AttachmentView attachment(Attachment a, String label) {
        return attachment(a, label, PAGE_TO_ROOT);
    }

    static String missingReason(Attachment a) {
        if (a.missingReason() != null && !a.missingReason().isBlank()) {
            return a.missingReason();
        }
        if (a.availability() == null) {
            return "its file is not in the archive";
        }
        return switch (a.availability()) {
            case STORED -> "the archive lists a file outside its attachment store";
            case NOT_DOWNLOADED -> "the app never downloaded it";
            case FILE_MISSING -> "its file was missing from the app's folder";
            case DECRYPTION_FAILED -> "its file could not be decrypted";
            case NOT_EXPORTED -> "it was left out of this export";
        };
    }

    /** A person's word for an attachment: "Photo", "Voice message", ... */
    static String kindLabel(Attachment a) {
        AttachmentKind k = a.kind();
        if (k == null) {
            String t = a.contentType() == null ? "" : a.contentType();
            k = t.startsWith("image/") ? AttachmentKind.IMAGE : t.startsWith("video/") ? AttachmentKind.VIDEO
                    : t.startsWith("audio/") ? AttachmentKind.AUDIO : AttachmentKind.FILE;
        }
        return switch (k) {
            case IMAGE -> "Photo";
            case GIF -> "GIF";
            case VIDEO -> "Video";
            case AUDIO -> "Audio";
            case VOICE_NOTE -> "Voice message";
            case FILE -> a.fileName() != null && !a.fileName().isBlank() ? a.fileName() : "File";
            case STICKER -> "Sticker";
            case LONG_TEXT -> "Long message text";
        };
    }

    private List<PreviewView> previews(List<LinkPreview> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<PreviewView> out = new ArrayList<>(list.size());
        for (LinkPreview p : list) {
            String url = p.url() == null ? "" : p.url();
            String site = null;
            if (Links.isWebLink(url)) {
                try {
                    site = java.net.URI.create(url.strip()).getHost();
                } catch (IllegalArgumentException e) {
                    site = null;
                }
            }
            AttachmentView img = p.image() == null ? null : attachment(p.image(), "Preview image");
            out.add(new PreviewView(Links.isWebLink(url) ? url.strip() : null, url, site, blankToNull(p.title()),
                    blankToNull(p.description()), img));
        }
        return out;
    }

    private static List<ContactView> contacts(List<SharedContact> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<ContactView> out = new ArrayList<>(list.size());
        for (SharedContact c : list) {
            String name = c.displayName() != null && !c.displayName().isBlank() ? c.displayName() : "Contact";
            out.add(new ContactView(name, People.initials(name), blankToNull(c.organization()), c.phones(), c.emails()));
        }
        return out;
    }

    private PollView poll(Poll p) {
        if (p == null) {
            return null;
        }
        int total = p.options().stream().mapToInt(o -> o.voterIds().size()).sum();
        List<PollOption> options = new ArrayList<>();
        for (Poll.Option o : p.options()) {
            int votes = o.voterIds().size();
            options.add(new PollOption(o.text() == null ? "" : o.text(), votes,
                    String.join(", ", o.voterIds().stream().map(people::nameOrYou).toList()),
                    total == 0 ? 0 : Math.round(votes * 100f / total)));
        }
        String note = "Poll" + (p.allowMultiple() ? " \u00b7 several answers allowed" : "")
                + (p.ended() ? " \u00b7 ended" : "") + " \u00b7 " + total + (total == 1 ? " vote" : " votes");
        return new PollView(p.question() == null ? "" : p.question(), options, note);
    }

    private List<ReactionView> reactions(List<Reaction> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        Map<String, List<Reaction>> byEmoji = new LinkedHashMap<>();
        for (Reaction r : list) {
            byEmoji.computeIfAbsent(r.emoji(), k -> new ArrayList<>()).add(r);
        }
        List<ReactionView> out = new ArrayList<>(byEmoji.size());
        for (Map.Entry<String, List<Reaction>> e : byEmoji.entrySet()) {
            StringBuilder who = new StringBuilder();
            for (Reaction r : e.getValue()) {
                if (who.length() > 0) {
                    who.append(", ");
                }
                who.append(people.nameOrYou(r.participantId()));
                if (r.at() != null) {
                    who.append(" (").append(times.full(r.at())).append(')');
                }
            }
            out.add(new ReactionView(e.getKey(), e.getValue().size(), who.toString()));
        }
        return out;
    }

    private List<EditView> edits(List<EditVersion> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<EditView> out = new ArrayList<>(list.size());
        for (EditVersion v : list) {
            Long at = v.sentAt() != null ? v.sentAt() : v.receivedAt();
            String atts = v.attachments().isEmpty() ? null
                    : String.join(", ", v.attachments().stream().map(ItemFactory::kindLabel).toList());
            out.add(new EditView(at == null ? null : time(at), BodyHtml.of(RichText.parse(v.body(), v.ranges()), people),
                    atts));
        }
        return out;
    }

    private static String status(List<Receipt> receipts, boolean out) {
        if (!out || receipts.isEmpty()) {
            return null;
        }
        boolean failed = false;
        DeliveryStatus least = null;
        for (Receipt r : receipts) {
            if (r.status() == DeliveryStatus.FAILED) {
                failed = true;
            } else if (r.status() != DeliveryStatus.SKIPPED
                    && (least == null || rank(r.status()) < rank(least))) {
                least = r.status();
            }
        }
        if (failed) {
            return "Failed";
        }
        if (least == null) {
            return null;
        }
        return switch (least) {
            case PENDING -> "Sending";
            case SENT -> "Sent";
            case DELIVERED -> "Delivered";
            case READ -> "Read";
            case VIEWED -> "Viewed";
            default -> null;
        };
    }

    private static int rank(DeliveryStatus s) {
        return switch (s) {
            case PENDING -> 0;
            case SENT -> 1;
            case DELIVERED -> 2;
            case READ -> 3;
            case VIEWED -> 4;
            default -> 5;
        };
    }

    private String statusTitle(List<Receipt> receipts, boolean out) {
        if (!out || receipts.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Receipt r : receipts) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(people.name(r.participantId())).append(": ")
                    .append(r.status().name().toLowerCase(Locale.ROOT));
            if (r.at() != null) {
                b.append(' ').append(times.full(r.at()));
            }
        }
        return b.toString();
    }

    // ---- small formats

    /** Whether the body is only one to three emoji and nothing else, shown large as chat apps do. */
    static boolean isJumbo(Message m) {
        String b = m.body();
        if (b == null || b.isEmpty() || b.length() > 40 || !m.ranges().isEmpty()) {
            return false;
        }
        int pictographs = 0;
        for (int i = 0; i < b.length(); ) {
            int cp = b.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (cp == 0x200D || cp == 0xFE0F || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF)
                    || (cp >= 0xE0020 && cp <= 0xE007F)) {
                continue;
            }
            if (type == Character.OTHER_SYMBOL && cp >= 0x2000) {
                pictographs++;
                continue;
            }
            return false;
        }
        return pictographs >= 1 && pictographs <= 3;
    }

    /** Bytes for people: "512 B", "1.2 KB", "3.4 MB" (powers of 1024). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    /** "0:42", "12:03", "1:02:03". */
    static String clockDuration(long ms) {
        long s = Math.round(ms / 1000.0);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** A timer for a label: "30s", "5m", "8h", "1d", "1w". */
    static String shortDuration(long seconds) {
        if (seconds % 604_800 == 0) {
            return seconds / 604_800 + "w";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /** A timer in words: "1 week", "8 hours", "30 seconds". */
    static String longDuration(long seconds) {
        long[] sizes = {604_800, 86_400, 3600, 60, 1};
        String[] names = {"week", "day", "hour", "minute", "second"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds % sizes[i] == 0) {
                long n = seconds / sizes[i];
                return n + " " + names[i] + (n == 1 ? "" : "s");
            }
        }
        return seconds + " seconds";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
