package org.chatarchive.renderers.html;

import java.util.List;

/**
 * What the templates show: plain values computed in Java, so templates only place them. Strings named
 * {@code ...Html} are already-escaped HTML; every other string is escaped by the template.
 *
 * <p>These are JavaBeans rather than records on purpose: Thymeleaf resolves {@code ${m.name}} through a fast path
 * for {@code getName()}, several times faster than a general method call, and a page evaluates a few dozen such
 * expressions per message.
 */
public final class Views {

    private Views() {
    }

    /**
     * One item of a conversation page: a message, or a centred notice for a system event.
     *
     * @param anchor       the element id, {@code m-...}
     * @param day          the day separator to show before it, or null
     * @param dayIso       that day as {@code 2023-07-14}
     * @param notice       whether it is a system event, shown as a centred notice
     * @param noticeKind   a class for the notice's icon: {@code call}, {@code missed}, {@code timer}, {@code group},
     *                     {@code security}, {@code info}
     * @param noticeText   the notice's text
     * @param side         {@code in} or {@code out}
     * @param startsGroup  whether it starts a run of messages from the same sender
     * @param showSender   whether to show the sender's name and avatar (groups)
     * @param senderName   the sender's name
     * @param senderColour the sender's colour class
     * @param initials     the sender's initials for the avatar
     * @param time         when it was sent
     * @param bodyHtml     the body, or null
     * @param jumbo        whether the body is only a few emoji, shown large
     * @param quote        the quoted message, or null
     * @param attachments  attachments
     * @param sticker      the sticker, or null
     * @param previews     link previews
     * @param contacts     shared contacts
     * @param poll         the poll, or null
     * @param reactions    reactions grouped by emoji
     * @param edits        earlier versions, oldest first (empty when never edited)
     * @param editedTitle  when it was last edited, for the "edited" label
     * @param deleted      whether it was deleted for everyone
     * @param deletedTitle when it was deleted
     * @param viewOnce     the view-once label, or null
     * @param timer        the disappearing-timer label, or null
     * @param timerTitle   the timer's details
     * @param status       the delivery label for outgoing messages, or null
     * @param statusTitle  per-recipient delivery state
     */
    public static final class Item {
        private final String anchor;
        private final String day;
        private final String dayIso;
        private final boolean notice;
        private final String noticeKind;
        private final String noticeText;
        private final String side;
        private final boolean startsGroup;
        private final boolean showSender;
        private final String senderName;
        private final String senderColour;
        private final String initials;
        private final Time time;
        private final String bodyHtml;
        private final boolean jumbo;
        private final QuoteView quote;
        private final List<AttachmentView> attachments;
        private final AttachmentView sticker;
        private final List<PreviewView> previews;
        private final List<ContactView> contacts;
        private final PollView poll;
        private final List<ReactionView> reactions;
        private final List<EditView> edits;
        private final String editedTitle;
        private final boolean deleted;
        private final String deletedTitle;
        private final String viewOnce;
        private final String timer;
        private final String timerTitle;
        private final String status;
        private final String statusTitle;

        public Item(String anchor, String day, String dayIso, boolean notice, String noticeKind, String noticeText, String side, boolean startsGroup, boolean showSender, String senderName, String senderColour, String initials, Time time, String bodyHtml, boolean jumbo, QuoteView quote, List<AttachmentView> attachments, AttachmentView sticker, List<PreviewView> previews, List<ContactView> contacts, PollView poll, List<ReactionView> reactions, List<EditView> edits, String editedTitle, boolean deleted, String deletedTitle, String viewOnce, String timer, String timerTitle, String status, String statusTitle) {
            this.anchor = anchor;
            this.day = day;
            this.dayIso = dayIso;
            this.notice = notice;
            this.noticeKind = noticeKind;
            this.noticeText = noticeText;
            this.side = side;
            this.startsGroup = startsGroup;
            this.showSender = showSender;
            this.senderName = senderName;
            this.senderColour = senderColour;
            this.initials = initials;
            this.time = time;
            this.bodyHtml = bodyHtml;
            this.jumbo = jumbo;
            this.quote = quote;
            this.attachments = attachments;
            this.sticker = sticker;
            this.previews = previews;
            this.contacts = contacts;
            this.poll = poll;
            this.reactions = reactions;
            this.edits = edits;
            this.editedTitle = editedTitle;
            this.deleted = deleted;
            this.deletedTitle = deletedTitle;
            this.viewOnce = viewOnce;
            this.timer = timer;
            this.timerTitle = timerTitle;
            this.status = status;
            this.statusTitle = statusTitle;
        }

