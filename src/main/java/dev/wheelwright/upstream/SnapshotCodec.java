package dev.wheelwright.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of a stored upstream snapshot: our own JSON of a parsed page (its files and versions), independent of the
 * upstream's format, so a restart serves the page without asking the upstream. Absent fields are left out.
 */
final class SnapshotCodec {
    private final ObjectMapper json;

    SnapshotCodec(ObjectMapper json) {
        this.json = Objects.requireNonNull(json);
    }

    /** A decoded snapshot body. */
    record Decoded(List<UpstreamFile> files, List<String> versions) {}

    /** The stored form of one file; null stands for "not given". */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record FileBody(
            String filename,
            String url,
            String sha256,
            @JsonProperty("requires-python") String requiresPython,
            String yanked,
            @JsonProperty("core-metadata") String coreMetadata,
            Long size,
            @JsonProperty("upload-time") String uploadTime) {}

    private record Body(List<FileBody> files, List<String> versions) {}

    String encode(UpstreamPage page) {
        List<FileBody> files = page.files().stream()
                .map(f -> new FileBody(
                        f.filename(),
                        f.url().toString(),
                        f.sha256(),
                        f.requiresPython().orElse(null),
                        f.yanked().orElse(null),
                        f.coreMetadata().orElse(null),
                        f.size().orElse(null),
                        f.uploadTime().map(Instant::toString).orElse(null)))
                .toList();
        try {
            return json.writeValueAsString(new Body(files, page.versions()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a snapshot body always serializes", e);
        }
    }

    Decoded decode(String body) {
        Body doc;
        try {
            doc = json.readValue(body, Body.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a stored upstream snapshot is not JSON", e);
        }
        List<UpstreamFile> files = doc.files() == null
                ? List.of()
                : doc.files().stream()
                        .map(f -> new UpstreamFile(
                                f.filename(),
                                URI.create(f.url()),
                                f.sha256(),
                                Optional.ofNullable(f.requiresPython()),
                                Optional.ofNullable(f.yanked()),
                                Optional.ofNullable(f.coreMetadata()),
                                Optional.ofNullable(f.size()),
                                Optional.ofNullable(f.uploadTime()).map(Instant::parse)))
                        .toList();
        return new Decoded(files, doc.versions() == null ? List.of() : List.copyOf(doc.versions()));
    }
}
