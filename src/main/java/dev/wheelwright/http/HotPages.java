package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The hot path of simple pages: {@code /simple/} and a project's page at its canonical path, as {@link
 * SimpleIndexRoutes} answers them ({@link SimpleIndexRoutes#projectPage}, {@link SimpleIndexRoutes#answer}). A path to
 * redirect and a negotiation to refuse go on to the routes.
 */
final class HotPages extends HotPath {
    private static final String PREFIX = "/simple/";

    private final SimpleIndexRoutes simple;

    HotPages(SimpleIndexRoutes simple, Access access, RequestLog requestLog, HttpMetrics metrics) {
        super(PREFIX, "pages", access, requestLog, metrics);
        this.simple = Objects.requireNonNull(simple);
    }

    @Override
    Answer answer(Request request, String path, Principal principal, HttpFields fields, HttpFields.Mutable out) {
        MediaTypes type = negotiated(fields.get(HttpHeader.ACCEPT));
        if (type == null) {
            return null;
        }
        boolean root = path.length() == PREFIX.length();
        Optional<ProjectName> name = root ? Optional.empty() : canonicalProject(path);
        if (!root && name.isEmpty()) {
            return null;
        }
        SimplePages.Rendered page;
        try {
            page = root ? simple.rootPage(principal, type) : simple.projectPage(name.get(), principal, type);
        } catch (RuntimeException e) {
            request.setAttribute(HANDED_ON, e);
            return null;
        }
        out.put(HttpHeader.CONTENT_TYPE, SimpleIndexRoutes.contentType(type));
        byte[] body = SimpleIndexRoutes.answer(
                page, fields.get(HttpHeader.ACCEPT_ENCODING), fields.get(HttpHeader.IF_NONE_MATCH), out::put);
        String template = root ? SimpleIndexRoutes.ROOT : SimpleIndexRoutes.PROJECT;
        if (body == null) {
            return new Answer(template, 304, null);
        }
        out.put(HttpHeader.CONTENT_LENGTH, body.length);
        return new Answer(template, 200, ByteBuffer.wrap(body));
    }

    /** The negotiated type, or null when the routes must refuse it (406). */
    private static MediaTypes negotiated(String accept) {
        try {
            return MediaTypes.negotiate(Optional.empty(), Optional.ofNullable(accept));
        } catch (WheelwrightException e) {
            return null;
        }
    }

    /**
     * The project of {@code /simple/NAME/} when that is its canonical path (so no redirect is due); empty for any
     * other path, a percent-encoded or invalid name included.
     */
    private static Optional<ProjectName> canonicalProject(String path) {
        if (!path.endsWith("/")) {
            return Optional.empty();
        }
        Optional<String> segment = segment(path, PREFIX.length(), path.length() - 1);
        if (segment.isEmpty()) {
            return Optional.empty();
        }
        ProjectName name;
        try {
            name = ProjectName.parse(segment.get());
        } catch (WheelwrightException e) {
            return Optional.empty();
        }
        return SimpleIndexRoutes.canonicalPath(name).equals(path) ? Optional.of(name) : Optional.empty();
    }
}
