package dev.wheelwright.builds.pip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

// #10: the release page names the backend and Python a release was built with
class BuildEnvironmentsTest {
    @TempDir
    Path venv;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # build-backend                    | installed version of its distribution
            hatchling.build                     | 1.21.0
            setuptools.build_meta               | 68.1.2
            setuptools.build_meta:__legacy__    | 68.1.2
            poetry.core.masonry.api             | 1.9.0
            flit_core.buildapi                  | 3.9.0
            pdm.backend                         | 2.1.8
            """)
    void the_backend_version_is_that_of_the_distribution_holding_its_module(String backend, String version)
            throws IOException {
        environment();

        assertThat(BuildEnvironments.backendVersion(venv, backend)).contains(version);
    }

    @Test
    void an_in_tree_backend_has_no_version() throws IOException {
        environment();

        assertThat(BuildEnvironments.backendVersion(venv, "backend_in_tree")).isEmpty();
        assertThat(BuildEnvironments.backendVersion(venv.resolve("missing"), "hatchling.build"))
                .isEmpty();
    }

    @Test
    void the_python_version_comes_from_pyvenv_cfg() throws IOException {
        Files.writeString(venv.resolve("pyvenv.cfg"), """
                home = /usr/bin
                include-system-site-packages = false
                version = 3.11.2
                executable = /usr/bin/python3.11
                """);

        assertThat(BuildEnvironments.pythonVersion(venv)).contains("3.11.2");
    }

    @Test
    void the_python_version_of_an_older_venv_comes_from_version_info_and_none_without_either() throws IOException {
        Files.writeString(venv.resolve("pyvenv.cfg"), "home = /usr/bin\nversion_info = 3.8.10.final.0\n");

        assertThat(BuildEnvironments.pythonVersion(venv)).contains("3.8.10");

        Files.writeString(venv.resolve("pyvenv.cfg"), "home = /usr/bin\nversion = $(evil)\n");
        assertThat(BuildEnvironments.pythonVersion(venv)).isEmpty();
        Files.delete(venv.resolve("pyvenv.cfg"));
        assertThat(BuildEnvironments.pythonVersion(venv)).isEmpty();
    }

    /** A site-packages as pip leaves it: poetry and poetry-core share the poetry/ package. */
    private void environment() throws IOException {
        Path site = Files.createDirectories(venv.resolve("lib/python3.11/site-packages"));
        distInfo(site, "poetry-1.8.0", "poetry/console/application.py,sha256=x,10\npoetry/__init__.py,,\n");
        distInfo(
                site,
                "poetry_core-1.9.0",
                "poetry/core/__init__.py,sha256=x,1\npoetry/core/masonry/api.py,sha256=y,2\n");
        distInfo(site, "hatchling-1.21.0", "hatchling/__init__.py,sha256=x,1\nhatchling/build.py,sha256=y,2\n");
        distInfo(site, "setuptools-68.1.2", "setuptools/build_meta.py,sha256=x,1\n_distutils_hack/__init__.py,,\n");
        distInfo(site, "flit_core-3.9.0", "flit_core/buildapi.py,sha256=x,1\n");
        distInfo(site, "pdm_backend-2.1.8", "pdm/backend/__init__.py,sha256=x,1\n");
        distInfo(site, "build-1.0.3", "build/__init__.py,sha256=x,1\n");
    }

    private static void distInfo(Path site, String nameVersion, String record) throws IOException {
        Path dir = Files.createDirectories(site.resolve(nameVersion + ".dist-info"));
        Files.writeString(dir.resolve("RECORD"), record);
    }
}
