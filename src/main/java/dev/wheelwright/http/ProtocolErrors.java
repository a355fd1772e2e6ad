package dev.wheelwright.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty rejects before a route runs (an unparsable request line, headers over the size limit, an
 * unsupported HTTP version, a bad URI) the way {@link HttpErrors} answers ours: one plain-text sentence, the
 * {@link SecurityHeaders} for plain text, no HTML page echoing the request, no stack trace. A request in an
 * unsupported HTTP version is a client's mistake, so its 505 becomes a 400.
 */
final class ProtocolErrors extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        int status = code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ? HttpStatus.BAD_REQUEST_400 : code;
        String reason = code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505
                ? "Unsupported HTTP version; use HTTP/1.1."
                : sentence(status);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        SecurityHeaders.forPlainText()
                .forEach((name, value) -> response.getHeaders().put(name, value));
        response.write(true, ByteBuffer.wrap((reason + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static String sentence(int status) {
        String reason = HttpStatus.getMessage(status);
        return status >= 500 ? "Internal error; the server log has the details." : "Bad request: " + reason + ".";
    }
}
