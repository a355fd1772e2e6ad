package dev.wheelwright.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.index.ListedFile;
import dev.wheelwright.index.ProjectList;
import dev.wheelwright.index.ProjectListing;
import dev.wheelwright.index.ProjectRevision;
import dev.wheelwright.index.ProjectSummary;
import dev.wheelwright.provenance.ProvenanceService;
import dev.wheelwright.upstream.ProxiedFile;
import dev.wheelwright.upstream.ProxiedListing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Renders simple pages (PEP 503 HTML, PEP 691 JSON, api-version 1.4) and keeps rendered project pages in memory,
 * keyed by project and media type and valid while the project's revision is unchanged. Thread-safe.
 */
final class SimplePages {
    static final String API_VERSION = "1.4";
    private static final DateTimeFormatter UPLOAD_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;
    private final String filesBase;
    /**
     * How many bytes of rendered pages are kept (bodies, and a quarter more for their gzip): the least recently used
     * go first, so a large index fits a small heap and the pages pip asks for stay.
     */
    static final long CACHE_BYTES = 32L * 1024 * 1024;

    private final Cache<String, Rendered> cache = Caffeine.newBuilder()
            .maximumWeight(CACHE_BYTES)
            .weigher((String key, Rendered page) -> page.body().length + page.body().length / 4 + 256)
            .build();

    /**
     * A rendered page: its body, a strong ETag of it, and the gzip-encoded body (made on first use, then kept with the
     * page) with an ETag of its own, since it is another representation (RFC 9110 §8.8.3).
     */
    static final class Rendered {
        private final long revision;
        private final byte[] body;
        private final String etag;
        private volatile byte[] gzip;

        Rendered(long revision, byte[] body) {
            this.revision = revision;
            this.body = body;
            this.etag = SimplePages.etag(body);
        }

        long revision() {
            return revision;
        }

        byte[] body() {
            return body;
        }

        String etag() {
            return etag;
        }

        /** The ETag of the gzip representation: the identity ETag with {@code -gzip} inside the quotes. */
        String gzipEtag() {
            return etag.substring(0, etag.length() - 1) + "-gzip\"";
        }

