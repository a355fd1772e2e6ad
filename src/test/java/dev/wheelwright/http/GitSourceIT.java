package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.builds.BuildRequest;
import dev.wheelwright.builds.InMemoryBuilds;
import dev.wheelwright.source.WebhookSignature;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #3, git side: real git repositories (JGit, {@code file://} remotes), the real server in process, the
 * {@link InMemoryBuilds} double in place of real builds.
 */
class GitSourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "webhook-secret-for-tests";
    private static final String JSON_PAGE = "application/vnd.pypi.simple.v1+json";

    @TempDir
    Path data;

    @TempDir
    Path repos;

    @TempDir
    Path work;

    private TestServer server;
    private InMemoryBuilds builds;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String gitYaml) {
        builds = new InMemoryBuilds(work);
        server = TestServer.start(
                data,
                "git:\n  poll-interval: 0s\n" + gitYaml,
                Map.of("WEBHOOK_SECRET", SECRET),
                uploads -> builds.storingWith(uploads));
    }

    private static String project(String name, String url) {
        return "  projects:\n    - { name: " + name + ", url: \"" + url + "\" }\n";
    }

    @Test
    void lists_exactly_the_version_tags_submitted_newest_first_and_reports_ignored_tags() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        for (String tag : List.of("v0.9.0", "v1.0.0", "V1.1.0RC1", "1.2.0.post1", "not-a-version", "v2.0")) {
            origin.commit("release " + tag);
            origin.tag(tag);
        }
        start(project("demo", origin.url()));

        JsonNode tags =
                awaitJson("/api/v1/projects/demo/tags", t -> t.get("tags").size() == 6);
        awaitTrue(() -> builds.submissions().size() == 5);

        assertThat(builds.submissions())
                .extracting(r -> r.version().toString())
                .containsExactly("2.0", "1.2.0.post1", "1.1.0rc1", "1.0.0", "0.9.0");
        tags = json("/api/v1/projects/demo/tags");
        List<String> queued = new ArrayList<>();
        for (JsonNode t : tags.get("tags")) {
            if (!t.get("ignored").asBoolean()) {
                assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("queued");
                assertThat(t.get("build").get("status").asText()).isEqualTo("queued");
                queued.add(t.get("version").asText());
            }
        }
        assertThat(queued).containsExactly("2.0", "1.2.0.post1", "1.1.0rc1", "1.0.0", "0.9.0");
        JsonNode ignored = find(tags, "not-a-version");
        assertThat(ignored.get("state").asText()).isEqualTo("ignored");
        assertThat(ignored.get("version").isNull()).isTrue();
        assertThat(ignored.get("reason").asText()).contains("no digits");
        assertThat(tags.get("repository").get("last_error").isNull()).isTrue();

        builds.completeAll();

        JsonNode page =
                JSON.readTree(server.get("/simple/demo/", "Accept", JSON_PAGE).body());
        assertThat(page.get("versions"))
                .extracting(JsonNode::asText)
                .containsExactly("0.9.0", "1.0.0", "1.1.0rc1", "1.2.0.post1", "2.0");
        assertThat(find(json("/api/v1/projects/demo/tags"), "v2.0").get("state").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void a_tag_pushed_while_serving_is_found_by_the_next_page_requests_with_one_fetch_and_one_build() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        start(project("demo", origin.url()));
        builds.completeAutomatically();
        awaitJson(
                "/api/v1/projects/demo/tags",
                t -> "succeeded".equals(find(t, "v1.0.0").path("state").asText()));
        int fetchesBefore = json("/api/v1/projects/demo/tags")
                .get("repository")
                .get("fetches")
                .asInt();

        origin.commit("two");
        origin.tag("v1.1.0");
        List<Callable<JsonNode>> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(() -> JSON.readTree(
                    server.get("/simple/demo/", "Accept", JSON_PAGE).body()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<JsonNode> pages = new ArrayList<>();
        Instant started = Instant.now();
        try {
            for (Future<JsonNode> f : pool.invokeAll(requests)) {
                pages.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Duration took = Duration.between(started, Instant.now());

        for (JsonNode page : pages) {
            assertThat(page.get("versions")).extracting(JsonNode::asText).containsExactly("1.0.0", "1.1.0");
        }
        assertThat(builds.submissionsOf("demo", "1.1.0")).isEqualTo(1);
        assertThat(json("/api/v1/projects/demo/tags")
                                .get("repository")
                                .get("fetches")
                                .asInt()
                        - fetchesBefore)
                .isEqualTo(1);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void a_signed_webhook_fetches_and_the_new_tag_appears_and_a_bad_signature_is_refused() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        start(project("demo", origin.url()));
        awaitJson("/api/v1/projects/demo/tags", t -> t.get("tags").size() == 1);
        origin.commit("two");
        origin.tag("v1.1.0");
        byte[] payload = ("{\"ref\":\"refs/tags/v1.1.0\",\"repository\":{\"name\":\"demo\",\"clone_url\":\""
                        + origin.url() + "\",\"html_url\":\"https://git.example.com/acme/demo\"}}")
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> bad = hook(payload, new WebhookSignature("wrong-secret").sign(payload));
        HttpResponse<String> missing = hook(payload, null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(json("/api/v1/projects/demo/tags").get("tags")).hasSize(1);

        HttpResponse<String> good = hook(payload, new WebhookSignature(SECRET).sign(payload));

        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        assertThat(JSON.readTree(good.body()).get("refreshing"))
                .extracting(JsonNode::asText)
                .containsExactly("demo");
        JsonNode tags =
                awaitJson("/api/v1/projects/demo/tags", t -> t.get("tags").size() == 2);
        assertThat(find(tags, "v1.1.0").get("version").asText()).isEqualTo("1.1.0");
        awaitTrue(() -> builds.submissionsOf("demo", "1.1.0") == 1);
    }

    /** #9: a push to a project's dev branch (no tag) queues its dev release, by webhook as by a page request. */
    @Test
    void a_push_to_the_dev_branch_queues_one_build_of_its_dev_version_by_webhook_and_by_page_request()
            throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        start("  projects:\n    - { name: demo, url: \"" + origin.url() + "\", dev-branch: main }\n");
        builds.completeAutomatically();
        awaitTrue(() -> builds.submissionsOf("demo", "1.0.0") == 1);
        assertThat(builds.submissions()).hasSize(1); // the head is the tag: no dev release

        String pushed = origin.commit("two");
        byte[] payload = ("{\"ref\":\"refs/heads/main\",\"repository\":{\"name\":\"demo\",\"clone_url\":\""
                        + origin.url() + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> hooked = hook(payload, new WebhookSignature(SECRET).sign(payload));

        assertThat(hooked.statusCode()).as(hooked.body()).isEqualTo(202);
        String dev1 = "1.0.1.dev1+g" + pushed.substring(0, 7);
        awaitTrue(() -> builds.submissionsOf("demo", dev1) == 1);

        String next = origin.commit("three");
        JsonNode page =
                JSON.readTree(server.get("/simple/demo/", "Accept", JSON_PAGE).body());

        String dev2 = "1.0.1.dev2+g" + next.substring(0, 7);
        assertThat(page.get("versions")).extracting(JsonNode::asText).containsExactly("1.0.0", dev1, dev2);
        assertThat(builds.submissionsOf("demo", dev2)).isEqualTo(1);
        assertThat(builds.submissions()).extracting(r -> r.commit()).contains(pushed, next);
        assertThat(builds.submissions())
                .filteredOn(r -> r.version().toString().equals(dev2))
                .extracting(r -> r.tag())
                .containsExactly("main@" + next.substring(0, 7));
    }

    @Test
    void gitlab_gitea_and_bitbucket_server_pushes_are_verified_their_way_and_fetch_the_new_tag() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        start(project("demo", origin.url()));
        awaitJson("/api/v1/projects/demo/tags", t -> t.get("tags").size() == 1);
        byte[] gitlab = ("{\"object_kind\":\"tag_push\",\"project\":{\"path\":\"demo\",\"git_http_url\":\""
                        + origin.url() + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] gitea = ("{\"ref\":\"refs/tags/v1.2.0\",\"repository\":{\"name\":\"demo\",\"clone_url\":\""
                        + origin.url() + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] bitbucket = ("{\"eventKey\":\"repo:refs_changed\",\"repository\":{\"slug\":\"demo\",\"links\":"
                        + "{\"clone\":[{\"href\":\"" + origin.url() + "\",\"name\":\"http\"}]}}}")
                .getBytes(StandardCharsets.UTF_8);
        String giteaHex = new WebhookSignature(SECRET).sign(gitea).substring("sha256=".length());

        assertThat(delivery(gitlab, "X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", "wrong")
                        .statusCode())
                .isEqualTo(401);
        assertThat(delivery(gitea, "X-Gitea-Event", "push", "X-Gitea-Signature", forged(giteaHex))
                        .statusCode())
                .isEqualTo(401);
        assertThat(delivery(
                                bitbucket,
                                "X-Event-Key",
                                "repo:refs_changed",
                                "X-Hub-Signature-256",
                                new WebhookSignature(SECRET).sign(bitbucket))
                        .statusCode())
                .as("Bitbucket Server signs in X-Hub-Signature")
                .isEqualTo(401);
        HttpResponse<String> ping = delivery(
                "{}".getBytes(StandardCharsets.UTF_8),
                "X-Event-Key",
                "diagnostics:ping",
                "X-Hub-Signature",
                new WebhookSignature(SECRET).sign("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).contains("Bitbucket Server webhook signature verified");

        origin.commit("two");
        origin.tag("v1.1.0");
        HttpResponse<String> fromGitlab = delivery(gitlab, "X-Gitlab-Event", "Tag Push Hook", "X-Gitlab-Token", SECRET);
        assertThat(fromGitlab.statusCode()).as(fromGitlab.body()).isEqualTo(202);
        assertThat(fromGitlab.body()).contains("\"demo\"");
        awaitJson("/api/v1/projects/demo/tags", t -> t.get("tags").size() == 2);

        origin.commit("three");
        origin.tag("v1.2.0");
        HttpResponse<String> fromGitea = delivery(gitea, "X-Gitea-Event", "push", "X-Gitea-Signature", giteaHex);
        assertThat(fromGitea.statusCode()).as(fromGitea.body()).isEqualTo(202);
        awaitJson("/api/v1/projects/demo/tags", t -> t.get("tags").size() == 3);

        origin.commit("four");
        origin.tag("v1.3.0");
        HttpResponse<String> fromBitbucket = delivery(
                bitbucket,
                "X-Event-Key",
                "repo:refs_changed",
                "X-Hub-Signature",
                new WebhookSignature(SECRET).sign(bitbucket));
        assertThat(fromBitbucket.statusCode()).as(fromBitbucket.body()).isEqualTo(202);
        JsonNode tags =
                awaitJson("/api/v1/projects/demo/tags", t -> t.get("tags").size() == 4);
        assertThat(find(tags, "v1.3.0").get("version").asText()).isEqualTo("1.3.0");

        HttpResponse<String> noRepository = delivery(
                "{\"project\":{}}".getBytes(StandardCharsets.UTF_8),
                "X-Gitlab-Event",
                "Push Hook",
                "X-Gitlab-Token",
                SECRET);
        assertThat(noRepository.statusCode()).isEqualTo(400);
        assertThat(noRepository.body()).contains("GitLab webhook payload names no repository");
    }

    @Test
    void a_webhook_for_an_unknown_repository_is_accepted_with_a_note() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        start(project("demo", origin.url()));
        byte[] payload =
                "{\"repository\":{\"name\":\"other\",\"clone_url\":\"https://git.example.com/acme/other.git\"}}"
                        .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = hook(payload, new WebhookSignature(SECRET).sign(payload));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).contains("no git-backed project uses this repository");
    }

    @Test
    void with_the_remote_deleted_known_releases_are_still_served_and_the_api_shows_the_fetch_error() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        start(project("demo", origin.url()));
        builds.completeAutomatically();
        awaitJson(
                "/api/v1/projects/demo/tags",
                t -> "succeeded".equals(find(t, "v1.0.0").path("state").asText()));

        origin.delete();
        HttpResponse<byte[]> page = server.get("/simple/demo/", "Accept", JSON_PAGE);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(page.body()).get("versions"))
                .extracting(JsonNode::asText)
                .containsExactly("1.0.0");
        assertThat(server.get("/files/demo/demo-1.0.0-py3-none-any.whl").statusCode())
                .isEqualTo(200);
        JsonNode tags = json("/api/v1/projects/demo/tags");
        assertThat(tags.get("repository").get("last_error").asText()).contains("cannot fetch");
        assertThat(tags.get("repository").get("last_error_at").isNull()).isFalse();
        assertThat(find(tags, "v1.0.0").get("state").asText()).isEqualTo("succeeded");
    }

    @Test
    void a_tag_deleted_at_the_remote_keeps_its_release_and_the_api_says_it_is_gone() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        origin.commit("two");
        origin.tag("v1.1.0");
        start(project("demo", origin.url()));
        builds.completeAutomatically();
        awaitJson(
                "/api/v1/projects/demo/tags",
                t -> "succeeded".equals(find(t, "v1.0.0").path("state").asText()));
        assertThat(find(json("/api/v1/projects/demo/tags"), "v1.0.0")
                        .get("deleted_at_remote")
                        .asBoolean())
                .isFalse();

        origin.deleteTag("v1.0.0");
        HttpResponse<byte[]> page = server.get("/simple/demo/", "Accept", JSON_PAGE); // its tag check sees it gone

        assertThat(JSON.readTree(page.body()).get("versions"))
                .extracting(JsonNode::asText)
                .contains("1.0.0", "1.1.0");
        assertThat(server.get("/files/demo/demo-1.0.0-py3-none-any.whl").statusCode())
                .isEqualTo(200);
        JsonNode tags = awaitJson(
                "/api/v1/projects/demo/tags",
                t -> find(t, "v1.0.0").path("deleted_at_remote").asBoolean());
        assertThat(find(tags, "v1.0.0").get("state").asText()).isEqualTo("succeeded");
        assertThat(find(tags, "v1.1.0").get("deleted_at_remote").asBoolean()).isFalse();
        assertThat(new String(server.get("/project/demo/tags/").body(), StandardCharsets.UTF_8))
                .contains("deleted at the remote");
    }

    @Test
    void reports_duplicate_versions_and_moved_tags_and_does_not_rebuild_a_moved_tag() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0");
        origin.commit("two");
        origin.tag("v1.0.0");
        String first = origin.commit("three");
        origin.tag("v2.0.0");
        start("  listing-wait: 1s\n" + project("demo", origin.url())); // the page request below waits for queued builds
        awaitTrue(() -> builds.submissions().size() == 2);
        JsonNode tags = json("/api/v1/projects/demo/tags");

        assertThat(find(tags, "v1.0.0").get("state").asText()).isEqualTo("duplicate");
        assertThat(find(tags, "v1.0.0").get("duplicate_of").asText()).isEqualTo("v1.0");
        assertThat(find(tags, "v1.0").get("state").asText()).isEqualTo("queued");

        String moved = origin.commit("four");
        origin.tag("v2.0.0", moved);
        server.get("/simple/demo/");
        tags = json("/api/v1/projects/demo/tags");

        JsonNode v2 = find(tags, "v2.0.0");
        assertThat(v2.get("moved").get("from").asText()).isEqualTo(first);
        assertThat(v2.get("moved").get("to").asText()).isEqualTo(moved);
        assertThat(v2.get("build").get("commit").asText()).isEqualTo(first);
        assertThat(builds.submissionsOf("demo", "2.0.0")).isEqualTo(1);
        assertThat(builds.submissions())
                .filteredOn(r -> r.version().toString().equals("2.0.0"))
                .extracting(BuildRequest::commit)
                .containsExactly(first);
    }

    @Test
    void serves_two_projects_of_one_monorepo_from_their_subdirectories_and_prefixed_tags() throws Exception {
        GitFixture mono = GitFixture.create(repos.resolve("mono"), "mono");
        mono.commit(
                "packages",
                Map.of(
                        "libs/alpha/pyproject.toml", GitFixture.pyproject("alpha"),
                        "libs/beta/pyproject.toml", GitFixture.pyproject("beta")));
        mono.tag("alpha/v1.0");
        mono.commit("beta change");
        mono.tag("beta/v2.0");
        start("  projects:\n"
                + "    - { name: alpha, url: \"" + mono.url() + "\", subdirectory: libs/alpha }\n"
                + "    - { name: beta, url: \"" + mono.url() + "\", subdirectory: libs/beta,"
                + " tag-pattern: '^beta/v(?<version>.+)$' }\n");
        builds.completeAutomatically();

        JsonNode alpha =
                JSON.readTree(server.get("/simple/alpha/", "Accept", JSON_PAGE).body());
        JsonNode beta =
                JSON.readTree(server.get("/simple/beta/", "Accept", JSON_PAGE).body());

        assertThat(alpha.get("versions")).extracting(JsonNode::asText).containsExactly("1.0");
        assertThat(beta.get("versions")).extracting(JsonNode::asText).containsExactly("2.0");
        assertThat(builds.submissions())
                .extracting(r -> r.project().normalized() + " " + r.version() + " "
                        + r.subdirectory().orElse(""))
                .containsExactlyInAnyOrder("alpha 1.0 libs/alpha", "beta 2.0 libs/beta");
        assertThat(builds.exportedFiles("alpha", "1.0"))
                .contains("libs/alpha/pyproject.toml", "libs/beta/pyproject.toml");
        assertThat(find(json("/api/v1/projects/alpha/tags"), "beta/v2.0")
                        .get("reason")
                        .asText())
                .contains("another project");
        assertThat(find(json("/api/v1/projects/beta/tags"), "alpha/v1.0")
                        .get("reason")
                        .asText())
                .contains("tag-pattern");
        try (Stream<Path> mirrors = Files.list(data.resolve("git"))) {
            assertThat(mirrors.filter(p -> p.toString().endsWith(".git")).count())
                    .isEqualTo(1);
        }
    }

    @Test
    void uploads_into_a_git_backed_project_are_accepted_only_for_tagged_versions() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        start(project("demo", origin.url()));
        String token = server.token("ci", Scope.UPLOAD);
        Path tagged = Wheels.wheel(
                work,
                "demo-1.0.0-cp311-cp311-linux_x86_64.whl",
                "demo-1.0.0.dist-info",
                "demo",
                "1.0.0",
                Wheels.metadata("2.1", "demo", "1.0.0", ""));
        Path untagged = Wheels.simple(work, "demo", "9.9.9", "2.1");

        HttpResponse<String> accepted = server.upload(token, TestServer.twineForm(tagged));
        HttpResponse<String> refused = server.upload(token, TestServer.twineForm(untagged));

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("git-backed").contains("9.9.9");
    }

    @Test
    void a_name_behind_a_url_template_is_git_backed_and_unknown_names_are_not() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("templated-pkg"), "templated-pkg");
        origin.commit("one");
        origin.tag("v0.1.0");
        start("  url-templates: [\"" + repos.toUri() + "{name}\"]\n");
        builds.completeAutomatically();

        JsonNode page = JSON.readTree(
                server.get("/simple/templated-pkg/", "Accept", JSON_PAGE).body());
        HttpResponse<byte[]> unknown = server.get("/simple/nothing-here/");
        HttpResponse<byte[]> problem = server.get("/api/v1/projects/nothing-here/tags");

        assertThat(page.get("versions")).extracting(JsonNode::asText).containsExactly("0.1.0");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(problem.statusCode()).isEqualTo(404);
        assertThat(problem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(problem.body()).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void one_cold_pip_install_right_after_a_tag_push_gets_the_new_release() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("one");
        origin.tag("v1.0.0");
        start(project("demo", origin.url()));
        builds.completeAutomatically(Duration.ofSeconds(2)); // a build that takes a while
        awaitJson(
                "/api/v1/projects/demo/tags",
                t -> "succeeded".equals(find(t, "v1.0.0").path("state").asText()));

        origin.commit("two");
        origin.tag("v1.1.0");
        Path target = work.resolve("site");
        PythonTools.Run run = PythonTools.pipInstall(
                PythonTools.pip23(), server.indexUrl(), target, List.of("demo==1.1.0"), Map.of());

        run.requireSuccess("pip install demo==1.1.0");
        assertThat(target.resolve("demo/__init__.py")).hasContent("VERSION = \"1.1.0\"");
        assertThat(builds.submissionsOf("demo", "1.1.0")).isEqualTo(1);
    }

    /**
     * Issue #9: with no webhook, a page request, then a tag push, then at once {@code pip install NAME==NEW}, ten times
     * in a row: the request after the push is answered by a look at the remote taken after it asked, never by the
     * earlier one (no 10 s on-demand limit any more).
     */
    @Test
    void a_page_request_then_a_tag_push_then_at_once_pip_install_gets_the_new_release_ten_times_in_a_row()
            throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("demo"), "demo");
        origin.commit("zero");
        origin.tag("v1.0.0");
        start(project("demo", origin.url()));
        builds.completeAutomatically();
        awaitJson(
                "/api/v1/projects/demo/tags",
                t -> "succeeded".equals(find(t, "v1.0.0").path("state").asText()));

        for (int round = 1; round <= 10; round++) {
            assertThat(server.get("/simple/demo/", "Accept", JSON_PAGE).statusCode())
                    .isEqualTo(200);
            origin.commit("round " + round);
            origin.tag("v1.0." + round);
            Path target = work.resolve("round-" + round);

            PythonTools.pipInstall(
                            PythonTools.pip23(), server.indexUrl(), target, List.of("demo==1.0." + round), Map.of())
                    .requireSuccess("round " + round + ": pip install demo==1.0." + round);
            assertThat(target.resolve("demo/__init__.py")).hasContent("VERSION = \"1.0." + round + "\"");
        }
    }

    @Test
    void a_git_backed_name_is_never_served_from_the_upstream() throws Exception {
        GitFixture origin = GitFixture.create(repos.resolve("requests"), "requests");
        origin.commit("ours");
        origin.tag("v0.0.1");
        start(project("requests", origin.url())
                + "upstreams:\n  - { name: mirror, url: \"file:///opt/pypi/simple/\" }\n");
        builds.completeAutomatically();

        JsonNode page = JSON.readTree(
                server.get("/simple/requests/", "Accept", JSON_PAGE).body());

        assertThat(page.get("versions")).extracting(JsonNode::asText).containsExactly("0.0.1");
        assertThat(page.get("files"))
                .extracting(f -> f.get("filename").asText())
                .containsExactly("requests-0.0.1-py3-none-any.whl");
    }

    private HttpResponse<String> hook(byte[] payload, String signature) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/hooks/git")))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "push")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        if (signature != null) {
            b.header("X-Hub-Signature-256", signature);
        }
        return server.send(b.build());
    }

    /** A delivery with exactly the given headers (name, value, ...), as hosts other than GitHub send them. */
    private HttpResponse<String> delivery(byte[] payload, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/hooks/git")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return server.send(b.build());
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<byte[]> r = server.get(path);
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    private static JsonNode find(JsonNode tags, String tag) {
        for (JsonNode t : tags.get("tags")) {
            if (t.get("tag").asText().equals(tag)) {
                return t;
            }
        }
        return JSON.createObjectNode();
    }

    private interface Check {
        boolean test(JsonNode node) throws Exception;
    }

    private JsonNode awaitJson(String path, Check check) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = json(path);
            if (check.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting on " + path + "; last: " + last);
    }

    private static void awaitTrue(Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for a condition");
    }

    /** The signature with its first hex digit changed: always another signature (a fixed prefix can be the real one). */
    private static String forged(String hex) {
        char first = hex.charAt(0) == '0' ? '1' : '0';
        return first + hex.substring(1);
    }
}
