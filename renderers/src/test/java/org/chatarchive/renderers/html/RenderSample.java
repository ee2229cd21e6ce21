package org.chatarchive.renderers.html;

import java.nio.file.Path;
import java.time.ZoneId;

/** Writes the test archive and its site to a folder, for looking at by hand: {@code RenderSample DIR}. */
public final class RenderSample {
    private RenderSample() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        TestArchive.write(out);
        System.out.println(HtmlSite.render(out, HtmlOptions.of(ZoneId.of("Europe/Berlin")).withPageSize(
                args.length > 1 ? Integer.parseInt(args[1]) : 1000)));
    }
}
