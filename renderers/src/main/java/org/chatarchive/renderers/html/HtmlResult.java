package org.chatarchive.renderers.html;

import java.nio.file.Path;

/**
 * What a rendering wrote.
 *
 * @param dir           the site folder ({@code html/} inside the archive)
 * @param conversations conversations rendered
 * @param pages         conversation pages written
 * @param messages      messages rendered
 */
public record HtmlResult(Path dir, int conversations, long pages, long messages) {
}