        public String getAnchor() {
            return anchor;
        }

        public String getDay() {
            return day;
        }

        public String getDayIso() {
            return dayIso;
        }

        public boolean isNotice() {
            return notice;
        }

        public String getNoticeKind() {
            return noticeKind;
        }

        public String getNoticeText() {
            return noticeText;
        }

        public String getSide() {
            return side;
        }

        public boolean isStartsGroup() {
            return startsGroup;
        }

        public boolean isShowSender() {
            return showSender;
        }

        public String getSenderName() {
            return senderName;
        }

        public String getSenderColour() {
            return senderColour;
        }

        public String getInitials() {
            return initials;
        }

        public Time getTime() {
            return time;
        }

        public String getBodyHtml() {
            return bodyHtml;
        }

        public boolean isJumbo() {
            return jumbo;
        }

        public QuoteView getQuote() {
            return quote;
        }

        public List<AttachmentView> getAttachments() {
            return attachments;
        }

        public AttachmentView getSticker() {
            return sticker;
        }

        public List<PreviewView> getPreviews() {
            return previews;
        }

        public List<ContactView> getContacts() {
            return contacts;
        }

        public PollView getPoll() {
            return poll;
        }

        public List<ReactionView> getReactions() {
            return reactions;
        }

        public List<EditView> getEdits() {
            return edits;
        }

        public String getEditedTitle() {
            return editedTitle;
        }

        public boolean isDeleted() {
            return deleted;
        }

        public String getDeletedTitle() {
            return deletedTitle;
        }

        public String getViewOnce() {
            return viewOnce;
        }

        public String getTimer() {
            return timer;
        }

        public String getTimerTitle() {
            return timerTitle;
        }

        public String getStatus() {
            return status;
        }

        public String getStatusTitle() {
            return statusTitle;
        }

        /** The message's classes: side, start of a run, named. */
        public String getCssClass() {
            return "msg " + side + (startsGroup ? " run" : "") + (showSender ? " named" : "");
        }

        /** The bubble's classes. */
        public String getBubbleClass() {
            return deleted ? "bubble deleted" : jumbo ? "bubble jumbo" : sticker != null ? "bubble stickerwrap" : "bubble";
        }

        /** The avatar's classes. */
        public String getAvatarClass() {
            return "avatar " + senderColour;
        }

        /** The sender name's classes. */
        public String getSenderClass() {
            return "sender " + senderColour;
        }

        /** Whether a day separator comes first. */
        public boolean isWithDay() {
            return day != null;
        }

        /** Whether there is body text. */
        public boolean isWithBody() {
            return bodyHtml != null;
        }

        /** Whether anyone reacted. */
        public boolean isWithReactions() {
            return !reactions.isEmpty();
        }

        /** Whether anything but text is in the bubble (saves the template a dozen tests per plain message). */
        public boolean isRich() {
            return quote != null || viewOnce != null || !attachments.isEmpty() || sticker != null
                    || !previews.isEmpty() || !contacts.isEmpty() || poll != null || !edits.isEmpty();
        }

        /** Whether the footer shows more than the time. */
        public boolean isFootExtras() {
            return timer != null || !edits.isEmpty() || status != null;
        }

        /** Whether it was edited. */
        public boolean isEdited() {
            return !edits.isEmpty();
        }
    }

    /**
     * An instant as shown.
     *
     * @param iso   {@code 2023-07-14T18:22:05+02:00}, for {@code <time datetime>}
     * @param full  {@code 2023-07-14 18:22:05 +02:00 (Europe/Berlin)}, for the title
     * @param clock {@code 18:22}
     */
    public static final class Time {
        private final String iso;
        private final String full;
        private final String clock;

        public Time(String iso, String full, String clock) {
            this.iso = iso;
            this.full = full;
            this.clock = clock;
        }

        public String getIso() {
            return iso;
        }

        public String getFull() {
            return full;
        }

        public String getClock() {
            return clock;
        }
    }

