package org.chatarchive.renderers.pdf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.fontbox.ttf.HeaderTable;
import org.apache.fontbox.ttf.HorizontalHeaderTable;
import org.apache.fontbox.ttf.OS2WindowsMetricsTable;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDStream;

/**
 * A font of shaped clusters in one PDF file: a Type 0 font (Identity-H) over a subset of one face, where each code
 * draws one cluster (a syllable) as one glyph and stands for the cluster's text.
 *
 * <p>PDFBox maps each glyph to the one code point its font's cmap gives it, which leaves the glyphs made by shaping
 * (conjuncts, half forms, reordered vowel signs) without text, and PDF/A-2u requires text for every glyph. Here the
 * codes (CIDs) are handed out per (cluster glyph, text) pair; a cluster of several glyphs (a vowel sign drawn before
 * its consonant, marks placed over it) becomes a composite glyph added to the subset ({@link CompositeGlyphs}); the
 * CIDToGIDMap sends each code to its glyph and the ToUnicode CMap gives each its text, possibly several characters.
 * The dictionary exists from the first use (pages refer to it) and is filled by {@link #build} when the file is
 * finished and every cluster used is known.
 */
final class GlyphFont {

    /** The tables a CIDFontType2 program needs (no cmap: codes reach glyphs through the CIDToGIDMap). */
    private static final List<String> TABLES = List.of("head", "hhea", "loca", "maxp", "cvt ", "prep", "glyf", "hmtx",
            "fpgm", "gasp");
    /** Codes are two bytes; code 0 is left unused. */
    static final int MAX_CODES = 0xFFFF;

    private final Face face;
    private final COSName name;
    private final COSDictionary dict = new COSDictionary();
    private final COSObject ref = new COSObject(dict);
    private final Map<String, Integer> codes = new HashMap<>();
    /** The same clusters come back from the shaper's cache: looked up by identity first. */
    private final Map<Shaper.Cluster, Integer> seen = new java.util.IdentityHashMap<>();
    /** Per code (index): the cluster it draws, whose text the code stands for; code 0 is unused. */
    private final List<Shaper.Cluster> clusterOfCode = new ArrayList<>(java.util.Collections.singletonList(null));

    GlyphFont(Face face, COSName name) {
        this.face = face;
        this.name = name;
        dict.setItem(COSName.TYPE, COSName.FONT);
        dict.setItem(COSName.SUBTYPE, COSName.TYPE0);
    }

    Face face() {
        return face;
    }

    /** The resource name pages use for this font. */
    COSName name() {
        return name;
    }

    /** An indirect reference to the font dictionary (filled by {@link #build}), for page resources. */
    COSObject ref() {
        return ref;
    }

    /** Whether all of {@code g}'s clusters can still get a code. */
    boolean hasRoomFor(Shaper.Glyphs g) {
        return clusterOfCode.size() + g.clusters().length <= MAX_CODES;
    }

    /** The code for cluster {@code c} (its glyph and its text). */
    int code(Shaper.Cluster c) {
        Integer known = seen.get(c);
        if (known != null) {
            return known;
        }
        String key = c.shape() + ":" + c.text();
        Integer code = codes.get(key);
        if (code == null) {
            code = clusterOfCode.size();
            clusterOfCode.add(c);
            codes.put(key, code);
        }
        if (seen.size() >= 20_000) {
            seen.clear(); // clusters the shaper's cache has let go of
        }
        seen.put(c, code);
        return code;
    }

    /** Width of {@code code}'s glyph in thousandths of the font size (as written in the W array). */
    int width(int code) {
        return Math.round(clusterOfCode.get(code).advance() * face.scale());
    }

