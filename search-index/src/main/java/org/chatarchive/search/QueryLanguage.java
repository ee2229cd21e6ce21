package org.chatarchive.search;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.chatarchive.model.PartialDate;

/**
 * The search query language: Lucene's classic syntax for text (AND, OR, NOT, {@code -word}, "phrases", prefix*,
 * fuzzy~, parentheses), all words required unless OR says otherwise, plus filters in the style of Gmail and
 * Discord: {@code from:}, {@code in:}, {@code before:}, {@code after:}, {@code on:}, {@code has:}, {@code is:},
 * {@code filename:}. {@link #HELP} is the user's reference.
 */
public final class QueryLanguage {

    /** The reference, for {@code search --help} (lines end in {@code %n}, picocli's line break) and the README. */
    public static final String HELP = ""
            + "Words are matched whatever their case and accents (cafe finds Café); every word must match%n"
            + "unless OR says otherwise. Text in any script is found, Chinese and Japanese included.%n"
            + "  word1 word2          both words                     \"exact phrase\"   the words in this order%n"
            + "  word1 OR word2       either                          \"a b\"~3          a and b within 3 words%n"
            + "  -word, NOT word      without the word                (a OR b) c       grouping%n"
            + "  pho*                 words starting with pho         colour~          words like colour (fuzzy)%n"
            + "Filters (combine with the above; quote values with spaces: from:\"Ann Lee\"):%n"
            + "  from:NAME            sender: part of a name, a username, a phone number (3+ digits), an id, or me%n"
            + "                       (a system event's sender is whoever made it: changed the group, called)%n"
            + "  in:NAME              conversation: part of its title, or a direct chat with NAME%n"
            + "  before:DATE          sent before DATE began        DATE: 2023, 2023-02 or 2023-02-14,%n"
            + "  after:DATE           sent after DATE ended               read in --zone%n"
            + "  on:DATE              sent during DATE%n"
            + "  has:KIND             attachment image video audio voice file link sticker quote reaction%n"
            + "  is:STATE             edited deleted outgoing incoming%n"
            + "  filename:NAME        an attachment whose file name has the word NAME; filename:*.pdf for patterns%n"
            + "Edited messages are found by the text of every version. Special characters (: ( ) [ ] { } ^ \" ~ * ?%n"
            + "\\ / + - ! & |) must be quoted or escaped with \\ to be searched as text, e.g. \"10:30\".%n";

    static final Set<String> HAS = new TreeSet<>(List.of("attachment", "image", "video", "audio", "voice", "file",
            "link", "sticker", "quote", "reaction"));
    static final Set<String> IS = new TreeSet<>(List.of("edited", "deleted", "outgoing", "incoming"));
    private static final String FILTERS = "from:, in:, before:, after:, on:, has:, is:, filename:";
    private static final Pattern LEXICAL = Pattern.compile("line (\\d+), column (\\d+)");

    private final ArchiveNames names;
    private final ZoneId zone;
    private final Analyzer analyzer;

    QueryLanguage(ArchiveNames names, ZoneId zone, Analyzer analyzer) {
        this.names = names;
        this.zone = zone;
        this.analyzer = analyzer;
    }

    /** A parsed query, with notes for the user (e.g. a name that matched nobody). */
    record Parsed(Query query, List<String> notes) {
    }

