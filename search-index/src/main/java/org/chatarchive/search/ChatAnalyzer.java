package org.chatarchive.search;

import java.io.IOException;
import java.io.Reader;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.icu.ICUFoldingFilter;
import org.apache.lucene.analysis.icu.segmentation.DefaultICUTokenizerConfig;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizer;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.util.BytesRef;

/**
 * How text becomes terms, for every script: words are found by the Unicode rules (ICU, with dictionaries for Thai,
 * Lao, Khmer and Myanmar, which do not put spaces between words); case, accents and widths are folded by the
 * Unicode folding of UTR #30 ({@code Café} = {@code cafe}, {@code Σοφία} = {@code σοφια}, Arabic and Hebrew marks
 * dropped, full-width = half-width); Chinese, Japanese and Korean text, which has no spaces, becomes overlapping
 * pairs of characters (bigrams).
 *
 * <p>The index side also keeps every CJK character on its own, so a one-character query finds it; the query side
 * uses bigrams only, so a longer CJK query is a phrase of bigrams and stays precise. Positions must agree on both
 * sides for phrases: in the index a run of n CJK characters takes n positions (one per character, each bigram at its
 * first character's), while its n - 1 bigrams take only n - 1, so on the query side the token after a run of bigrams
 * moves one position further ({@link BigramRunEnd}). {@code "中文, 日本語"} is then 中文 at 0, 日本 at 2, 本語 at 3,
 * as in the index.
 */
final class ChatAnalyzer extends Analyzer {

    private static final int CJK = CJKBigramFilter.HAN | CJKBigramFilter.HIRAGANA | CJKBigramFilter.KATAKANA
            | CJKBigramFilter.HANGUL;

    private static final NormalizeCharMap FILE_NAME_BREAKS;

    static {
        NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
        b.add(".", " ");
        b.add("_", " ");
        FILE_NAME_BREAKS = b.build();
    }

    private final boolean forIndex;

    private ChatAnalyzer(boolean forIndex) {
        this.forIndex = forIndex;
    }

    /** The analyzer for indexing and highlighting. */
    static ChatAnalyzer forIndex() {
        return new ChatAnalyzer(true);
    }

    /** The analyzer for queries. */
    static ChatAnalyzer forQuery() {
        return new ChatAnalyzer(false);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new ICUTokenizer(new DefaultICUTokenizerConfig(false, true));
        TokenStream stream = new ICUFoldingFilter(tokenizer);
        stream = new CJKBigramFilter(stream, CJK, forIndex);
        if (!forIndex) {
            stream = new BigramRunEnd(stream);
        }
        return new TokenStreamComponents(tokenizer, stream);
    }

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        // File names: "holiday_2023.final.pdf" is the words holiday, 2023, final, pdf.
        return Fields.FILENAME.equals(fieldName) ? new MappingCharFilter(FILE_NAME_BREAKS, reader) : reader;
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ICUFoldingFilter(in);
    }

    /** {@code text} folded as a query term is (case, accents, width), e.g. for a prefix or a name. */
    static String fold(String text) {
        return ICUFoldingFilter.NORMALIZER.normalize(text);
    }

    /** {@code text} normalised by {@code analyzer} as a single term. */
    static String normalizeTerm(Analyzer analyzer, String field, String text) {
        BytesRef b = analyzer.normalize(field, text);
        return b.utf8ToString();
    }

    /**
     * Query side: the token after a run of CJK bigrams (a run of two or more characters) gets one more position
     * increment, for the run's last character, which the index gives a position of its own. Bigrams of one run
     * overlap (AB, BC); a token that does not overlap the bigram before it starts something new.
     */
    static final class BigramRunEnd extends TokenFilter {
        private final TypeAttribute type = addAttribute(TypeAttribute.class);
        private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
        private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
        /** End offset of the last token when it was a bigram, else -1. */
        private int bigramEnd = -1;

        BigramRunEnd(TokenStream input) {
            super(input);
        }

        @Override
        public boolean incrementToken() throws IOException {
            if (!input.incrementToken()) {
                return false;
            }
            boolean bigram = CJKBigramFilter.DOUBLE_TYPE.equals(type.type());
            if (bigramEnd >= 0 && !(bigram && offset.startOffset() < bigramEnd)) {
                increment.setPositionIncrement(increment.getPositionIncrement() + 1);
            }
            bigramEnd = bigram ? offset.endOffset() : -1;
            return true;
        }

        @Override
        public void end() throws IOException {
            super.end();
            if (bigramEnd >= 0) {
                increment.setPositionIncrement(increment.getPositionIncrement() + 1);
            }
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            bigramEnd = -1;
        }
    }
}
