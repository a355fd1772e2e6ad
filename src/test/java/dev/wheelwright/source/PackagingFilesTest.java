package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.python.ProjectName;
import org.junit.jupiter.api.Test;

class PackagingFilesTest {
    @Test
    void reads_the_pep_621_name_not_other_tables_names() {
        String toml = """
                [build-system]
                requires = ["hatchling"]
                [tool.other]
                name = "not-this"
                [project]
                name = "Acme_Utils"   # the distribution
                version = "1.0"
                """;

        assertThat(PackagingFiles.fromPyproject(toml)).map(ProjectName::normalized).hasValue("acme-utils");
    }

    @Test
    void falls_back_to_tool_poetry_and_reads_setup_cfg_metadata() {
        assertThat(PackagingFiles.fromPyproject("[tool.poetry]\nname = 'poetic'\n")).map(ProjectName::normalized).hasValue("poetic");
        assertThat(PackagingFiles.fromSetupCfg("[options]\nname = no\n[metadata]\nname = legacy.pkg\nversion = 1\n"))
                .map(ProjectName::normalized).hasValue("legacy-pkg");
    }

    @Test
    void yields_nothing_without_a_valid_name() {
        assertThat(PackagingFiles.fromPyproject("[project]\ndynamic = [\"name\"]\n")).isEmpty();
        assertThat(PackagingFiles.fromPyproject("[project]\nname = \"-bad-\"\n")).isEmpty();
        assertThat(PackagingFiles.fromSetupCfg("[metadata]\nversion = 1\n")).isEmpty();
    }
}
