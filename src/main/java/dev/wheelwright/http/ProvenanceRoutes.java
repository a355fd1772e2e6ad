package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.ProjectNotFoundException;
import dev.wheelwright.index.ProjectPage;
import dev.wheelwright.provenance.BuildOrigin;
import dev.wheelwright.provenance.ProvenanceService;
import dev.wheelwright.provenance.SigningKey;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON API of where files come from: {@code GET /api/v1/projects/NAME/VERSION/files} (every file of a release,
 * who uploaded it and when, and for a built file its provenance) and {@code GET /api/v1/signing-key} (the public key
 * provenance is signed with).
 */
record ProvenanceRoutes(IndexService index, ProvenanceService provenance, Access access) implements Routes {
    ProvenanceRoutes {
        Objects.requireNonNull(index);
        Objects.requireNonNull(provenance);
        Objects.requireNonNull(access);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/signing-key", this::signingKey);
        routes.get("/api/v1/projects/{project}/{version}/files", this::files);
    }

    private void signingKey(Context ctx) {
        access.reader(ctx);
        SigningKey key = provenance.key();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("algorithm", SigningKey.ALGORITHM);
        body.put("key_id", key.keyId());
        body.put("public_key", Base64.getEncoder().encodeToString(key.publicKeyDer()));
        body.put("pem", key.publicKeyPem());
        body.put("signature_over", "DSSE v1 PAE(\"application/vnd.in-toto+json\", statement)");
        ctx.json(body);
    }

    private void files(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        Version version = Version.parse(ctx.pathParam("version"));
        ProjectPage page = index.page(name, principal);
        ProjectPage.Release release = page.release(version.normalized())
                .orElseThrow(() -> new ProjectNotFoundException(
                        "No release " + version + " of project " + name.normalized() + " in this index."));
        Map<String, BuildOrigin> origins = provenance.origins(name, principal);
        List<Map<String, Object>> files = new ArrayList<>();
        for (ProjectPage.File f : release.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("filename", f.filename());
            file.put("url", WebRoutes.fileLink(name, f.filename()));
            file.put("sha256", f.sha256());
            file.put("size", f.size().orElse(null));
            file.put("upload_time", f.uploaded().map(Object::toString).orElse(null));
            file.put("uploaded_by", f.uploadedBy().orElse(null));
            BuildOrigin origin = origins.get(f.filename());
            file.put(
                    "provenance_url",
                    origin == null ? null : WebRoutes.fileLink(name, f.filename()) + ProvenanceService.SUFFIX);
            file.put("provenance", origin == null ? null : origin.record());
            files.add(file);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", name.normalized());
        body.put("version", release.version());
        body.put("files", files);
        ctx.json(body);
    }
}
