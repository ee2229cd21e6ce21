package org.chatarchive.readers.whatsapp;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.chatarchive.model.source.SourceException;
import org.chatarchive.model.source.SourceException.Kind;

/**
 * Splits the text of an "Export chat" file into entries: one per line that starts with a date and time, with the
 * lines after it (up to the next such line) appended to its text.
 *
 * <p>One pattern covers the shapes WhatsApp writes across locales and platforms: an optional {@code [} (iOS), a
 * date of three numbers separated by {@code /}, {@code .} or {@code -} (optionally followed by a space, and in any
 * order: the year is the field with more than two digits, else the last), an optional comma and an optional short
 * word ({@code klo}, {@code à}), a time {@code H:MM} or {@code H.MM} with optional seconds, an optional AM/PM
 * marker ({@code PM}, {@code p. m.}, {@code p.m.}, {@code nachm.}, {@code 午後}, ...), then {@code ] }, {@code  - },
 * {@code : } or a space. U+202F and U+00A0 count as spaces; U+200E/U+200F at the start of a line are ignored.
 *
 * <p>Which of the two other date fields is the day is decided for the whole file: a value above 12 in one field
 * makes it the day; otherwise a field that goes down within one year (dates only go forward) is the day;
 * otherwise the one that changes more often is; otherwise the order is ambiguous, a warning says so and the day is
 * taken to come first (month first when the year leads, as in {@code 2021/12/30}).
 */
final class ExportParser {

    /** How many header lines at most are looked at to decide the bracket style and the date separator. */
    static final int PROBE_LINES = 50;

    static final String AMPM = "[AaPp]\\.?\\s?[Mm]\\.?|vorm\\.|nachm\\.|午前|午後|上午|下午|오전|오후|π\\.μ\\.|μ\\.μ\\.";

    static final Pattern HEADER = Pattern.compile(
            "^(\\[)?(\\d{1,4})([-/.])\\s?(\\d{1,4})\\3\\s?(\\d{1,4})\\.?,?\\s+(?:[^\\d\\s\\[\\]]{1,4}\\s+)?"
                    + "(\\d{1,2})[.:](\\d{2})(?:[.:](\\d{2}))?"
                    + "(?:\\s?(" + AMPM + "))?"
                    + "(?:(\\])\\s?|\\s[-\u2013]\\s|:\\s|\\s)");

    /** What the reader tells a person it understands when a file matches none of it. */
    static final String FORMATS_UNDERSTOOD = "Android \"31/12/2021, 22:01 - Name: text\", iOS \"[31/12/2021, 22:01:05]"
            + " Name: text\", with the date in any order of day, month and 2- or 4-digit year separated by / . or -,"
            + " 12- or 24-hour times with or without seconds and AM/PM markers such as \"PM\" or \"p. m.\"";

    /** One dated line and its continuation lines. */
    static final class Entry {
        final int lineNumber;
        final String[] dateFields;
        final int hour;
        final int minute;
        final int second;
        final String ampm;
        /** The text after the header, continuation lines appended with {@code \n}. */
        final StringBuilder text = new StringBuilder();
        LocalDateTime time;

        Entry(int lineNumber, String[] dateFields, int hour, int minute, int second, String ampm) {
            this.lineNumber = lineNumber;
            this.dateFields = dateFields;
            this.hour = hour;
            this.minute = minute;
            this.second = second;
            this.ampm = ampm;
        }
    }

    /** The parse of a whole file. */
    record Result(List<Entry> entries, String lineFormat, String dateOrder, boolean seconds, boolean twelveHour,
                  List<String> warnings) {
    }

    private ExportParser() {
    }

    /** Spaces WhatsApp puts in headers replaced one for one, so that indices stay those of the original line. */
    static String normalise(String line) {
        return line.replace('\u202F', ' ').replace('\u00A0', ' ').replace('\u2009', ' ');
    }

