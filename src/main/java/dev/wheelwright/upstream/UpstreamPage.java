package dev.wheelwright.upstream;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One project page as an upstream served it, parsed.
 *
 * @param files the files with a usable sha256 (others are left out: they could not be verified)
 * @param versions the page's {@code versions} (PEP 700) when it had them; versions of files are added by the reader
 * @param etag the response's {@code ETag}, for revalidation
 * @param lastModified the response's {@code Last-Modified}, for revalidation
 */
public record UpstreamPage(
        List<UpstreamFile> files, List<String> versions, Optional<String> etag, Optional<String> lastModified) {
    public UpstreamPage {
        files = List.copyOf(files);
        versions = List.copyOf(versions);
        Objects.requireNonNull(etag);
        Objects.requireNonNull(lastModified);
    }
}
