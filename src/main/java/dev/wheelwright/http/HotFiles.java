package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.index.FileSource;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.provenance.ProvenanceService;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.ProjectName;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The hot path of distribution files: a whole file at rest in a local store, as {@link FileRoutes} sends it (the same
 * headers, {@link FileRoutes#atRestHeaders}, and the same mapping, {@link FileRoutes#mapped}), written by Jetty
 * without holding a thread while the bytes go out. Ranges, metadata and provenance files, redirects to the artifact
 * store and downloads still coming from an upstream go on to the routes (the source already got is handed on).
 */
final class HotFiles extends HotPath {
    private static final String PREFIX = "/files/";

    private final IndexService index;
    private final FileRoutes files;

    HotFiles(IndexService index, FileRoutes files, Access access, RequestLog requestLog, HttpMetrics metrics) {
        super(PREFIX, "files", access, requestLog, metrics);
        this.index = Objects.requireNonNull(index);
        this.files = Objects.requireNonNull(files);
    }

    @Override
    Answer answer(Request request, String path, Principal principal, HttpFields fields, HttpFields.Mutable out) {
        if (fields.contains(HttpHeader.RANGE) || fields.contains(HttpHeader.IF_RANGE)) {
            return null;
        }
        int slash = path.indexOf('/', PREFIX.length());
        Optional<String> project = slash < 0 ? Optional.empty() : segment(path, PREFIX.length(), slash);
        Optional<String> filename = slash < 0 ? Optional.empty() : segment(path, slash + 1, path.length());
        if (project.isEmpty()
                || filename.isEmpty()
                || filename.get().endsWith(FileRoutes.METADATA)
                || filename.get().endsWith(ProvenanceService.SUFFIX)) {
            return null;
        }
        ProjectName name;
        try {
            name = ProjectName.parse(project.get());
            DistributionFilename.parse(filename.get());
        } catch (WheelwrightException e) {
            return null; // the route refuses it with its own words
        }
        FileSource source;
        try {
            source = index.file(name, filename.get(), principal);
        } catch (RuntimeException e) {
            request.setAttribute(HANDED_ON, e);
            return null;
        }
        Optional<ByteBuffer> mapped = source instanceof FileSource.AtRest file
                ? file.bytes().file().flatMap(files::mapped)
                : Optional.empty();
        if (mapped.isEmpty()) {
            request.setAttribute(HANDED_ON, source); // a redirect, a stream from upstream, a store without files
            return null;
        }
        FileSource.AtRest file = (FileSource.AtRest) source;
        out.put(HttpHeader.CONTENT_TYPE, FileRoutes.contentType(filename.get()));
        String etag = FileRoutes.atRestHeaders(file, out::put);
        String ifNoneMatch = fields.get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && Conditional.matches(ifNoneMatch, etag)) {
            return new Answer(FileRoutes.FILE, 304, null);
        }
        out.put(HttpHeader.CONTENT_LENGTH, file.size());
        return new Answer(FileRoutes.FILE, 200, mapped.get().duplicate());
    }
}
