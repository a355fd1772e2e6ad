package dev.wheelwright.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.index.FileSource;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.MetadataFile;
import dev.wheelwright.provenance.ProvenanceService;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.upstream.UpstreamUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distribution files, their PEP 658 {@code .metadata} and, for files built here, their PEP 740 {@code .provenance}:
 * immutable, with ETag, Last-Modified, HEAD and single
 * byte ranges (RFC 9110 §14), never content-encoded.
 */
final class FileRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
    /** What a metadata file's name ends with (PEP 658). */
    static final String METADATA = ".metadata";
    /** A first download smaller than this is verified before anything is sent, so a bad hash can still be a 502. */
    private static final int VERIFY_BEFORE_SENDING = 256 * 1024;

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    /** Distribution files kept mapped (address space, not heap: the page cache holds the bytes). */
    private static final int MAPPED_FILES = 1024;

    private final Cache<Path, ByteBuffer> mappedFiles =
            Caffeine.newBuilder().maximumSize(MAPPED_FILES).build();
    private final IndexService index;
    private final ProvenanceService provenance;
    private final Access access;

    FileRoutes(IndexService index, ProvenanceService provenance, Access access) {
        this.index = Objects.requireNonNull(index);
        this.provenance = Objects.requireNonNull(provenance);
        this.access = Objects.requireNonNull(access);
    }

    /** The route template, also the {@code uri} of its requests' meters. */
    static final String FILE = "/files/{project}/{filename}";

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(FILE, this::serve);
        routes.head(FILE, this::serve);
    }

    private void serve(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName project = ProjectName.parse(ctx.pathParam("project"));
        String requested = ctx.pathParam("filename");
        if (requested.endsWith(ProvenanceService.SUFFIX)) { // PEP 740 provenance object
            String built = requested.substring(0, requested.length() - ProvenanceService.SUFFIX.length());
            DistributionFilename.parse(built);
            byte[] object = provenance.provenanceObject(project, built, principal);
            sendBytes(ctx, object, SimplePages.etag(object), "application/json");
            return;
        }
        boolean metadata = requested.endsWith(METADATA);
        String filename = metadata ? requested.substring(0, requested.length() - METADATA.length()) : requested;
        DistributionFilename.parse(filename);
        if (metadata) {
            MetadataFile file = index.metadata(project, filename, principal);
            sendBytes(ctx, file.bytes(), "\"" + file.sha256() + "\"", "application/octet-stream");
            return;
        }
        FileSource source = HotPath.handedOn(ctx, FileSource.class) // what the hot path got, never asked twice
                .orElseGet(() -> index.file(project, filename, principal));
        if (source instanceof FileSource.AtRest file) {
            send(ctx, file, contentType(filename));
        } else if (source instanceof FileSource.Redirect redirect) {
            redirect(ctx, redirect, contentType(filename));
        } else {
            stream(ctx, (FileSource.Streaming) source, filename);
        }
    }

    /**
     * A file the client fetches from the artifact store itself: {@code 302} to a presigned URL, so the bytes never pass
     * through this process. The redirect carries the file's ETag (a matching If-None-Match is still a 304) but is not
     * to be stored, since its URL expires; a HEAD is answered here (a presigned GET URL does not take HEAD).
     */
    private static void redirect(Context ctx, FileSource.Redirect file, String contentType) {
        String etag = "\"" + file.sha256() + "\"";
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && Conditional.matches(ifNoneMatch, etag)) {
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        if (ctx.method().name().equals("HEAD")) {
            ctx.header(
                    "Last-Modified",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(file.modified().atZone(ZoneOffset.UTC)));
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
            ctx.header("Accept-Ranges", "bytes");
            ctx.contentType(contentType);
            ctx.res().setContentLengthLong(file.size());
            return;
        }
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(file.location().toString(), HttpStatus.FOUND);
    }

    /** A file still being fetched from upstream, verified before its last byte is sent. */
    private static void stream(Context ctx, FileSource.Streaming streaming, String filename) {
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

    private static void sendBytes(Context ctx, byte[] bytes, String etag, String contentType) {
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.contentType(contentType);
        if (Conditional.notModified(ctx, etag)) {
            return;
        }
        ctx.res().setContentLength(bytes.length);
        if (!ctx.method().name().equals("HEAD")) {
            ctx.result(bytes);
        }
    }

    /**
     * The headers of a file at rest, whichever path sends it (but its type and length: a range has its own); returns
     * its ETag.
     */
    static String atRestHeaders(FileSource.AtRest file, BiConsumer<String, String> header) {
        String etag = "\"" + file.sha256() + "\"";
        header.accept("ETag", etag);
        header.accept("Last-Modified", lastModified(file));
        header.accept("Cache-Control", "public, max-age=31536000, immutable");
        header.accept("Accept-Ranges", "bytes");
        return etag;
    }

    private static String lastModified(FileSource.AtRest file) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(file.modified().atZone(ZoneOffset.UTC));
    }

    private void send(Context ctx, FileSource.AtRest file, String contentType) {
        long size = file.size();
        String etag = atRestHeaders(file, ctx::header);
        String lastModified = lastModified(file);
        ctx.contentType(contentType);
        if (Conditional.notModified(ctx, etag)) {
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
                sendBody(ctx, file.bytes(), start, length);
            }
            return;
        }
        ctx.res().setContentLengthLong(size);
        if (!head) {
            sendBody(ctx, file.bytes(), 0, size);
        }
    }

    /**
     * The bytes from {@code start}: a local file is mapped once (it never changes) and handed to Jetty as a buffer,
     * which the kernel copies from the page cache to the socket; other stores' bytes are streamed.
     */
    private void sendBody(Context ctx, FileSource.Bytes bytes, long start, long length) {
        Optional<ByteBuffer> whole = bytes.file().flatMap(this::mapped);
        if (whole.isPresent()) {
            ByteBuffer slice = whole.get().duplicate();
            slice.limit((int) (start + length)).position((int) start);
            SecurityHeaders.apply(ctx); // the response commits with the first byte, before any after-handler runs
            try {
                if (ctx.res().getOutputStream() instanceof HttpOutput out) {
                    out.sendContent(slice);
                    return;
                }
            } catch (IOException e) {
                log.debug("the client left during a download: {}", e.getMessage());
                return;
            }
        }
        ctx.result(start == 0 ? bytes.open() : bytes.open(start, length));
    }

    /** The file mapped read-only, kept for the next requests; empty when it cannot be mapped (then it is streamed). */
    Optional<ByteBuffer> mapped(Path file) {
        try {
            return Optional.of(mappedFiles.get(file, FileRoutes::map));
        } catch (UncheckedIOException e) {
            log.warn(
                    "streaming {} instead of mapping it: {}",
                    file.getFileName(),
                    e.getCause().getMessage());
            return Optional.empty();
        }
    }

    private static ByteBuffer map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new UncheckedIOException(new IOException("over 2 GB: not mapped"));
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    static String contentType(String filename) {
        if (filename.endsWith(".whl") || filename.endsWith(".zip")) {
            return "application/zip";
        }
        return "application/gzip";
    }
}