    /**
     * A quoted message.
     *
     * @param href        link to the quoted message, or null when it is not in the archive
     * @param author      its author's name
     * @param colour      its author's colour class
     * @param textHtml    the quoted text as the replier saw it, or null
     * @param attachments a short description of quoted attachments (e.g. "Photo"), or null
     * @param notFound    whether the source says the quoted message was not found
     */
    public static final class QuoteView {
        private final String href;
        private final String author;
        private final String colour;
        private final String textHtml;
        private final String attachments;
        private final boolean notFound;

        public QuoteView(String href, String author, String colour, String textHtml, String attachments, boolean notFound) {
            this.href = href;
            this.author = author;
            this.colour = colour;
            this.textHtml = textHtml;
            this.attachments = attachments;
            this.notFound = notFound;
        }

        public String getHref() {
            return href;
        }

        public String getAuthor() {
            return author;
        }

        public String getColour() {
            return colour;
        }

        public String getTextHtml() {
            return textHtml;
        }

        public String getAttachments() {
            return attachments;
        }

        public boolean isNotFound() {
            return notFound;
        }
    }

    /**
     * An attachment.
     *
     * @param show     how to show it: {@code image}, {@code video}, {@code audio}, {@code file}, {@code missing}
     * @param href     link to its bytes in the archive's store, or null when missing
     * @param label    what it is, e.g. "Photo", "Voice message", or the file name
     * @param fileName the sender's file name, or null
     * @param size     its size for people, e.g. "1.2 MB", or null
     * @param width    pixels, or null
     * @param height   pixels, or null
     * @param duration e.g. "0:42", or null
     * @param caption  its caption, or null
     * @param missing  why its bytes are not in the archive, or null
     * @param type     its content type, or null
     */
    public static final class AttachmentView {
        private final String show;
        private final String href;
        private final String label;
        private final String fileName;
        private final String size;
        private final Integer width;
        private final Integer height;
        private final String duration;
        private final String caption;
        private final String missing;
        private final String type;

        public AttachmentView(String show, String href, String label, String fileName, String size, Integer width, Integer height, String duration, String caption, String missing, String type) {
            this.show = show;
            this.href = href;
            this.label = label;
            this.fileName = fileName;
            this.size = size;
            this.width = width;
            this.height = height;
            this.duration = duration;
            this.caption = caption;
            this.missing = missing;
            this.type = type;
        }

        public String getShow() {
            return show;
        }

        public String getHref() {
            return href;
        }

        public String getLabel() {
            return label;
        }

        public String getFileName() {
            return fileName;
        }

        public String getSize() {
            return size;
        }

        public Integer getWidth() {
            return width;
        }

        public Integer getHeight() {
            return height;
        }

        public String getDuration() {
            return duration;
        }

        public String getCaption() {
            return caption;
        }

        public String getMissing() {
            return missing;
        }

        public String getType() {
            return type;
        }
    }

    /**
     * A link preview.
     *
     * @param href        the link, or null when it is not an http(s) link (then only shown as text)
     * @param url         the link as text
     * @param site        the host name
     * @param title       the page title, or null
     * @param description the page description, or null
     * @param image       the preview image, or null
     */
    public static final class PreviewView {
        private final String href;
        private final String url;
        private final String site;
        private final String title;
        private final String description;
        private final AttachmentView image;

        public PreviewView(String href, String url, String site, String title, String description, AttachmentView image) {
            this.href = href;
            this.url = url;
            this.site = site;
            this.title = title;
            this.description = description;
            this.image = image;
        }

        public String getHref() {
            return href;
        }

        public String getUrl() {
            return url;
        }

        public String getSite() {
            return site;
        }

        public String getTitle() {
            return title;
        }

        public String getDescription() {
            return description;
        }

        public AttachmentView getImage() {
            return image;
        }
    }

    /**
     * A shared contact card.
     *
     * @param name         the contact's name
     * @param initials     for the avatar
     * @param organization organization, or null
     * @param phones       phone numbers
     * @param emails       e-mail addresses
     */
    public static final class ContactView {
        private final String name;
        private final String initials;
        private final String organization;
        private final List<String> phones;
        private final List<String> emails;

        public ContactView(String name, String initials, String organization, List<String> phones, List<String> emails) {
            this.name = name;
            this.initials = initials;
            this.organization = organization;
            this.phones = phones;
            this.emails = emails;
        }

        public String getName() {
            return name;
        }

        public String getInitials() {
            return initials;
        }

        public String getOrganization() {
            return organization;
        }

        public List<String> getPhones() {
            return phones;
        }

        public List<String> getEmails() {
            return emails;
        }
    }

