package org.chatarchive.renderers.pdf;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One laid-out line of a page: its height and what is drawn on it, with x from the left margin and y from the
 * row's top. A row is never split across pages.
 */
final class Row {

    /**
     * Text in one face and style; {@code text} is in drawing (visual) order. A shaped run also has its
     * {@code glyphs} (then {@code text} is its logical text, for reference only); other runs have null.
     */
    record Text(float x, float baseline, Face face, float size, String text, int style, float width,
                Shaper.Glyphs glyphs) {

        Text(float x, float baseline, Face face, float size, String text, int style, float width) {
            this(x, baseline, face, size, text, style, width, null);
        }

        Text moved(float dx) {
            return new Text(x + dx, baseline, face, size, text, style, width, glyphs);
        }
    }

    /** A filled rectangle (backgrounds, quote bars). */
    record Rect(float x, float y, float w, float h, float[] rgb) {
    }

    /** An image scaled to {@code w} x {@code h} points. */
    record Image(float x, float y, float w, float h, BufferedImage image) {
    }

    final float height;
    final List<Text> texts = new ArrayList<>();
    final List<Rect> rects = new ArrayList<>();
    final List<Image> images = new ArrayList<>();
    /** The message whose first row this is (a link target), or null. */
    String anchor;
    /** A message this row links to (quotes), or null. */
    String linkTo;

    Row(float height) {
        this.height = height;
    }

    /** A row of empty space. */
    static Row gap(float height) {
        return new Row(height);
    }

    /** Moves everything on this row right by {@code dx}. */
    Row shift(float dx) {
        Row r = new Row(height);
        texts.forEach(t -> r.texts.add(t.moved(dx)));
        rects.forEach(t -> r.rects.add(new Rect(t.x() + dx, t.y(), t.w(), t.h(), t.rgb())));
        images.forEach(t -> r.images.add(new Image(t.x() + dx, t.y(), t.w(), t.h(), t.image())));
        r.anchor = anchor;
        r.linkTo = linkTo;
        return r;
    }
}
