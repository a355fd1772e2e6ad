package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.notifications.NotificationService;
import dev.wheelwright.upload.ReceivedFile;
import dev.wheelwright.upload.UploadRejectedException;
import dev.wheelwright.upload.UploadService;
import dev.wheelwright.upload.UploadTooLargeException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy (twine) upload API at {@code POST /legacy/} and {@code POST /}. Never redirects (twine aborts on a
 * redirect). The multipart body is parsed by Jetty, which spools large parts to disk; the file part is then
 * copied to our own temporary file while its digests are computed, so no file is ever held in memory.
 */
final class UploadRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(UploadRoutes.class);
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    private static final int MAX_FIELD_BYTES = 4 * 1024 * 1024;
    private static final long FORM_OVERHEAD = 16L * 1024 * 1024;

    private final UploadService uploads;
    private final Access access;
    private final MultipartConfigElement multipart;
    private final HttpMetrics metrics;
    private final NotificationService notifications;

    UploadRoutes(UploadService uploads, Access access, HttpMetrics metrics, NotificationService notifications) {
        this.uploads = Objects.requireNonNull(uploads);
        this.access = Objects.requireNonNull(access);
        this.metrics = Objects.requireNonNull(metrics);
        this.notifications = Objects.requireNonNull(notifications);
        long max = uploads.maxFileSize();
        this.multipart =
                new MultipartConfigElement(uploads.spoolDir().toString(), max, max + FORM_OVERHEAD, 256 * 1024);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/legacy/", this::upload);
        routes.post("/", this::upload);
    }

    /** One upload: counted as stored, existing or rejected (by reason); the failure itself goes on to HttpErrors. */
    private void upload(Context ctx) {
        try {
            UploadService.Result result = receive(ctx);
            boolean stored = result.outcome() == UploadService.Outcome.STORED;
            metrics.uploaded(stored, result.size());
            log.info(
                    "upload of {} by {}: {} ({} bytes)",
                    result.filename(),
                    access.principalName(ctx),
                    stored ? "stored" : "identical to the stored file",
                    result.size());
            if (stored) { // only written to the outbox here: the receivers are sent to in the background
                notifications.uploaded(
                        result.project(),
                        result.version(),
                        result.filename(),
                        result.size(),
                        access.principalName(ctx));
            }
        } catch (WheelwrightException e) {
            metrics.uploadRejected(e);
            log.info("upload by {} refused ({}): {}", access.principalName(ctx), HttpMetrics.reason(e), e.getMessage());
            throw e;
        }
    }

    private UploadService.Result receive(Context ctx) {
        Principal principal = access.uploader(ctx);
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadRejectedException("Uploads must be multipart/form-data (as twine sends them).");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > uploads.maxFileSize() + FORM_OVERHEAD) {
            throw new UploadTooLargeException(uploads.maxFileSize());
        }
        ctx.req().setAttribute(MULTIPART_CONFIG, multipart);
        Collection<Part> parts = parts(ctx);
        Map<String, List<String>> form = new LinkedHashMap<>();
        Part content = null;
        for (Part part : parts) {
            String name = part.getName();
            if (name.equals("content")) {
                if (content != null) {
                    throw new UploadRejectedException("The upload has more than one content part.");
                }
                content = part;
            } else if (part.getSubmittedFileName() == null) {
                form.computeIfAbsent(name, k -> new ArrayList<>()).add(text(part));
            }
        }
        if (content == null
                || content.getSubmittedFileName() == null
                || content.getSubmittedFileName().isEmpty()) {
            throw new UploadRejectedException("Upload payload does not have a file.");
        }
        ReceivedFile received;
        try (InputStream in = content.getInputStream()) {
            received = uploads.receive(content.getSubmittedFileName(), in);
        } catch (IOException e) {
            throw new UploadRejectedException(
                    "The uploaded file could not be read: the body is malformed or truncated.");
        }
        UploadService.Result result = uploads.upload(principal, form, received);
        ctx.status(HttpStatus.OK).contentType("text/plain; charset=utf-8");
        ctx.result(
                result.outcome() == UploadService.Outcome.STORED
                        ? "Stored " + result.filename() + "\n"
                        : "File already exists with identical content: " + result.filename() + "\n");
        return result;
    }

    private Collection<Part> parts(Context ctx) {
        try {
            return ctx.req().getParts();
        } catch (IllegalStateException e) {
            if (e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("exceed")) {
                throw new UploadTooLargeException(uploads.maxFileSize());
            }
            throw new UploadRejectedException("Malformed multipart body: " + oneLine(e));
        } catch (IOException | ServletException | RuntimeException e) {
            Throwable cause = e;
            while (cause != null) {
                String msg = cause.getMessage();
                if (msg != null && msg.toLowerCase(Locale.ROOT).contains("exceed")) {
                    throw new UploadTooLargeException(uploads.maxFileSize());
                }
                cause = cause.getCause();
            }
            throw new UploadRejectedException("Malformed or truncated multipart body.");
        }
    }

    private static String text(Part part) {
        if (part.getSize() > MAX_FIELD_BYTES) {
            throw new UploadRejectedException(
                    "Form field " + part.getName() + " is larger than " + MAX_FIELD_BYTES + " bytes.");
        }
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UploadRejectedException("Form field " + part.getName() + " could not be read.");
        }
    }

    private static String oneLine(Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        msg = msg.replaceAll("[\\r\\n]+", " ");
        return msg.length() > 200 ? msg.substring(0, 200) : msg;
    }
}
