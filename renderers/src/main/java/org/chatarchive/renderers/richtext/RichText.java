package org.chatarchive.renderers.richtext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.chatarchive.model.BodyRange;
import org.chatarchive.model.RangeStyle;

/**
 * A message body with its ranges, parsed once into a tree of {@link Node}s that each output format walks with its
 * own {@link RichTextVisitor}.
 *
 * <p>Ranges count UTF-16 code units (Java {@code String} indexes). Overlapping and nested styles become properly
 * nested elements: where two styles cross, the inner one is closed and reopened. A mention replaces the text it
 * covers (usually U+FFFC) with a {@link Node.Mention}; mentions never nest or overlap, and a mention that overlaps
 * an earlier one is dropped. Ranges outside the body are clipped, empty ones ignored, and an offset that falls
 * inside a surrogate pair is moved to the pair's edge so that no half of an emoji is ever cut off.
 */
public final class RichText {

    /** Nesting order, outermost first: a spoiler wraps everything it hides. */
    private static final RangeStyle[] ORDER = {RangeStyle.SPOILER, RangeStyle.BOLD, RangeStyle.ITALIC,
            RangeStyle.STRIKETHROUGH, RangeStyle.MONOSPACE};

    private final List<Node> nodes;

    private RichText(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** The top-level nodes, in text order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Whether there is nothing to show. */
    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    /** Walks the tree depth first, in text order. */
    public void accept(RichTextVisitor visitor) {
        walk(nodes, visitor);
    }

    private static void walk(List<Node> list, RichTextVisitor v) {
        for (Node n : list) {
            if (n instanceof Node.Text t) {
                v.text(t.text());
            } else if (n instanceof Node.Mention m) {
                v.mention(m.participantId(), m.covered());
            } else if (n instanceof Node.Styled s) {
                v.enter(s.style());
                walk(s.children(), v);
                v.exit(s.style());
            }
        }
    }

    /** Parses {@code body} with {@code ranges}; a null body is empty. */
    public static RichText parse(String body, List<BodyRange> ranges) {
        if (body == null || body.isEmpty()) {
            return new RichText(List.of());
        }
        if (ranges == null || ranges.isEmpty()) {
            return new RichText(List.of(new Node.Text(body)));
        }
        int len = body.length();
        List<Span> styles = new ArrayList<>();
        List<Span> mentions = new ArrayList<>();
        for (BodyRange r : ranges) {
            if (r == null || r.style() == null) {
                continue;
            }
            int start = clamp(r.start(), len);
            long endL = (long) r.start() + Math.max(0, r.length());
            int end = clamp((int) Math.min(Integer.MAX_VALUE, endL), len);
            start = alignDown(body, start);
            end = alignUp(body, end);
            if (r.style() == RangeStyle.MENTION) {
                if (r.mentionId() != null && end > start) {
                    mentions.add(new Span(start, end, r.style(), r.mentionId()));
                }
            } else if (end > start) {
                styles.add(new Span(start, end, r.style(), null));
            }
        }
        mentions.sort(Comparator.comparingInt(Span::start));
        List<Span> kept = new ArrayList<>();
        int lastEnd = -1;
        for (Span m : mentions) {
            if (m.start >= lastEnd) {
                kept.add(m);
                lastEnd = m.end;
            }
        }
        if (styles.isEmpty() && kept.isEmpty()) {
            return new RichText(List.of(new Node.Text(body)));
        }

        // Every start and end is a boundary; between two boundaries the set of styles is constant.
        int[] cuts = new int[2 + 2 * styles.size() + 2 * kept.size()];
        int n = 0;
        cuts[n++] = 0;
        cuts[n++] = len;
        for (Span s : styles) {
            cuts[n++] = s.start;
            cuts[n++] = s.end;
        }
        for (Span s : kept) {
            cuts[n++] = s.start;
            cuts[n++] = s.end;
        }
        Arrays.sort(cuts, 0, n);

        Builder b = new Builder();
        int mi = 0;
        for (int i = 0; i + 1 < n; i++) {
            int a = cuts[i];
            int z = cuts[i + 1];
            if (a == z) {
                continue;
            }
            while (mi < kept.size() && kept.get(mi).end <= a) {
                mi++;
            }
            Span mention = mi < kept.size() && kept.get(mi).start <= a ? kept.get(mi) : null;
            boolean[] active = new boolean[ORDER.length];
            for (Span s : styles) {
                if (s.start <= a && s.end >= z) {
                    active[indexOf(s.style)] = true;
                }
            }
            if (mention != null) {
                if (mention.start == a) {
                    b.add(active, new Node.Mention(mention.mentionId, body.substring(mention.start, mention.end)));
                }
                // later pieces of the same mention are covered by the node already added
            } else {
                b.add(active, new Node.Text(body.substring(a, z)));
            }
        }
        return new RichText(b.finish());
    }

    private static int indexOf(RangeStyle style) {
        for (int i = 0; i < ORDER.length; i++) {
            if (ORDER[i] == style) {
                return i;
            }
        }
        throw new IllegalArgumentException(style.toString());
    }

    private static int clamp(int v, int len) {
        return Math.max(0, Math.min(v, len));
    }

    private static int alignDown(String s, int i) {
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1))
                ? i - 1 : i;
    }

    private static int alignUp(String s, int i) {
        return i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1))
                ? i + 1 : i;
    }

    private record Span(int start, int end, RangeStyle style, String mentionId) {
    }

    /** Builds the nested tree from leaves that each come with the styles active over them. */
    private static final class Builder {
        private final List<Node> root = new ArrayList<>();
        /** Open styled elements, outermost first, with their children lists. */
        private final List<RangeStyle> openStyles = new ArrayList<>();
        private final List<List<Node>> openChildren = new ArrayList<>();

        void add(boolean[] active, Node leaf) {
            // Keep the longest prefix of open elements whose styles are all still active; close the rest.
            int keep = 0;
            while (keep < openStyles.size() && active[indexOf(openStyles.get(keep))]) {
                keep++;
            }
            while (openStyles.size() > keep) {
                close();
            }
            for (int i = 0; i < ORDER.length; i++) {
                if (active[i] && !openStyles.contains(ORDER[i])) {
                    openStyles.add(ORDER[i]);
                    openChildren.add(new ArrayList<>());
                }
            }
            current().add(leaf);
        }

        private List<Node> current() {
            return openChildren.isEmpty() ? root : openChildren.get(openChildren.size() - 1);
        }

        private void close() {
            int last = openStyles.size() - 1;
            RangeStyle style = openStyles.remove(last);
            List<Node> children = openChildren.remove(last);
            current().add(new Node.Styled(style, List.copyOf(children)));
        }

        List<Node> finish() {
            while (!openStyles.isEmpty()) {
                close();
            }
            return List.copyOf(root);
        }
    }
}
