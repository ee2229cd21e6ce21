package org.chatarchive.renderers.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class DatFileTest {

    static final List<String> FIELDS = List.of("BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "CUSTODIAN",
            "DATESENT", "MD5HASH", "SHA256", "NATIVEPATH", "CONVERSATION");

    @Test
    void headerBomQualifierSeparatorAndCrlf() {
        DatFile d = new DatFile(FIELDS);
        d.add(List.of("ABC000001", "ABC000003", "ABC000001", "ABC000004", "Jane Doe", "2024-03-09T23:30:00Z",
                "0".repeat(32), "f".repeat(64), "NATIVES\\ABC000004.pdf", "Family 🏖"));
        byte[] b = d.toBytes();
        assertEquals(0xEF, b[0] & 0xff);
        assertEquals(0xBB, b[1] & 0xff);
        assertEquals(0xBF, b[2] & 0xff);
        String s = new String(b, 3, b.length - 3, StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\u00feBEGBATES\u00fe\u0014\u00feENDBATES\u00fe"), s);
        assertTrue(s.endsWith("\u00feFamily 🏖\u00fe\r\n"));
        assertEquals(2, s.split("\r\n").length);
        assertEquals(List.of(FIELDS, d.rows()), List.of(DatFile.parse(b).get(0), DatFile.parse(b).subList(1, 2)));
    }

    /** Values full of the delimiters read back as one value each, with their newlines, in their columns. */
    @Test
    void valuesContainingTheDelimitersRoundTrip() {
        Random rnd = new Random(15);
        String alphabet = "ab þÞ®\u0014\r\n;\\\"é🏖,";
        for (int run = 0; run < 200; run++) {
            DatFile d = new DatFile(FIELDS);
            List<List<String>> rows = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                List<String> row = new ArrayList<>();
                for (int f = 0; f < FIELDS.size(); f++) {
                    StringBuilder v = new StringBuilder();
                    int n = rnd.nextInt(12);
                    for (int i = 0; i < n; i++) {
                        int at = rnd.nextInt(alphabet.length());
                        v.append(Character.isHighSurrogate(alphabet.charAt(at)) ? alphabet.substring(at, at + 2)
                                : Character.isLowSurrogate(alphabet.charAt(at)) ? "x" : String.valueOf(alphabet.charAt(at)));
                    }
                    row.add(v.toString());
                }
                rows.add(row);
                d.add(row);
            }
            List<List<String>> back = DatFile.parse(d.toBytes());
            assertEquals(6, back.size());
            for (int r = 0; r < rows.size(); r++) {
                assertEquals(FIELDS.size(), back.get(r + 1).size());
                for (int f = 0; f < FIELDS.size(); f++) {
                    String expected = rows.get(r).get(f).replace("\r\n", "\n").replace('\r', '\n')
                            .replace("\u00ae", "(R)").replace("\u00fe", "th").replace("\u00de", "Th")
                            .replace('\u0014', ' ');
                    assertEquals(expected, back.get(r + 1).get(f), "row " + r + " field " + FIELDS.get(f));
                }
            }
        }
    }

    /** A multi-value field gives its values back, whatever ; and \ they held (neutralised to , and /). */
    @Test
    void multiValueFieldsSurviveSemicolonsAndBackslashesInTheirValues() {
        List<String> names = List.of("Bob; Smith", "C:\\Users\\ann", "  Eve  ", "", "Zoë 🌻 þ®\u0014x");
        DatFile d = new DatFile(List.of("PARTICIPANTS", "NOTE"));
        d.add(List.of(DatFile.multi(names), "a;b\\c\nline two"));
        List<List<String>> back = DatFile.parse(d.toBytes());
        assertEquals(List.of("Bob, Smith", "C:/Users/ann", "Eve", "Zoë 🌻 th(R) x"), DatFile.split(back.get(1).get(0)));
        assertEquals("a;b\\c\nline two", back.get(1).get(1), "a plain field keeps ; and \\ as they are");
    }
}
