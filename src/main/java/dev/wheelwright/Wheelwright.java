package dev.wheelwright;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.auth.TokenService;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildRequest;
import dev.wheelwright.builds.BuildService;
import dev.wheelwright.builds.Builds;
import dev.wheelwright.builds.pip.PythonWheelBuilder;
import dev.wheelwright.common.Json;
import dev.wheelwright.config.ConfigException;
import dev.wheelwright.config.ConfigLoader;
import dev.wheelwright.config.WheelwrightConfig;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.http.WheelwrightServer;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.LocalSource;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.GitService;
import dev.wheelwright.source.GitUrls;
import dev.wheelwright.source.ProjectSource;
import dev.wheelwright.source.ProjectSources;
import dev.wheelwright.source.RepositoryDiscovery;
import dev.wheelwright.source.WebhookSignature;
import dev.wheelwright.source.github.GitHubRepositoryDiscovery;
import dev.wheelwright.source.jgit.JGitSourceRepository;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.TokenRecord;
import dev.wheelwright.storage.fs.FileSystemBlobStore;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import dev.wheelwright.upload.UploadPolicy;
import dev.wheelwright.upload.UploadService;
import dev.wheelwright.upstream.UpstreamIndex;
import dev.wheelwright.upstream.PageParser;
import dev.wheelwright.upstream.UpstreamMetrics;
import dev.wheelwright.upstream.UpstreamService;
import dev.wheelwright.upstream.file.FileUpstreamIndex;
import dev.wheelwright.upstream.http.HttpUpstreamIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line ({@code serve}, {@code token create|list|revoke}, {@code import}, {@code check}) and the
 * composition root: the only class that constructs adapters.
 */
public final class Wheelwright {
    private static final Logger log = LoggerFactory.getLogger(Wheelwright.class);
    private static final String USAGE = """
            usage: wheelwright [--config FILE] COMMAND
              serve                                   run the server
              token create --name N --scope read|upload|admin [--scope ...] [--project GLOB] [--expires 90d]
                                                      create a token; it is printed once, on the last line
              token list                              list tokens (never their secrets)
              token revoke NAME                       revoke a token
              import DIR                              load every wheel and sdist in DIR
              check                                   validate the config, open the storage, reach the upstreams and git remotes
            The config file defaults to $WHEELWRIGHT_CONFIG, then config/wheelwright.yaml.
            """;

