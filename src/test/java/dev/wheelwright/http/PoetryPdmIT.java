package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * #13: the clients people use beside pip and twine, as Debian ships them: poetry 1.3 ({@code python3-poetry}) publishes
 * an internal package to {@code /legacy/}, then locks and installs a project depending on it and on a public package
 * that comes through the upstream (this machine's wheel mirror); pdm 2.2 ({@code python3-pdm}) installs the same two
 * from this index alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PoetryPdmIT {
    private static final int TIMEOUT = 300;

    @TempDir
    static Path data;

    @TempDir
    static Path work;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(data, "upstreams:\n  - {name: mirror, url: \"file:///opt/pypi/simple/\"}\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void poetry_publishes_an_internal_package_to_legacy() throws Exception {
        Path lib = Files.createDirectories(work.resolve("internal-lib/internal_lib"))
                .getParent();
        Files.writeString(lib.resolve("internal_lib/__init__.py"), "VALUE = 42\n");
        Files.writeString(lib.resolve("pyproject.toml"), """
                [tool.poetry]
                name = "internal-lib"
                version = "1.0.0"
                description = "an internal library"
                authors = ["Team <team@example.com>"]
                packages = [{ include = "internal_lib" }]

                [tool.poetry.dependencies]
                python = ">=3.8"

                [build-system]
                requires = ["poetry-core"]
                build-backend = "poetry.core.masonry.api"
                """);
        String token = server.token("poetry", Scope.UPLOAD);

        poetry(lib, "config", "repositories.internal", server.url("/legacy/"));
        PythonTools.Run publish = poetry(lib, "publish", "--build", "-r", "internal", "-u", "__token__", "-p", token);

        assertThat(publish.output()).doesNotContain(token);
        assertThat(server.running().store().catalog().files(ProjectName.parse("internal-lib")))
                .extracting(StoredFile::filename)
                .containsExactlyInAnyOrder("internal_lib-1.0.0-py3-none-any.whl", "internal_lib-1.0.0.tar.gz");
    }

    @Test
    @Order(2)
    void poetry_locks_and_installs_an_internal_and_a_public_package_from_this_index() throws Exception {
        Path app = Files.createDirectories(work.resolve("poetry-app"));
        Files.writeString(app.resolve("pyproject.toml"), """
                [tool.poetry]
                name = "consumer"
                version = "0.1.0"
                description = "uses an internal and a public package"
                authors = ["Team <team@example.com>"]

                [tool.poetry.dependencies]
                python = ">=3.8"

                [build-system]
                requires = ["poetry-core"]
                build-backend = "poetry.core.masonry.api"
                """);

        poetry(app, "source", "add", "--default", "internal", server.indexUrl());
        poetry(app, "add", "--lock", "internal-lib", "six");
        poetry(app, "install", "--no-root");

        assertThat(Files.readString(app.resolve("poetry.lock")))
                .contains("name = \"internal-lib\"")
                .contains("name = \"six\"")
                .contains("url = \"" + server.url("/simple") + "\"\nreference = \"internal\""); // both from here
        assertThat(imports(app)).isEqualTo("42 1.17.0");
    }

    @Test
    @Order(3)
    void pdm_installs_an_internal_and_a_public_package_from_this_index() throws Exception {
        Path app = Files.createDirectories(work.resolve("pdm-app"));
        Files.writeString(app.resolve("pyproject.toml"), """
                [project]
                name = "pdm-consumer"
                version = "0.1.0"
                requires-python = ">=3.8"
                dependencies = ["internal-lib", "six"]

                [[tool.pdm.source]]
                name = "pypi"
                url = "%s"
                verify_ssl = false
                """.formatted(server.indexUrl()));

        PythonTools.run(List.of("/usr/bin/pdm", "install", "--no-self"), app, env(), TIMEOUT)
                .requireSuccess("pdm install");

        assertThat(Files.readString(app.resolve("pdm.lock")))
                .contains("name = \"internal-lib\"")
                .contains("name = \"six\"");
        assertThat(imports(app)).isEqualTo("42 1.17.0");
    }

    private static String imports(Path app) throws Exception {
        PythonTools.Run run = PythonTools.run(
                List.of(
                        app.resolve(".venv/bin/python").toString(),
                        "-c",
                        "import internal_lib, six; print(internal_lib.VALUE, six.__version__)"),
                Map.of(),
                60);
        run.requireSuccess("import in the installed environment");
        return run.output().strip();
    }

    private static PythonTools.Run poetry(Path project, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("/usr/bin/poetry", "--no-interaction"));
        argv.addAll(List.of(args));
        PythonTools.Run run = PythonTools.run(argv, project, env(), TIMEOUT);
        run.requireSuccess("poetry " + String.join(" ", args));
        return run;
    }

    /** A home, caches and config of this test's own; no keyring; environments in the project (.venv). */
    private static Map<String, String> env() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.put("POETRY_CACHE_DIR", home.resolve("poetry-cache").toString());
        env.put("POETRY_CONFIG_DIR", home.resolve("poetry-config").toString());
        env.put("POETRY_VIRTUALENVS_IN_PROJECT", "true");
        env.put("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring");
        env.put("PDM_CHECK_UPDATE", "false");
        return env;
    }
}
