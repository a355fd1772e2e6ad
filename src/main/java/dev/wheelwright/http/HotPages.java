package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * The hot path of the index: what pip asks for on every install, a simple page ({@code /simple/} or a project's) by
 * {@code GET} or {@code HEAD}, answered by a Jetty handler in front of Javalin's servlet, without the servlet layer and
 * the router's per-request work (which cost about half of the server's CPU per page under load).
 *
 * <p>It answers only the plain successful case, with the very same decision, bytes and headers as the routes
 * ({@link SimpleIndexRoutes#projectPage}, {@link SimpleIndexRoutes#answer}, {@link SecurityHeaders}) and the same access
 * log line and meter ({@link RequestLog}). Everything else goes on to Javalin untouched: a query string, a cookie, a
 * path to redirect, credentials that cannot read, a negotiation to refuse. When the page itself fails (a project not
 * found, an upstream down), the failure is handed on in {@link #FAILURE} and the route answers it as usual, so nothing
 * is asked twice.
 */
final class HotPages extends Handler.Wrapper {
    /** Request attribute: the failure the hot path met computing the page, for the route to answer. */
    static final String FAILURE = "wheelwright.hot-failure";

    private static final String PREFIX = "/simple/";

    private final SimpleIndexRoutes simple;
    private final Access access;
    private final RequestLog requestLog;
    private final HttpMetrics metrics;

    HotPages(SimpleIndexRoutes simple, Access access, RequestLog requestLog, HttpMetrics metrics) {
        this.simple = Objects.requireNonNull(simple);
        this.access = Objects.requireNonNull(access);
        this.requestLog = Objects.requireNonNull(requestLog);
        this.metrics = Objects.requireNonNull(metrics);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        HttpFields fields = request.getHeaders();
        if (!(head || HttpMethod.GET.is(method))
                || path == null
                || !path.startsWith(PREFIX)
                || uri.getQuery() != null
                || fields.contains(HttpHeader.COOKIE)) {
            return super.handle(request, response, callback);
        }
        String id = RequestIds.accept(Optional.ofNullable(fields.get(RequestIds.HEADER)));
        request.setAttribute(WheelwrightServer.REQUEST_ID, id); // the routes keep it if the request goes on
        MDC.put(RequestIds.MDC_KEY, id);
        try {
            Optional<Principal> principal = access.plainReader(fields.get(HttpHeader.AUTHORIZATION));
            MediaTypes type = principal.isPresent() ? negotiated(fields.get(HttpHeader.ACCEPT)) : null;
            if (type == null) {
                return super.handle(request, response, callback);
            }
            String template = path.length() == PREFIX.length() ? SimpleIndexRoutes.ROOT : SimpleIndexRoutes.PROJECT;
            Optional<ProjectName> name = template.equals(SimpleIndexRoutes.ROOT) ? null : canonicalProject(path);
            if (name != null && name.isEmpty()) {
                return super.handle(request, response, callback);
            }
            SimplePages.Rendered page;
            try {
                page = name == null
                        ? simple.rootPage(principal.get(), type)
                        : simple.projectPage(name.get(), principal.get(), type);
            } catch (RuntimeException e) {
                request.setAttribute(FAILURE, e);
                return super.handle(request, response, callback);
            }
            HttpFields.Mutable out = response.getHeaders();
            out.put(RequestIds.HEADER, id);
            String contentType = SimpleIndexRoutes.contentType(type);
            out.put(HttpHeader.CONTENT_TYPE, contentType);
            byte[] body = SimpleIndexRoutes.answer(
                    page, fields.get(HttpHeader.ACCEPT_ENCODING), fields.get(HttpHeader.IF_NONE_MATCH), out::put);
            SecurityHeaders.add(contentType, null, out::put);
            int status = body == null ? 304 : 200;
            response.setStatus(status);
            if (body != null) {
                out.put(HttpHeader.CONTENT_LENGTH, body.length);
            }
            response.write(true, body == null || head ? null : ByteBuffer.wrap(body), callback);
            metrics.hotPage();
            requestLog.finished(
                    id,
                    method,
                    path,
                    template,
                    status,
                    (System.nanoTime() - start) / 1e6f,
                    principal.get().name());
            return true;
        } finally {
            MDC.remove(RequestIds.MDC_KEY); // set again by the routes' own handler when the request goes on
        }
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
        if (!path.endsWith("/") || path.indexOf('/', PREFIX.length()) != path.length() - 1) {
            return Optional.empty();
        }
        String segment = path.substring(PREFIX.length(), path.length() - 1);
        if (segment.indexOf('%') >= 0) {
            return Optional.empty();
        }
        ProjectName name;
        try {
            name = ProjectName.parse(segment);
        } catch (WheelwrightException e) {
            return Optional.empty();
        }
        return SimpleIndexRoutes.canonicalPath(name).equals(path) ? Optional.of(name) : Optional.empty();
    }
}