    /** On-demand refreshes of one repository are at least this far apart (DESIGN.md, "Git source"). */
    private static final Duration REFRESH_INTERVAL = Duration.ofSeconds(10);
    /** Network timeout of one git fetch, ls-remote or discovery call. */
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a name that no URL template's repository answered for is not probed again. */
    private static final Duration TEMPLATE_MISS_TTL = Duration.ofMinutes(10);

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    Wheelwright(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        int code = new Wheelwright(System.out, System.err, System.getenv()).run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one command; returns the process exit code (serve returns when the server stops). */
    int run(String[] argv) {
        Deque<String> args = new ArrayDeque<>(List.of(argv));
        Optional<Path> configFile = Optional.empty();
        List<String> rest = new ArrayList<>();
        while (!args.isEmpty()) {
            String a = args.pop();
            if (a.equals("--config")) {
                if (args.isEmpty()) {
                    err.println("--config needs a file");
                    return 2;
                }
                configFile = Optional.of(Path.of(args.pop()));
            } else if (a.startsWith("--config=")) {
                configFile = Optional.of(Path.of(a.substring("--config=".length())));
            } else if (a.equals("-h") || a.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else {
                rest.add(a);
            }
        }
        if (rest.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        try {
            WheelwrightConfig config = loadConfig(configFile);
            String command = rest.get(0);
            List<String> params = rest.subList(1, rest.size());
            return switch (command) {
                case "serve" -> serve(config);
                case "token" -> token(config, params);
                case "import" -> importDir(config, params);
                case "check" -> check(config);
                default -> {
                    err.println("unknown command: " + command);
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        } catch (WheelwrightException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private WheelwrightConfig loadConfig(Optional<Path> explicit) {
        ConfigLoader loader = new ConfigLoader(env);
        Optional<Path> file = explicit.or(() -> Optional.ofNullable(env.get("WHEELWRIGHT_CONFIG")).map(Path::of));
        if (file.isPresent()) {
            return loader.load(file.get());
        }
        Path standard = Path.of("config", "wheelwright.yaml");
        return Files.isRegularFile(standard) ? loader.load(standard) : loader.load("");
    }

    /** The storage of one process: opened by every command, closed when it ends. */
    private record Storage(JdbcStorage store, BlobStore blobs, Path tmpDir, Path dataDir) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
            try (Stream<Path> files = Files.walk(tmpDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                log.warn("cannot clean temporary directory: {}", e.getMessage());
            }
        }
    }

    private static Storage openStorage(WheelwrightConfig config) {
        Path dataDir = config.storage().dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
            Path tmpRoot = Files.createDirectories(dataDir.resolve("tmp"));
            removeStaleTempDirs(tmpRoot);
            Path tmp = Files.createDirectories(tmpRoot.resolve(Long.toString(ProcessHandle.current().pid())));
            JdbcStorage store = JdbcStorage.openSqlite(dataDir.resolve("wheelwright.db"));
            BlobStore blobs = new FileSystemBlobStore(dataDir.resolve("blobs"));
            return new Storage(store, blobs, tmp, dataDir);
        } catch (IOException e) {
            throw new ConfigException("invalid config: storage.data-dir: cannot use " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Each process spools under tmp/PID; what a dead process left behind (a crash, kill -9) is removed. */
    private static void removeStaleTempDirs(Path tmpRoot) throws IOException {
        try (Stream<Path> dirs = Files.list(tmpRoot)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                boolean alive = name.matches("\\d{1,19}")
                        && ProcessHandle.of(Long.parseLong(name)).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
    }

    private static UploadService uploads(WheelwrightConfig config, Storage storage) {
        return uploads(config, storage, UploadPolicy.OPEN);
    }

    private static UploadService uploads(WheelwrightConfig config, Storage storage, UploadPolicy policy) {
        return new UploadService(
                storage.store().catalog(),
                storage.blobs(),
                storage.tmpDir(),
                config.upload().maxFileSize().bytes(),
                Clock.systemUTC(),
                policy);
    }

    /**
     * The builds of git tags: workers in this process, build environments under {@code <data-dir>/build-envs}, logs
     * under {@code <data-dir>/builds}, work directories under this process's temporary directory. Requirements come
     * from {@code build.index-url}, by default this server's own {@code /simple/} once it listens on {@code port}.
     * {@code recover} names the request of a build found unfinished at start (the git source knows it).
     */
    private static BuildService builds(WheelwrightConfig config, Storage storage, UploadService uploads, AtomicInteger port,
            Function<BuildRecord, Optional<BuildRequest>> recover) {
        WheelwrightConfig.Build build = config.build();
        Optional<Path> bubblewrap = switch (build.sandbox()) {
            case "none" -> Optional.empty();
            case "bubblewrap" -> Optional.of(PythonWheelBuilder.findBubblewrap().orElseThrow(() -> new ConfigException(
                    "invalid config: build.sandbox: bubblewrap, but there is no bwrap on PATH")));
            default -> PythonWheelBuilder.findBubblewrap();
        };
        String host = config.server().host();
        String loopback = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
        PythonWheelBuilder builder = new PythonWheelBuilder(
                build.python(),
                storage.dataDir().resolve("build-envs"),
                () -> build.indexUrl().orElseGet(() -> "http://" + loopback + ":" + port.get() + "/simple/"),
                build.timeout(),
                build.maxOutputSize().bytes(),
                build.maxLogSize().bytes(),
                bubblewrap,
                List.of(storage.dataDir()));
        log.info("builds: {} workers, sandbox {}", build.workers(), bubblewrap.map(Path::toString).orElse("none"));
        return new BuildService(
                storage.store().builds(),
                storage.store().catalog(),
                uploads,
                builder,
                storage.tmpDir().resolve("builds"),
                storage.dataDir().resolve("builds"),
                build.workers(),
                Clock.systemUTC(),
                recover);
    }

    /**
     * A started server and the storage it owns; closing stops the server, the git source, the builds and the
     * upstream proxy, then closes the storage.
     */
    public static final class Running implements AutoCloseable {
        private final WheelwrightServer server;
        private final Storage storage;
        private final UpstreamService upstream;
        private final BuildService builds;
        private final List<AutoCloseable> parts;

        private Running(
                WheelwrightServer server, Storage storage, UpstreamService upstream, BuildService builds, List<AutoCloseable> parts) {
            this.server = server;
            this.storage = storage;
            this.upstream = upstream;
            this.builds = builds;
            this.parts = List.copyOf(parts);
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
            server.close();
            closeAll(parts);
            builds.close();
            upstream.close();
            storage.close();
        }
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("cannot close {}: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    /** Opens the storage named by {@code config} and starts a server on it; used by {@code serve} and by tests. */
    public static Running start(WheelwrightConfig config) {
        return start(config, System.getenv(), Optional.empty());
    }

    /**
     * Starts a server like {@link #start(WheelwrightConfig)}, with secrets read from {@code env}. {@code gitBuilds}
     * replaces, for the git source only, the build service by another {@link Builds} made from the upload service
     * (tests use a double); empty: git-backed releases are built by the build service.
     */
    public static Running start(
            WheelwrightConfig config, Map<String, String> env, Optional<Function<UploadService, Builds>> gitBuilds) {
        Storage storage = openStorage(config);
        ObjectMapper json = Json.newMapper();
        TokenService tokens = new TokenService(storage.store().tokens(), Clock.systemUTC());
        AtomicReference<UploadPolicy> policy = new AtomicReference<>(UploadPolicy.OPEN);
        UploadService uploads = uploads(config, storage, (project, version) -> policy.get().check(project, version));
        AtomicReference<GitService> gitRef = new AtomicReference<>();
        AtomicInteger port = new AtomicInteger(config.server().port());
        List<AutoCloseable> parts = new ArrayList<>();
        BuildService builds;
        try {
            builds = builds(config, storage, uploads, port,
                    unfinished -> Optional.ofNullable(gitRef.get()).flatMap(g -> g.recover(unfinished)));
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        Optional<GitService> git = Optional.empty();
        UpstreamService upstream;
        IndexService index;
        try {
            if (gitConfigured(config.git())) {
                Builds forGit = gitBuilds.map(f -> f.apply(uploads)).orElse(builds);
                git = Optional.of(gitSource(config, env, storage, forGit, parts, json));
                gitRef.set(git.get());
                policy.set(git.get());
            }
            index = new IndexService(storage.store().catalog(), git.<List<LocalSource>>map(List::of).orElse(List.of()));
            upstream = upstreams(config, storage, index, json);
        } catch (RuntimeException e) {
            closeAll(parts);
            builds.close();
            storage.close();
            throw e;
        }
        WheelwrightServer.Services services = new WheelwrightServer.Services(
                storage.store().catalog(),
                storage.blobs(),
                index,
                uploads,
                tokens,
                config.auth().anonymousRead(),
                config.server().baseUrl(),
                storage.tmpDir(),
                upstream,
                builds,
                git);
        WheelwrightServer server = new WheelwrightServer(
                config.server().host(), config.server().port(), config.server().shutdownTimeout(), services, json);
        try {
            server.start();
        } catch (RuntimeException e) {
            closeAll(parts);
            builds.close();
            upstream.close();
            storage.close();
            throw new ConfigException("cannot listen on " + config.server().host() + ":" + config.server().port()
                    + ": " + e.getMessage(), e);
        }
        port.set(server.port());
        builds.start();
        git.ifPresent(GitService::start);
        return new Running(server, storage, upstream, builds, parts);
    }

    private static boolean gitConfigured(WheelwrightConfig.Git git) {
        return !git.projects().isEmpty() || !git.urlTemplates().isEmpty() || git.github().isPresent();
    }

    /** The git source: mirrors under {@code <data-dir>/git}, the name → repository mapping, the service. */
    private static GitService gitSource(
            WheelwrightConfig config, Map<String, String> env, Storage storage, Builds builds, List<AutoCloseable> parts,
            ObjectMapper json) {
        WheelwrightConfig.Git g = config.git();
        Optional<String> token = g.credentialsEnv().map(env::get).filter(t -> !t.isBlank());
        JGitSourceRepository mirrors = new JGitSourceRepository(storage.dataDir().resolve("git"), token, GIT_TIMEOUT);
        parts.add(mirrors);
        List<ProjectSource> explicit = new ArrayList<>();
        for (WheelwrightConfig.GitProject p : g.projects()) {
            explicit.add(new ProjectSource(
                    ProjectName.parse(p.name()),
                    p.url(),
                    p.subdirectory(),
                    p.tagPattern().map(Pattern::compile),
                    ProjectSource.Origin.CONFIG));
        }
        Optional<RepositoryDiscovery> discovery = g.github().map(gh -> new GitHubRepositoryDiscovery(
                gh.apiUrl(), gh.org(), gh.tokenEnv().map(env::get).filter(t -> !t.isBlank()), GIT_TIMEOUT, json));
        ProjectSources sources = new ProjectSources(
                explicit, g.urlTemplates(), discovery, mirrors, Clock.systemUTC(), TEMPLATE_MISS_TTL);
        Optional<WebhookSignature> webhook = g.webhookSecretEnv().map(env::get).filter(s -> !s.isEmpty()).map(WebhookSignature::new);
        GitService git = new GitService(sources, mirrors, builds, Clock.systemUTC(),
                new GitService.Settings(REFRESH_INTERVAL, g.listingWait(), g.pollInterval()), webhook);
        parts.add(0, git);
        log.info("git source: {} configured projects, {} URL templates{}, webhooks {}", explicit.size(), g.urlTemplates().size(),
                discovery.map(d -> ", discovery of " + d.describe()).orElse(""), webhook.isPresent() ? "on" : "off (no secret)");
        return git;
    }

    private static List<UpstreamIndex> upstreamIndexes(WheelwrightConfig config, ObjectMapper json) {
        WheelwrightConfig.Proxy proxy = config.proxy();
        PageParser pages = new PageParser(json);
        List<UpstreamIndex> upstreams = new ArrayList<>();
        for (WheelwrightConfig.Upstream u : config.upstreams()) {
            URI url = URI.create(u.url());
            upstreams.add("file".equals(url.getScheme())
                    ? new FileUpstreamIndex(u.name(), url, pages)
                    : new HttpUpstreamIndex(u.name(), url, u.connectTimeout().orElse(proxy.connectTimeout()),
                            u.readTimeout().orElse(proxy.readTimeout()), pages));
        }
        return upstreams;
    }

    private static UpstreamService upstreams(
            WheelwrightConfig config, Storage storage, IndexService index, ObjectMapper json) {
        WheelwrightConfig.Proxy proxy = config.proxy();
        List<UpstreamIndex> upstreams = upstreamIndexes(config, json);
        if (!upstreams.isEmpty() || proxy.offline()) {
            log.info("upstream proxy: {} (listing ttl {}, offline {}, quarantine {}, merged local projects {})",
                    config.upstreams().stream().map(u -> u.name() + "=" + u.url()).toList(), proxy.listingTtl(),
                    proxy.offline(), proxy.quarantine(), proxy.allowUpstream());
        }
        return new UpstreamService(
                upstreams,
                storage.store().upstreamCache(),
                storage.blobs(),
                storage.tmpDir(),
                Clock.systemUTC(),
                new UpstreamService.Settings(proxy.listingTtl(), proxy.offline(), proxy.quarantine(),
                        java.util.Set.copyOf(proxy.allowUpstream())),
                index::isLocal,
                new UpstreamMetrics());
    }

    private int serve(WheelwrightConfig config) {
        Running running = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            running.close();
            stopped.countDown();
        }, "wheelwright-shutdown"));
        log.info(
                "wheelwright serving http://{}:{}/simple/ (data in {}, anonymous read {})",
                config.server().host(),
                running.port(),
                running.dataDir(),
                config.auth().anonymousRead());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private int token(WheelwrightConfig config, List<String> params) {
        if (params.isEmpty()) {
            err.println("token needs a subcommand: create, list or revoke");
            return 2;
        }
        try (Storage storage = openStorage(config)) {
            TokenService tokens = new TokenService(storage.store().tokens(), Clock.systemUTC());
            switch (params.get(0)) {
                case "create" -> {
                    Optional<String> name = Optional.empty();
                    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
                    Optional<String> project = Optional.empty();
                    Optional<Duration> expires = Optional.empty();
                    Deque<String> rest = new ArrayDeque<>(params.subList(1, params.size()));
                    while (!rest.isEmpty()) {
                        String flag = rest.pop();
                        if (rest.isEmpty()) {
                            err.println(flag + " needs a value");
                            return 2;
                        }
                        String value = rest.pop();
                        switch (flag) {
                            case "--name" -> name = Optional.of(value);
                            case "--scope" -> {
                                for (String s : value.split(",")) {
                                    scopes.add(Scope.parse(s));
                                }
                            }
                            case "--project" -> project = Optional.of(value);
                            case "--expires" -> expires = Optional.of(parseDays(value));
                            default -> {
                                err.println("unknown option " + flag);
                                return 2;
                            }
                        }
                    }
                    if (name.isEmpty() || scopes.isEmpty()) {
                        err.println("token create needs --name and --scope");
                        return 2;
                    }
                    TokenService.CreatedToken created = tokens.create(name.get(), scopes, project, expires);
                    out.println("created token '" + created.record().name() + "' with scopes "
                            + String.join(",", created.record().scopes())
                            + created.record().projectGlob().map(g -> " for projects " + g).orElse("")
                            + "; it is shown only now:");
                    out.println(created.token());
                    return 0;
                }
                case "list" -> {
                    out.printf("%-24s %-20s %-16s %-25s %-25s %s%n", "NAME", "SCOPES", "PROJECTS", "CREATED", "LAST USED", "EXPIRES");
                    for (TokenRecord t : tokens.list()) {
                        out.printf(
                                "%-24s %-20s %-16s %-25s %-25s %s%n",
                                t.name(),
                                String.join(",", t.scopes()),
                                t.projectGlob().orElse("*"),
                                t.created(),
                                t.lastUsed().map(Object::toString).orElse("never"),
                                t.expires().map(Object::toString).orElse("never"));
                    }
                    return 0;
                }
                case "revoke" -> {
                    if (params.size() != 2) {
                        err.println("usage: token revoke NAME");
                        return 2;
                    }
                    if (!tokens.revoke(params.get(1))) {
                        err.println("no token named " + params.get(1));
                        return 1;
                    }
                    out.println("revoked token '" + params.get(1) + "'");
                    return 0;
                }
                default -> {
                    err.println("unknown token subcommand: " + params.get(0));
                    return 2;
                }
            }
        }
    }

    private static Duration parseDays(String value) {
        if (!value.matches("\\d{1,5}d")) {
            throw new ConfigException("--expires takes a number of days, e.g. 90d");
        }
        return Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
    }

    private int importDir(WheelwrightConfig config, List<String> params) {
        if (params.size() != 1) {
            err.println("usage: import DIR");
            return 2;
        }
        Path dir = Path.of(params.get(0));
        if (!Files.isDirectory(dir)) {
            err.println("not a directory: " + dir);
            return 2;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".whl") || n.endsWith(".tar.gz") || n.endsWith(".zip");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            err.println("cannot list " + dir + ": " + e.getMessage());
            return 1;
        }
        int stored = 0;
        int present = 0;
        int failed = 0;
        try (Storage storage = openStorage(config)) {
            UploadService uploads = uploads(config, storage);
            for (Path f : files) {
                try {
                    UploadService.Result r = uploads.importFile(f, "import");
                    if (r.outcome() == UploadService.Outcome.STORED) {
                        stored++;
                    } else {
                        present++;
                    }
                } catch (WheelwrightException e) {
                    failed++;
                    err.println("skipped " + f.getFileName() + ": " + e.getMessage());
                }
            }
        }
        out.println("imported " + stored + " files, " + present + " already present, " + failed + " refused");
        return failed == 0 ? 0 : 1;
    }

    private int check(WheelwrightConfig config) {
        int unreachable = 0;
        try (Storage storage = openStorage(config)) {
            out.println("config ok; storage ok: " + storage.store().catalog().projects().size() + " projects in "
                    + config.storage().dataDir().toAbsolutePath().normalize());
            for (UpstreamIndex upstream : upstreamIndexes(config, Json.newMapper())) {
                try { // any project page will do: pip is on every index that can serve pip's users
                    upstream.page(dev.wheelwright.python.ProjectName.parse("pip"), Optional.empty(), Optional.empty());
                    out.println("upstream " + upstream.name() + " ok");
                } catch (WheelwrightException e) {
                    unreachable++;
                    out.println("upstream " + upstream.name() + " unreachable: " + e.getMessage());
                }
            }
            WheelwrightConfig.Git g = config.git();
            Optional<String> token = g.credentialsEnv().map(env::get).filter(t -> !t.isBlank());
            try (JGitSourceRepository mirrors = new JGitSourceRepository(storage.dataDir().resolve("git"), token, GIT_TIMEOUT)) {
                for (WheelwrightConfig.GitProject p : g.projects()) {
                    boolean ok = mirrors.exists(p.url());
                    unreachable += ok ? 0 : 1;
                    out.println("git " + p.name() + ": " + GitUrls.redact(p.url()) + (ok ? " reachable" : " NOT reachable"));
                }
            }
        }
        return unreachable == 0 ? 0 : 1;
    }
}
