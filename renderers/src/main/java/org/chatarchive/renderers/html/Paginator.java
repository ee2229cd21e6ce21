package org.chatarchive.renderers.html;

import org.chatarchive.model.Message;
import org.chatarchive.renderers.time.ZonedTimes;

/**
 * Decides which page each message goes on, seeing the messages one at a time in file order. Both passes over a
 * conversation use it, so they agree on every page break.
 */
final class Paginator {

    private final int pageSize;
    private final SplitBy split;
    private final ZonedTimes times;
    private int page;
    private int onPage;
    private int period = Integer.MIN_VALUE;

    Paginator(HtmlOptions options, ZonedTimes times) {
        this.pageSize = options.pageSize();
        this.split = options.splitBy();
        this.times = times;
    }

    /** The page (from 1) of the next message. */
    int next(Message m) {
        int p = period(m.timelineAt());
        if (page == 0 || onPage == pageSize || p != period) {
            page++;
            onPage = 0;
            period = p;
        }
        onPage++;
        return page;
    }

    /** Whether the message just placed by {@link #next} is the first of its page. */
    boolean firstOnPage() {
        return onPage == 1;
    }

    private int period(long at) {
        return switch (split) {
            case NONE -> 0;
            case MONTH -> {
                var ym = times.month(at);
                yield ym.getYear() * 12 + ym.getMonthValue() - 1;
            }
            case YEAR -> times.month(at).getYear();
        };
    }
}
