package org.chatarchive.renderers.pdf;

import java.util.List;
import java.util.function.Function;

import org.chatarchive.model.BodyRange;

/** A body as plain text, the way the PDF shows it: mentions become "@name", styles are dropped. */
public final class PlainBody {

    private PlainBody() {
    }

    /** {@code body} with its mention ranges replaced by "@" + the name {@code names} gives for the participant. */
    public static String of(String body, List<BodyRange> ranges, Function<String, String> names) {
        return StyledText.of(body, ranges, 0, names).text();
    }
}