        byte[] gzip() {
            byte[] encoded = gzip;
            if (encoded == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
                try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
                    z.write(body);
                } catch (IOException e) {
                    throw new UncheckedIOException("gzip into memory cannot fail", e);
                }
                encoded = out.toByteArray();
                gzip = encoded;
            }
            return encoded;
        }
    }

    /** @param baseUrl the public base URL without trailing slash, or empty for root-relative links */
    SimplePages(ObjectMapper json, Optional<String> baseUrl) {
        this.json = Objects.requireNonNull(json);
        this.filesBase = baseUrl.map(u -> u.replaceAll("/+$", "")).orElse("") + "/files/";
    }

    /** The project page, from the cache when {@code project.revision()} is unchanged. */
    Rendered project(ProjectRevision project, MediaTypes type, Supplier<ProjectListing> listing) {
        String key = project.name().normalized() + "\n" + type.name();
        Rendered cached = cache.getIfPresent(key);
        if (cached != null && cached.revision() == project.revision()) {
            return cached;
        }
        ProjectListing l = listing.get();
        Rendered rendered = render(
                l.project().name().normalized(),
                rows(l),
                l.versions(),
                type,
                l.project().revision());
        cache.put(key, rendered);
        return rendered;
    }

    /** The page of a project served from an upstream, from the cache while {@code listing.revision()} is unchanged. */
    Rendered proxied(ProxiedListing listing, MediaTypes type) {
        String key = "upstream\n" + listing.project() + "\n" + type.name();
        Rendered cached = cache.getIfPresent(key);
        if (cached != null && cached.revision() == listing.revision()) {
            return cached;
        }
        List<Row> rows = new ArrayList<>(listing.files().size());
        listing.files().forEach(f -> rows.add(row(f)));
        Rendered rendered = render(listing.project(), rows, listing.versions(), type, listing.revision());
        cache.put(key, rendered);
        return rendered;
    }

    /** The page of a local project opted in to upstream files: local files first, upstream files of other names. */
    Rendered merged(ProjectListing local, ProxiedListing upstream, MediaTypes type) {
        List<Row> rows = new ArrayList<>(rows(local));
        java.util.Set<String> names = new java.util.HashSet<>();
        rows.forEach(r -> names.add(r.filename()));
        for (ProxiedFile f : upstream.files()) {
            if (names.add(f.filename())) {
                rows.add(row(f));
            }
        }
        java.util.TreeMap<dev.wheelwright.python.Version, String> versions = new java.util.TreeMap<>();
        for (String v : local.versions()) {
            versions.putIfAbsent(dev.wheelwright.python.Version.parse(v), v);
        }
        for (String v : upstream.versions()) {
            versions.putIfAbsent(dev.wheelwright.python.Version.parse(v), v);
        }
        return render(local.project().name().normalized(), rows, List.copyOf(versions.values()), type, 0);
    }

    /** One file line of a page, whatever its source; unknown size or upload time are left out. */
    private record Row(
            String filename,
            String url,
            String sha256,
            Optional<String> requiresPython,
            Optional<String> yanked,
            Optional<String> metadataSha256,
            Optional<Long> size,
            Optional<Instant> uploadTime,
            Optional<String> provenance) {}

    private List<Row> rows(ProjectListing l) {
        List<Row> rows = new ArrayList<>(l.files().size());
        for (ListedFile f : l.files()) {
            rows.add(new Row(
                    f.filename(),
                    fileUrl(f),
                    f.sha256(),
                    f.requiresPython(),
                    f.yankedReason(),
                    f.metadataSha256(),
                    Optional.of(f.size()),
                    Optional.of(f.uploadTime()),
                    f.provenance() ? Optional.of(fileUrl(f) + ProvenanceService.SUFFIX) : Optional.empty()));
        }
        return rows;
    }

    private Row row(ProxiedFile f) {
        return new Row(
                f.filename(),
                filesBase + UrlPaths.segment(f.project()) + "/" + UrlPaths.segment(f.filename()),
                f.sha256(),
                f.requiresPython(),
                f.yanked(),
                f.metadataSha256(),
                f.size(),
                f.uploadTime(),
                Optional.empty());
    }

    private Rendered render(String name, List<Row> rows, List<String> versions, MediaTypes type, long revision) {
        // PEP 700 makes size mandatory from api 1.1: a page with a file of unknown size (HTML upstream) claims 1.0
        String apiVersion = rows.stream().allMatch(r -> r.size().isPresent()) ? API_VERSION : "1.0";
        byte[] body = type.isJson()
                ? projectJson(name, rows, versions, apiVersion)
                : projectHtml(name, rows, apiVersion).getBytes(StandardCharsets.UTF_8);
        return new Rendered(revision, body);
    }

    /** The root page; kept in memory per media type while the list's version is unchanged (unversioned: never). */
    Rendered root(ProjectList list, MediaTypes type) {
        String key = "/\n" + type.name(); // no project name contains "/"
        if (list.version().isPresent()) {
            Rendered cached = cache.getIfPresent(key);
            if (cached != null && cached.revision() == list.version().getAsLong()) {
                return cached;
            }
        }
        List<ProjectSummary> projects = list.projects();
        byte[] body = type.isJson() ? rootJson(projects) : rootHtml(projects).getBytes(StandardCharsets.UTF_8);
        Rendered rendered = new Rendered(list.version().orElse(-1), body);
        if (list.version().isPresent()) {
            cache.put(key, rendered);
        }
        return rendered;
    }

    String fileUrl(ListedFile f) {
        return filesBase + UrlPaths.segment(f.project().normalized()) + "/" + UrlPaths.segment(f.filename());
    }

    private String rootHtml(List<ProjectSummary> projects) {
        StringBuilder sb = new StringBuilder(64 * projects.size() + 256);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n")
                .append("    <meta name=\"pypi:repository-version\" content=\"" + API_VERSION + "\">\n")
                .append("    <title>Simple index</title>\n  </head>\n  <body>\n");
        for (ProjectSummary p : projects) {
            sb.append("    <a href=\"/simple/")
                    .append(Html.attr(UrlPaths.segment(p.name().normalized())))
                    .append("/\">")
                    .append(Html.text(p.displayName()))
                    .append("</a>\n");
        }
        return sb.append("  </body>\n</html>\n").toString();
    }

    private byte[] rootJson(List<ProjectSummary> projects) {
        List<Map<String, Object>> list = new ArrayList<>(projects.size());
        for (ProjectSummary p : projects) {
            list.add(Map.of("name", p.displayName()));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("meta", Map.of("api-version", API_VERSION));
        doc.put("projects", list);
        return write(doc);
    }

    private String projectHtml(String name, List<Row> rows, String apiVersion) {
        StringBuilder sb = new StringBuilder(320 * rows.size() + 512);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n")
                .append("    <meta name=\"pypi:repository-version\" content=\"" + apiVersion + "\">\n")
                .append("    <meta name=\"pypi:project-status\" content=\"active\">\n")
                .append("    <title>Links for ")
                .append(Html.text(name))
                .append("</title>\n  </head>\n  <body>\n    <h1>Links for ")
                .append(Html.text(name))
                .append("</h1>\n");
        for (Row f : rows) {
            sb.append("    <a href=\"")
                    .append(Html.attr(f.url() + "#sha256=" + f.sha256()))
                    .append('"');
            f.requiresPython()
                    .ifPresent(rp -> sb.append(" data-requires-python=\"")
                            .append(Html.attr(rp))
                            .append('"'));
            f.yanked()
                    .ifPresent(reason -> sb.append(" data-yanked=\"")
                            .append(Html.attr(reason))
                            .append('"'));
            f.metadataSha256().ifPresent(sha -> {
                String value = sha.isEmpty() ? "true" : "sha256=" + sha;
                sb.append(" data-core-metadata=\"")
                        .append(Html.attr(value))
                        .append("\" data-dist-info-metadata=\"")
                        .append(Html.attr(value))
                        .append('"');
            });
            f.provenance() // PEP 740
                    .ifPresent(url -> sb.append(" data-provenance=\"")
                            .append(Html.attr(url))
                            .append('"'));
            sb.append('>').append(Html.text(f.filename())).append("</a><br />\n");
        }
        return sb.append("  </body>\n</html>\n").toString();
    }

    private byte[] projectJson(String name, List<Row> rows, List<String> versions, String apiVersion) {
        List<Map<String, Object>> files = new ArrayList<>(rows.size());
        for (Row f : rows) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("filename", f.filename());
            file.put("url", f.url());
            file.put("hashes", Map.of("sha256", f.sha256()));
            file.put("requires-python", f.requiresPython().orElse(null));
            f.size().ifPresent(size -> file.put("size", size));
            f.uploadTime().ifPresent(t -> file.put("upload-time", UPLOAD_TIME.format(t)));
            file.put(
                    "yanked",
                    f.yanked().<Object>map(r -> r.isEmpty() ? Boolean.TRUE : r).orElse(Boolean.FALSE));
            file.put(
                    "core-metadata",
                    f.metadataSha256()
                            .<Object>map(sha -> sha.isEmpty() ? Boolean.TRUE : Map.of("sha256", sha))
                            .orElse(Boolean.FALSE));
            f.provenance().ifPresent(url -> file.put("provenance", url)); // PEP 740
            files.add(file);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("meta", Map.of("api-version", apiVersion));
        doc.put("name", name);
        doc.put("project-status", Map.of("status", "active"));
        doc.put("versions", versions);
        doc.put("files", files);
        return write(doc);
    }

    private byte[] write(Object doc) {
        try {
            return json.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }

    /** A strong ETag: the first 128 bits of the body's SHA-256. */
    static String etag(byte[] body) {
        return "\"" + Sha256.hex(body).substring(0, 32) + "\"";
    }
}