    /** Parses {@code text}; throws {@link QuerySyntaxException} with a message for the user when it is wrong. */
    Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            throw new QuerySyntaxException(text, 0, "the query is empty; give words to search for or filters such as"
                    + " from:alice");
        }
        Parser p = new Parser(text);
        Query q;
        try {
            q = p.parse(text);
        } catch (ParseException e) {
            throw syntaxError(text, e.getCause() != null ? e.getCause() : e);
        } catch (BooleanQuery.TooManyClauses e) {
            throw new QuerySyntaxException(text, 0, "the query expands to too many words; make prefixes* longer");
        }
        q = withPositives(q);
        if (q instanceof BooleanQuery b && b.clauses().isEmpty()) {
            throw new QuerySyntaxException(text, 0, "the query has nothing to search for (only punctuation or"
                    + " symbols); put them in quotes or use a filter");
        }
        return new Parsed(q, p.notes);
    }

    private static QuerySyntaxException syntaxError(String text, Throwable e) {
        if (e instanceof QuerySyntaxException q) {
            return q;
        }
        if (e instanceof ParseException pe && pe.currentToken != null) {
            Token bad = pe.currentToken.next != null ? pe.currentToken.next : pe.currentToken;
            String what = bad.kind == 0 ? "the query ends too early" : "unexpected '" + bad.image + "'";
            String hint = bad.kind == 0 ? " (an operator, a filter or a parenthesis is missing its other side)"
                    : "; quote it or escape it with \\ to search for it as text";
            return new QuerySyntaxException(text, bad.kind == 0 ? text.length() + 1 : bad.beginColumn + 1,
                    "query syntax error: " + what + hint);
        }
        if (e instanceof TokenMgrError) {
            if (e.getMessage().contains("<EOF>")) {
                // Point at the quote left open, or at the end for a trailing backslash.
                int quotes = 0;
                int last = -1;
                for (int i = 0; i < text.length(); i++) {
                    if (text.charAt(i) == '\\') {
                        i++;
                    } else if (text.charAt(i) == '"') {
                        quotes++;
                        last = i;
                    }
                }
                return new QuerySyntaxException(text, quotes % 2 == 1 ? last + 1 : text.length(),
                        "query syntax error: a quote or an escape (\\) is not closed");
            }
            Matcher m = LEXICAL.matcher(e.getMessage());
            int column = m.find() ? Integer.parseInt(m.group(2)) : 0;
            return new QuerySyntaxException(text, Math.min(column, text.length() + 1),
                    "query syntax error: a character cannot be read here");
        }
        return new QuerySyntaxException(text, 0, "query syntax error: " + e.getMessage());
    }

    /** Pure negations ({@code -word}, {@code NOT from:x}) match everything else, as people expect. */
    private static Query withPositives(Query q) {
        if (q instanceof BoostQuery bq) {
            return new BoostQuery(withPositives(bq.getQuery()), bq.getBoost());
        }
        if (!(q instanceof BooleanQuery b)) {
            return q;
        }
        BooleanQuery.Builder out = new BooleanQuery.Builder();
        out.setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
        boolean positive = false;
        for (BooleanClause c : b.clauses()) {
            out.add(withPositives(c.getQuery()), c.getOccur());
            positive |= c.getOccur() != BooleanClause.Occur.MUST_NOT;
        }
        if (!positive && !b.clauses().isEmpty()) {
            out.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
        }
        return out.build();
    }

    /** Lucene's classic parser, with the filters as fields. */
    private final class Parser extends QueryParser {
        final List<String> notes = new ArrayList<>();
        private final String text;

        Parser(String text) {
            super(Fields.TEXT, QueryLanguage.this.analyzer);
            this.text = text;
            setDefaultOperator(QueryParser.Operator.AND);
            // A CJK run or a hyphenated word gives several terms: search them as a phrase.
            setSplitOnWhitespace(true);
            setAutoGeneratePhraseQueries(true);
            setAllowLeadingWildcard(false);
        }

        @Override
        protected Query getFieldQuery(String field, String value, boolean quoted) throws ParseException {
            String f = field.toLowerCase(Locale.ROOT);
            return switch (f) {
                case Fields.TEXT -> super.getFieldQuery(Fields.TEXT, value, quoted);
                case "from" -> filter(from(value));
                case "in" -> filter(in(value));
                case "before", "after", "on" -> filter(date(f, value));
                case "has" -> filter(fact(Fields.HAS, "has", HAS, value));
                case "is" -> filter(fact(Fields.IS, "is", IS, value));
                case "filename" -> filter(super.getFieldQuery(Fields.FILENAME, value, true));
                default -> throw unknownFilter(field);
            };
        }

        @Override
        protected Query getFieldQuery(String field, String value, int slop) throws ParseException {
            if (!field.toLowerCase(Locale.ROOT).equals(Fields.TEXT)) {
                return getFieldQuery(field, value, true);
            }
            return super.getFieldQuery(Fields.TEXT, value, slop);
        }

        @Override
        protected Query getPrefixQuery(String field, String prefix) throws ParseException {
            String f = field.toLowerCase(Locale.ROOT);
            return switch (f) {
                case Fields.TEXT -> super.getPrefixQuery(Fields.TEXT, prefix);
                case "from", "in" -> getFieldQuery(f, prefix, false);
                case "filename" -> filter(new PrefixQuery(new Term(Fields.FILENAME,
                        ChatAnalyzer.normalizeTerm(analyzer, Fields.FILENAME, prefix))));
                default -> throw notHere(field, prefix + "*");
            };
        }

        @Override
        protected Query getWildcardQuery(String field, String pattern) throws ParseException {
            String f = field.toLowerCase(Locale.ROOT);
            return switch (f) {
                case Fields.TEXT -> super.getWildcardQuery(Fields.TEXT, pattern);
                case "filename" -> filter(new WildcardQuery(new Term(Fields.FILENAME_WHOLE, ChatAnalyzer.fold(pattern))));
                default -> throw notHere(field, pattern);
            };
        }

        @Override
        protected Query getFuzzyQuery(String field, String term, float similarity) throws ParseException {
            if (field.equalsIgnoreCase(Fields.TEXT)) {
                return super.getFuzzyQuery(Fields.TEXT, term, similarity);
            }
            throw notHere(field, term + "~");
        }

        @Override
        protected Query getRegexpQuery(String field, String regexp) throws ParseException {
            if (field.equalsIgnoreCase(Fields.TEXT)) {
                return super.getRegexpQuery(Fields.TEXT, regexp);
            }
            throw notHere(field, "/" + regexp + "/");
        }

        @Override
        protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
                                      boolean endInclusive) throws ParseException {
            throw new QuerySyntaxException(text, 0, "ranges [a TO b] are not supported; for dates combine"
                    + " after: and before:, e.g. after:2022 before:2024");
        }

        private QuerySyntaxException unknownFilter(String field) {
            int at = text.indexOf(field + ":");
            return new QuerySyntaxException(text, at < 0 ? 0 : at + 1, "unknown filter '" + field + ":'; the filters"
                    + " are " + FILTERS + ". To search for text with a colon, put it in quotes: \"" + field + ":...\"");
        }

        private QuerySyntaxException notHere(String field, String value) {
            int at = text.indexOf(field + ":");
            return new QuerySyntaxException(text, at < 0 ? 0 : at + 1, field + ": does not take patterns like '"
                    + value + "'" + (field.equalsIgnoreCase("filename") ? "" : "; give a plain value"));
        }

        private Query from(String name) {
            Set<String> ids = names.peopleMatching(name);
            if (name.equalsIgnoreCase("me")) {
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                b.add(new TermQuery(new Term(Fields.IS, "outgoing")), BooleanClause.Occur.SHOULD);
                ids.addAll(names.owners());
                b.add(terms(Fields.SENDER, ids), BooleanClause.Occur.SHOULD);
                return b.build();
            }
            if (ids.isEmpty()) {
                notes.add("from:" + name + " matches nobody in this archive");
                return new MatchNoDocsQuery("from: " + name);
            }
            return terms(Fields.SENDER, ids);
        }

        private Query in(String name) {
            Set<String> ids = names.conversationsMatching(name);
            if (ids.isEmpty()) {
                notes.add("in:" + name + " matches no conversation in this archive");
                return new MatchNoDocsQuery("in: " + name);
            }
            return terms(Fields.CONVERSATION, ids);
        }

        private Query date(String op, String value) {
            long[] period;
            try {
                period = PartialDate.bounds(value, zone);
            } catch (IllegalArgumentException e) {
                int at = text.indexOf(op + ":");
                throw new QuerySyntaxException(text, at < 0 ? 0 : at + 1, op + ": " + e.getMessage());
            }
            return switch (op) {
                case "before" -> LongPoint.newRangeQuery(Fields.AT, Long.MIN_VALUE, period[0] - 1);
                case "after" -> LongPoint.newRangeQuery(Fields.AT, period[1], Long.MAX_VALUE);
                default -> LongPoint.newRangeQuery(Fields.AT, period[0], period[1] - 1);
            };
        }

        private Query fact(String field, String op, Set<String> allowed, String value) {
            String v = value.toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                int at = text.indexOf(op + ":" + value);
                throw new QuerySyntaxException(text, at < 0 ? 0 : at + 1 + op.length() + 1, op + ":" + value
                        + " is not known; " + op + ": takes " + String.join(", ", allowed));
            }
            return new TermQuery(new Term(field, v));
        }

        private Query terms(String field, Set<String> values) {
            List<BytesRef> refs = values.stream().map(BytesRef::new).toList();
            return new TermInSetQuery(field, refs);
        }

        /** Filters select; they do not add to relevance. */
        private Query filter(Query q) {
            return new BoostQuery(new ConstantScoreQuery(q == null ? new MatchNoDocsQuery() : q), 0f);
        }
    }
}
