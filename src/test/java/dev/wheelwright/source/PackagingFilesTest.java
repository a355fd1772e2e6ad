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

        assertThat(PackagingFiles.fromPyproject(toml))
                .map(ProjectName::normalized)
                .hasValue("acme-utils");
    }

    @Test
    void falls_back_to_tool_poetry_and_reads_setup_cfg_metadata() {
        assertThat(PackagingFiles.fromPyproject("[tool.poetry]\nname = 'poetic'\n"))
                .map(ProjectName::normalized)
                .hasValue("poetic");
        assertThat(PackagingFiles.fromSetupCfg("[options]\nname = no\n[metadata]\nname = legacy.pkg\nversion = 1\n"))
                .map(ProjectName::normalized)
                .hasValue("legacy-pkg");
    }

    @Test
    void yields_nothing_without_a_valid_name() {
        assertThat(PackagingFiles.fromPyproject("[project]\ndynamic = [\"name\"]\n"))
                .isEmpty();
        assertThat(PackagingFiles.fromPyproject("[project]\nname = \"-bad-\"\n"))
                .isEmpty();
        assertThat(PackagingFiles.fromSetupCfg("[metadata]\nversion = 1\n")).isEmpty();
    }

    @Test
    void reads_names_written_in_any_toml_form() {
        assertThat(PackagingFiles.fromPyproject("project = { name = \"inline-table\" }\n"))
                .map(ProjectName::normalized)
                .hasValue("inline-table");
        assertThat(PackagingFiles.fromPyproject("[tool]\npoetry.name = \"dotted\"\n"))
                .map(ProjectName::normalized)
                .hasValue("dotted");
        assertThat(PackagingFiles.fromPyproject("[ \"project\" ]\nname = \"esc\\u0061ped\"\n"))
                .map(ProjectName::normalized)
                .hasValue("escaped");
    }

    @Test
    void is_not_fooled_by_tables_inside_strings_or_arrays_of_tables() {
        String inString = """
                [tool.other]
                text = \"\"\"
                [project]
                name = "fake"
                \"\"\"
                [project]
                name = "real"
                """;
        String arrayOfTables = "[project]\ndynamic = [\"name\"]\n[[project.authors]]\nname = \"jane\"\n";

        assertThat(PackagingFiles.fromPyproject(inString))
                .map(ProjectName::normalized)
                .hasValue("real");
        assertThat(PackagingFiles.fromPyproject(arrayOfTables)).isEmpty();
    }

    @Test
    void text_that_is_not_toml_names_nothing() {
        assertThat(PackagingFiles.fromPyproject("[project]\nname = \"twice\"\nname = \"twice\"\n"))
                .isEmpty();
        assertThat(PackagingFiles.fromPyproject("[project\nname = \"unclosed\"\n"))
                .isEmpty();
    }
}
