package org.chatarchive.renderers.html;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.chatarchive.model.Message;
import org.chatarchive.renderers.time.ZonedTimes;

/**
 * What the first pass over a conversation learns, so that every page can link to every other before any page is
 * written: the pages with their time spans, where each month starts, which messages are quoted, and the last
 * message for the index. Its size depends on pages, months and quotes, never on all messages.
 */
final class ConversationPlan {

    /**
     * A page.
     *
     * @param number  from 1
     * @param count   messages on it
     * @param firstAt its first message's timeline instant
     * @param lastAt  its last message's timeline instant
     */
    record PageSpan(int number, int count, long firstAt, long lastAt) {
    }

    /**
     * Where a month starts.
     *
     * @param month  the month
     * @param page   the page of its first message
     * @param anchor that message's anchor
     */
    record MonthStart(YearMonth month, int page, String anchor) {
    }

    final List<PageSpan> pages;
    final List<MonthStart> months;
    final QuoteTargets quotes;
    final long messages;
    final Message last;

    private ConversationPlan(List<PageSpan> pages, List<MonthStart> months, QuoteTargets quotes, long messages,
                             Message last) {
        this.pages = pages;
        this.months = months;
        this.quotes = quotes;
        this.messages = messages;
        this.last = last;
    }

    /** Reads {@code messages} once. */
    static ConversationPlan scan(Stream<Message> messages, HtmlOptions options, ZonedTimes times) {
        Paginator paginator = new Paginator(options, times);
        List<PageSpan> pages = new ArrayList<>();
        Map<YearMonth, MonthStart> months = new TreeMap<>();
        QuoteTargets quotes = new QuoteTargets();
        long[] count = {0};
        Message[] last = {null};
        int[] cur = {0, 0};
        long[] span = {0, 0};
        messages.forEachOrdered(m -> {
            int page = paginator.next(m);
            long at = m.timelineAt();
            if (page != cur[0]) {
                if (cur[0] != 0) {
                    pages.add(new PageSpan(cur[0], cur[1], span[0], span[1]));
                }
                cur[0] = page;
                cur[1] = 0;
                span[0] = at;
                span[1] = at;
            }
            cur[1]++;
            span[0] = Math.min(span[0], at);
            span[1] = Math.max(span[1], at);
            YearMonth ym = times.month(at);
            months.computeIfAbsent(ym, k -> new MonthStart(k, page, Links.anchor(m.id())));
            if (m.quote() != null && m.quote().messageId() != null) {
                quotes.want(m.quote().messageId());
            }
            if (last[0] == null || at >= last[0].timelineAt()) {
                last[0] = m;
            }
            count[0]++;
        });
        if (cur[0] != 0) {
            pages.add(new PageSpan(cur[0], cur[1], span[0], span[1]));
        }
        return new ConversationPlan(List.copyOf(pages), List.copyOf(months.values()), quotes, count[0], last[0]);
    }

    /**
     * The page that holds the message with timeline instant {@code at}, by the pages' time spans; 0 if none does.
     * Used for quotes of messages that come later in the file than the quote.
     */
    int pageAt(long at) {
        for (PageSpan p : pages) {
            if (at >= p.firstAt() && at <= p.lastAt()) {
                return p.number();
            }
        }
        return 0;
    }
}
