package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.ProjectNotFoundException;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.upstream.UpstreamService;
import dev.wheelwright.upstream.UpstreamUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distribution files and their PEP 658 {@code .metadata}: immutable, with ETag, Last-Modified, HEAD and single
 * byte ranges (RFC 9110 §14), never content-encoded.
 */
final class FileRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
    private static final String METADATA = ".metadata";
    /** A first download smaller than this is verified before anything is sent, so a bad hash can still be a 502. */
    private static final int VERIFY_BEFORE_SENDING = 256 * 1024;

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    private final IndexService index;
    private final BlobStore blobs;
    private final Access access;
    private final UpstreamService upstream;

    FileRoutes(IndexService index, BlobStore blobs, Access access, UpstreamService upstream) {
        this.index = Objects.requireNonNull(index);
        this.blobs = Objects.requireNonNull(blobs);
        this.access = Objects.requireNonNull(access);
        this.upstream = Objects.requireNonNull(upstream);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/files/{project}/{filename}", this::serve);
        routes.head("/files/{project}/{filename}", this::serve);
    }

    private void serve(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName project = ProjectName.parse(ctx.pathParam("project"));
        String requested = ctx.pathParam("filename");
        boolean metadata = requested.endsWith(METADATA);
        String filename = metadata ? requested.substring(0, requested.length() - METADATA.length()) : requested;
        DistributionFilename.parse(filename);
        StoredFile file;
        try {
            file = index.file(project, filename, principal);
        } catch (ProjectNotFoundException e) {
            // no local record: an upstream file, when this name may be served from upstream at all
            if (!principal.covers(project.normalized()) || !upstream.serves(project)) {
                throw e;
            }
            serveUpstream(ctx, project, filename, metadata);
            return;
        }
        if (metadata) {
            BlobKey key = file.metadataBlob()
                    .orElseThrow(() -> new ProjectNotFoundException("No core metadata file for " + filename + "."));
            String sha = file.metadataSha256().orElseThrow();
            byte[] bytes = readAll(key);
            sendBytes(ctx, bytes, "\"" + sha + "\"");
        } else {
            send(ctx, file.blob(), file.sha256(), file.size(), contentType(filename), file.uploadTime());
        }
    }

    private void serveUpstream(Context ctx, ProjectName project, String filename, boolean metadata) {
        if (metadata) {
            var m = upstream.metadata(project, filename);
            sendBytes(ctx, readAll(m.blob()), "\"" + m.sha256() + "\"");
            return;
        }
        UpstreamService.Delivery delivery = upstream.file(project, filename);
        if (delivery instanceof UpstreamService.Cached cached) {
            var f = cached.file();
            send(ctx, f.blob(), f.sha256(), f.size(), contentType(filename), f.cached());
            return;
        }
        UpstreamService.Streaming streaming = (UpstreamService.Streaming) delivery;
        ctx.header("ETag", "\"" + streaming.sha256() + "\"");
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType(contentType(filename));
        try (InputStream in = streaming.body()) {
            if (ctx.method().name().equals("HEAD")) {
                streaming.size().ifPresent(size -> ctx.res().setContentLengthLong(size));
                return;
            }
            byte[] head;
            try {
                head = in.readNBytes(VERIFY_BEFORE_SENDING);
            } catch (IOException e) {
                throw new UpstreamUnavailableException(e.getMessage(), e); // nothing sent yet: a 502 with the reason
            }
            if (head.length < VERIFY_BEFORE_SENDING) { // the whole file, verified and stored
                ctx.res().setContentLength(head.length);
                ctx.result(head);
                return;
            }
            streaming.size().ifPresent(size -> ctx.res().setContentLengthLong(size));
            try {
                OutputStream out = ctx.res().getOutputStream();
                out.write(head);
                in.transferTo(out);
                out.flush();
            } catch (IOException e) {
                // bytes were sent: the only honest answer left is to break the connection, so no client takes a
                // truncated or unverified file for a whole one
                log.warn("aborting the download of {}: {}", filename, e.getMessage());
                ServletContextRequest.getServletContextRequest(ctx.req())
                        .getConnectionMetaData()
                        .getConnection()
                        .getEndPoint()
                        .close(e);
            }
        } catch (IOException e) {
            log.debug("closing the upstream stream of {}: {}", filename, e.getMessage());
        }
    }

    private byte[] readAll(BlobKey key) {
        try (InputStream in = blobs.open(key).orElseThrow(() -> missing(key))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read " + key, e);
        }
    }

    private static void sendBytes(Context ctx, byte[] bytes, String etag) {
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType("application/octet-stream");
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && Conditional.matches(ifNoneMatch, etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.res().setContentLength(bytes.length);
        if (!ctx.method().name().equals("HEAD")) {
            ctx.result(bytes);
        }
    }

    private void send(Context ctx, BlobKey key, String sha256, long size, String contentType, Instant modified) {
        String etag = "\"" + sha256 + "\"";
        String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC));
        ctx.header("ETag", etag);
        ctx.header("Last-Modified", lastModified);
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.header("Accept-Ranges", "bytes");
        ctx.contentType(contentType);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && Conditional.matches(ifNoneMatch, etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        boolean head = ctx.method().name().equals("HEAD");
        Optional<long[]> range = range(ctx, etag, lastModified, size);
        if (range.isPresent() && range.get().length == 0) {
            ctx.header("Content-Range", "bytes */" + size);
            HttpErrors.respond(
                    ctx, HttpStatus.RANGE_NOT_SATISFIABLE, "Range not satisfiable: the file has " + size + " bytes.");
            return;
        }
        if (range.isPresent()) {
            long start = range.get()[0];
            long end = range.get()[1];
            long length = end - start + 1;
            ctx.status(HttpStatus.PARTIAL_CONTENT);
            ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
            ctx.res().setContentLengthLong(length);
            if (!head) {
                ctx.result(blobs.open(key, start, length).orElseThrow(() -> missing(key)));
            }
            return;
        }
        ctx.res().setContentLengthLong(size);
        if (!head) {
            ctx.result(blobs.open(key).orElseThrow(() -> missing(key)));
        }
    }

    /**
     * The single range asked for as {start, end}, or empty for the whole file; an empty array when it cannot be
     * satisfied (416).
     */
    private static Optional<long[]> range(Context ctx, String etag, String lastModified, long size) {
        String header = ctx.header("Range");
        if (header == null) {
            return Optional.empty();
        }
        String ifRange = ctx.header("If-Range");
        if (ifRange != null
                && !Conditional.matches(ifRange, etag)
                && !ifRange.trim().equals(lastModified)) {
            return Optional.empty();
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty(); // multiple or malformed ranges: the whole file is a valid answer
        }
        long start;
        long end;
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, size - suffix);
                end = size - 1;
                if (suffix == 0) {
                    return Optional.of(new long[0]);
                }
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
                if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                    return Optional.empty();
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (start >= size || size == 0) {
            return Optional.of(new long[0]);
        }
        return Optional.of(new long[] {start, end});
    }

    private static String contentType(String filename) {
        if (filename.endsWith(".whl") || filename.endsWith(".zip")) {
            return "application/zip";
        }
        return "application/gzip";
    }

    private static StorageException missing(BlobKey key) {
        return new StorageException("the bytes of " + key + " are missing from the artifact store");
    }
}
