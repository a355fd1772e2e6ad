package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import io.javalin.http.Context;
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
 * A hot path of the index: what pip asks for on every install ({@link HotPages}: simple pages; {@link HotFiles}:
 * distribution files), answered by a Jetty handler in front of Javalin's servlet, without the servlet layer and the
 * router's per-request work (about half of the server's CPU per page request under load).
 *
 * <p>It answers only the plain successful {@code GET} or {@code HEAD}, with the very same decision, bytes and headers
 * as the routes, the same request id, access log line and meter ({@link RequestLog}). Everything else goes on to
 * Javalin untouched: a query string, a cookie, credentials that cannot read, whatever the subclass declines. What the
 * hot path already got from the index (a failure such as a project not found, or a file source that is not a local
 * file) is handed on in {@link #HANDED_ON}, so the route answers it without asking again (an upstream above all).
 */
abstract class HotPath extends Handler.Wrapper {
    /** Request attribute: what this request already got from the index, a {@link RuntimeException} or an answer. */
    static final String HANDED_ON = "wheelwright.hot-handed-on";

    /**
     * What to send: the route template it stands for ({@code uri} of the meter), the status and the body (null: none).
     */
    record Answer(String template, int status, ByteBuffer body) {}

    private final String prefix;
    private final String kind;
    private final Access access;
    private final RequestLog requestLog;
    private final HttpMetrics metrics;

    /**
     * @param prefix the paths it looks at ({@code /simple/})
     * @param kind its {@code path} label on {@code wheelwright_http_hot_requests_total}
     */
    HotPath(String prefix, String kind, Access access, RequestLog requestLog, HttpMetrics metrics) {
        this.prefix = Objects.requireNonNull(prefix);
        this.kind = Objects.requireNonNull(kind);
        this.access = Objects.requireNonNull(access);
        this.requestLog = Objects.requireNonNull(requestLog);
        this.metrics = Objects.requireNonNull(metrics);
    }

    /**
     * The answer to a {@code GET} or {@code HEAD} of {@code path} (under the prefix, no query, no cookie) by a reader:
     * its headers but the request id and security headers put in {@code out}; or null, with {@code out} untouched, for
     * the routes to answer it (with what was got in {@link #HANDED_ON}, when anything).
     */
    abstract Answer answer(
            Request request, String path, Principal principal, HttpFields fields, HttpFields.Mutable out);

    @Override
    public final boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        HttpFields fields = request.getHeaders();
        if (!(head || HttpMethod.GET.is(method))
                || path == null
                || !path.startsWith(prefix)
                || uri.getQuery() != null
                || fields.contains(HttpHeader.COOKIE)) {
            return super.handle(request, response, callback);
        }
        String id = (String) request.getAttribute(WheelwrightServer.REQUEST_ID);
        if (id == null) {
            id = RequestIds.accept(Optional.ofNullable(fields.get(RequestIds.HEADER)));
            request.setAttribute(WheelwrightServer.REQUEST_ID, id); // the routes keep it if the request goes on
        }
        MDC.put(RequestIds.MDC_KEY, id);
        try {
            Optional<Principal> principal;
            try {
                principal = access.plainReader(fields.get(HttpHeader.AUTHORIZATION));
            } catch (RuntimeException e) { // the token store failing: the routes meet it again and answer it as usual
                principal = Optional.empty();
            }
            HttpFields.Mutable out = response.getHeaders();
            Answer answer = principal.isPresent() ? answer(request, path, principal.get(), fields, out) : null;
            if (answer == null) {
                return super.handle(request, response, callback);
            }
            out.put(RequestIds.HEADER, id);
            SecurityHeaders.add(out.get(HttpHeader.CONTENT_TYPE), null, out::put);
            response.setStatus(answer.status());
            metrics.hot(kind);
            // logged before the write: once a client has its answer, the request's line is there (the time is that
            // of the answer; a file's bytes then go out without a thread)
            requestLog.finished(
                    id,
                    method,
                    path,
                    answer.template(),
                    answer.status(),
                    (System.nanoTime() - start) / 1e6f,
                    principal.get().name());
            response.write(true, head ? null : answer.body(), callback);
            return true;
        } finally {
            MDC.remove(RequestIds.MDC_KEY); // set again by the routes' own handler when the request goes on
        }
    }

    /** What the hot path handed on of this type, if anything; a failure it met is thrown here, for the route. */
    static <T> Optional<T> handedOn(Context ctx, Class<T> type) {
        Object handed = ctx.attribute(HANDED_ON);
        if (handed instanceof RuntimeException failure) {
            throw failure;
        }
        return type.isInstance(handed) ? Optional.of(type.cast(handed)) : Optional.empty();
    }

    /** The single path segment after {@code from} up to {@code end}, when plain (no {@code %}, no {@code /}). */
    static Optional<String> segment(String path, int from, int end) {
        if (end <= from || end > path.length()) {
            return Optional.empty();
        }
        for (int i = from; i < end; i++) {
            char c = path.charAt(i);
            if (c == '/' || c == '%') {
                return Optional.empty();
            }
        }
        return Optional.of(path.substring(from, end));
    }
}
