package org.chatarchive.renderers.html;

import java.util.List;

/**
 * What the templates show: plain values computed in Java, so templates only place them. Strings named
 * {@code ...Html} are already-escaped HTML; every other string is escaped by the template.
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
    public record Item(
            String anchor,
            String day,
            String dayIso,
            boolean notice,
            String noticeKind,
            String noticeText,
            String side,
            boolean startsGroup,
            boolean showSender,
            String senderName,
            String senderColour,
            String initials,
            Time time,
            String bodyHtml,
            boolean jumbo,
            QuoteView quote,
            List<AttachmentView> attachments,
            AttachmentView sticker,
            List<PreviewView> previews,
            List<ContactView> contacts,
            PollView poll,
            List<ReactionView> reactions,
            List<EditView> edits,
            String editedTitle,
            boolean deleted,
            String deletedTitle,
            String viewOnce,
            String timer,
            String timerTitle,
            String status,
            String statusTitle) {
    }

    /**
     * An instant as shown.
     *
     * @param iso   {@code 2023-07-14T18:22:05+02:00}, for {@code <time datetime>}
     * @param full  {@code 2023-07-14 18:22:05 +02:00 (Europe/Berlin)}, for the title
     * @param clock {@code 18:22}
     */
    public record Time(String iso, String full, String clock) {
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
    public record QuoteView(String href, String author, String colour, String textHtml, String attachments,
                            boolean notFound) {
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
    public record AttachmentView(String show, String href, String label, String fileName, String size, Integer width,
                                 Integer height, String duration, String caption, String missing, String type) {
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
    public record PreviewView(String href, String url, String site, String title, String description,
                              AttachmentView image) {
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
    public record ContactView(String name, String initials, String organization, List<String> phones,
                              List<String> emails) {
    }

    /**
     * A poll.
     *
     * @param question the question
     * @param options  options with votes
     * @param note     e.g. "Poll · multiple choice · ended"
     */
    public record PollView(String question, List<PollOption> options, String note) {
    }

    /**
     * A poll option.
     *
     * @param text    the option
     * @param votes   number of votes
     * @param voters  who voted, comma separated
     * @param percent share of all votes, 0 to 100, for the bar
     */
    public record PollOption(String text, int votes, String voters, int percent) {
    }

    /**
     * The reactions with one emoji.
     *
     * @param emoji the emoji
     * @param count how many reacted with it
     * @param who   who reacted, with when where known
     */
    public record ReactionView(String emoji, int count, String who) {
    }

    /**
     * An earlier version of an edited message.
     *
     * @param time        when that version was sent
     * @param bodyHtml    its text, or null
     * @param attachments a short description of its attachments, or null
     */
    public record EditView(Time time, String bodyHtml, String attachments) {
    }

    /**
     * A link in the page navigation.
     *
     * @param label   what it says
     * @param href    where it goes, or null for the current page
     * @param current whether it is the current page
     */
    public record NavLink(String label, String href, boolean current) {
    }

    /**
     * One year of the jump menu.
     *
     * @param year   the year
     * @param months its months that have messages
     */
    public record YearLinks(String year, List<NavLink> months) {
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
    public record PageHeader(String title, String avatar, String initials, String colour, String kind,
                             String participants, String summary, String zone, int page, int pages, String pageLabel,
                             String prev, String next, String first, String last, List<YearLinks> jump,
                             List<NavLink> pageLinks, String toSite) {
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
     * @param preview      the last message, as one line of text, or null
     * @param filter       lower-case text the filter box matches against
     */
    public record IndexEntry(String href, String latestHref, String title, String avatar, String initials,
                             String colour, String kind, String participants, String messages, String firstDate,
                             String lastDate, String lastIso, String preview, String filter) {
    }
}
