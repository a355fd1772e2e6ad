package dev.wheelwright.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.FileProvenance;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.StoredFile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The provenance of built files, signed: each file a build stored has an in-toto v1 statement with a SLSA provenance
 * v1 predicate, signed with the server's {@link SigningKey} over the DSSE pre-authentication encoding and served in a
 * PEP 740 provenance object, our public key where PyPI has a Sigstore certificate. Statements are made from the
 * stored record on each request, the same bytes every time (Ed25519 signatures are deterministic). Thread-safe.
 */
public final class ProvenanceService {
    /** in-toto Statement v1. */
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    /** SLSA provenance v1. */
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    /** What a Wheelwright build is: a PEP 517 build of a git tag (README: "Provenance"). */
    public static final String BUILD_TYPE = "urn:wheelwright:build-type:pep517-git-tag:v1";
    /** The suffix of a file's provenance URL. */
    public static final String SUFFIX = ".provenance";

    private final ProvenanceStore store;
    private final ProjectCatalog catalog;
    private final SigningKey key;
    private final ObjectMapper json;

    public ProvenanceService(ProvenanceStore store, ProjectCatalog catalog, SigningKey key, ObjectMapper json) {
        this.store = Objects.requireNonNull(store);
        this.catalog = Objects.requireNonNull(catalog);
        this.key = Objects.requireNonNull(key);
        this.json = Objects.requireNonNull(json);
    }

    /** The server's signing key. */
    public SigningKey key() {
        return key;
    }

    /**
     * The provenance of the project's stored files that were built here, by filename; files without any (uploads,
     * builds from before provenance was kept) are absent. Empty when the principal may not see the project.
     */
    public Map<String, BuildOrigin> origins(ProjectName project, Principal principal) {
        Map<String, BuildOrigin> origins = new LinkedHashMap<>();
        if (!principal.covers(project.normalized())) {
            return origins;
        }
        Map<String, String> stored = new LinkedHashMap<>();
        for (StoredFile f : catalog.files(project)) {
            stored.put(f.filename(), f.sha256());
        }
        for (FileProvenance p : store.provenanceOf(project)) {
            if (p.sha256().equals(stored.get(p.filename()))) {
                origins.put(p.filename(), origin(p));
            }
        }
        return origins;
    }

    /**
     * The PEP 740 provenance object of a stored file built here, as JSON; {@link ProvenanceNotFoundException} when
     * the file is not stored, not visible to the principal, or has no provenance.
     */
    public byte[] provenanceObject(ProjectName project, String filename, Principal principal) {
        FileProvenance p = find(project, filename, principal);
        byte[] statement = write(statement(p));
        byte[] signature = key.sign(Dsse.pae(Dsse.IN_TOTO, statement));
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("statement", base64.encodeToString(statement));
        envelope.put("signature", base64.encodeToString(signature));
        Map<String, Object> material = new LinkedHashMap<>();
        material.put("certificate", base64.encodeToString(key.publicKeyDer()));
        material.put("transparency_entries", List.of());
        material.put("key_id", key.keyId());
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("version", 1);
        attestation.put("verification_material", material);
        attestation.put("envelope", envelope);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("repository", p.source().repository());
        claims.put("ref", "refs/tags/" + p.source().tag());
        claims.put("commit", p.source().commit());
        Map<String, Object> publisher = new LinkedHashMap<>();
        publisher.put("kind", "wheelwright");
        publisher.put("claims", claims);
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("publisher", publisher);
        bundle.put("attestations", List.of(attestation));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("version", 1);
        object.put("attestation_bundles", List.of(bundle));
        return write(object);
    }

    private FileProvenance find(ProjectName project, String filename, Principal principal) {
        Optional<StoredFile> file =
                principal.covers(project.normalized()) ? catalog.file(project, filename) : Optional.empty();
        return file.flatMap(
                        f -> store.provenance(filename).filter(p -> p.sha256().equals(f.sha256())))
                .orElseThrow(() -> new ProvenanceNotFoundException("No provenance of " + filename + " in project "
                        + project.normalized() + ": only files this index built from git have one."));
    }

