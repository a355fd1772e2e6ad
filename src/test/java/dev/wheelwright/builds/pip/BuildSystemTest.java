package dev.wheelwright.builds.pip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.builds.BuildFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildSystemTest {
    @TempDir
    Path dir;

    @Test
    void reads_requires_and_backend() throws IOException {
        pyproject("""
                [build-system]
                requires = ["hatchling>=1.20", "hatch-vcs"]
                build-backend = "hatchling.build"
                """);

        assertThat(BuildSystem.read(dir))
                .isEqualTo(new BuildSystem(List.of("hatchling>=1.20", "hatch-vcs"), Optional.of("hatchling.build")));
    }

    @Test
    void without_a_build_system_table_falls_back_to_legacy_setuptools_as_pep_518_says() throws IOException {
        pyproject("[project]\nname = \"x\"\n");
        Files.writeString(dir.resolve("setup.py"), "from setuptools import setup\nsetup()\n");

        BuildSystem system = BuildSystem.read(dir);

        assertThat(system.requires()).containsExactly("setuptools>=40.8.0", "wheel");
        assertThat(system.backendName()).isEqualTo("setuptools.build_meta:__legacy__");
    }

    @Test
    void a_setup_py_alone_uses_legacy_setuptools() throws IOException {
        Files.writeString(dir.resolve("setup.py"), "from setuptools import setup\nsetup()\n");

        assertThat(BuildSystem.read(dir).requires()).containsExactly("setuptools>=40.8.0", "wheel");
    }

    @Test
    void nothing_to_build_is_a_failure_with_a_reason() {
        assertThatThrownBy(() -> BuildSystem.read(dir))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("Nothing to build: there is no pyproject.toml and no setup.py.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            [build-system]\\nbuild-backend = 'x'       | has no requires list
            [build-system]\\nrequires = 'setuptools'   | has no requires list
            [build-system]\\nrequires = ['--index-url=http://evil/'] | is not a PEP 508 requirement
            [build-system]\\nrequires = [42]           | is not a PEP 508 requirement
            [build-system]\\nrequires = ['']           | is not a PEP 508 requirement
            [build-system]\\nrequires = []\\nbuild-backend = 1 | build-backend of pyproject.toml is not a string
            [build-system                              | is not valid TOML
            """)
    void refuses_an_invalid_build_system_table(String toml, String problem) throws IOException {
        pyproject(toml.replace("\\n", "\n"));

        assertThatThrownBy(() -> BuildSystem.read(dir))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageContaining(problem);
    }

    private void pyproject(String text) throws IOException {
        Files.writeString(dir.resolve("pyproject.toml"), text);
    }
}
