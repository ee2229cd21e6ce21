package org.chatarchive.cli;

import java.time.ZoneId;
import java.util.Locale;

import org.chatarchive.renderers.html.HtmlOptions;
import org.chatarchive.renderers.html.SplitBy;

import picocli.CommandLine.Option;

/** The HTML options shared by {@code export} and {@code render}. */
final class HtmlArgs {

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + HtmlOptions.DEFAULT_PAGE_SIZE,
            description = "HTML: most messages on one page. Default: ${DEFAULT-VALUE}.")
    int pageSize = HtmlOptions.DEFAULT_PAGE_SIZE;

    @Option(names = "--split-by", paramLabel = "PERIOD",
            description = "HTML: also start a new page at every month or year; PDF: one file per conversation and"
                    + " day, month or year (day|month|year). Default: no split.")
    String splitBy;

    /** The options for rendering in {@code zone}; a bad value is a usage error. */
    HtmlOptions options(ZoneId zone) {
        if (pageSize < 1) {
            throw new UserError(ExitCode.USAGE, "--page-size must be at least 1, not " + pageSize + ".");
        }
        SplitBy split = SplitBy.NONE;
        if (splitBy != null) {
            switch (splitBy.strip().toLowerCase(Locale.ROOT)) {
                case "month" -> split = SplitBy.MONTH;
                case "year" -> split = SplitBy.YEAR;
                case "none" -> split = SplitBy.NONE;
                case "day" -> throw new UserError(ExitCode.USAGE, "--split-by day applies to PDF only; HTML pages"
                        + " split by month or year.");
                default -> throw new UserError(ExitCode.USAGE, "--split-by " + splitBy
                        + " is not a period; use day (PDF only), month or year.");
            }
        }
        return HtmlOptions.of(zone).withPageSize(pageSize).withSplitBy(split);
    }
}
