package dev.wheelwright.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.index.ProjectListing;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StoredFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

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
    private final Map<String, Rendered> cache = new ConcurrentHashMap<>();

    /** A rendered page: body bytes and a strong ETag of them. */
    record Rendered(long revision, byte[] body, String etag) {}

    /** @param baseUrl the public base URL without trailing slash, or empty for root-relative links */
    SimplePages(ObjectMapper json, Optional<String> baseUrl) {
        this.json = Objects.requireNonNull(json);
        this.filesBase = baseUrl.map(u -> u.replaceAll("/+$", "")).orElse("") + "/files/";
    }

    /** The project page, from the cache when {@code project.revision()} is unchanged. */
    Rendered project(ProjectRecord project, MediaTypes type, Supplier<ProjectListing> listing) {
        String key = project.name() + "\n" + type.name();
        Rendered cached = cache.get(key);
        if (cached != null && cached.revision() == project.revision()) {
            return cached;
        }
        ProjectListing l = listing.get();
        byte[] body = type.isJson() ? projectJson(l) : projectHtml(l).getBytes(StandardCharsets.UTF_8);
        Rendered rendered = new Rendered(l.project().revision(), body, etag(body));
        cache.put(key, rendered);
        return rendered;
    }

    Rendered root(List<ProjectRecord> projects, MediaTypes type) {
        byte[] body = type.isJson() ? rootJson(projects) : rootHtml(projects).getBytes(StandardCharsets.UTF_8);
        return new Rendered(0, body, etag(body));
    }

    String fileUrl(StoredFile f) {
        return filesBase + UrlPaths.segment(f.project()) + "/" + UrlPaths.segment(f.filename());
    }

    private String rootHtml(List<ProjectRecord> projects) {
        StringBuilder sb = new StringBuilder(64 * projects.size() + 256);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n")
                .append("    <meta name=\"pypi:repository-version\" content=\"" + API_VERSION + "\">\n")
                .append("    <title>Simple index</title>\n  </head>\n  <body>\n");
        for (ProjectRecord p : projects) {
            sb.append("    <a href=\"/simple/")
                    .append(Html.attr(UrlPaths.segment(p.name())))
                    .append("/\">")
                    .append(Html.text(p.displayName()))
                    .append("</a>\n");
        }
        return sb.append("  </body>\n</html>\n").toString();
    }

    private byte[] rootJson(List<ProjectRecord> projects) {
        List<Map<String, Object>> list = new ArrayList<>(projects.size());
        for (ProjectRecord p : projects) {
            list.add(Map.of("name", p.displayName()));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("meta", Map.of("api-version", API_VERSION));
        doc.put("projects", list);
        return write(doc);
    }

    private String projectHtml(ProjectListing l) {
        String name = l.project().name();
        StringBuilder sb = new StringBuilder(320 * l.files().size() + 512);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n")
                .append("    <meta name=\"pypi:repository-version\" content=\"" + API_VERSION + "\">\n")
                .append("    <meta name=\"pypi:project-status\" content=\"active\">\n")
                .append("    <title>Links for ")
                .append(Html.text(name))
                .append("</title>\n  </head>\n  <body>\n    <h1>Links for ")
                .append(Html.text(name))
                .append("</h1>\n");
        for (StoredFile f : l.files()) {
            sb.append("    <a href=\"")
                    .append(Html.attr(fileUrl(f) + "#sha256=" + f.sha256()))
                    .append('"');
            f.requiresPython().ifPresent(rp -> sb.append(" data-requires-python=\"").append(Html.attr(rp)).append('"'));
            f.yankedReason().ifPresent(reason -> sb.append(" data-yanked=\"").append(Html.attr(reason)).append('"'));
            f.metadataSha256().ifPresent(sha -> sb.append(" data-core-metadata=\"sha256=")
                    .append(sha)
                    .append("\" data-dist-info-metadata=\"sha256=")
                    .append(sha)
                    .append('"'));
            sb.append('>').append(Html.text(f.filename())).append("</a><br />\n");
        }
        return sb.append("  </body>\n</html>\n").toString();
    }

    private byte[] projectJson(ProjectListing l) {
        List<Map<String, Object>> files = new ArrayList<>(l.files().size());
        for (StoredFile f : l.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("filename", f.filename());
            file.put("url", fileUrl(f));
            file.put("hashes", Map.of("sha256", f.sha256()));
            file.put("requires-python", f.requiresPython().orElse(null));
            file.put("size", f.size());
            file.put("upload-time", UPLOAD_TIME.format(f.uploadTime()));
            file.put("yanked", f.yankedReason().<Object>map(r -> r.isEmpty() ? Boolean.TRUE : r).orElse(Boolean.FALSE));
            file.put("core-metadata", f.metadataSha256().<Object>map(sha -> Map.of("sha256", sha)).orElse(Boolean.FALSE));
            files.add(file);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("meta", Map.of("api-version", API_VERSION));
        doc.put("name", l.project().name());
        doc.put("project-status", Map.of("status", "active"));
        doc.put("versions", l.versions());
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

    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
