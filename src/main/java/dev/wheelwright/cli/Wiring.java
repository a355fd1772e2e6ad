package dev.wheelwright.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.TokenService;
import dev.wheelwright.builds.BuildLogs;
import dev.wheelwright.builds.BuildService;
import dev.wheelwright.builds.BuildVerifier;
import dev.wheelwright.builds.Builds;
import dev.wheelwright.builds.pip.PythonWheelBuilder;
import dev.wheelwright.builds.pip.Toolchain;
import dev.wheelwright.common.FileTrees;
import dev.wheelwright.common.Json;
import dev.wheelwright.config.ConfigException;
import dev.wheelwright.config.WheelwrightConfig;
import dev.wheelwright.health.HealthService;
import dev.wheelwright.http.WheelwrightServer;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.LocalSource;
import dev.wheelwright.notifications.NotificationService;
import dev.wheelwright.notifications.http.HttpWebhookSender;
import dev.wheelwright.provenance.ProvenanceService;
import dev.wheelwright.provenance.SigningKey;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.Discoveries;
import dev.wheelwright.source.GitMirrors;
import dev.wheelwright.source.GitProjects;
import dev.wheelwright.source.GitReleases;
import dev.wheelwright.source.GitSource;
import dev.wheelwright.source.GitUploadPolicy;
import dev.wheelwright.source.GitUrls;
import dev.wheelwright.source.GitWebhook;
import dev.wheelwright.source.MirrorRefresh;
import dev.wheelwright.source.ProjectSource;
import dev.wheelwright.source.ProjectSources;
import dev.wheelwright.source.ReleaseRecovery;
import dev.wheelwright.source.ReleaseYanks;
import dev.wheelwright.source.RepositoryDiscovery;
import dev.wheelwright.source.SourceRepository;
import dev.wheelwright.source.WebhookSignature;
import dev.wheelwright.source.github.GitHubRepositoryDiscovery;
import dev.wheelwright.source.hosts.GitLabRepositoryDiscovery;
import dev.wheelwright.source.hosts.GiteaRepositoryDiscovery;
import dev.wheelwright.source.jgit.JGitSourceRepository;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.Leases;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.fs.FileSystemBlobStore;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import dev.wheelwright.storage.s3.S3BlobStore;
import dev.wheelwright.upload.StorageAudit;
import dev.wheelwright.upload.UploadPolicy;
import dev.wheelwright.upload.UploadService;
import dev.wheelwright.upstream.PageParser;
import dev.wheelwright.upstream.UpstreamIndex;
import dev.wheelwright.upstream.UpstreamMetrics;
import dev.wheelwright.upstream.UpstreamService;
import dev.wheelwright.upstream.file.FileUpstreamIndex;
import dev.wheelwright.upstream.http.HttpUpstreamIndex;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only class that constructs adapters, for the server ({@link #start}) and for the
 * commands (storage, imports, upstream indexes, git mirrors). Every part that needs closing is pushed on one stack
 * as it is made; {@link #close} (also when a start fails half-way) closes them in reverse order, each once.
 *
 * <p>The server is made in an order without cycles: storage → git mirrors, project sources and release recovery →
 * build service (which recovers unfinished builds through the git source, and stores artifacts through the import
 * path, which no upload policy gates) → git releases, mirror refresh, upload policy and webhook → upload service
 * → index and upstream proxy → HTTP server. Once the server listens the build service learns its index URL (by default
 * this server's own {@code /simple/}) and the background work starts. Not thread-safe: one thread wires.
 */
public final class Wiring implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Wiring.class);

    /** How long a queued build of a git release is remembered for page requests to wait on while it is unfinished. */
    private static final Duration REMEMBER_QUEUED = Duration.ofHours(1);
    /** Network timeout of one git fetch, ls-remote or discovery call. */
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(30);
    /** How long after a start the blob store's sweep of partial files begins. */
    static final Duration SWEEP_DELAY = Duration.ofSeconds(30);

    /** How long a name that no URL template's repository answered for is not probed again. */
    private static final Duration TEMPLATE_MISS_TTL = Duration.ofMinutes(10);
    /** How long connecting to a notification receiver, then waiting for its answer, may each take. */
    private static final Duration NOTIFICATION_TIMEOUT = Duration.ofSeconds(10);

    private final WheelwrightConfig config;
    private final Map<String, String> env;
    private final Duration sweepDelay;
    private final Clock clock = Clock.systemUTC();
    /** The one JSON mapper of the process: pages, API bodies, upstream JSON pages, GitHub discovery. */
    private final ObjectMapper json = Json.newMapper();
    /** The meters of the process, exposed by the server at {@code /metrics}; services count through this facade. */
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    /** @param env the environment secrets are read from (the variables the config names) */
    public Wiring(WheelwrightConfig config, Map<String, String> env) {
        this(config, env, SWEEP_DELAY);
    }

    /** Like {@link #Wiring(WheelwrightConfig, Map)} with the blob store's sweep {@code sweepDelay} after the start. */
    Wiring(WheelwrightConfig config, Map<String, String> env, Duration sweepDelay) {
        this.config = Objects.requireNonNull(config);
        this.env = Map.copyOf(env);
        this.sweepDelay = Objects.requireNonNull(sweepDelay);
    }

    /**
     * The storage of one process: the metadata store and the blob store named by {@code storage.*}, and this
     * process's spool directory {@code <data-dir>/tmp/<pid>} (deleted on close).
     *
     * @param store the metadata store
     * @param blobs the blob store
     * @param tmpDir this process's spool directory
     * @param dataDir the absolute data directory
     */
    public record Storage(JdbcStorage store, BlobStore blobs, Path tmpDir, Path dataDir) {}

    /** Opens the storage; it is closed with this wiring. */
    public Storage openStorage() {
        Path dataDir = config.storage().dataDir().toAbsolutePath().normalize();
        Path tmp;
        try {
            Files.createDirectories(dataDir);
            Path tmpRoot = Files.createDirectories(dataDir.resolve("tmp"));
            removeStaleTempDirs(tmpRoot);
            tmp = Files.createDirectories(
                    tmpRoot.resolve(Long.toString(ProcessHandle.current().pid())));
        } catch (IOException e) {
            throw new ConfigException(
                    "invalid config: storage.data-dir: cannot use " + dataDir + ": " + e.getMessage(), e);
        }
        own(() -> deleteTree(tmp));
        JdbcStorage store = own(
                switch (config.storage().metadata().type()) {
                    case "sqlite" -> JdbcStorage.openSqlite(dataDir.resolve("wheelwright.db"), meters);
                    case "postgres" -> openPostgres(config.storage().metadata());
                    default ->
                        throw unsupported(
                                "storage.metadata.type",
                                config.storage().metadata().type());
                });
        BlobStore blobs = switch (config.storage().artifacts().type()) {
            case "filesystem" ->
                sweptInTheBackground(new FileSystemBlobStore(dataDir.resolve("blobs"), clock, meters, false));
            case "s3" -> own(s3BlobStore(config.storage().artifacts()));
            default ->
                throw unsupported(
                        "storage.artifacts.type", config.storage().artifacts().type());
        };
        return new Storage(store, blobs, tmp, dataDir);
    }

    /**
     * The PostgreSQL store the config names, signing in with the password from the environment variable of
     * {@code storage.metadata.password-env}; that variable unset or empty stops the start with a config error naming
     * it (never the value).
     */
    private JdbcStorage openPostgres(WheelwrightConfig.Metadata metadata) {
        String variable = metadata.passwordEnv().orElseThrow();
        String password = env.get(variable);
        if (password == null || password.isEmpty()) {
            throw new ConfigException("invalid config: storage.metadata.password-env: the environment variable "
                    + variable + " is not set");
        }
        return JdbcStorage.openPostgres(
                metadata.url().orElseThrow(), metadata.user().orElseThrow(), password, metadata.poolSize(), meters);
    }

    /**
     * The bucket of {@code storage.artifacts} (type s3), with the keys read from the environment variables it names; a
     * variable that is not set stops the start. The bucket is not asked here: readiness and {@code check} do.
     */
    private S3BlobStore s3BlobStore(WheelwrightConfig.Artifacts a) {
        S3BlobStore store = S3BlobStore.connect(
                new S3BlobStore.Location(
                        URI.create(a.endpoint().orElseThrow()),
                        a.region().orElseThrow(),
                        a.pathStyle(),
                        a.bucket().orElseThrow(),
                        a.keyPrefix()),
                secret("storage.artifacts.access-key-env", a.accessKeyEnv().orElseThrow()),
                secret("storage.artifacts.secret-key-env", a.secretKeyEnv().orElseThrow()),
                a.partSize().bytes(),
                a.redirect() ? Optional.of(a.redirectLifetime()) : Optional.empty(),
                meters);
        log.info(
                "artifacts: {} (parts of {} bytes, downloads {})",
                store.describe(),
                a.partSize().bytes(),
                a.redirect() ? "redirected to presigned URLs valid " + a.redirectLifetime() : "through this server");
        return store;
    }

    /** The value of the environment variable that config key {@code key} names; unset or empty stops the start. */
    private String secret(String key, String variable) {
        String value = env.get(variable);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(
                    "invalid config: " + key + ": the environment variable " + variable + " is not set");
        }
        return value;
    }

    /**
     * Removes what interrupted writes left in the blob store on a daemon thread, {@link #SWEEP_DELAY} after the
     * start: the scan reads every directory of the store (seconds of CPU for 100,000 files), which a start should
     * neither wait for nor share its cores with (it took a fifth of the samples of a start to {@code /readyz}); a
     * process that ends first leaves it to the next one. Nothing depends on it being done: partial files are never
     * visible as keys. Closing this wiring ends a sweep still waiting to begin.
     */
    private FileSystemBlobStore sweptInTheBackground(FileSystemBlobStore blobs) {
        Thread sweep = new Thread(
                () -> {
                    try {
                        Thread.sleep(sweepDelay.toMillis());
                        blobs.removeStalePartials();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the process is ending
                    } catch (RuntimeException e) {
                        log.warn("cannot remove partial blob files: {}", e.getMessage());
                    }
                },
                "wheelwright-blob-sweep");
        sweep.setDaemon(true);
        sweep.start();
        own(sweep::interrupt);
        return blobs;
    }

    /** The config loader refuses other types already; this is the one place that maps a type to an adapter. */
    private static ConfigException unsupported(String key, String type) {
        return new ConfigException("invalid config: " + key + ": unsupported type '" + type + "'");
    }

    /** Each process spools under tmp/PID; what a dead process left behind (a crash, kill -9) is removed. */
    private static void removeStaleTempDirs(Path tmpRoot) throws IOException {
        try (Stream<Path> dirs = Files.list(tmpRoot)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                boolean alive = name.matches("\\d{1,19}")
                        && ProcessHandle.of(Long.parseLong(name))
                                .map(ProcessHandle::isAlive)
                                .orElse(false);
                if (!alive) {
                    FileTrees.delete(dir);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            log.warn("cannot clean temporary directory: {}", e.getMessage());
        }
    }

    /** The tokens of {@code storage}. */
    public TokenService tokens(Storage storage) {
        return new TokenService(storage.store().tokens(), clock);
    }

    /** The upload service for imports (the CLI's and the builds'): no upload policy applies to them. */
    public UploadService imports(Storage storage) {
        return uploads(storage, UploadPolicy.OPEN);
    }

    /** The read-only audit of stored files against the upload rules ({@code check --storage}). */
    public StorageAudit audit(Storage storage) {
        return new StorageAudit(storage.store().catalog(), storage.blobs(), storage.tmpDir());
    }

    private UploadService uploads(Storage storage, UploadPolicy policy) {
        return new UploadService(
                storage.store().catalog(),
                storage.blobs(),
                storage.tmpDir(),
                config.upload().maxFileSize().bytes(),
                clock,
                policy);
    }

    /** The indexes of {@code upstreams}, in order. */
    public List<UpstreamIndex> upstreamIndexes() {
        WheelwrightConfig.Proxy proxy = config.proxy();
        List<UpstreamIndex> upstreams = new ArrayList<>();
        PageParser pages = new PageParser(json);
        for (WheelwrightConfig.Upstream u : config.upstreams()) {
            URI url = URI.create(u.url());
            upstreams.add(
                    "file".equals(url.getScheme())
                            ? new FileUpstreamIndex(u.name(), url, pages)
                            : new HttpUpstreamIndex(
                                    u.name(),
                                    url,
                                    u.connectTimeout().orElse(proxy.connectTimeout()),
                                    u.readTimeout().orElse(proxy.readTimeout()),
                                    pages));
        }
        return upstreams;
    }

    /**
     * Tries {@code build.python} (runs, makes a venv, has pip) in this process's spool directory; returns a summary, or
     * throws a {@code BuildFailedException} naming the problem.
     */
    public String checkToolchain(Storage storage) {
        return Toolchain.check(config.build().python(), storage.tmpDir());
    }

    /** The git mirrors under {@code <data-dir>/git}, with the credentials of {@code git.credentials-env}. */
    public SourceRepository mirrors(Storage storage) {
        Optional<String> token = config.git().credentialsEnv().map(env::get).filter(t -> !t.isBlank());
        return own(new JGitSourceRepository(storage.dataDir().resolve("git"), token, GIT_TIMEOUT));
    }

    // --- the server

    /**
     * A started server and everything it owns; closing stops the server, the upstream proxy, the git source and the
     * builds, then closes the storage.
     */
    public static final class Running implements AutoCloseable {
        private final WheelwrightServer server;
        private final Storage storage;
        private final BuildService builds;
        private final Wiring wiring;

        private Running(WheelwrightServer server, Storage storage, BuildService builds, Wiring wiring) {
            this.server = server;
            this.storage = storage;
            this.builds = builds;
            this.wiring = wiring;
        }

        public int port() {
            return server.port();
        }

        public JdbcStorage store() {
            return storage.store();
        }

        public BlobStore blobs() {
            return storage.blobs();
        }

        public Path dataDir() {
            return storage.dataDir();
        }

        public BuildService builds() {
            return builds;
        }

        @Override
        public void close() {
            wiring.close();
        }
    }

    /** Opens the storage named by {@code config} and starts a server on it; secrets from this process's environment. */
    public static Running start(WheelwrightConfig config) {
        return start(config, System.getenv(), Optional.empty());
    }

    /**
     * Starts a server like {@link #start(WheelwrightConfig)}, with secrets read from {@code env}. {@code gitBuilds}
     * replaces, for the git source only, the build service by another {@link Builds} made from the upload service
     * for imports (tests use a double); empty: git-backed releases are built by the build service.
     */
    public static Running start(
            WheelwrightConfig config, Map<String, String> env, Optional<Function<UploadService, Builds>> gitBuilds) {
        Wiring wiring = new Wiring(config, env);
        try {
            return wiring.serve(gitBuilds);
        } catch (RuntimeException e) {
            wiring.close();
            throw e;
        }
    }

    private Running serve(Optional<Function<UploadService, Builds>> gitBuilds) {
        parts.push(meters::close);
        bindProcessMeters();
        Storage storage = openStorage();
        UploadService imports = imports(storage);
        Optional<GitBase> mirrors = gitConfigured() ? Optional.of(gitMirrors(storage)) : Optional.empty();
        Optional<ReleaseRecovery> recovery = mirrors.map(m -> new ReleaseRecovery(m.mirrors()));
        NotificationService notifications = own(notifications(storage));
        BuildService builds = own(buildService(storage, imports, recovery, notifications));
        Optional<Git> git = mirrors.map(m -> git(
                m,
                gitBuilds.<Builds>map(f -> f.apply(imports)).orElse(builds),
                storage.store().leases(),
                yanks(storage.store().catalog())));
        UploadService uploads =
                uploads(storage, git.<UploadPolicy>map(Git::policy).orElse(UploadPolicy.OPEN));
        UpstreamService upstream = own(upstream(storage));
        IndexService index = new IndexService(
                storage.store().catalog(),
                storage.blobs(),
                git.<List<LocalSource>>map(g -> List.of(g.source().projects())).orElse(List.of()),
                Optional.of(upstream),
                Set.copyOf(config.proxy().allowUpstream()),
                storage.store().provenance());
        ProvenanceService provenance = new ProvenanceService(
                storage.store().provenance(),
                storage.store().catalog(),
                SigningKey.loadOrCreate(storage.store().provenance(), clock.instant()),
                json);
        WheelwrightServer.Services services = new WheelwrightServer.Services(
                index,
                uploads,
                tokens(storage),
                config.auth().anonymousRead(),
                config.server().baseUrl(),
                upstream,
                builds,
                new BuildVerifier(
                        builds,
                        storage.store().catalog(),
                        storage.blobs(),
                        storage.tmpDir().resolve("builds"),
                        clock),
                git.map(Git::source),
                provenance);
        WheelwrightServer server = listen(new WheelwrightServer(
                config.server().host(),
                config.server().port(),
                config.server().shutdownTimeout(),
                services,
                json,
                new WheelwrightServer.Operations(
                        meters,
                        config.metrics().tokenEnv().map(env::get).filter(t -> !t.isBlank()),
                        health(storage, index, upstream, git.map(Git::refresh)),
                        notifications)));
        notifications.start(config.server()
                .baseUrl()
                .map(u -> u.replaceAll("/+$", ""))
                .orElseGet(() -> ownIndex(server.port()).replaceFirst("/simple/$", "")));
        builds.start(config.build().indexUrl().orElseGet(() -> ownIndex(server.port())));
        git.ifPresent(g -> g.refresh().start());
        return new Running(server, storage, builds, this);
    }

    /**
     * Readiness: the metadata store answers and has every migration, the artifact store is usable (its directory is
     * there and writable, or its bucket answers to our keys); degraded: git remotes whose last fetch failed, upstreams whose last request failed.
     */
    private HealthService health(
            Storage storage, IndexService index, UpstreamService upstream, Optional<MirrorRefresh> refresh) {
        return new HealthService(
                index::ready,
                storage.store()::pendingMigrations,
                () -> {
                    storage.blobs().checkReachable();
                    return true;
                },
                () -> refresh.map(r -> r.failing().stream()
                                .map(s -> new HealthService.Degraded(
                                        s.url(),
                                        s.lastErrorAt().orElseGet(clock::instant),
                                        s.lastError().orElseThrow()))
                                .toList())
                        .orElse(List.of()),
                () -> upstream.metrics().failing().entrySet().stream()
                        .map(e -> new HealthService.Degraded(e.getKey(), e.getValue(), "its last request failed"))
                        .toList());
    }

    /**
     * The receivers of {@code notifications}, with their secrets from the environment; a named variable that is not set
     * stops the start (an unsigned webhook the operator meant to sign would be worse).
     */
    private NotificationService notifications(Storage storage) {
        List<NotificationService.Target> targets = new ArrayList<>();
        List<WheelwrightConfig.Notification> configured = config.notifications();
        for (int i = 0; i < configured.size(); i++) {
            WheelwrightConfig.Notification n = configured.get(i);
            Optional<String> secret = Optional.empty();
            if (n.secretEnv().isPresent()) {
                String name = n.secretEnv().get();
                secret = Optional.ofNullable(env.get(name)).filter(s -> !s.isEmpty());
                if (secret.isEmpty()) {
                    throw new ConfigException("invalid config: notifications[" + i + "].secret-env: the environment"
                            + " variable " + name + " is not set");
                }
            }
            targets.add(new NotificationService.Target(URI.create(n.url()), Set.copyOf(n.events()), secret));
        }
        if (!targets.isEmpty()) {
            log.info("notifications: {} receivers", targets.size());
        }
        return new NotificationService(
                targets, storage.store().outbox(), new HttpWebhookSender(NOTIFICATION_TIMEOUT), clock, json);
    }

    /** JVM and process meters: memory, GC, threads, classes, CPU, uptime, open files. */
    private void bindProcessMeters() {
        new JvmMemoryMetrics().bindTo(meters);
        own(new JvmGcMetrics()).bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
    }

    /** Starts {@code server}; a server that listens is the first part closed. */
    private WheelwrightServer listen(WheelwrightServer server) {
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "cannot listen on " + config.server().host() + ":"
                            + config.server().port() + ": " + e.getMessage(),
                    e);
        }
        return own(server);
    }

    /** This server's own {@code /simple/}, on loopback when it listens on every address. */
    private String ownIndex(int port) {
        String host = config.server().host();
        String loopback = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
        return "http://" + loopback + ":" + port + "/simple/";
    }

    /**
     * The builds of git tags: workers in this process, build environments under {@code <data-dir>/build-envs}, logs
     * under {@code <data-dir>/builds}, work directories under this process's temporary directory. {@code recovery}
     * names the request of a build found unfinished at start (the git source knows it).
     */
    private BuildService buildService(
            Storage storage,
            UploadService imports,
            Optional<ReleaseRecovery> recovery,
            NotificationService notifications) {
        WheelwrightConfig.Build build = config.build();
        Optional<Path> bubblewrap = switch (build.sandbox()) {
            case "none" -> Optional.empty();
            case "bubblewrap" ->
                Optional.of(PythonWheelBuilder.findBubblewrap()
                        .orElseThrow(() -> new ConfigException(
                                "invalid config: build.sandbox: bubblewrap, but there is no bwrap on PATH")));
            default -> PythonWheelBuilder.findBubblewrap();
        };
        PythonWheelBuilder builder = new PythonWheelBuilder(
                build.python(),
                storage.dataDir().resolve("build-envs"),
                build.timeout(),
                build.maxOutputSize().bytes(),
                build.maxLogSize().bytes(),
                bubblewrap,
                List.of(storage.dataDir()));
        log.info(
                "builds: {} workers, sandbox {}",
                build.workers(),
                bubblewrap.map(Path::toString).orElse("none"));
        return new BuildService(
                storage.store().builds(),
                storage.store().catalog(),
                imports,
                builder,
                storage.tmpDir().resolve("builds"),
                new BuildLogs(storage.dataDir().resolve("builds"), storage.blobs()),
                build.workers(),
                clock,
                unfinished -> recovery.flatMap(r -> r.recover(unfinished)),
                meters,
                notifications::build,
                new BuildService.Coordination(storage.store().leases(), replicaName(), build.leaseTime()),
                hostName(),
                new BuildService.Provenance(storage.store().provenance(), version()));
    }

    /**
     * Whose turn it is to poll a repository: the replica that takes the repository's lease for nine tenths of the
     * poll interval (so the next interval's poll finds it expired).
     */
    private Predicate<String> pollTurns(Leases leases, WheelwrightConfig.Git git) {
        String owner = replicaName();
        Duration turn = git.pollInterval().multipliedBy(9).dividedBy(10);
        return url -> {
            Instant now = clock.instant();
            return leases.acquire("git-poll:" + GitUrls.key(url), owner, now, now.plus(turn));
        };
    }

    /** This build of Wheelwright's version, as Maven wrote it into {@code dev/wheelwright/version.properties}. */
    static String version() {
        try (InputStream in = Wiring.class.getResourceAsStream("/dev/wheelwright/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/wheelwright/version.properties is missing from the build");
            }
            Properties properties = new Properties();
            properties.load(in);
            return Objects.requireNonNull(properties.getProperty("version"), "version.properties names no version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/wheelwright/version.properties", e);
        }
    }

    /**
     * This server's name among replicas of one store: the host name and port, so it differs between replicas
     * running at once and stays the same when one restarts (which then takes over its own leases at once).
     */
    private String replicaName() {
        return hostName() + ":" + config.server().port();
    }

    /** The value of the environment variable a {@code *-env} key names, when it is set and not blank. */
    private Optional<String> secret(Optional<String> envName) {
        return envName.map(env::get).filter(t -> !t.isBlank());
    }

    /**
     * This machine's host name, recorded as the builder of the builds run here (one name per replica: a container's
     * host name is its own); {@code HOSTNAME} when the resolver cannot tell, else {@code localhost}.
     */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME"))
                    .filter(h -> !h.isBlank())
                    .orElse("localhost");
        }
    }

    private boolean gitConfigured() {
        WheelwrightConfig.Git git = config.git();
        return !git.projects().isEmpty()
                || !git.urlTemplates().isEmpty()
                || git.github().isPresent()
                || git.gitlab().isPresent()
                || git.gitea().isPresent();
    }

    /** The part of the git source the build service needs: the mirrors, and how they are discovered (for the log). */
    private record GitBase(GitMirrors mirrors, Optional<RepositoryDiscovery> discovery) {}

    /** The rest of the git source, made once the build service exists. */
    private record Git(MirrorRefresh refresh, UploadPolicy policy, GitSource source) {}

    /** Yanks in the catalog: every file of the release not yanked yet (so a pruned dev release is yanked once). */
    private static ReleaseYanks yanks(ProjectCatalog catalog) {
        return (project, version, reason) -> {
            for (StoredFile f : catalog.files(project)) {
                if (f.version().equals(version) && f.yankedReason().isEmpty()) {
                    catalog.setYanked(project, f.filename(), Optional.of(reason));
                    log.info("yanked {} ({})", f.filename(), reason);
                }
            }
        };
    }

    /** How many dev releases of a branch stay installable without a pin when {@code dev-keep} is not set. */
    private static final int DEV_KEEP = 3;

    private GitBase gitMirrors(Storage storage) {
        WheelwrightConfig.Git g = config.git();
        SourceRepository mirrors = mirrors(storage);
        List<ProjectSource> explicit = new ArrayList<>();
        for (WheelwrightConfig.GitProject p : g.projects()) {
            explicit.add(new ProjectSource(
                    ProjectName.parse(p.name()),
                    p.url(),
                    p.subdirectory(),
                    p.tagPattern().map(Pattern::compile),
                    ProjectSource.Origin.CONFIG,
                    p.devBranch()
                            .map(b -> new ProjectSource.DevBranch(b, p.devKeep().orElse(DEV_KEEP)))));
        }
        List<RepositoryDiscovery> discoveries = new ArrayList<>();
        g.github()
                .ifPresent(gh -> discoveries.add(new GitHubRepositoryDiscovery(
                        gh.apiUrl(), gh.org(), secret(gh.tokenEnv()), GIT_TIMEOUT, json)));
        g.gitlab()
                .ifPresent(gl -> discoveries.add(new GitLabRepositoryDiscovery(
                        gl.apiUrl(), gl.group(), secret(gl.tokenEnv()), GIT_TIMEOUT, json)));
        g.gitea()
                .ifPresent(gt -> discoveries.add(
                        new GiteaRepositoryDiscovery(gt.apiUrl(), gt.org(), secret(gt.tokenEnv()), GIT_TIMEOUT, json)));
        Optional<RepositoryDiscovery> discovery = switch (discoveries.size()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(discoveries.get(0));
            default -> Optional.of(new Discoveries(discoveries));
        };
        ProjectSources sources =
                new ProjectSources(explicit, g.urlTemplates(), discovery, mirrors, clock, TEMPLATE_MISS_TTL);
        return new GitBase(new GitMirrors(sources, mirrors), discovery);
    }

    /** The git source: releases built by {@code builds}, refreshed mirrors, the upload policy and the webhook. */
    private Git git(GitBase base, Builds builds, Leases leases, ReleaseYanks yanks) {
        WheelwrightConfig.Git g = config.git();
        GitMirrors m = base.mirrors();
        GitReleases releases = new GitReleases(m, builds, yanks, clock, REMEMBER_QUEUED);
        MirrorRefresh refresh = own(new MirrorRefresh(
                m, releases, clock, g.pollInterval(), g.checkInterval(), meters, pollTurns(leases, g)));
        Optional<WebhookSignature> signature =
                g.webhookSecretEnv().map(env::get).filter(s -> !s.isEmpty()).map(WebhookSignature::new);
        log.info(
                "git source: {} configured projects, {} URL templates{}, webhooks {}",
                g.projects().size(),
                g.urlTemplates().size(),
                base.discovery().map(d -> ", discovery of " + d.describe()).orElse(""),
                signature.isPresent() ? "on" : "off (no secret)");
        GitProjects projects = new GitProjects(m.sources(), refresh, releases, clock, g.listingWait());
        return new Git(
                refresh,
                new GitUploadPolicy(projects),
                new GitSource(projects, new GitWebhook(signature, m.sources(), refresh)));
    }

    private UpstreamService upstream(Storage storage) {
        WheelwrightConfig.Proxy proxy = config.proxy();
        List<UpstreamIndex> upstreams = upstreamIndexes();
        if (!upstreams.isEmpty() || proxy.offline()) {
            log.info(
                    "upstream proxy: {} (listing ttl {}, offline {}, quarantine {}, merged local projects {})",
                    config.upstreams().stream()
                            .map(u -> u.name() + "=" + u.url())
                            .toList(),
                    proxy.listingTtl(),
                    proxy.offline(),
                    proxy.quarantine(),
                    proxy.allowUpstream());
        }
        return new UpstreamService(
                upstreams,
                storage.store().upstreamCache(),
                storage.blobs(),
                storage.tmpDir(),
                clock,
                new UpstreamService.Settings(proxy.listingTtl(), proxy.offline(), proxy.quarantine()),
                json,
                new UpstreamMetrics(meters, clock));
    }

    // --- the closer stack

    /** Pushes {@code part} on the closer stack and returns it. */
    private <T extends AutoCloseable> T own(T part) {
        parts.push(part);
        return part;
    }

    /** Closes every part made, the last made first; a part that fails to close is logged and the rest still close. */
    @Override
    public void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("cannot close {}: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
