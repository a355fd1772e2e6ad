package dev.wheelwright.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.PostgresDatabase;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * #9: provenance of files built from real git repositories by real PEP 517 builds, checked by verifiers that share no
 * code with the server's signing: the JDK's Ed25519 over a PAE computed here, and Python's {@code cryptography}.
 */
class ProvenanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BUILD_WAIT = Duration.ofMinutes(4);
    private static final String JSON_PAGE = "application/vnd.pypi.simple.v1+json";

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @TempDir
    Path dir;

    @Test
    void a_built_file_has_a_signed_statement_that_independent_verifiers_accept() throws Exception {
        Path monoDir = dir.resolve("repos/mono");
        SourceProjects.hatchling(monoDir.resolve("libs"), "prov-a", "1.0.0");
        GitFixture mono = GitFixture.over(monoDir);
        GitFixture plain = GitFixture.over(SourceProjects.hatchling(dir.resolve("repos"), "prov-b", "2.0.0"));
        String config = "build: {index-url: \"file:///opt/pypi/simple\", workers: 2}\n"
                + "git:\n  poll-interval: 0s\n  listing-wait: 14s\n  projects:\n"
                + "    - { name: prov-a, url: \"" + mono.url() + "\", subdirectory: libs/prov-a }\n"
                + "    - { name: prov-b, url: \"" + plain.url() + "\" }\n";
        mono.annotatedTag("v1.0.0", Instant.parse("2026-02-01T10:00:00Z"));
        plain.tag("v2.0.0");
        String commitA = head(monoDir);
        String tagObjectA = tagObject(monoDir, "v1.0.0");

        try (TestServer server = TestServer.start(dir.resolve("data"), config)) {
            JsonNode page = builtPage(server, "prov-a");
            JsonNode key = JSON.readTree(server.get("/api/v1/signing-key").body());

            assertThat(key.get("algorithm").asText()).isEqualTo("Ed25519");
            assertThat(page.get("files")).hasSize(2);
            for (JsonNode file : page.get("files")) {
                String filename = file.get("filename").asText();
                byte[] bytes = server.get(path(file.get("url").asText())).body();
                String provenanceUrl = file.get("provenance").asText();
                assertThat(provenanceUrl).endsWith("/files/prov-a/" + filename + ".provenance");
                HttpResponse<byte[]> served = server.get(path(provenanceUrl));
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("application/json");

                // PEP 740 shape, our key where PyPI has a certificate
                JsonNode object = JSON.readTree(served.body());
                assertThat(object.get("version").asInt()).isEqualTo(1);
                JsonNode bundle = object.get("attestation_bundles").get(0);
                assertThat(bundle.get("publisher").get("kind").asText()).isEqualTo("wheelwright");
                JsonNode attestation = bundle.get("attestations").get(0);
                assertThat(attestation.get("version").asInt()).isEqualTo(1);
                assertThat(attestation
                                .get("verification_material")
                                .get("certificate")
                                .asText())
                        .isEqualTo(key.get("public_key").asText());
                byte[] statementBytes = Base64.getDecoder()
                        .decode(attestation.get("envelope").get("statement").asText());
                byte[] signature = Base64.getDecoder()
                        .decode(attestation.get("envelope").get("signature").asText());

                // the signature verifies with the published key, twice independently; a changed byte does not
                assertThat(jdkVerifies(key, statementBytes, signature)).isTrue();
                byte[] tampered = statementBytes.clone();
                tampered[tampered.length / 2] ^= 1;
                assertThat(jdkVerifies(key, tampered, signature)).isFalse();
                assertThat(pythonVerifies(key, statementBytes, signature)).isEqualTo("verified");
                assertThat(pythonVerifies(key, tampered, signature)).isEqualTo("InvalidSignature");

                // the statement: in-toto v1, subject digest = the file's sha256, SLSA provenance v1
                JsonNode statement = JSON.readTree(statementBytes);
                assertThat(statement.get("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
                assertThat(statement.get("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
                JsonNode subject = statement.get("subject").get(0);
                assertThat(subject.get("name").asText()).isEqualTo(filename);
                assertThat(subject.get("digest").get("sha256").asText()).isEqualTo(sha256(bytes));
                assertThat(file.get("hashes").get("sha256").asText()).isEqualTo(sha256(bytes));
                JsonNode definition = statement.get("predicate").get("buildDefinition");
                assertThat(definition
                                .get("externalParameters")
                                .get("repository")
                                .asText())
                        .isEqualTo(mono.url());
                assertThat(definition.get("externalParameters").get("ref").asText())
                        .isEqualTo("refs/tags/v1.0.0");
                assertThat(definition
                                .get("externalParameters")
                                .get("subdirectory")
                                .asText())
                        .isEqualTo("libs/prov-a");
                JsonNode git = definition.get("resolvedDependencies").get(0);
                assertThat(git.get("digest").get("gitCommit").asText()).isEqualTo(commitA);
                assertThat(git.get("digest").get("gitTag").asText()).isEqualTo(tagObjectA);
                assertThat(git.get("annotations").get("exportedTreeSha256").asText())
                        .isEqualTo(treeDigestWithCoreutils(monoDir));
                JsonNode run = statement.get("predicate").get("runDetails");
                assertThat(run.get("builder").get("version").get("wheelwright").asText())
                        .matches("[0-9]+\\.[0-9]+\\.[0-9]+.*");
                Instant started =
                        Instant.parse(run.get("metadata").get("startedOn").asText());
                Instant finished =
                        Instant.parse(run.get("metadata").get("finishedOn").asText());
                assertThat(started).isBeforeOrEqualTo(finished);
            }

            // the same on the HTML page
            String html = new String(server.get("/simple/prov-a/").body(), StandardCharsets.UTF_8);
            assertThat(html)
                    .contains("data-provenance=\""
                            + page.get("files").get(0).get("provenance").asText() + "\"");

            // the JSON API: every recorded fact, who stored the file and when
            JsonNode files = JSON.readTree(
                    server.get("/api/v1/projects/prov-a/1.0.0/files").body());
            JsonNode first = files.get("files").get(0);
            assertThat(first.get("uploaded_by").asText()).isEqualTo("build");
            assertThat(first.get("upload_time").asText()).isNotBlank();
            JsonNode recorded = first.get("provenance");
            assertThat(recorded.get("source").get("repository").asText()).isEqualTo(mono.url());
            assertThat(recorded.get("source").get("tag").asText()).isEqualTo("v1.0.0");
            assertThat(recorded.get("source").get("tag_object").asText()).isEqualTo(tagObjectA);
            assertThat(recorded.get("source").get("commit").asText()).isEqualTo(commitA);
            assertThat(recorded.get("source").get("subdirectory").asText()).isEqualTo("libs/prov-a");
            assertThat(recorded.get("source").get("sha256").asText()).isEqualTo(treeDigestWithCoreutils(monoDir));
            JsonNode builder = recorded.get("builder");
            assertThat(builder.get("backend").asText()).isEqualTo("hatchling.build");
            String hatchling = builder.get("backend_version").asText();
            assertThat(builder.get("environment").get("id").asText()).matches("[0-9a-f]{64}");
            assertThat(JSON.convertValue(builder.get("environment").get("requires"), List.class))
                    .containsExactly("hatchling");
            assertThat(JSON.convertValue(builder.get("environment").get("installed"), List.class))
                    .contains("hatchling==" + hatchling);
            assertThat(first.get("provenance_url").asText()).endsWith(".provenance");

            // the release page shows it
            String release = new String(server.get("/project/prov-a/1.0.0/").body(), StandardCharsets.UTF_8);
            assertThat(release)
                    .contains(
                            "id=\"provenance\"",
                            commitA,
                            tagObjectA,
                            builder.get("environment").get("id").asText(),
                            "libs/prov-a");

            // a lightweight tag at the repository's root: no tag object, no subdirectory
            builtPage(server, "prov-b");
            JsonNode b = JSON.readTree(
                            server.get("/api/v1/projects/prov-b/2.0.0/files").body())
                    .get("files")
                    .get(0)
                    .get("provenance")
                    .get("source");
            assertThat(b.get("tag_object").isNull()).isTrue();
            assertThat(b.get("subdirectory").isNull()).isTrue();
            assertThat(b.get("commit").asText()).isEqualTo(head(plain.dir()));
        }
    }

    @Test
    void a_hosted_upload_says_who_uploaded_it_and_when_and_has_no_provenance() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            String token = server.token("release-bot", Scope.UPLOAD);
            Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist")), "hosted-demo", "1.0", "2.1");
            assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                    .isEqualTo(200);

            JsonNode file = JSON.readTree(
                            server.get("/api/v1/projects/hosted-demo/1.0/files").body())
                    .get("files")
                    .get(0);
            HttpResponse<byte[]> provenance = server.get("/files/hosted-demo/" + wheel.getFileName() + ".provenance");
            JsonNode page = JSON.readTree(
                    server.get("/simple/hosted-demo/", "Accept", JSON_PAGE).body());
            String html = new String(server.get("/simple/hosted-demo/").body(), StandardCharsets.UTF_8);

            assertThat(file.get("uploaded_by").asText()).isEqualTo("release-bot");
            assertThat(Instant.parse(file.get("upload_time").asText()))
                    .isBetween(Instant.now().minusSeconds(120), Instant.now());
            assertThat(file.get("provenance").isNull()).isTrue();
            assertThat(provenance.statusCode()).isEqualTo(404);
            assertThat(new String(provenance.body(), StandardCharsets.UTF_8))
                    .contains("only files this index built from git have one");
            assertThat(page.get("files").get(0).has("provenance")).isFalse();
            assertThat(html).doesNotContain("data-provenance");
            assertThat(server.get("/api/v1/projects/hosted-demo/9.9/files").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void the_signing_key_is_made_once_and_shared_by_restarts_and_replicas() throws Exception {
        String first;
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            first = JSON.readTree(server.get("/api/v1/signing-key").body())
                    .get("key_id")
                    .asText();
        }
        try (TestServer again = TestServer.start(dir.resolve("data"))) {
            assertThat(JSON.readTree(again.get("/api/v1/signing-key").body())
                            .get("key_id")
                            .asText())
                    .isEqualTo(first);
        }

        postgres.database().empty();
        try (TestServer a = TestServer.startOnPostgres(dir.resolve("a"), postgres.database(), "");
                TestServer b = TestServer.startOnPostgres(dir.resolve("b"), postgres.database(), "")) {
            JsonNode keyA = JSON.readTree(a.get("/api/v1/signing-key").body());
            JsonNode keyB = JSON.readTree(b.get("/api/v1/signing-key").body());

            assertThat(keyB).isEqualTo(keyA);
            assertThat(keyA.get("key_id").asText()).isNotEqualTo(first);
            assertThat(keyA.get("key_id").asText())
                    .isEqualTo(sha256(
                            Base64.getDecoder().decode(keyA.get("public_key").asText())));
        }
    }

    /** The JSON page of a git-backed project once its build stored both files (a page request queues the build). */
    private static JsonNode builtPage(TestServer server, String project) throws Exception {
        long deadline = System.nanoTime() + BUILD_WAIT.toNanos();
        while (true) {
            HttpResponse<byte[]> response = server.get("/simple/" + project + "/", "Accept", JSON_PAGE);
            if (response.statusCode() == 200) {
                JsonNode page = JSON.readTree(response.body());
                if (page.get("files").size() == 2) {
                    return page;
                }
            }
            JsonNode builds = JSON.readTree(
                    server.get("/api/v1/builds?project=" + project).body());
            if (builds.size() > 0 && builds.get(0).get("status").asText().equals("failed")) {
                throw new AssertionError("the build of " + project + " failed: " + builds.get(0));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no built files of " + project + " after " + BUILD_WAIT + ": " + builds);
            }
            Thread.sleep(500);
        }
    }

    private static boolean jdkVerifies(JsonNode key, byte[] statement, byte[] signature) throws Exception {
        PublicKey publicKey = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(
                        Base64.getDecoder().decode(key.get("public_key").asText())));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(pae("application/vnd.in-toto+json", statement));
        return verifier.verify(signature);
    }

    /** DSSE v1's PAE, written here from the spec (not the server's code). */
    private static byte[] pae(String type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(("DSSEv1 " + t.length + " " + type + " " + body.length + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Verifies with Python's cryptography (Debian's python3-cryptography): "verified" or the exception's name. */
    private String pythonVerifies(JsonNode key, byte[] statement, byte[] signature) throws Exception {
        Path work = Files.createTempDirectory(dir, "verify-");
        Files.writeString(work.resolve("key.pem"), key.get("pem").asText());
        Files.write(work.resolve("statement"), statement);
        Files.write(work.resolve("signature"), signature);
        String script = """
                import sys
                from cryptography.exceptions import InvalidSignature
                from cryptography.hazmat.primitives.serialization import load_pem_public_key
                d = sys.argv[1]
                key = load_pem_public_key(open(d + "/key.pem", "rb").read())
                body = open(d + "/statement", "rb").read()
                sig = open(d + "/signature", "rb").read()
                t = b"application/vnd.in-toto+json"
                pae = b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)
                try:
                    key.verify(sig, pae)
                    print("verified")
                except InvalidSignature:
                    print("InvalidSignature")
                """;
        return PythonTools.run(List.of("/usr/bin/python3", "-c", script, work.toString()), Map.of(), 60)
                .requireSuccess("verification with Python's cryptography")
                .output()
                .strip();
    }

    /** The documented digest of the exported tree, computed with coreutils over a clean checkout. */
    private static String treeDigestWithCoreutils(Path repo) throws Exception {
        return PythonTools.run(
                        List.of(
                                "bash",
                                "-c",
                                "cd \"$1\" && find . -path ./.git -prune -o -type f -printf '%P\\0' | LC_ALL=C sort -z"
                                        + " | xargs -0 sha256sum | sha256sum | cut -d' ' -f1",
                                "digest",
                                repo.toString()),
                        Map.of(),
                        60)
                .requireSuccess("sha256sum of the tree")
                .output()
                .strip();
    }

    private static String head(Path repo) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository().resolve("HEAD").name();
        }
    }

    private static String tagObject(Path repo, String tag) throws Exception {
        try (Git git = Git.open(repo.toFile())) {
            return git.getRepository()
                    .exactRef("refs/tags/" + tag)
                    .getObjectId()
                    .name();
        }
    }

    private static String path(String url) {
        Matcher m = Pattern.compile("^(https?://[^/]+)?(/.*)$").matcher(url);
        if (!m.matches()) {
            throw new AssertionError("not a URL: " + url);
        }
        return m.group(2);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
