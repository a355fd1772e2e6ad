package dev.wheelwright.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration, bound from YAML (kebab-case keys) with environment overrides. See
 * {@code config/wheelwright.yaml}, which documents every key. Values are validated by {@link ConfigLoader}.
 */
public record WheelwrightConfig(
        Server server,
        Storage storage,
        List<Upstream> upstreams,
        Auth auth,
        Upload upload,
        Git git,
        Build build,
        Proxy proxy,
        Metrics metrics,
        Logging logging,
        List<Notification> notifications) {
    public WheelwrightConfig {
        Objects.requireNonNull(server);
        Objects.requireNonNull(storage);
        upstreams = List.copyOf(upstreams);
        Objects.requireNonNull(auth);
        Objects.requireNonNull(upload);
        Objects.requireNonNull(git);
        Objects.requireNonNull(build);
        Objects.requireNonNull(proxy);
        Objects.requireNonNull(metrics);
        Objects.requireNonNull(logging);
        notifications = List.copyOf(notifications);
    }

    /**
     * One entry of {@code notifications}: a receiver of webhooks.
     *
     * @param url where events are POSTed (http or https)
     * @param events which events: upload, yank, tag-seen, build-succeeded, build-failed
     * @param secretEnv the environment variable holding the HMAC secret of {@code X-Hub-Signature-256}; empty: unsigned
     */
    public record Notification(String url, List<String> events, Optional<String> secretEnv) {
        public Notification {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /**
     * {@code logging.*}: {@code format} is {@code text} (one readable line per event) or {@code json} (JSON lines);
     * {@code access} (default true) writes one access log line per request, false leaves it to a proxy in front (as
     * nginx's {@code access_log off}): about a quarter of the CPU of a simple page request under load.
     */
    public record Logging(String format, boolean access) {}

    /**
     * {@code metrics.*}: who may scrape {@code /metrics}. {@code tokenEnv} names the environment variable holding the
     * bearer token a scraper sends; unset (or the variable empty), {@code /metrics} is read like any page (the read
     * guard of {@code auth.anonymous-read}).
     */
    public record Metrics(Optional<String> tokenEnv) {}

    /** {@code server.*}: where to listen and how the server is reached from outside. */
    public record Server(String host, int port, Optional<String> baseUrl, Duration shutdownTimeout) {}

    /** {@code storage.*}: where metadata and artifacts live. */
    public record Storage(Path dataDir, Metadata metadata, Artifacts artifacts) {}

    /**
     * {@code storage.metadata.*}: {@code sqlite} (the data directory's {@code wheelwright.db}) or {@code postgres}
     * ({@code url}, {@code user}, and {@code password-env} naming the environment variable that holds the password).
     *
     * @param poolSize how many connections to PostgreSQL each process keeps open (SQLite keeps its own few)
     */
    public record Metadata(
            String type, Optional<String> url, Optional<String> user, Optional<String> passwordEnv, int poolSize) {}

    /**
     * {@code storage.artifacts.*}: {@code filesystem} under the data dir, or {@code s3} with an endpoint, bucket,
     * region, addressing style, the environment variables holding the keys, an optional key prefix, the multipart
     * part size, and whether file downloads redirect to presigned URLs of {@code redirect-lifetime}.
     */
    public record Artifacts(
            String type,
            Optional<String> endpoint,
            Optional<String> bucket,
            Optional<String> region,
            boolean pathStyle,
            Optional<String> accessKeyEnv,
            Optional<String> secretKeyEnv,
            String keyPrefix,
            DataSize partSize,
            boolean redirect,
            Duration redirectLifetime) {}

    /**
     * One entry of {@code upstreams}; the timeouts default to {@code proxy.connect-timeout} and
     * {@code proxy.read-timeout}.
     */
    public record Upstream(String name, String url, Optional<Duration> connectTimeout, Optional<Duration> readTimeout) {
        public Upstream(String name, String url) {
            this(name, url, Optional.empty(), Optional.empty());
        }
    }

    /**
     * {@code proxy.*}: how upstream projects are cached and served.
     *
     * @param listingTtl how long a fetched upstream project page is served without asking the upstream again
     * @param offline serve only what is cached; never contact an upstream
     * @param quarantine hold back upstream files whose upload-time is younger than this (zero: off)
     * @param connectTimeout default connect timeout of an upstream
     * @param readTimeout default time an upstream may take to answer, and may stay silent while sending a body
     * @param allowUpstream local project names (PEP 503 compared) whose pages also list upstream files
     */
    public record Proxy(
            Duration listingTtl,
            boolean offline,
            Duration quarantine,
            Duration connectTimeout,
            Duration readTimeout,
            List<String> allowUpstream) {
        public Proxy {
            allowUpstream = List.copyOf(allowUpstream);
        }
    }

    /** {@code auth.*}. */
    public record Auth(boolean anonymousRead) {}

    /** {@code upload.*}: limits of the twine upload endpoint. */
    public record Upload(DataSize maxFileSize) {}

    /** {@code git.*}: the git source (projects built from tags). */
    public record Git(
            Duration pollInterval,
            Optional<String> credentialsEnv,
            List<String> urlTemplates,
            Optional<GitHub> github,
            Optional<String> webhookSecretEnv,
            List<GitProject> projects,
            Duration listingWait,
            Optional<GitLab> gitlab,
            Optional<Gitea> gitea,
            Duration checkInterval) {}

    /** {@code git.github}: organisation discovery through the GitHub (Enterprise) REST API. */
    public record GitHub(String apiUrl, String org, Optional<String> tokenEnv) {}

    /** {@code git.gitlab}: group discovery through the GitLab REST API (v4), subgroups included. */
    public record GitLab(String apiUrl, String group, Optional<String> tokenEnv) {}

    /** {@code git.gitea}: organisation discovery through the Gitea / Forgejo REST API (v1). */
    public record Gitea(String apiUrl, String org, Optional<String> tokenEnv) {}

    /**
     * One entry of {@code git.projects}. {@code devBranch}: the branch whose head is listed as a dev release
     * ({@code X.Y.Z.devN+g<sha>}); {@code devKeep}: how many of those stay installable without a pin (default 3).
     */
    public record GitProject(
            String name,
            String url,
            Optional<String> subdirectory,
            Optional<String> tagPattern,
            Optional<String> devBranch,
            Optional<Integer> devKeep) {}

    /**
     * {@code build.*}: how sdists and wheels are built from git tags. {@code indexUrl} empty means this server's own
     * {@code /simple/}.
     */
    public record Build(
            String python,
            int workers,
            Duration timeout,
            Optional<String> indexUrl,
            DataSize maxOutputSize,
            DataSize maxLogSize,
            String sandbox,
            Duration leaseTime) {}
}