    /** The line without leading bidi marks and byte-order mark. */
    static String stripLeadingMarks(String line) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c != '\u200E' && c != '\u200F' && c != '\uFEFF') {
                break;
            }
            i++;
        }
        return line.substring(i);
    }

    /** Whether {@code firstLine} starts the way an export's first line does. */
    static boolean looksLikeHeader(String firstLine) {
        return HEADER.matcher(normalise(stripLeadingMarks(firstLine))).find();
    }

    static Result parse(String content, String what) throws SourceException {
        if (content.startsWith("\uFEFF")) {
            content = content.substring(1);
        }
        String[] lines = content.split("\r\n|\r|\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            throw new SourceException(Kind.NOT_A_SOURCE, what + " is empty; a WhatsApp chat export has one line per"
                    + " message, starting with its date and time.");
        }
        Matcher m0 = HEADER.matcher(normalise(stripLeadingMarks(lines[first])));
        if (!m0.find()) {
            throw new SourceException(Kind.UNSUPPORTED, "The first line of " + what + " does not start with a date and"
                    + " time this reader understands: \"" + clip(lines[first]) + "\". Understood: "
                    + FORMATS_UNDERSTOOD + ".");
        }
        // The file's shape, from its first header lines: brackets or not, and the date separator.
        boolean bracket = m0.group(1) != null;
        String separator = m0.group(3);

        List<String> warnings = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Entry current = null;
        boolean anySeconds = false;
        boolean anyAmPm = false;
        for (int i = first; i < lines.length; i++) {
            String raw = lines[i];
            String stripped = stripLeadingMarks(raw);
            Matcher m = HEADER.matcher(normalise(stripped));
            boolean header = m.find() && (m.group(1) != null) == bracket && separator.equals(m.group(3))
                    && (!bracket || m.group(10) != null);
            if (header) {
                int h = Integer.parseInt(m.group(6));
                int min = Integer.parseInt(m.group(7));
                int s = m.group(8) == null ? 0 : Integer.parseInt(m.group(8));
                anySeconds |= m.group(8) != null;
                anyAmPm |= m.group(9) != null;
                current = new Entry(i + 1, new String[] {m.group(2), m.group(4), m.group(5)}, h, min, s,
                        m.group(9));
                current.text.append(stripped, m.end(), stripped.length());
                entries.add(current);
            } else if (current != null) {
                current.text.append('\n').append(raw);
            }
        }
        // Trailing empty lines (the file's final newline) are not part of the last message.
        if (current != null) {
            int len = current.text.length();
            while (len > 0 && current.text.charAt(len - 1) == '\n') {
                len--;
            }
            current.text.setLength(len);
        }

        String order = resolveDates(entries, warnings, what);
        return new Result(entries, bracket ? "ios" : "android", order, anySeconds, anyAmPm, warnings);
    }

    /** Decides the date order for the file and sets each entry's local time; returns the order, e.g. "DMY". */
    private static String resolveDates(List<Entry> entries, List<String> warnings, String what)
            throws SourceException {
        int yearPos = 2;
        search:
        for (int p = 0; p < 3; p++) {
            for (Entry e : entries) {
                if (e.dateFields[p].length() > 2) {
                    yearPos = p;
                    break search;
                }
            }
        }
        int a = yearPos == 0 ? 1 : 0;
        int b = yearPos == 2 ? 1 : 2;
        Boolean aIsDay = decideDayField(entries, yearPos, a, b);
        if (aIsDay == null) {
            aIsDay = yearPos != 0;
            warnings.add("The dates in " + what + " never show whether the day or the month comes first; they were"
                    + " read as " + (aIsDay ? "day before month" : "month before day") + ". Check the dates.");
        }
        int dayPos = aIsDay ? a : b;
        int monthPos = aIsDay ? b : a;
        boolean mixedWarned = false;
        for (Entry e : entries) {
            int year = year(e.dateFields[yearPos]);
            int hour = hour24(e.hour, e.ampm);
            try {
                e.time = LocalDateTime.of(year, Integer.parseInt(e.dateFields[monthPos]),
                        Integer.parseInt(e.dateFields[dayPos]), hour, e.minute, e.second);
            } catch (DateTimeException bad) {
                try {
                    // A file can mix orders (seen in the wild); take the only reading that is a date.
                    e.time = LocalDateTime.of(year, Integer.parseInt(e.dateFields[dayPos]),
                            Integer.parseInt(e.dateFields[monthPos]), hour, e.minute, e.second);
                    if (!mixedWarned) {
                        warnings.add("Line " + e.lineNumber + " of " + what + " has its day and month the other way"
                                + " round from the rest of the file; it was read the only way that gives a date.");
                        mixedWarned = true;
                    }
                } catch (DateTimeException worse) {
                    throw new SourceException(Kind.UNSUPPORTED, "Line " + e.lineNumber + " of " + what
                            + " starts with a date and time that do not exist (" + String.join("/", e.dateFields)
                            + " " + e.hour + ":" + e.minute + "). Understood: " + FORMATS_UNDERSTOOD + ".");
                }
            }
        }
        char[] order = new char[3];
        order[yearPos] = 'Y';
        order[dayPos] = 'D';
        order[monthPos] = 'M';
        return new String(order);
    }

    /**
     * Whether field {@code a} (rather than {@code b}) is the day: a value above 12 decides; else a field that goes
     * down within one year; else the field that changes more. Null when nothing tells.
     */
    static Boolean decideDayField(List<Entry> entries, int yearPos, int a, int b) {
        boolean aOver = false;
        boolean bOver = false;
        for (Entry e : entries) {
            aOver |= Integer.parseInt(e.dateFields[a]) > 12;
            bOver |= Integer.parseInt(e.dateFields[b]) > 12;
        }
        if (aOver != bOver) {
            return aOver;
        }
        if (aOver) {
            return null; // both above 12 somewhere: mixed orders; the per-line fallback sorts it out
        }
        boolean aDown = false;
        boolean bDown = false;
        long aChanges = 0;
        long bChanges = 0;
        Entry prev = null;
        for (Entry e : entries) {
            if (prev != null) {
                int pa = Integer.parseInt(prev.dateFields[a]);
                int pb = Integer.parseInt(prev.dateFields[b]);
                int ca = Integer.parseInt(e.dateFields[a]);
                int cb = Integer.parseInt(e.dateFields[b]);
                if (prev.dateFields[yearPos].equals(e.dateFields[yearPos])) {
                    aDown |= ca < pa;
                    bDown |= cb < pb;
                }
                aChanges += Math.abs(ca - pa);
                bChanges += Math.abs(cb - pb);
            }
            prev = e;
        }
        if (aDown != bDown) {
            return aDown;
        }
        if (aChanges != bChanges) {
            return aChanges > bChanges;
        }
        return null;
    }

    static int year(String field) {
        int y = Integer.parseInt(field);
        return field.length() <= 2 ? 2000 + y : y;
    }

    /** The 24-hour hour for {@code hour} and an AM/PM marker in any of the spellings in {@link #AMPM}. */
    static int hour24(int hour, String ampm) {
        if (ampm == null) {
            return hour;
        }
        String m = ampm.toLowerCase(Locale.ROOT).replaceAll("[\\s.]", "");
        boolean pm = m.equals("pm") || m.equals("nachm") || m.equals("午後") || m.equals("下午") || m.equals("오후")
                || m.equals("μμ");
        int h = hour % 12;
        return pm ? h + 12 : h;
    }

    static String clip(String line) {
        String s = line.strip();
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
