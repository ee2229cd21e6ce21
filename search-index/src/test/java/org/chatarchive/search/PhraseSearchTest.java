package org.chatarchive.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.chatarchive.model.Conversation;
import org.chatarchive.model.ConversationKind;
import org.chatarchive.model.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Quoted phrases in every script: a phrase is found whatever comes before and after a run of Chinese, Japanese or
 * Korean characters (punctuation, emoji, Latin, another run), and any run of whole words of a message, quoted,
 * finds that message.
 */
class PhraseSearchTest {

    static final String CONV = "signal-conv:scripts";

    /** Bodies p1, p2, ... in many scripts, CJK runs next to punctuation, emoji, digits and Latin. */
    static final List<String> BODIES = List.of(
            "中文, 日本語",
            "新年快乐！🧧",
            "今日は良い天気ですね。我们明天见面吧。",
            "東京タワーに行きました 🗼 すごい!",
            "我们 meet at 3pm 在东京站 OK?",
            "Lunch im 北京饭店 morgen um 12:30",
            "안녕하세요 친구, 오늘 뭐 해? 🙂",
            "한국어와 English가 섞인 문장",
            "สวัสดีครับ ยินดีที่ได้รู้จัก",
            "ไปกินข้าวกันไหม? ร้านเดิมนะ",
            "नमस्ते दुनिया, आप कैसे हैं?",
            "कल मिलते हैं — 5 बजे, ठीक है?",
            "Grüße aus Köln, ça va? Zażółć gęślą jaźń.",
            "Привет, как дела? Ще не вмерла України.",
            "שלום עולם, מה שלומך היום?",
            "مرحبا بالعالم، كيف حالك اليوم؟",
            "Emoji: 👍🏽 ❤️ 🎉 👨‍👩‍👧 end",
            "価格は¥1,200です（税込）。OK",
            "「東京」と『大阪』、どっち？",
            "𠀀𠀁 rare Han 𠀂");

    @TempDir
    static Path tmp;
    static ArchiveSearch search;

    @BeforeAll
    static void build() throws IOException {
        Conversation c = new Conversation(CONV, ConversationKind.GROUP, "Scripts", List.of(Fixture.ME, Fixture.ALICE),
                null, "signal-desktop", null);
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < BODIES.size(); i++) {
            messages.add(Fixture.text("p" + (i + 1), CONV, Fixture.ALICE, Fixture.at(2024, 2, 10, 12, i), BODIES.get(i)));
        }
        search = Fixture.indexed(tmp.resolve("archive"), c, messages);
    }

    @AfterAll
    static void close() throws IOException {
        search.close();
    }

    static Set<String> hits(String query) throws IOException {
        return Fixture.hits(search, query);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            # a phrase that goes on after a CJK run
            "中文, 日本語"                 | p1
            "中文 日本語"                  | p1
            "中文日本語"                   |
            中文,日本語                    | p1
            "新年快乐！🧧"                 | p2
            "新年快乐 🧧"                  | p2
            "天気ですね。我们明天"          | p3
            "行きました 🗼 すごい"          | p4
            "在东京站 ok"                  | p5
            "我们 meet at 3pm"             | p5
            "im 北京饭店 morgen"            | p6
            "北京饭店 morgen um"            | p6
            "친구, 오늘 뭐 해"              | p7
            "한국어와 english가"            | p8
            "¥1,200です（税込）。ok"         | p18
            "「東京」と『大阪』"              | p19
            "𠀁 rare han 𠀂"                | p20
            # single characters and bigrams still work, in and out of phrases
            東                             | p4 p19
            東京                           | p4 p19
            东京                           | p5
            "京"                           | p4 p5 p6 p19
            "語"                           | p1
            # order and adjacency are kept
            "日本語, 中文"                  |
            "中文 本語"                     |
            "中文 日本"                     | p1
            "中文 語"                       |
            "快乐 新年"                     |
            "tower 東京"                    |
            # Thai and Devanagari
            "สวัสดีครับ ยินดีที่ได้รู้จัก"       | p9
            "ยินดีที่ได้รู้จัก"                  | p9
            "กินข้าว"                        | p10
            "नमस्ते दुनिया"                   | p11
            "दुनिया, आप कैसे"                 | p11
            "आप दुनिया"                      |
            "5 बजे, ठीक"                     | p12
            # folding inside phrases
            "grusse aus koln, ca va"        | p13
            "zazolc gesla jazn"             | p13
            "ПРИВЕТ, КАК ДЕЛА"              | p14
            """)
    void phrases(String query, String expected) throws IOException {
        assertEquals(Fixture.ids(expected), hits(query), query);
    }

    @Test
    void anyRunOfWholeWordsOfAMessageFindsIt() throws IOException {
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (int i = 0; i < BODIES.size(); i++) {
            String id = "p" + (i + 1);
            String[] words = BODIES.get(i).split("\\s+");
            for (int from = 0; from < words.length; from++) {
                for (int to = from + 1; to <= words.length; to++) {
                    String phrase = String.join(" ", List.of(words).subList(from, to));
                    if (!hasTerms(phrase)) {
                        continue;
                    }
                    tried++;
                    String query = quoted(phrase);
                    if (!hits(query).contains(id)) {
                        failures.add(id + ": " + query);
                    }
                }
            }
        }
        assertTrue(tried > 200, "tried " + tried);
        assertEquals(List.of(), failures);
    }

    @Test
    void aCjkPhraseIsHighlightedWhole() throws IOException {
        Hit h = search.search("\"中文, 日本語\"", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertEquals("p1", h.messageId());
        assertEquals("[中文, 日本語]", h.snippet().marked("[", "]"));
        Hit thai = search.search("\"ยินดีที่ได้รู้จัก\"", Fixture.BERLIN, SortOrder.RELEVANCE, 10).hits().get(0);
        assertTrue(thai.snippet().marked("[", "]").contains("[ยินดี"), thai.snippet().marked("[", "]"));
    }

    @Test
    void queryTermsTakeTheirIndexPositions() throws IOException {
        for (String body : BODIES) {
            Map<String, Integer> index = positions(ChatAnalyzer.forIndex(), body);
            Map<String, Integer> query = positions(ChatAnalyzer.forQuery(), body);
            assertTrue(index.keySet().containsAll(query.keySet()), body + ": " + query + " in " + index);
            query.forEach((term, at) -> assertEquals(index.get(term), at, body + ": " + term));
        }
    }

    /** Each term with its start offset, to its position. */
    private static Map<String, Integer> positions(Analyzer analyzer, String text) throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(Fields.TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
            ts.reset();
            int position = -1;
            while (ts.incrementToken()) {
                position += increment.getPositionIncrement();
                out.put(term + "@" + offset.startOffset(), position);
            }
            ts.end();
        }
        return out;
    }

    /** {@code text} as a quoted phrase of the query language. */
    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Whether the query analysis finds any word in {@code text} (punctuation alone has none). */
    static boolean hasTerms(String text) throws IOException {
        Analyzer a = ChatAnalyzer.forQuery();
        try (TokenStream ts = a.tokenStream(Fields.TEXT, text)) {
            ts.reset();
            boolean any = ts.incrementToken();
            while (ts.incrementToken()) {
                // drain
            }
            ts.end();
            return any;
        }
    }
}