    /** The in-toto v1 statement of a built file, with its SLSA provenance v1 predicate. */
    static Map<String, Object> statement(FileProvenance p) {
        Map<String, Object> external = new LinkedHashMap<>();
        external.put("repository", p.source().repository());
        external.put("ref", "refs/tags/" + p.source().tag());
        p.source().subdirectory().ifPresent(s -> external.put("subdirectory", s));
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("id", p.builder().environmentId());
        environment.put("requires", p.builder().requires());
        Map<String, Object> internal = new LinkedHashMap<>();
        internal.put("buildBackend", p.builder().backend());
        internal.put("buildEnvironment", environment);
        Map<String, Object> gitDigest = new LinkedHashMap<>();
        gitDigest.put("gitCommit", p.source().commit());
        p.source().tagObject().ifPresent(t -> gitDigest.put("gitTag", t));
        Map<String, Object> git = new LinkedHashMap<>();
        git.put(
                "uri",
                "git+" + p.source().repository() + "@refs/tags/" + p.source().tag());
        git.put("digest", gitDigest);
        git.put("annotations", Map.of("exportedTreeSha256", p.source().treeSha256()));
        List<Object> dependencies = new ArrayList<>();
        dependencies.add(git);
        for (String installed : p.builder().installed()) {
            int eq = installed.indexOf("==");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", installed);
            if (eq > 0) {
                d.put(
                        "uri",
                        "pkg:pypi/" + purlName(installed.substring(0, eq)) + "@"
                                + URLEncoder.encode(installed.substring(eq + 2), StandardCharsets.UTF_8));
            }
            dependencies.add(d);
        }
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("buildType", BUILD_TYPE);
        definition.put("externalParameters", external);
        definition.put("internalParameters", internal);
        definition.put("resolvedDependencies", dependencies);
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("wheelwright", p.builder().wheelwright());
        p.builder().backendVersion().ifPresent(v -> version.put(p.builder().backend(), v));
        p.builder().python().ifPresent(v -> version.put("python", v));
        Map<String, Object> builder = new LinkedHashMap<>();
        builder.put("id", "urn:wheelwright:builder:" + p.builder().host());
        builder.put("version", version);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("startedOn", p.started().toString());
        metadata.put("finishedOn", p.finished().toString());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("builder", builder);
        run.put("metadata", metadata);
        Map<String, Object> predicate = new LinkedHashMap<>();
        predicate.put("buildDefinition", definition);
        predicate.put("runDetails", run);
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("name", p.filename());
        subject.put("digest", Map.of("sha256", p.sha256()));
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("_type", STATEMENT_TYPE);
        statement.put("subject", List.of(subject));
        statement.put("predicateType", PREDICATE_TYPE);
        statement.put("predicate", predicate);
        return statement;
    }

    /** A PEP 503 normalized name, as package URLs spell PyPI names. */
    private static String purlName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    private static BuildOrigin origin(FileProvenance p) {
        FileProvenance.Source src = p.source();
        FileProvenance.Builder b = p.builder();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("repository", src.repository());
        source.put("tag", src.tag());
        source.put("tag_object", src.tagObject().orElse(null));
        source.put("commit", src.commit());
        source.put("subdirectory", src.subdirectory().orElse(null));
        source.put("sha256", src.treeSha256());
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("id", b.environmentId());
        environment.put("requires", b.requires());
        environment.put("installed", b.installed());
        Map<String, Object> builder = new LinkedHashMap<>();
        builder.put("wheelwright", b.wheelwright());
        builder.put("host", b.host());
        builder.put("backend", b.backend());
        builder.put("backend_version", b.backendVersion().orElse(null));
        builder.put("python", b.python().orElse(null));
        builder.put("environment", environment);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", source);
        record.put("builder", builder);
        record.put("started", p.started().toString());
        record.put("finished", p.finished().toString());
        List<BuildOrigin.Fact> facts = new ArrayList<>();
        facts.add(new BuildOrigin.Fact("Repository", src.repository()));
        src.subdirectory().ifPresent(d -> facts.add(new BuildOrigin.Fact("Subdirectory", d)));
        facts.add(new BuildOrigin.Fact("Tag", src.tag()));
        facts.add(new BuildOrigin.Fact("Tag object", src.tagObject().orElse("none (a lightweight tag)")));
        facts.add(new BuildOrigin.Fact("Commit", src.commit()));
        facts.add(new BuildOrigin.Fact("Sources exported (sha256)", src.treeSha256()));
        facts.add(new BuildOrigin.Fact("Wheelwright", b.wheelwright() + " on " + b.host()));
        facts.add(new BuildOrigin.Fact(
                "Build backend",
                b.backend() + b.backendVersion().map(v -> " " + v).orElse("")));
        b.python().ifPresent(v -> facts.add(new BuildOrigin.Fact("Python", v)));
        facts.add(new BuildOrigin.Fact("Build environment", b.environmentId()));
        facts.add(new BuildOrigin.Fact("Requires", String.join(", ", b.requires())));
        facts.add(new BuildOrigin.Fact("Installed", String.join(", ", b.installed())));
        facts.add(new BuildOrigin.Fact("Built", p.started() + " to " + p.finished()));
        return new BuildOrigin(record, facts);
    }

    private byte[] write(Object doc) {
        try {
            return json.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }
}
