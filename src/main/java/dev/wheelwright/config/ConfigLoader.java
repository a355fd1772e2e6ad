package dev.wheelwright.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.wheelwright.python.ProjectName;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the YAML config file over the built-in defaults, applies {@code WHEELWRIGHT_*} environment overrides to
 * every scalar key, binds the result and validates it. Unknown keys and invalid values fail with the key path.
 */
public final class ConfigLoader {
    /** A PEP 508 project name, as config entries spell the projects they name. */
    private static final Pattern PROJECT_NAME = Pattern.compile("(?i)[a-z0-9]([a-z0-9._-]*[a-z0-9])?");

    private final Map<String, String> env;
    private final ObjectMapper mapper;
    /** {@link #defaults()} as a tree, every key present (absent optionals as nulls): what a file is merged over. */
    private final ObjectNode defaultsTree;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.mapper = mapper();
        this.defaultsTree = mapper.valueToTree(defaults());
    }

    /** The built-in defaults: the embedded storage under {@code ./data}, port 8080, no upstreams. */
    public static WheelwrightConfig defaults() {
        return new WheelwrightConfig(
                new WheelwrightConfig.Server("0.0.0.0", 8080, Optional.empty(), Duration.ofSeconds(10)),
                new WheelwrightConfig.Storage(
                        Path.of("./data"),
                        new WheelwrightConfig.Metadata(
                                "sqlite", Optional.empty(), Optional.empty(), Optional.empty(), 10),
                        new WheelwrightConfig.Artifacts(
                                "filesystem",
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                true,
                                Optional.empty(),
                                Optional.empty(),
                                "",
                                DataSize.parse("16MB"),
                                false,
                                Duration.ofMinutes(5))),
                List.of(),
                new WheelwrightConfig.Auth(true),
                new WheelwrightConfig.Upload(DataSize.parse("512MB")),
                new WheelwrightConfig.Git(
                        Duration.ofMinutes(5),
                        Optional.of("GIT_TOKEN"),
                        List.of(),
                        Optional.empty(),
                        Optional.of("WEBHOOK_SECRET"),
                        List.of(),
                        Duration.ofSeconds(10),
                        Optional.empty(),
                        Optional.empty(),
                        Duration.ofMillis(250)),
                new WheelwrightConfig.Build(
                        "python3",
                        2,
                        Duration.ofMinutes(10),
                        Optional.empty(),
                        DataSize.parse("512MB"),
                        DataSize.parse("8MB"),
                        "auto",
                        Duration.ofSeconds(30)),
                new WheelwrightConfig.Proxy(
                        Duration.ofMinutes(10),
                        false,
                        Duration.ZERO,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        List.of()),
                new WheelwrightConfig.Metrics(Optional.empty()),
                new WheelwrightConfig.Logging("text", true),
                List.of());
    }

    /** Loads {@code file} (which must exist) over the defaults. */
    public WheelwrightConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file not found: " + file);
        }
        try {
            return load(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads YAML text over the defaults. */
    public WheelwrightConfig load(String yaml) {
        ObjectNode tree = defaultsTree.deepCopy();
        JsonNode file;
        try {
            file = mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config is not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (file != null && !file.isNull() && !file.isMissingNode()) {
            if (!file.isObject()) {
                throw new ConfigException("config must be a YAML mapping of keys");
            }
            merge(tree, (ObjectNode) file);
        }
        overlayEnvironment(tree, "");
        WheelwrightConfig config;
        try {
            config = mapper.treeToValue(tree, WheelwrightConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException("invalid config: " + keyPath(e) + ": " + problem(e), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid config: " + e.getOriginalMessage(), e);
        }
        validate(config);
        return config;
    }

    /** Serializes a config to YAML with secrets left out (they only ever come from the environment). */
    public String describe(WheelwrightConfig config) {
        try {
            return mapper.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot render config", e);
        }
    }

    private static void merge(ObjectNode base, ObjectNode overlay) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode current = base.get(e.getKey());
            if (current instanceof ObjectNode currentObject && e.getValue() instanceof ObjectNode next) {
                merge(currentObject, next);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private void overlayEnvironment(ObjectNode node, String prefix) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            JsonNode value = node.get(name);
            if (value.isObject()) {
                overlayEnvironment((ObjectNode) value, path);
            } else if (!value.isArray()) {
                String override = env.get(envName(path));
                if (override != null) {
                    node.set(name, JsonNodeFactory.instance.textNode(override));
                }
            }
        }
    }

    /** {@code storage.data-dir} → {@code WHEELWRIGHT_STORAGE_DATA_DIR}. */
    public static String envName(String keyPath) {
        return "WHEELWRIGHT_"
                + keyPath.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void validate(WheelwrightConfig c) {
        require(c.server().port() >= 0 && c.server().port() <= 65535, "server.port", "must be 0..65535");
        require(!c.server().host().isBlank(), "server.host", "must not be empty");
        c.server()
                .baseUrl()
                .ifPresent(u -> require(
                        isWeb(uri("server.base-url", u)), "server.base-url", "must be an absolute http(s) URL"));
        validateMetadata(c.storage().metadata());
        validateArtifacts(c.storage().artifacts());
        require(List.of("text", "json").contains(c.logging().format()), "logging.format", "must be text or json");
        require(c.upload().maxFileSize().bytes() > 0, "upload.max-file-size", "must be positive");
        require(c.build().workers() >= 1, "build.workers", "must be at least 1");
        require(
                !c.build().timeout().isNegative() && !c.build().timeout().isZero(),
                "build.timeout",
                "must be positive");
        require(!c.build().python().isBlank(), "build.python", "must not be empty");
        c.build().indexUrl().ifPresent(u -> {
            URI uri = uri("build.index-url", u);
            require(
                    ("http".equals(uri.getScheme())
                                    || "https".equals(uri.getScheme())
                                    || "file".equals(uri.getScheme()))
                            && uri.getPath() != null
                            && uri.getUserInfo() == null,
                    "build.index-url",
                    "must be an absolute http(s) or file URL without credentials");
        });
        require(c.build().maxOutputSize().bytes() > 0, "build.max-output-size", "must be positive");
        require(c.build().maxLogSize().bytes() > 0, "build.max-log-size", "must be positive");
        require(
                List.of("auto", "bubblewrap", "none").contains(c.build().sandbox()),
                "build.sandbox",
                "must be auto, bubblewrap or none");
        require(
                c.build().leaseTime().compareTo(Duration.ofSeconds(3)) >= 0,
                "build.lease-time",
                "must be at least 3s (a running build renews its lease every second)");
        require(!c.git().pollInterval().isNegative(), "git.poll-interval", "must not be negative");
        validateGit(c.git());
        java.util.Set<String> upstreamNames = new java.util.HashSet<>();
        eachEntry("upstreams", c.upstreams(), (key, u) -> {
            require(
                    u.name() != null && u.name().matches("[A-Za-z0-9._-]{1,64}"),
                    key + ".name",
                    "is required: 1-64 letters, digits, '.', '_' or '-'");
            require(upstreamNames.add(u.name()), key + ".name", "'" + u.name() + "' is used twice");
            require(u.url() != null && !u.url().isBlank(), key + ".url", "is required");
            URI uri = uri(key + ".url", u.url());
            boolean web = isWeb(uri);
            boolean file = "file".equals(uri.getScheme())
                    && uri.getPath() != null
                    && uri.getPath().startsWith("/");
            require(web || file, key + ".url", "must be an absolute http(s):// or file:/// URL");
            u.connectTimeout().ifPresent(d -> require(isPositive(d), key + ".connect-timeout", "must be positive"));
            u.readTimeout().ifPresent(d -> require(isPositive(d), key + ".read-timeout", "must be positive"));
        });
        eachEntry("notifications", c.notifications(), (key, n) -> {
            require(n.url() != null && !n.url().isBlank(), key + ".url", "is required");
            require(isWeb(uri(key + ".url", n.url())), key + ".url", "must be an absolute http(s) URL");
            require(!n.events().isEmpty(), key + ".events", "needs at least one event");
            for (String event : n.events()) {
                require(
                        NOTIFICATION_EVENTS.contains(event),
                        key + ".events",
                        "unknown event '" + event + "' (known: " + String.join(", ", NOTIFICATION_EVENTS) + ")");
            }
        });
        WheelwrightConfig.Proxy proxy = c.proxy();
        require(!proxy.listingTtl().isNegative(), "proxy.listing-ttl", "must not be negative");
        require(!proxy.quarantine().isNegative(), "proxy.quarantine", "must not be negative");
        require(isPositive(proxy.connectTimeout()), "proxy.connect-timeout", "must be positive");
        require(isPositive(proxy.readTimeout()), "proxy.read-timeout", "must be positive");
        eachEntry(
                "proxy.allow-upstream",
                proxy.allowUpstream(),
                (key, name) -> require(
                        name != null && PROJECT_NAME.matcher(name).matches(),
                        key,
                        "'" + name + "' is not a valid project name"));
    }

    private static void validateMetadata(WheelwrightConfig.Metadata m) {
        String key = "storage.metadata.";
        require(
                List.of("sqlite", "postgres").contains(m.type()),
                key + "type",
                "unsupported type '" + m.type() + "' (this version supports: sqlite, postgres)");
        require(m.poolSize() >= 1 && m.poolSize() <= 1000, key + "pool-size", "must be 1..1000");
        if (m.type().equals("sqlite")) {
            require(m.url().isEmpty(), key + "url", "is only used with type postgres");
            require(m.user().isEmpty(), key + "user", "is only used with type postgres");
            require(m.passwordEnv().isEmpty(), key + "password-env", "is only used with type postgres");
            return;
        }
        String url = m.url().orElse("");
        require(
                !url.isBlank(),
                key + "url",
                "is required with type postgres, e.g. jdbc:postgresql://db:5432/wheelwright");
        require(
                url.startsWith("jdbc:postgresql://") && url.length() > "jdbc:postgresql://".length(),
                key + "url",
                "must start with jdbc:postgresql://, e.g. jdbc:postgresql://db:5432/wheelwright");
        require(
                !url.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*"),
                key + "url",
                "must not carry the password: name its environment variable in storage.metadata.password-env");
        require(m.user().filter(u -> !u.isBlank()).isPresent(), key + "user", "is required with type postgres");
        require(
                m.passwordEnv().filter(v -> !v.isBlank()).isPresent(),
                key + "password-env",
                "is required with type postgres: the environment variable that holds the password");
    }

    /** The events of {@code notifications[].events}, as the notification service sends them. */
    private static final List<String> NOTIFICATION_EVENTS =
            List.of("upload", "yank", "tag-seen", "build-succeeded", "build-failed");

    /** {@code storage.artifacts}: a filesystem store needs nothing more; an s3 store needs where and how to sign. */
    private static void validateArtifacts(WheelwrightConfig.Artifacts a) {
        require(
                List.of("filesystem", "s3").contains(a.type()),
                "storage.artifacts.type",
                "unsupported type '" + a.type() + "' (this version supports: filesystem, s3)");
        if (!a.type().equals("s3")) {
            return;
        }
        String endpoint = a.endpoint().orElse("");
        require(!endpoint.isBlank(), "storage.artifacts.endpoint", "is required for type s3");
        URI uri = uri("storage.artifacts.endpoint", endpoint);
        require(
                isWeb(uri) && uri.getUserInfo() == null,
                "storage.artifacts.endpoint",
                "must be an absolute http(s) URL without credentials");
        require(
                a.bucket()
                        .filter(b -> b.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"))
                        .isPresent(),
                "storage.artifacts.bucket",
                "is required for type s3: 3-63 lower-case letters, digits, '.' or '-'");
        require(
                a.region().filter(r -> !r.isBlank()).isPresent(),
                "storage.artifacts.region",
                "is required for type s3 (e.g. us-east-1; MinIO and S3Proxy accept any)");
        require(
                a.accessKeyEnv().filter(v -> !v.isBlank()).isPresent(),
                "storage.artifacts.access-key-env",
                "is required for type s3: the name of the environment variable holding the access key");
        require(
                a.secretKeyEnv().filter(v -> !v.isBlank()).isPresent(),
                "storage.artifacts.secret-key-env",
                "is required for type s3: the name of the environment variable holding the secret key");
        require(
                a.keyPrefix().isEmpty() || a.keyPrefix().matches("([A-Za-z0-9_+-][A-Za-z0-9._+-]*/)+"),
                "storage.artifacts.key-prefix",
                "must be empty or path segments each ending in '/', e.g. wheelwright/");
        require(
                a.partSize().bytes() >= 5L * 1024 * 1024 && a.partSize().bytes() <= 5L * 1024 * 1024 * 1024,
                "storage.artifacts.part-size",
                "must be between 5MB and 5GB (S3's part limits)");
        require(isPositive(a.redirectLifetime()), "storage.artifacts.redirect-lifetime", "must be positive");
        require(
                a.redirectLifetime().compareTo(Duration.ofDays(7)) <= 0,
                "storage.artifacts.redirect-lifetime",
                "must be at most 7d (the longest a presigned URL is valid)");
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void validateGit(WheelwrightConfig.Git git) {
        require(!git.listingWait().isNegative(), "git.listing-wait", "must not be negative");
        require(!git.checkInterval().isNegative(), "git.check-interval", "must not be negative");
        eachEntry(
                "git.url-templates",
                git.urlTemplates(),
                (key, t) -> require(t != null && t.contains("{name}"), key, "must contain the placeholder {name}"));
        git.github().ifPresent(gh -> checkHost("git.github", "org", gh.org(), gh.apiUrl(), "https://api.github.com"));
        git.gitlab()
                .ifPresent(gl ->
                        checkHost("git.gitlab", "group", gl.group(), gl.apiUrl(), "https://gitlab.example.com/api/v4"));
        git.gitea()
                .ifPresent(
                        gt -> checkHost("git.gitea", "org", gt.org(), gt.apiUrl(), "https://gitea.example.com/api/v1"));
        Set<String> names = new HashSet<>();
        eachEntry("git.projects", git.projects(), (key, p) -> {
            require(
                    p.name() != null && PROJECT_NAME.matcher(p.name()).matches(),
                    key + ".name",
                    "'" + p.name() + "' is not a valid project name");
            require(
                    names.add(ProjectName.normalize(p.name())),
                    key + ".name",
                    "project " + p.name() + " is listed twice");
            require(p.url() != null && !p.url().isBlank(), key + ".url", "is required");
            p.subdirectory()
                    .ifPresent(d -> require(
                            !d.isBlank()
                                    && !d.startsWith("/")
                                    && !d.contains("\\")
                                    && Arrays.stream(d.split("/")).noneMatch(seg -> seg.equals("..")),
                            key + ".subdirectory",
                            "must be a relative path inside the repository, without '..'"));
            if (p.tagPattern().isPresent()) {
                Pattern pattern;
                try {
                    pattern = Pattern.compile(p.tagPattern().get());
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(
                            "invalid config: " + key + ".tag-pattern: not a valid regex: " + e.getDescription());
                }
                require(
                        pattern.pattern().contains("(?<version>")
                                || pattern.matcher("").groupCount() >= 1,
                        key + ".tag-pattern",
                        "needs a named group version, e.g. ^mypkg/v(?<version>.+)$");
            }
            p.devBranch()
                    .ifPresent(b -> require(
                            isBranchName(b),
                            key + ".dev-branch",
                            "'" + b + "' is not a branch name (e.g. main or release/2.x)"));
            p.devKeep().ifPresent(k -> {
                require(p.devBranch().isPresent(), key + ".dev-keep", "needs dev-branch");
                require(k >= 1 && k <= 1000, key + ".dev-keep", "must be between 1 and 1000");
            });
        });
    }

    /** A branch name git accepts as {@code refs/heads/<name>} (git check-ref-format), in the letters we allow. */
    private static boolean isBranchName(String name) {
        return name.matches("[A-Za-z0-9._/-]{1,200}")
                && !name.startsWith("-")
                && !name.contains("..")
                && !name.contains("//")
                && Arrays.stream(name.split("/", -1))
                        .noneMatch(seg -> seg.isEmpty() || seg.startsWith(".") || seg.endsWith(".lock"))
                && !name.endsWith(".");
    }

    /** Runs {@code check} on each entry of the list at {@code path}, with the entry's key ({@code path[i]}). */
    private static <T> void eachEntry(String path, List<T> entries, BiConsumer<String, T> check) {
        for (int i = 0; i < entries.size(); i++) {
            check.accept(path + "[" + i + "]", entries.get(i));
        }
    }

    /** {@code value} as a URI; one that does not parse is a {@link ConfigException} naming {@code key}. */
    private static URI uri(String key, String value) {
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid config: " + key + ": not a URL: " + value);
        }
    }

    /** Whether {@code uri} is an absolute http(s) URL with a host. */
    /** A discovery host's section ({@code key}): its owner ({@code ownerKey}, e.g. the org) and an http(s) API URL. */
    private static void checkHost(String key, String ownerKey, String owner, String apiUrl, String example) {
        require(owner != null && !owner.isBlank(), key + "." + ownerKey, "is required");
        require(
                isWeb(uri(key + ".api-url", apiUrl == null ? "" : apiUrl)),
                key + ".api-url",
                "must be an absolute http(s) URL, e.g. " + example);
    }

    private static boolean isWeb(URI uri) {
        return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException("invalid config: " + key + ": " + problem);
        }
    }

    private static String keyPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(root)" : sb.toString();
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
            return "unknown key";
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        String msg = e.getOriginalMessage();
        int newline = msg.indexOf('\n');
        return newline > 0 ? msg.substring(0, newline) : msg;
    }

    private static ObjectMapper mapper() {
        SimpleModule module = new SimpleModule("wheelwright-config");
        module.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return DurationText.parse(p.getValueAsString(""));
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage(), e);
                }
            }
        });
        module.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(DurationText.format(value));
            }
        });
        module.addDeserializer(Path.class, new JsonDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString("");
                if (text.isBlank()) {
                    throw JsonMappingException.from(p, "must not be empty");
                }
                return Path.of(text);
            }
        });
        module.addSerializer(Path.class, new JsonSerializer<>() {
            @Override
            public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toString());
            }
        });
        return new ObjectMapper(new YAMLFactory())
                .registerModule(new Jdk8Module())
                .registerModule(module)
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }
}
