package dev.wheelwright.source.jgit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.source.GitTag;
import dev.wheelwright.source.SourceExportException;
import dev.wheelwright.source.SourceUnavailableException;
import dev.wheelwright.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGitSourceRepositoryTest {
    @TempDir
    Path mirrors;

    @TempDir
    Path remotes;

    @TempDir
    Path out;

    private JGitSourceRepository repository;
    private GitFixture origin;

    @BeforeEach
    void create() throws Exception {
        repository = new JGitSourceRepository(mirrors, Optional.empty(), Duration.ofSeconds(10));
        origin = GitFixture.create(remotes.resolve("demo"), "demo");
    }

    @AfterEach
    void close() {
        repository.close();
        origin.close();
    }

    @Test
    void fetches_lightweight_and_annotated_tags_with_their_commits_and_dates() throws Exception {
        String first = origin.commit("one");
        origin.tag("v1.0.0");
        String second = origin.commit("two");
        Instant tagged = Instant.parse("2026-03-04T05:06:07Z");
        origin.annotatedTag("v2.0.0", tagged);

        repository.fetch(origin.url());

        assertThat(repository.tags(origin.url()))
                .extracting(GitTag::name, GitTag::commit)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("v1.0.0", first),
                        org.assertj.core.groups.Tuple.tuple("v2.0.0", second));
        assertThat(repository.tags(origin.url()))
                .filteredOn(t -> t.name().equals("v2.0.0"))
                .extracting(GitTag::date)
                .containsExactly(tagged);
        assertThat(repository.mirrorDir(origin.url())).isDirectory();
    }

    @Test
    void a_moved_tag_moves_in_the_mirror_but_its_first_seen_commit_is_kept() throws Exception {
        String first = origin.commit("one");
        origin.tag("v1.0.0");
        repository.fetch(origin.url());
        repository.recordFirstSeen(origin.url(), Map.of("v1.0.0", first));
        String second = origin.commit("two");
        origin.tag("v1.0.0", second);

        repository.fetch(origin.url());
        repository.recordFirstSeen(origin.url(), Map.of("v1.0.0", second));

        assertThat(repository.tags(origin.url())).extracting(GitTag::commit).containsExactly(second);
        assertThat(repository.firstSeen(origin.url())).containsExactly(Map.entry("v1.0.0", first));
        repository.tree(origin.url()).exportTo(first, out.resolve("first"));
        assertThat(out.resolve("first/CHANGES.txt")).hasContent("one");
    }

    @Test
    void a_tag_deleted_at_the_remote_stays_in_the_mirror_marked_deleted_until_pushed_again() throws Exception {
        String first = origin.commit("one");
        origin.tag("v1.0.0");
        origin.commit("two");
        origin.tag("v2.0.0");
        repository.fetch(origin.url());
        assertThat(repository.deletedTags(origin.url())).isEmpty();

        origin.deleteTag("v1.0.0");
        repository.fetch(origin.url());

        assertThat(repository.tags(origin.url()))
                .extracting(GitTag::name)
                .containsExactlyInAnyOrder("v1.0.0", "v2.0.0");
        assertThat(repository.deletedTags(origin.url())).containsExactly("v1.0.0");
        repository.tree(origin.url()).exportTo(first, out.resolve("kept")); // its commit stays available
        assertThat(out.resolve("kept/CHANGES.txt")).hasContent("one");

        origin.tag("v1.0.0", first);
        repository.fetch(origin.url());

        assertThat(repository.deletedTags(origin.url())).isEmpty();
    }

    @Test
    void exports_the_tree_of_a_commit_without_git_metadata_keeping_the_executable_bit() throws Exception {
        String commit = origin.commit("files", Map.of("pkg/__init__.py", "X = 1\n", "scripts/run.sh", "#!/bin/sh\n"));
        origin.dir().resolve("scripts/run.sh").toFile().setExecutable(true);
        commit = origin.commit("exec", Map.of("scripts/run.sh", "#!/bin/sh\necho hi\n"));
        origin.tag("v1.0.0");
        repository.fetch(origin.url());
        Path target = out.resolve("tree");

        repository.tree(origin.url()).exportTo(commit, target);

        assertThat(target.resolve("pyproject.toml")).exists();
        assertThat(target.resolve("pkg/__init__.py")).hasContent("X = 1");
        assertThat(target.resolve(".git")).doesNotExist();
        assertThat(Files.isExecutable(target.resolve("scripts/run.sh"))).isTrue();
    }

    @Test
    void exports_with_the_commit_time_as_every_mtime_and_fixed_modes_and_returns_that_time() throws Exception {
        // #9: reproducible builds, what a backend copies into an sdist must not depend on when or where it was exported
        String commit =
                origin.commit("files", Map.of("pkg/sub/__init__.py", "X = 1\n", "scripts/run.sh", "#!/bin/sh\n"));
        origin.dir().resolve("scripts/run.sh").toFile().setExecutable(true);
        commit = origin.commit("exec", Map.of("scripts/run.sh", "#!/bin/sh\necho hi\n"));
        origin.tag("v1.0.0");
        repository.fetch(origin.url());
        Path target = out.resolve("tree");

        Instant committed = repository.tree(origin.url()).exportTo(commit, target);

        assertThat(committed).isEqualTo(Instant.parse("2026-01-01T00:03:00Z")); // GitFixture: a minute per commit
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(target)) {
            entries = walk.toList();
        }
        assertThat(entries).hasSize(7); // the root, pkg, pkg/sub, scripts and three files
        for (Path p : entries) {
            assertThat(Files.getLastModifiedTime(p).toInstant())
                    .as(p.toString())
                    .isEqualTo(committed);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("pyproject.toml"))))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("scripts/run.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("pkg/sub"))))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void keeps_symlinks_inside_the_tree_and_writes_escaping_ones_as_plain_files() throws Exception {
        Files.createDirectories(origin.dir().resolve("docs"));
        Files.writeString(origin.dir().resolve("docs/readme.md"), "hi\n");
        Files.createSymbolicLink(origin.dir().resolve("README.md"), Path.of("docs/readme.md"));
        Files.createSymbolicLink(origin.dir().resolve("secret"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(origin.dir().resolve("up"), Path.of("../../outside"));
        String commit = origin.commit("links", Map.of("x.txt", "x"));
        origin.tag("v1.0.0");
        repository.fetch(origin.url());
        Path target = out.resolve("tree");

        repository.tree(origin.url()).exportTo(commit, target);

        assertThat(Files.isSymbolicLink(target.resolve("README.md"))).isTrue();
        assertThat(target.resolve("README.md")).hasContent("hi");
        assertThat(Files.isSymbolicLink(target.resolve("secret"))).isFalse();
        assertThat(target.resolve("secret")).hasContent("/etc/passwd");
        assertThat(Files.isSymbolicLink(target.resolve("up"))).isFalse();
    }

    @Test
    void exporting_a_tagged_commit_the_mirror_lacks_fetches_it_first() throws Exception {
        origin.commit("one");
        origin.tag("v1.0.0");
        repository.fetch(origin.url());
        String later = origin.commit("two", Map.of("pkg/__init__.py", "X = 2\n"));
        origin.tag("v2.0.0"); // seen by another replica, not by this one's mirror

        repository.tree(origin.url()).exportTo(later, out.resolve("tree"));

        assertThat(out.resolve("tree/pkg/__init__.py")).hasContent("X = 2");
        assertThat(repository.tags(origin.url())).extracting(GitTag::name).contains("v2.0.0");
    }

    @Test
    void refuses_to_export_into_a_non_empty_directory_or_an_unknown_commit() throws Exception {
        String commit = origin.commit("one");
        repository.fetch(origin.url());
        Files.writeString(out.resolve("stray"), "x");

        assertThatThrownBy(() -> repository.tree(origin.url()).exportTo(commit, out))
                .isInstanceOf(SourceExportException.class);
        assertThatThrownBy(() -> repository.tree(origin.url()).exportTo("0".repeat(40), out.resolve("empty")))
                .isInstanceOf(SourceExportException.class);
    }

    @Test
    void a_missing_remote_fails_the_fetch_and_the_mirror_keeps_its_tags() throws Exception {
        origin.commit("one");
        origin.tag("v1.0.0");
        repository.fetch(origin.url());
        String url = origin.url();
        origin.delete();

        assertThatThrownBy(() -> repository.fetch(url))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("cannot fetch");
        assertThat(repository.tags(url)).extracting(GitTag::name).containsExactly("v1.0.0");
        assertThat(repository.exists(url)).isFalse();
    }

    @Test
    void tells_whether_a_remote_exists() {
        assertThat(repository.exists(origin.url())).isTrue();
        assertThat(repository.exists(remotes.resolve("nothing").toUri().toString()))
                .isFalse();
        assertThat(repository.tags(remotes.resolve("nothing").toUri().toString()))
                .isEmpty();
    }
}
