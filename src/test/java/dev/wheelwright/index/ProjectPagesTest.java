package dev.wheelwright.index;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.sdist;
import static dev.wheelwright.storage.StorageFixtures.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.InMemoryBlobStore;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.storage.StoredFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the index gives the web UI (#10): search ranking, pages, recent releases and yanks, for one requester. */
class ProjectPagesTest {
    private static final Principal ACME_ONLY = new Principal("acme", Set.of(), Optional.of(Pattern.compile("acme-.*")));

    @TempDir
    Path dir;

    private final InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final IndexService index =
            IndexService.local(catalog, blobs, new dev.wheelwright.storage.InMemoryProvenanceStore());

    private void add(StoredFile f, String summary) {
        catalog.addFile(f, f.project().normalized(), summary);
    }

    @Test
    void search_ranks_the_exact_name_then_prefixes_then_substrings_then_summaries() {
        add(wheel("utils-acme", "1.0", T0), "");
        add(wheel("acme-utils", "1.0", T0), "");
        add(wheel("acme", "1.0", T0), "");
        add(wheel("other", "1.0", T0), "uses ACME inside");
        add(wheel("unrelated", "1.0", T0), "");

        SearchResult result = index.search("Acme", 1, 10, Principal.ANONYMOUS);

        assertThat(result.projects())
                .extracting(p -> p.name().normalized())
                .containsExactly("acme", "acme-utils", "utils-acme", "other");
        assertThat(result.total()).isEqualTo(4);
        assertThat(result.visible()).isEqualTo(5);
    }

    @Test
    void the_list_is_paginated_and_a_token_limited_to_acme_sees_nothing_else() {
        for (int i = 0; i < 5; i++) {
            add(wheel("acme-" + i, "1.0", T0.plusSeconds(i)), "");
            add(wheel("other-" + i, "1.0", T0.plusSeconds(10 + i)), "acme in summary");
        }

        SearchResult second = index.search("", 2, 3, Principal.ANONYMOUS);
        SearchResult scoped = index.search("acme", 1, 50, ACME_ONLY);

        assertThat(second.projects())
                .extracting(p -> p.name().normalized())
                .containsExactly("acme-3", "acme-4", "other-0");
        assertThat(second.pages()).isEqualTo(4);
        assertThat(scoped.projects()).extracting(p -> p.name().normalized()).allMatch(n -> n.startsWith("acme-"));
        assertThat(scoped.visible()).isEqualTo(5);
        assertThat(index.recent(10, ACME_ONLY))
                .extracting(r -> r.project().normalized())
                .containsExactly("acme-4", "acme-3", "acme-2", "acme-1", "acme-0");
        assertThat(index.recent(2, Principal.ANONYMOUS))
                .extracting(r -> r.project().normalized())
                .containsExactly("other-4", "other-3");
    }

    @Test
    void the_page_groups_files_by_release_newest_first_and_reads_the_latest_final_releases_description()
            throws Exception {
        StoredFile final10 = wheel("demo", "1.0", T0);
        add(final10, "A demo");
        add(sdist("demo", "1.0", T0.plusSeconds(1)), "A demo");
        add(wheel("demo", "2.0rc1", T0.plusSeconds(2)), "A demo");
        Path metadata = Files.writeString(dir.resolve("METADATA"), """
                Metadata-Version: 2.1
                Name: demo
                Version: 1.0
                Author: Ann
                Home-page: https://example.org/demo
                Project-URL: Source, https://example.org/src
                Description-Content-Type: text/markdown; charset=UTF-8

                # Demo
                """);
        blobs.put(final10.metadataBlob().orElseThrow(), metadata, Sha256.hex(metadata));

        ProjectPage page = index.page(ProjectName.parse("Demo"), Principal.ANONYMOUS);

        assertThat(page.releases()).extracting(ProjectPage.Release::version).containsExactly("2.0rc1", "1.0");
        assertThat(page.releases().get(0).prerelease()).isTrue();
        assertThat(page.releases().get(1).files()).hasSize(2);
        assertThat(page.latest().orElseThrow().version()).isEqualTo("1.0");
        assertThat(page.description()).contains(new ProjectPage.Description("# Demo\n", "text/markdown"));
        assertThat(page.author()).contains("Ann");
        assertThat(page.urls()).extracting(ProjectPage.Link::label).containsExactly("Homepage", "Source");
        assertThat(page.origin()).isInstanceOf(ProjectPage.Hosted.class);
        assertThatThrownBy(() -> index.page(ProjectName.parse("demo"), ACME_ONLY))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    // #10: a warm project page reads no file rows; every write changes the revision, and so the page
    @Test
    void a_page_is_kept_per_revision_and_every_write_shows_at_once() {
        add(wheel("demo", "1.0", T0), "");
        ProjectName demo = ProjectName.parse("demo");

        ProjectPage first = index.page(demo, Principal.ANONYMOUS);
        ProjectPage again = index.page(demo, Principal.ANONYMOUS);
        add(wheel("demo", "2.0", T0.plusSeconds(1)), "new summary");
        ProjectPage afterUpload = index.page(demo, Principal.ANONYMOUS);
        index.yank(demo, Version.parse("2.0"), true, "oops", Principal.ANONYMOUS);
        ProjectPage afterYank = index.page(demo, Principal.ANONYMOUS);

        assertThat(again.releases())
                .as("the same revision: kept, not read again")
                .isSameAs(first.releases());
        assertThat(afterUpload.releases())
                .extracting(ProjectPage.Release::version)
                .containsExactly("2.0", "1.0");
        assertThat(afterUpload.summary()).isEqualTo("new summary");
        assertThat(afterYank.release("2.0").orElseThrow().yankedReason()).contains("oops");
        assertThat(afterYank.revision()).isGreaterThan(afterUpload.revision());
    }

    @Test
    void a_yank_marks_every_file_of_the_release_and_bumps_the_revision_and_an_unyank_takes_it_back() {
        add(wheel("demo", "1.0", T0), "");
        add(sdist("demo", "1.0", T0), "");
        add(wheel("demo", "2.0", T0), "");
        ProjectName demo = ProjectName.parse("demo");
        long before = catalog.project(demo).orElseThrow().revision();

        int changed = index.yank(demo, Version.parse("1.0"), true, "broken", Principal.ANONYMOUS);

        assertThat(changed).isEqualTo(2);
        assertThat(catalog.project(demo).orElseThrow().revision()).isGreaterThan(before);
        ProjectPage page = index.page(demo, Principal.ANONYMOUS);
        assertThat(page.release("1.0").orElseThrow().yankedReason()).contains("broken");
        assertThat(page.release("2.0").orElseThrow().yanked()).isFalse();
        assertThat(page.latest().orElseThrow().version()).isEqualTo("2.0");
        assertThat(index.yank(demo, Version.parse("1.0"), false, "", Principal.ANONYMOUS))
                .isEqualTo(2);
        assertThat(index.page(demo, Principal.ANONYMOUS)
                        .release("1.0")
                        .orElseThrow()
                        .yanked())
                .isFalse();
        assertThatThrownBy(() -> index.yank(demo, Version.parse("3.0"), true, "", Principal.ANONYMOUS))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThatThrownBy(() -> index.yank(demo, Version.parse("1.0"), true, "", ACME_ONLY))
                .isInstanceOf(ProjectNotFoundException.class);
    }
}
