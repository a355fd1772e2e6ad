package dev.wheelwright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    @Test
    void the_shipped_config_file_is_exactly_the_built_in_defaults() {
        WheelwrightConfig shipped = loader.load(Path.of("config", "wheelwright.yaml"));

        assertThat(shipped).isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void the_compose_stacks_replica_config_is_valid_and_scaled_out() {
        WheelwrightConfig replica = loader.load(Path.of("docker", "wheelwright.yaml"));

        assertThat(replica.storage().metadata().type()).isEqualTo("postgres");
        assertThat(replica.storage().metadata().url()).contains("jdbc:postgresql://postgres:5432/wheelwright");
        assertThat(replica.storage().artifacts().type()).isEqualTo("s3");
        assertThat(replica.storage().artifacts().bucket()).contains("wheelwright");
    }

    @Test
    void an_empty_file_gives_the_defaults() {
        assertThat(loader.load("")).isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void environment_variables_override_keys_whether_or_not_the_file_has_them() {
        ConfigLoader withEnv = new ConfigLoader(Map.of(
                "WHEELWRIGHT_SERVER_PORT", "9999",
                "WHEELWRIGHT_STORAGE_DATA_DIR", "/srv/wheelwright",
                "WHEELWRIGHT_AUTH_ANONYMOUS_READ", "false",
                "WHEELWRIGHT_SERVER_BASE_URL", "https://pypi.example.com",
                "WHEELWRIGHT_UPLOAD_MAX_FILE_SIZE", "2GB",
                "WHEELWRIGHT_GIT_POLL_INTERVAL", "30s"));

        WheelwrightConfig config = withEnv.load("server:\n  port: 8081\n");

        assertThat(config.server().port()).isEqualTo(9999);
        assertThat(config.storage().dataDir()).isEqualTo(Path.of("/srv/wheelwright"));
        assertThat(config.auth().anonymousRead()).isFalse();
        assertThat(config.server().baseUrl()).isEqualTo(Optional.of("https://pypi.example.com"));
        assertThat(config.upload().maxFileSize().bytes()).isEqualTo(2L << 30);
        assertThat(config.git().pollInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void reads_upstreams_with_their_timeouts_and_proxy_settings_from_file_and_environment() {
        ConfigLoader withEnv =
                new ConfigLoader(Map.of("WHEELWRIGHT_PROXY_OFFLINE", "true", "WHEELWRIGHT_PROXY_QUARANTINE", "3d"));

        WheelwrightConfig config = withEnv.load("""
                upstreams:
                  - {name: pypi, url: 'https://pypi.org/simple/', read-timeout: 20s}
                  - {name: tree, url: 'file:///srv/simple/'}
                proxy: {listing-ttl: 1m, allow-upstream: [Acme_Utils]}
                """);

        assertThat(config.upstreams())
                .containsExactly(
                        new WheelwrightConfig.Upstream(
                                "pypi",
                                "https://pypi.org/simple/",
                                Optional.empty(),
                                Optional.of(Duration.ofSeconds(20))),
                        new WheelwrightConfig.Upstream("tree", "file:///srv/simple/"));
        assertThat(config.proxy())
                .isEqualTo(new WheelwrightConfig.Proxy(
                        Duration.ofMinutes(1),
                        true,
                        Duration.ofDays(3),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        java.util.List.of("Acme_Utils")));
    }

    @Test
    void logging_format_and_the_metrics_token_variable_come_from_file_or_environment() {
        WheelwrightConfig config = new ConfigLoader(
                        Map.of("WHEELWRIGHT_LOGGING_FORMAT", "json", "WHEELWRIGHT_METRICS_TOKEN_ENV", "SCRAPE_TOKEN"))
                .load("");

        assertThat(config.logging().format()).isEqualTo("json");
        assertThat(config.metrics().tokenEnv()).hasValue("SCRAPE_TOKEN");
        assertThat(new ConfigLoader(Map.of()).load("").logging().format()).isEqualTo("text");
    }

    @Test
    void the_access_log_is_on_unless_turned_off_in_the_file_or_the_environment() {
        assertThat(new ConfigLoader(Map.of()).load("").logging().access()).isTrue();
        assertThat(new ConfigLoader(Map.of())
                        .load("logging: {access: false}")
                        .logging()
                        .access())
                .isFalse();
        assertThat(new ConfigLoader(Map.of("WHEELWRIGHT_LOGGING_ACCESS", "false"))
                        .load("")
                        .logging()
                        .access())
                .isFalse();
    }

    @Test
    void an_unknown_logging_format_is_refused_naming_the_key() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load("logging: {format: xml}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config: logging.format: must be text or json");
    }

    @Test
    void a_postgres_metadata_store_is_configured_from_file_or_environment_with_its_password_left_to_a_variable() {
        WheelwrightConfig fromFile = loader.load("""
                storage:
                  metadata: {type: postgres, url: 'jdbc:postgresql://db:5432/ww', user: ww, password-env: DB_PW}
                """);
        WheelwrightConfig fromEnv = new ConfigLoader(Map.of(
                        "WHEELWRIGHT_STORAGE_METADATA_TYPE", "postgres",
                        "WHEELWRIGHT_STORAGE_METADATA_URL", "jdbc:postgresql://db:5432/ww",
                        "WHEELWRIGHT_STORAGE_METADATA_USER", "ww",
                        "WHEELWRIGHT_STORAGE_METADATA_PASSWORD_ENV", "DB_PW",
                        "WHEELWRIGHT_STORAGE_METADATA_POOL_SIZE", "4"))
                .load("");

        assertThat(fromFile.storage().metadata())
                .isEqualTo(new WheelwrightConfig.Metadata(
                        "postgres",
                        Optional.of("jdbc:postgresql://db:5432/ww"),
                        Optional.of("ww"),
                        Optional.of("DB_PW"),
                        10));
        assertThat(fromEnv.storage().metadata())
                .isEqualTo(new WheelwrightConfig.Metadata(
                        "postgres",
                        Optional.of("jdbc:postgresql://db:5432/ww"),
                        Optional.of("ww"),
                        Optional.of("DB_PW"),
                        4));
    }

    @Test
    void names_environment_variables_after_the_key_path() {
        assertThat(ConfigLoader.envName("storage.data-dir")).isEqualTo("WHEELWRIGHT_STORAGE_DATA_DIR");
        assertThat(ConfigLoader.envName("server.port")).isEqualTo("WHEELWRIGHT_SERVER_PORT");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            server: {prot: 80}                          | server.prot: unknown key
            server: {port: 70000}                       | server.port: must be 0..65535
            server: {port: eighty}                      | server.port
            storage: {metadata: {type: oracle}}         | storage.metadata.type: unsupported type 'oracle'
            storage: {metadata: {type: postgres}}       | storage.metadata.url: is required with type postgres
            storage: {metadata: {type: postgres, url: 'jdbc:mysql://h/db', user: u, password-env: P}} | storage.metadata.url: must start with jdbc:postgresql://
            storage: {metadata: {type: postgres, url: 'jdbc:postgresql://h/db?ssl=true&password=x', user: u, password-env: P}} | storage.metadata.url: must not carry the password
            storage: {metadata: {type: postgres, url: 'jdbc:postgresql://h/db', password-env: P}} | storage.metadata.user: is required
            storage: {metadata: {type: postgres, url: 'jdbc:postgresql://h/db', user: u}} | storage.metadata.password-env: is required
            storage: {metadata: {url: 'jdbc:postgresql://h/db'}} | storage.metadata.url: is only used with type postgres
            storage: {metadata: {pool-size: 0}}         | storage.metadata.pool-size: must be 1..1000
            storage: {artifacts: {type: gcs}}          | storage.artifacts.type: unsupported type 'gcs' (this version supports: filesystem, s3)
            storage: {artifacts: {type: s3}}           | storage.artifacts.endpoint: is required for type s3
            storage: {artifacts: {type: s3, endpoint: 'ftp://h'}} | storage.artifacts.endpoint: must be an absolute http(s) URL
            storage: {artifacts: {type: s3, endpoint: 'http://k:s@h'}} | storage.artifacts.endpoint: must be an absolute http(s) URL without credentials
            storage: {artifacts: {type: s3, endpoint: 'http://h'}} | storage.artifacts.bucket: is required for type s3
            storage: {artifacts: {type: s3, endpoint: 'http://h', bucket: Bad_Name}} | storage.artifacts.bucket
            storage: {artifacts: {type: s3, endpoint: 'http://h', bucket: wwb}} | storage.artifacts.region: is required for type s3
            storage: {artifacts: {type: s3, endpoint: 'http://h', bucket: wwb, region: r}} | storage.artifacts.access-key-env: is required
            storage: {artifacts: {type: s3, endpoint: 'http://h', bucket: wwb, region: r, access-key-env: A}} | storage.artifacts.secret-key-env: is required
            storage: {artifacts: {type: s3, endpoint: 'http://127.0.0.1:9000', bucket: wwb, region: r, access-key-env: A, secret-key-env: S, key-prefix: '/abs'}} | storage.artifacts.key-prefix: must be empty or path segments
            storage: {artifacts: {type: s3, endpoint: 'http://127.0.0.1:9000', bucket: wwb, region: r, access-key-env: A, secret-key-env: S, key-prefix: 'no-slash'}} | storage.artifacts.key-prefix
            storage: {artifacts: {type: s3, endpoint: 'http://127.0.0.1:9000', bucket: wwb, region: r, access-key-env: A, secret-key-env: S, part-size: 1MB}} | storage.artifacts.part-size: must be between 5MB and 5GB
            storage: {artifacts: {type: s3, endpoint: 'http://127.0.0.1:9000', bucket: wwb, region: r, access-key-env: A, secret-key-env: S, redirect-lifetime: 8d}} | storage.artifacts.redirect-lifetime: must be at most 7d
            storage: {artifacts: {type: s3, endpoint: 'http://127.0.0.1:9000', bucket: wwb, region: r, access-key-env: A, secret-key-env: S, redirect-lifetime: 0s}} | storage.artifacts.redirect-lifetime: must be positive
            git: {poll-interval: soon}                  | git.poll-interval: not a duration
            upload: {max-file-size: lots}               | upload.max-file-size: not a size
            build: {workers: 0}                         | build.workers: must be at least 1
            build: {index-url: 'ftp://x/simple/'}       | build.index-url: must be an absolute http(s) or file URL
            build: {index-url: 'http://u:p@h/simple/'}  | build.index-url: must be an absolute http(s) or file URL
            build: {max-output-size: 0}                 | build.max-output-size
            build: {sandbox: docker}                    | build.sandbox: must be auto, bubblewrap or none
            server: {base-url: 'ftp://x'}               | server.base-url: must be an absolute http(s) URL
            colour: blue                                | colour: unknown key
            upstreams: [{name: a, url: 'ftp://x/'}]     | upstreams[0].url: must be an absolute http(s):// or file:/// URL
            upstreams: [{url: 'https://x/'}]            | upstreams[0].name: is required
            upstreams: [{name: a, url: 'https://x/'}, {name: a, url: 'https://y/'}] | upstreams[1].name: 'a' is used twice
            upstreams: [{name: a, url: 'https://x/', read-timeout: 0s}] | upstreams[0].read-timeout: must be positive
            upstreams: [{name: a, url: 'https://x/', timeout: 1s}] | upstreams[0].timeout: unknown key
            proxy: {connect-timeout: 0s}                | proxy.connect-timeout: must be positive
            proxy: {listing-ttl: soon}                  | proxy.listing-ttl: not a duration
            proxy: {allow-upstream: ['-bad']}           | proxy.allow-upstream[0]: '-bad' is not a valid project name
            """)
    void refuses_an_invalid_config_naming_the_key(String yaml, String message) {
        assertThatThrownBy(() -> loader.load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void binds_an_s3_artifact_store_with_its_defaults() {
        WheelwrightConfig.Artifacts a = loader.load(
                        "storage: {artifacts: {type: s3, endpoint: 'http://127.0.0.1:9000', bucket: wwb, region: r, access-key-env: A, secret-key-env: S, redirect: true}}")
                .storage()
                .artifacts();

        assertThat(a.type()).isEqualTo("s3");
        assertThat(a.endpoint()).contains("http://127.0.0.1:9000");
        assertThat(a.pathStyle()).isTrue();
        assertThat(a.keyPrefix()).isEmpty();
        assertThat(a.partSize().bytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(a.redirect()).isTrue();
        assertThat(a.redirectLifetime()).isEqualTo(java.time.Duration.ofMinutes(5));
    }

    @Test
    void refuses_text_that_is_not_yaml() {
        assertThatThrownBy(() -> loader.load("server: [unclosed"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
    }
}