    /**
     * A poll.
     *
     * @param question the question
     * @param options  options with votes
     * @param note     e.g. "Poll · multiple choice · ended"
     */
    public static final class PollView {
        private final String question;
        private final List<PollOption> options;
        private final String note;

        public PollView(String question, List<PollOption> options, String note) {
            this.question = question;
            this.options = options;
            this.note = note;
        }

        public String getQuestion() {
            return question;
        }

        public List<PollOption> getOptions() {
            return options;
        }

        public String getNote() {
            return note;
        }
    }

    /**
     * A poll option.
     *
     * @param text    the option
     * @param votes   number of votes
     * @param voters  who voted, comma separated
     * @param percent share of all votes, 0 to 100, for the bar
     */
    public static final class PollOption {
        private final String text;
        private final int votes;
        private final String voters;
        private final int percent;

        public PollOption(String text, int votes, String voters, int percent) {
            this.text = text;
            this.votes = votes;
            this.voters = voters;
            this.percent = percent;
        }

        public String getText() {
            return text;
        }

        public int getVotes() {
            return votes;
        }

        public String getVoters() {
            return voters;
        }

        public int getPercent() {
            return percent;
        }
    }

    /**
     * The reactions with one emoji.
     *
     * @param emoji the emoji
     * @param count how many reacted with it
     * @param who   who reacted, with when where known
     */
    public static final class ReactionView {
        private final String emoji;
        private final int count;
        private final String who;

        public ReactionView(String emoji, int count, String who) {
            this.emoji = emoji;
            this.count = count;
            this.who = who;
        }

        public String getEmoji() {
            return emoji;
        }

        public int getCount() {
            return count;
        }

        public String getWho() {
            return who;
        }
    }

    /**
     * An earlier version of an edited message.
     *
     * @param time        when that version was sent
     * @param bodyHtml    its text, or null
     * @param attachments a short description of its attachments, or null
     */
    public static final class EditView {
        private final Time time;
        private final String bodyHtml;
        private final String attachments;

        public EditView(Time time, String bodyHtml, String attachments) {
            this.time = time;
            this.bodyHtml = bodyHtml;
            this.attachments = attachments;
        }

        public Time getTime() {
            return time;
        }

        public String getBodyHtml() {
            return bodyHtml;
        }

        public String getAttachments() {
            return attachments;
        }
    }

    /**
     * A link in the page navigation.
     *
     * @param label   what it says
     * @param href    where it goes, or null for the current page
     * @param current whether it is the current page
     */
    public static final class NavLink {
        private final String label;
        private final String href;
        private final boolean current;

        public NavLink(String label, String href, boolean current) {
            this.label = label;
            this.href = href;
            this.current = current;
        }

        public String getLabel() {
            return label;
        }

        public String getHref() {
            return href;
        }

        public boolean isCurrent() {
            return current;
        }
    }

    /**
     * One year of the jump menu.
     *
     * @param year   the year
     * @param months its months that have messages
     */
    public static final class YearLinks {
        private final String year;
        private final List<NavLink> months;

        public YearLinks(String year, List<NavLink> months) {
            this.year = year;
            this.months = months;
        }

        public String getYear() {
            return year;
        }

        public List<NavLink> getMonths() {
            return months;
        }
    }

    /**
     * The top of a conversation page.
     *
     * @param title        the conversation's title
     * @param avatar       the conversation's picture, or null
     * @param initials     initials for the avatar when there is no picture
     * @param colour       the avatar's colour class
     * @param kind         "Group", "Direct chat", "Note to Self"
     * @param participants names of the participants
     * @param summary      e.g. "1,234 messages · 2021-03-04 to 2023-07-14"
     * @param zone         the zone times are shown in
     * @param page         this page's number, from 1
     * @param pages        number of pages
     * @param pageLabel    what this page covers, e.g. "July 2023" or "2023-07-01 to 2023-07-14"
     * @param prev         link to the previous page, or null
     * @param next         link to the next page, or null
     * @param first        link to the first page
     * @param last         link to the last page
     * @param jump         the jump menu, by year and month
     * @param pageLinks    every page, for the page menu
     * @param toSite       relative path from the page to the site folder ({@code ../})
     */
    public static final class PageHeader {
        private final String title;
        private final String avatar;
        private final String initials;
        private final String colour;
        private final String kind;
        private final String participants;
        private final String summary;
        private final String zone;
        private final int page;
        private final int pages;
        private final String pageLabel;
        private final String prev;
        private final String next;
        private final String first;
        private final String last;
        private final List<YearLinks> jump;
        private final List<NavLink> pageLinks;
        private final String toSite;

