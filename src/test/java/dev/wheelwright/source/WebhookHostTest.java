package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** #9: push webhooks of GitHub, Gitea/Forgejo, GitLab and Bitbucket Server, each recognised and verified its way. */
class WebhookHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookSignature SECRET = new WebhookSignature("s3cret");
    private static final byte[] BODY = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void each_host_is_recognised_by_its_event_header_and_github_is_the_default() {
        assertThat(WebhookHost.of(headers("X-GitHub-Event", "push"))).isEqualTo(WebhookHost.GITHUB);
        // Gitea also sends X-GitHub-Event for compatibility: its own header decides
        assertThat(WebhookHost.of(headers("X-Gitea-Event", "push", "X-GitHub-Event", "push")))
                .isEqualTo(WebhookHost.GITEA);
        assertThat(WebhookHost.of(headers("X-Forgejo-Event", "push"))).isEqualTo(WebhookHost.GITEA);
        assertThat(WebhookHost.of(headers("x-gitlab-event", "Push Hook"))).isEqualTo(WebhookHost.GITLAB);
        assertThat(WebhookHost.of(headers("X-Event-Key", "repo:refs_changed"))).isEqualTo(WebhookHost.BITBUCKET_SERVER);
        assertThat(WebhookHost.of(headers())).isEqualTo(WebhookHost.GITHUB);
    }

    @Test
    void github_and_bitbucket_server_need_a_prefixed_hmac_in_their_own_header() {
        String signature = SECRET.sign(BODY);

        assertThat(WebhookHost.GITHUB.authentic(SECRET, BODY, headers("X-Hub-Signature-256", signature)))
                .isTrue();
        assertThat(WebhookHost.GITHUB.authentic(SECRET, BODY, headers("X-Hub-Signature", signature)))
                .isFalse();
        assertThat(WebhookHost.BITBUCKET_SERVER.authentic(SECRET, BODY, headers("X-Hub-Signature", signature)))
                .isTrue();
        assertThat(WebhookHost.BITBUCKET_SERVER.authentic(
                        SECRET, BODY, headers("X-Hub-Signature", new WebhookSignature("other").sign(BODY))))
                .isFalse();
        assertThat(WebhookHost.BITBUCKET_SERVER.authentic(SECRET, BODY, headers()))
                .isFalse();
    }

    @Test
    void gitea_signs_with_a_bare_hex_hmac_and_a_tampered_body_fails() {
        String hex = SECRET.sign(BODY).substring("sha256=".length());

        assertThat(WebhookHost.GITEA.authentic(SECRET, BODY, headers("X-Gitea-Signature", hex)))
                .isTrue();
        assertThat(WebhookHost.GITEA.authentic(SECRET, BODY, headers("X-Forgejo-Signature", hex)))
                .isTrue();
        assertThat(WebhookHost.GITEA.authentic(
                        SECRET, "{\"x\":2}".getBytes(StandardCharsets.UTF_8), headers("X-Gitea-Signature", hex)))
                .isFalse();
        assertThat(WebhookHost.GITEA.authentic(SECRET, BODY, headers("X-Gitea-Signature", "zz")))
                .isFalse();
    }

    @Test
    void gitlab_sends_the_secret_itself_as_its_token() {
        assertThat(WebhookHost.GITLAB.authentic(SECRET, BODY, headers("X-Gitlab-Token", "s3cret")))
                .isTrue();
        assertThat(WebhookHost.GITLAB.authentic(SECRET, BODY, headers("X-Gitlab-Token", "s3cre")))
                .isFalse();
        assertThat(WebhookHost.GITLAB.authentic(SECRET, BODY, headers("X-Gitlab-Token", "s3cret ")))
                .isFalse();
        assertThat(WebhookHost.GITLAB.authentic(SECRET, BODY, headers())).isFalse();
    }

    @Test
    void pings_are_told_from_pushes() {
        assertThat(WebhookHost.GITHUB.isPing(headers("X-GitHub-Event", "ping"))).isTrue();
        assertThat(WebhookHost.GITHUB.isPing(headers("X-GitHub-Event", "push"))).isFalse();
        assertThat(WebhookHost.BITBUCKET_SERVER.isPing(headers("X-Event-Key", "diagnostics:ping")))
                .isTrue();
        assertThat(WebhookHost.GITLAB.isPing(headers("X-Gitlab-Event", "Push Hook")))
                .isFalse();
    }

    @Test
    void the_repository_urls_and_name_are_read_from_each_hosts_payload() throws Exception {
        JsonNode gitlab = JSON.readTree("""
                {"object_kind": "tag_push", "ref": "refs/tags/v1.0",
                 "project": {"path": "acme-utils", "web_url": "https://gitlab.example.com/acme/acme-utils",
                   "git_http_url": "https://gitlab.example.com/acme/acme-utils.git",
                   "git_ssh_url": "git@gitlab.example.com:acme/acme-utils.git"},
                 "repository": {"homepage": "https://gitlab.example.com/acme/acme-utils"}}""");
        JsonNode gitea = JSON.readTree("""
                {"ref": "refs/tags/v1.0", "repository": {"name": "acme-utils",
                  "clone_url": "https://gitea.example.com/acme/acme-utils.git",
                  "ssh_url": "git@gitea.example.com:acme/acme-utils.git",
                  "html_url": "https://gitea.example.com/acme/acme-utils"}}""");
        JsonNode bitbucket = JSON.readTree("""
                {"eventKey": "repo:refs_changed", "repository": {"slug": "acme-utils", "name": "Acme Utils",
                  "links": {"clone": [
                     {"href": "ssh://git@bitbucket.example.com:7999/acme/acme-utils.git", "name": "ssh"},
                     {"href": "https://bitbucket.example.com/scm/acme/acme-utils.git", "name": "http"}],
                   "self": [{"href": "https://bitbucket.example.com/projects/ACME/repos/acme-utils/browse"}]}}}""");

        assertThat(WebhookHost.GITLAB.urls(gitlab))
                .containsExactly(
                        "https://gitlab.example.com/acme/acme-utils.git",
                        "git@gitlab.example.com:acme/acme-utils.git",
                        "https://gitlab.example.com/acme/acme-utils");
        assertThat(WebhookHost.GITLAB.repositoryName(gitlab)).contains("acme-utils");
        assertThat(WebhookHost.GITEA.urls(gitea)).contains("https://gitea.example.com/acme/acme-utils.git");
        assertThat(WebhookHost.GITEA.repositoryName(gitea)).contains("acme-utils");
        assertThat(WebhookHost.BITBUCKET_SERVER.urls(bitbucket))
                .contains("https://bitbucket.example.com/scm/acme/acme-utils.git");
        assertThat(WebhookHost.BITBUCKET_SERVER.repositoryName(bitbucket)).contains("acme-utils");
        assertThat(WebhookHost.GITLAB.urls(gitea)).isEmpty();
        assertThat(WebhookHost.BITBUCKET_SERVER.repositoryName(JSON.readTree("{}")))
                .isEmpty();
    }

    /** Headers looked up case-insensitively, as Javalin's are. */
    private static Function<String, Optional<String>> headers(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return name -> Optional.ofNullable(map.get(name.toLowerCase(Locale.ROOT)));
    }
}
