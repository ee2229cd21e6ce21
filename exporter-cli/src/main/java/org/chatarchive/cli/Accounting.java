package org.chatarchive.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-conversation accounting: the source's rows against what was exported and what was left out, by reason.
 * It is printed at the end of an export and kept in {@code archive.json}, so an unexplained row shows.
 */
final class Accounting {

    /** One conversation's line. {@code sourceRows} is -1 when the source cannot count its rows. */
    record Line(String conversationId, String title, long sourceRows, long exported, Map<String, Long> excluded) {

        long excludedTotal() {
            return excluded.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Rows neither exported nor excluded with a reason; 0 when every row is accounted for. */
        long unexplained() {
            return sourceRows < 0 ? 0 : sourceRows - exported - excludedTotal();
        }
    }

    private final List<Line> lines = new ArrayList<>();

    void add(String conversationId, String title, long sourceRows, long exported, Map<String, Long> excluded) {
        Map<String, Long> nonZero = new TreeMap<>();
        excluded.forEach((k, v) -> {
            if (v != null && v > 0) {
                nonZero.put(k, v);
            }
        });
        lines.add(new Line(conversationId, title, sourceRows, exported, nonZero));
    }

    long unexplained() {
        return lines.stream().mapToLong(Line::unexplained).sum();
    }

    /** The form kept in archive.json (under {@code extra.accounting}). */
    List<Map<String, Object>> toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Line l : lines) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("conversationId", l.conversationId());
            if (l.sourceRows() >= 0) {
                m.put("sourceRows", l.sourceRows());
            }
            m.put("exported", l.exported());
            if (!l.excluded().isEmpty()) {
                m.put("excluded", new TreeMap<>(l.excluded()));
            }
            if (l.unexplained() != 0) {
                m.put("unexplained", l.unexplained());
            }
            out.add(m);
        }
        return out;
    }

    void print(PrintWriter out) {
        int width = Math.min(40, Math.max(12, lines.stream().mapToInt(l -> TextWidth.of(l.title())).max().orElse(12)));
        String fmt = "  %s %12s %10s %10s  %s%n";
        out.printf(Locale.ROOT, fmt, TextWidth.pad("Conversation", width), "source rows", "exported", "excluded", "");
        long rows = 0;
        long exported = 0;
        long excluded = 0;
        for (Line l : lines) {
            String title = TextWidth.pad(TextWidth.fit(l.title(), width), width);
            String why = l.excluded().isEmpty() ? "" : l.excluded().entrySet().stream()
                    .map(e -> ExportJob.words(e.getKey()) + " " + e.getValue())
                    .reduce((a, b) -> a + ", " + b).orElse("");
            if (l.unexplained() != 0) {
                why += (why.isEmpty() ? "" : "; ") + l.unexplained() + " UNEXPLAINED";
            }
            out.printf(Locale.ROOT, fmt, title, l.sourceRows() < 0 ? "?" : String.format(Locale.ROOT, "%,d",
                    l.sourceRows()), String.format(Locale.ROOT, "%,d", l.exported()),
                    String.format(Locale.ROOT, "%,d", l.excludedTotal()), why);
            rows += Math.max(0, l.sourceRows());
            exported += l.exported();
            excluded += l.excludedTotal();
        }
        out.printf(Locale.ROOT, fmt, TextWidth.pad("Total", width), String.format(Locale.ROOT, "%,d", rows),
                String.format(Locale.ROOT, "%,d", exported), String.format(Locale.ROOT, "%,d", excluded),
                unexplained() == 0 ? "every row accounted for" : unexplained() + " rows UNEXPLAINED");
    }
}