        public PageHeader(String title, String avatar, String initials, String colour, String kind, String participants, String summary, String zone, int page, int pages, String pageLabel, String prev, String next, String first, String last, List<YearLinks> jump, List<NavLink> pageLinks, String toSite) {
            this.title = title;
            this.avatar = avatar;
            this.initials = initials;
            this.colour = colour;
            this.kind = kind;
            this.participants = participants;
            this.summary = summary;
            this.zone = zone;
            this.page = page;
            this.pages = pages;
            this.pageLabel = pageLabel;
            this.prev = prev;
            this.next = next;
            this.first = first;
            this.last = last;
            this.jump = jump;
            this.pageLinks = pageLinks;
            this.toSite = toSite;
        }

        public String getTitle() {
            return title;
        }

        public String getAvatar() {
            return avatar;
        }

        public String getInitials() {
            return initials;
        }

        public String getColour() {
            return colour;
        }

        public String getKind() {
            return kind;
        }

        public String getParticipants() {
            return participants;
        }

        public String getSummary() {
            return summary;
        }

        public String getZone() {
            return zone;
        }

        public int getPage() {
            return page;
        }

        public int getPages() {
            return pages;
        }

        public String getPageLabel() {
            return pageLabel;
        }

        public String getPrev() {
            return prev;
        }

        public String getNext() {
            return next;
        }

        public String getFirst() {
            return first;
        }

        public String getLast() {
            return last;
        }

        public List<YearLinks> getJump() {
            return jump;
        }

        public List<NavLink> getPageLinks() {
            return pageLinks;
        }

        public String getToSite() {
            return toSite;
        }
    }

    /**
     * A conversation on the index page.
     *
     * @param href         link to its first page
     * @param latestHref   link to its last page
     * @param title        the title
     * @param avatar       its picture, or null
     * @param initials     initials for the avatar
     * @param colour       the avatar's colour class
     * @param kind         "Group", "Direct chat", "Note to Self"
     * @param participants participants' names
     * @param messages     e.g. "1,234 messages"
     * @param firstDate    first message's date, or null
     * @param lastDate     last message's date, or null
     * @param lastIso      last message's instant, for {@code <time>}, or null
     * @param previewWho   who wrote the last message ("You", or a name in groups), or null
     * @param preview      the last message, as one line of text, or null
     * @param filter       lower-case text the filter box matches against
     */
    public static final class IndexEntry {
        private final String href;
        private final String latestHref;
        private final String title;
        private final String avatar;
        private final String initials;
        private final String colour;
        private final String kind;
        private final String participants;
        private final String messages;
        private final String firstDate;
        private final String lastDate;
        private final String lastIso;
        private final String previewWho;
        private final String preview;
        private final String filter;

        public IndexEntry(String href, String latestHref, String title, String avatar, String initials, String colour, String kind, String participants, String messages, String firstDate, String lastDate, String lastIso, String previewWho, String preview, String filter) {
            this.href = href;
            this.latestHref = latestHref;
            this.title = title;
            this.avatar = avatar;
            this.initials = initials;
            this.colour = colour;
            this.kind = kind;
            this.participants = participants;
            this.messages = messages;
            this.firstDate = firstDate;
            this.lastDate = lastDate;
            this.lastIso = lastIso;
            this.previewWho = previewWho;
            this.preview = preview;
            this.filter = filter;
        }

        public String getHref() {
            return href;
        }

        public String getLatestHref() {
            return latestHref;
        }

        public String getTitle() {
            return title;
        }

        public String getAvatar() {
            return avatar;
        }

        public String getInitials() {
            return initials;
        }

        public String getColour() {
            return colour;
        }

        public String getKind() {
            return kind;
        }

        public String getParticipants() {
            return participants;
        }

        public String getMessages() {
            return messages;
        }

        public String getFirstDate() {
            return firstDate;
        }

        public String getLastDate() {
            return lastDate;
        }

        public String getLastIso() {
            return lastIso;
        }

        public String getPreviewWho() {
            return previewWho;
        }

        public String getPreview() {
            return preview;
        }

        public String getFilter() {
            return filter;
        }
    }
}
