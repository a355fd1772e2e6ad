package dev.wheelwright.upstream;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One file as an upstream project page lists it (PEP 503 anchor or PEP 691 file object).
 *
 * @param filename the anchor text / {@code filename}
 * @param url absolute URL of the file at the upstream (relative hrefs already resolved against the page URL)
 * @param sha256 lower-case hex sha256 the upstream gives for the file
 * @param requiresPython {@code data-requires-python} / {@code requires-python}
 * @param yanked present when yanked (PEP 592); the reason, possibly empty
 * @param coreMetadata present when the upstream serves {@code <url>.metadata} (PEP 658/714): the sha256 of it, or
 *     the empty string when the upstream gives no hash
 * @param size size in bytes when the upstream says (PEP 700; JSON only)
 * @param uploadTime upload time when the upstream says (PEP 700; JSON only)
 */
public record UpstreamFile(
        String filename,
        URI url,
        String sha256,
        Optional<String> requiresPython,
        Optional<String> yanked,
        Optional<String> coreMetadata,
        Optional<Long> size,
        Optional<Instant> uploadTime) {
    public UpstreamFile {
        Objects.requireNonNull(filename);
        Objects.requireNonNull(url);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(requiresPython);
        Objects.requireNonNull(yanked);
        Objects.requireNonNull(coreMetadata);
        Objects.requireNonNull(size);
        Objects.requireNonNull(uploadTime);
    }
}