    /**
     * Subsets the face to the glyphs used, adds a composite glyph for each cluster drawn as several glyphs, and
     * fills the font dictionary.
     */
    void build(PDDocument doc) throws IOException {
        TrueTypeFont ttf = face.ttf();
        TreeSet<Integer> used = new TreeSet<>();
        Map<String, Integer> compositeIndex = new LinkedHashMap<>();
        List<Shaper.Cluster> composites = new ArrayList<>();
        for (int c = 1; c < clusterOfCode.size(); c++) {
            Shaper.Cluster cl = clusterOfCode.get(c);
            for (int g : cl.gids()) {
                used.add(g);
            }
            if (!cl.simple() && !compositeIndex.containsKey(cl.shape())) {
                compositeIndex.put(cl.shape(), composites.size());
                composites.add(cl);
            }
        }
        TTFSubsetter sub = new TTFSubsetter(ttf, TABLES);
        sub.addGlyphIds(used);
        Map<Integer, Integer> newToOld = sub.getGIDMap();
        Map<Integer, Integer> oldToNew = new HashMap<>();
        newToOld.forEach((n, o) -> oldToNew.put(o, n));
        ByteArrayOutputStream program = new ByteArrayOutputStream();
        sub.writeToStream(program);
        int firstComposite = newToOld.size();
        byte[] bytes = composites.isEmpty() ? program.toByteArray()
                : CompositeGlyphs.add(program.toByteArray(), composites, oldToNew, ttf);

        String psName = ttf.getName() == null ? face.name().replaceAll("\\.[^.]*$", "") : ttf.getName();
        String baseName = tag() + "+" + psName.replaceAll("[^A-Za-z0-9_.-]", "");

        COSStream file = new PDStream(doc, new ByteArrayInputStream(bytes), COSName.FLATE_DECODE).getCOSObject();
        file.setInt(COSName.LENGTH1, bytes.length);

        HeaderTable head = ttf.getHeader();
        HorizontalHeaderTable hhea = ttf.getHorizontalHeader();
        OS2WindowsMetricsTable os2 = ttf.getOS2Windows();
        float scale = 1000f / ttf.getUnitsPerEm();
        COSDictionary fd = new COSDictionary();
        fd.setItem(COSName.TYPE, COSName.FONT_DESC);
        fd.setName(COSName.FONT_NAME, baseName);
        fd.setInt(COSName.FLAGS, 4); // symbolic: glyphs are reached by CID, not by a standard encoding
        COSArray bbox = new COSArray();
        bbox.add(COSInteger.get(Math.round(head.getXMin() * scale)));
        bbox.add(COSInteger.get(Math.round(head.getYMin() * scale)));
        bbox.add(COSInteger.get(Math.round(head.getXMax() * scale)));
        bbox.add(COSInteger.get(Math.round(head.getYMax() * scale)));
        fd.setItem(COSName.FONT_BBOX, bbox);
        fd.setItem(COSName.ITALIC_ANGLE, new COSFloat(ttf.getPostScript() == null ? 0 : ttf.getPostScript().getItalicAngle()));
        fd.setInt(COSName.ASCENT, Math.round(hhea.getAscender() * scale));
        fd.setInt(COSName.DESCENT, Math.round(hhea.getDescender() * scale));
        int cap = os2 != null && os2.getCapHeight() > 0 ? os2.getCapHeight() : hhea.getAscender();
        fd.setInt(COSName.CAP_HEIGHT, Math.round(cap * scale));
        int weight = os2 == null ? 400 : os2.getWeightClass();
        fd.setInt(COSName.STEM_V, Math.round(10 + 220 * (weight - 50) / 900f));
        fd.setItem(COSName.FONT_FILE2, file);

        int n = clusterOfCode.size();
        ByteArrayOutputStream map = new ByteArrayOutputStream(n * 2);
        COSArray ws = new COSArray();
        for (int c = 0; c < n; c++) {
            Shaper.Cluster cl = clusterOfCode.get(c);
            int g = c == 0 ? 0 : cl.simple() ? oldToNew.get(cl.gids()[0])
                    : firstComposite + compositeIndex.get(cl.shape());
            map.write(g >> 8 & 0xff);
            map.write(g & 0xff);
            if (c > 0) {
                ws.add(COSInteger.get(width(c)));
            }
        }
        COSArray w = new COSArray();
        w.add(COSInteger.ONE);
        w.add(ws);

        COSDictionary info = new COSDictionary();
        info.setString(COSName.REGISTRY, "Adobe");
        info.setString(COSName.ORDERING, "Identity");
        info.setInt(COSName.SUPPLEMENT, 0);

        COSDictionary cid = new COSDictionary();
        cid.setItem(COSName.TYPE, COSName.FONT);
        cid.setItem(COSName.SUBTYPE, COSName.CID_FONT_TYPE2);
        cid.setName(COSName.BASE_FONT, baseName);
        cid.setItem(COSName.CIDSYSTEMINFO, info);
        cid.setItem(COSName.FONT_DESC, fd);
        cid.setItem(COSName.W, w);
        cid.setItem(COSName.CID_TO_GID_MAP,
                new PDStream(doc, new ByteArrayInputStream(map.toByteArray()), COSName.FLATE_DECODE).getCOSObject());

        COSArray descendants = new COSArray();
        descendants.add(cid);
        dict.setName(COSName.BASE_FONT, baseName);
        dict.setItem(COSName.ENCODING, COSName.IDENTITY_H);
        dict.setItem(COSName.DESCENDANT_FONTS, descendants);
        dict.setItem(COSName.TO_UNICODE, new PDStream(doc, new ByteArrayInputStream(toUnicode()),
                COSName.FLATE_DECODE).getCOSObject());
    }

    /** The ToUnicode CMap: every code to its text, in UTF-16BE. */
    private byte[] toUnicode() {
        StringBuilder sb = new StringBuilder();
        sb.append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
                .append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
                .append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
                .append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        int n = clusterOfCode.size();
        for (int start = 1; start < n; start += 100) {
            int end = Math.min(n, start + 100);
            sb.append(end - start).append(" beginbfchar\n");
            for (int c = start; c < end; c++) {
                sb.append('<').append(hex4(c)).append("> <");
                for (char ch : clusterOfCode.get(c).text().toCharArray()) {
                    sb.append(hex4(ch));
                }
                sb.append(">\n");
            }
            sb.append("endbfchar\n");
        }
        sb.append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String hex4(int v) {
        char[] c = new char[4];
        for (int i = 3; i >= 0; i--) {
            c[i] = Character.toUpperCase(Character.forDigit(v & 0xF, 16));
            v >>= 4;
        }
        return new String(c);
    }

    /** A subset tag (six capital letters) from the glyphs and texts used, so equal input gives equal names. */
    private String tag() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(face.name().getBytes(StandardCharsets.UTF_8));
            for (int c = 1; c < clusterOfCode.size(); c++) {
                Shaper.Cluster cl = clusterOfCode.get(c);
                md.update((cl.shape() + ":" + cl.text() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] h = md.digest();
            StringBuilder t = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                t.append((char) ('A' + (h[i] & 0xff) % 26));
            }
            return t.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
