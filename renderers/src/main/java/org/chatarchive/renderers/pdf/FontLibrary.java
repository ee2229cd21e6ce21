package org.chatarchive.renderers.pdf;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;

/**
 * The font fallback chain: for each code point, the first font that has a glyph for it.
 *
 * <p>First the font bundled in the PDFBox jar (Liberation Sans, SIL OFL), then fonts found in the usual font
 * folders by file name, in a fixed order of preference (Latin/Greek/Cyrillic, Hebrew, Arabic, Indic, Thai, CJK,
 * symbols, monochrome emoji), then any other {@code Noto*-Regular.ttf} found there, loaded only when a code point
 * is still uncovered. Emoji are drawn in colour from Noto Color Emoji's bitmaps when that font is found
 * ({@link ColorEmoji}); the monochrome faces cover them otherwise. Colour emoji fonts (bitmap glyphs) and fonts with CFF outlines (which PDFBox cannot embed
 * as CID fonts; this includes the Noto CJK collections, so CJK comes from Droid Sans Fallback) are not used. Bold and italic are drawn by stroking and slanting the regular face, so that every
 * script gets them and only one face per script is embedded.
 *
 * <p>PDFBox's own glyph substitution (GSUB, used for Devanagari and Bengali conjuncts) is switched off: the
 * glyphs it substitutes get no ToUnicode entry, which breaks PDF/A-2u and text extraction. Such scripts are shaped
 * by {@link Shaper} instead and drawn through a {@link GlyphFont}.
 */
final class FontLibrary implements Closeable {

    static {
        // AWT fonts are used for shaping and colour emoji only, never a window
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Preferred proportional faces, by file name, in order. */
    static final List<String> PREFERRED = List.of(
            "NotoSans-Regular.ttf", "DejaVuSans.ttf",
            "NotoSansHebrew-Regular.ttf",
            "NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf",
            "NotoSansDevanagari-Regular.ttf", "NotoSansBengali-Regular.ttf", "NotoSansTamil-Regular.ttf",
            "NotoSansThai-Regular.ttf",
            "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf",
            "NotoSansSymbols-Regular.ttf", "NotoSansSymbols2-Regular.ttf", "NotoSansMath-Regular.ttf",
            "NotoEmoji-Regular.ttf", "Symbola_hint.ttf", "Symbola.ttf");

    /** Preferred monospaced faces; the proportional chain follows them. */
    static final List<String> MONO = List.of("LiberationMono-Regular.ttf", "DejaVuSansMono.ttf",
            "NotoSansMono-Regular.ttf");

    /** The colour emoji font whose bitmaps are drawn as images (Debian {@code fonts-noto-color-emoji}). */
    static final String COLOR_EMOJI = "NotoColorEmoji.ttf";

    private static final String BUNDLED = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private final List<Face> chain = new ArrayList<>();
    private final List<Face> monoChain = new ArrayList<>();
    private final List<Path> spare = new ArrayList<>();
    private final Map<Integer, Face> picked = new HashMap<>();
    private final Map<Integer, Face> pickedMono = new HashMap<>();
    private final List<Closeable> open = new ArrayList<>();
    private ColorEmoji colorEmoji;

    private FontLibrary() {
    }

    /** The usual font folders of Linux, macOS and Windows, plus {@code extra} first. */
    static List<Path> defaultFolders(List<Path> extra) {
        List<Path> dirs = new ArrayList<>(extra);
        String home = System.getProperty("user.home", "");
        for (String d : new String[]{"/usr/share/fonts", "/usr/local/share/fonts", home + "/.local/share/fonts",
                home + "/.fonts", "/Library/Fonts", "/System/Library/Fonts", home + "/Library/Fonts"}) {
            dirs.add(Path.of(d));
        }
        String windir = System.getenv("WINDIR");
        if (windir != null) {
            dirs.add(Path.of(windir, "Fonts"));
        }
        return dirs;
    }

    /** Loads the chain from the bundled font and the fonts found in {@code folders}. */
    static FontLibrary load(List<Path> folders) throws IOException {
        FontLibrary lib = new FontLibrary();
        Map<String, Path> byName = new TreeMap<>();
        for (Path dir : folders) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, 6)) {
                files.filter(Files::isRegularFile).sorted().forEach(p -> byName.putIfAbsent(p.getFileName().toString(), p));
            } catch (IOException | RuntimeException e) {
                // an unreadable folder only means fewer fonts
            }
        }
        try (InputStream in = FontLibrary.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IOException("the bundled font " + BUNDLED + " is missing from the class path");
            }
            TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(in));
            lib.open.add(ttf);
            ttf.setEnableGsub(false);
            lib.chain.add(new Face("LiberationSans-Regular.ttf", ttf));
        }
        for (String name : PREFERRED) {
            Path p = byName.get(name);
            if (p != null) {
                lib.addTo(lib.chain, p);
            }
        }
        for (String name : MONO) {
            Path p = byName.get(name);
            if (p != null) {
                lib.addTo(lib.monoChain, p);
            }
        }
        Path emoji = byName.get(COLOR_EMOJI);
        if (emoji != null) {
            lib.colorEmoji = ColorEmoji.open(emoji);
            if (lib.colorEmoji != null) {
                lib.open.add(lib.colorEmoji);
            }
        }
        byName.forEach((name, p) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("noto") && name.endsWith("-Regular.ttf") && !PREFERRED.contains(name)
                    && !lower.contains("color") && !lower.contains("mono")) {
                lib.spare.add(p);
            }
        });
        return lib;
    }

    private Face addTo(List<Face> list, Path p) {
        try {
            String name = p.getFileName().toString();
            TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(p.toFile()));
            open.add(ttf);
            ttf.setEnableGsub(false); // see the class comment
            if (ttf instanceof OpenTypeFont otf && otf.isPostScript()) {
                return null;
            }
            if (ttf.getGlyph() == null) {
                return null; // bitmap-only (colour emoji)
            }
            Face f = new Face(name, ttf, p);
            list.add(f);
            return f;
        } catch (IOException | RuntimeException e) {
            return null; // a damaged font file is skipped
        }
    }

    /** The first face of the chain that has {@code cp}, or null when none has. */
    Face pick(int cp, boolean mono) {
        Map<Integer, Face> cache = mono ? pickedMono : picked;
        if (cache.containsKey(cp)) {
            return cache.get(cp);
        }
        Face found = null;
        if (mono) {
            for (Face f : monoChain) {
                if (f.has(cp)) {
                    found = f;
                    break;
                }
            }
        }
        if (found == null) {
            for (Face f : chain) {
                if (f.has(cp)) {
                    found = f;
                    break;
                }
            }
        }
        while (found == null && !spare.isEmpty() && !mono) {
            Face f = addTo(chain, spare.remove(0));
            if (f != null && f.has(cp)) {
                found = f;
            }
        }
        if (found == null && mono) {
            found = pick(cp, false);
        }
        cache.put(cp, found);
        return found;
    }

    /** Colour emoji bitmaps, or null when no colour emoji font was found. */
    ColorEmoji colorEmoji() {
        return colorEmoji;
    }

    /** The base face (always present). */
    Face base() {
        return chain.get(0);
    }

    /** Names of the faces loaded so far, in chain order. */
    List<String> faceNames() {
        Map<String, Boolean> names = new LinkedHashMap<>();
        monoChain.forEach(f -> names.put(f.name(), true));
        chain.forEach(f -> names.put(f.name(), true));
        return List.copyOf(names.keySet());
    }

    @Override
    public void close() throws IOException {
        for (Closeable c : open) {
            c.close();
        }
        open.clear();
    }
}
