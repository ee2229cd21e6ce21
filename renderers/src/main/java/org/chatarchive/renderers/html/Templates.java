package org.chatarchive.renderers.html;

import java.io.Writer;
import java.util.Map;

import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The Thymeleaf templates of the site ({@code templates/*.html} beside this class), parsed once and cached. */
final class Templates {

    /**
     * No remote loads of any kind: scripts, styles, images and media only from the site's own files, no fonts,
     * frames, forms, connections or base URL. {@code file:} is named because browsers differ on whether
     * {@code 'self'} matches files.
     */
    static final String CSP = "default-src 'none'; script-src 'self' file:; style-src 'self' file:; "
            + "img-src 'self' file: data:; media-src 'self' file:; font-src 'none'; connect-src 'none'; "
            + "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

    private final TemplateEngine engine;

    Templates() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Templates.class.getClassLoader());
        resolver.setPrefix("org/chatarchive/renderers/html/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
    }

    /** Renders template {@code name} with {@code variables} (plus {@code csp}) to {@code out}. */
    void render(String name, Map<String, Object> variables, Writer out) {
        Context ctx = new Context(java.util.Locale.ENGLISH);
        ctx.setVariables(variables);
        ctx.setVariable("csp", CSP);
        engine.process(name, ctx, out);
    }
}
