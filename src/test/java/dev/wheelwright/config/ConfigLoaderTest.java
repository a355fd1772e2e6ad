package dev.wheelwright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    @Test
    void the_shipped_config_file_is_exactly_the_built_in_defaults() {
        WheelwrightConfig shipped = loader.load(Path.of("config", "wheelwright.yaml"));

        assertThat(shipped).isEqualTo(ConfigLoader.defaults());
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
            git: {poll-interval: soon}                  | git.poll-interval: not a duration
            upload: {max-file-size: lots}               | upload.max-file-size: not a size
            build: {workers: 0}                         | build.workers: must be at least 1
            build: {index-url: 'ftp://x/simple/'}       | build.index-url: must be an absolute http(s) or file URL
            build: {index-url: 'http://u:p@h/simple/'}  | build.index-url: must be an absolute http(s) or file URL
            build: {max-output-size: 0}                 | build.max-output-size
            build: {sandbox: docker}                    | build.sandbox: must be auto, bubblewrap or none
            server: {base-url: 'ftp://x'}               | server.base-url: must be an absolute http(s) URL
            colour: blue                                | colour: unknown key
            """)
    void refuses_an_invalid_config_naming_the_key(String yaml, String message) {
        assertThatThrownBy(() -> loader.load(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void refuses_text_that_is_not_yaml() {
        assertThatThrownBy(() -> loader.load("server: [unclosed")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
    }
}
