package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.builds.SourceTree;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProjectSourcesTest {
    /** Answers {@code exists} from a fixed set of URLs and records every probe; holds no mirrors. */
    private static final class Probes implements SourceRepository {
        final Set<String> existing;
        final List<String> probed = new CopyOnWriteArrayList<>();

        Probes(Set<String> existing) {
            this.existing = existing;
        }

        @Override
        public void fetch(String url, java.util.Set<String> branches) {
            throw new SourceUnavailableException("no network in this test");
        }

        @Override
        public boolean exists(String url) {
            probed.add(url);
            return existing.contains(url);
        }

        @Override
        public Map<String, String> remoteTags(String url) {
            throw new SourceUnavailableException("no network in this test");
        }

        @Override
        public Map<String, String> remoteHeads(String url, java.util.Set<String> branches) {
            throw new SourceUnavailableException("no network in this test");
        }

        @Override
        public Map<String, String> mirroredHeads(String url, java.util.Set<String> branches) {
            return Map.of();
        }

        @Override
        public BranchPosition describe(String url, String commit, java.util.Set<String> tagged) {
            throw new SourceExportException("no mirror in this test");
        }

        @Override
        public Map<String, String> mirroredTags(String url) {
            return Map.of();
        }

        @Override
        public List<GitTag> tags(String url) {
            return List.of();
        }

        @Override
        public Map<String, String> firstSeen(String url) {
            return Map.of();
        }

        @Override
        public java.util.Set<String> deletedTags(String url) {
            return java.util.Set.of();
        }

        @Override
        public void recordFirstSeen(String url, Map<String, String> tags) {}

        @Override
        public SourceTree tree(String url) {
            return new dev.wheelwright.builds.SourceTree() {
                @Override
                public java.time.Instant exportTo(String commit, java.nio.file.Path target) {
                    throw new SourceExportException("no mirrors in this test");
                }

                @Override
                public String repository() {
                    return url;
                }

                @Override
                public java.util.Optional<String> tagObject(String tag, String commit) {
                    return java.util.Optional.empty();
                }
            };
        }
    }

    private static ProjectSource explicit(String name, String url) {
        return new ProjectSource(
                ProjectName.parse(name), url, Optional.empty(), Optional.empty(), ProjectSource.Origin.CONFIG);
    }

    @Test
    void explicit_entries_win_and_are_never_probed() {
        Probes probes = new Probes(Set.of());
        ProjectSources sources = new ProjectSources(
                List.of(explicit("Acme_Utils", "file:///a")),
                List.of("https://git.example.com/{name}.git"),
                Optional.empty(),
                probes,
                Clock.systemUTC(),
                Duration.ofMinutes(10));

        assertThat(sources.resolve(ProjectName.parse("acme-utils")))
                .map(ProjectSource::url)
                .hasValue("file:///a");
        assertThat(probes.probed).isEmpty();
    }

    @Test
    void a_template_hit_is_kept_and_a_miss_is_remembered_until_it_expires() {
        Probes probes = new Probes(Set.of("https://git.example.com/acme-tools.git"));
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ProjectSources sources = new ProjectSources(
                List.of(),
                List.of("https://git.example.com/{name}.git"),
                Optional.empty(),
                probes,
                clock,
                Duration.ofMinutes(10));

        assertThat(sources.resolve(ProjectName.parse("Acme.Tools")))
                .map(ProjectSource::origin)
                .hasValue(ProjectSource.Origin.TEMPLATE);
        assertThat(sources.resolve(ProjectName.parse("acme-tools"))).isPresent();
        assertThat(sources.resolve(ProjectName.parse("requests"))).isEmpty();
        assertThat(sources.resolve(ProjectName.parse("requests"))).isEmpty();
        clock.advance(Duration.ofMinutes(11));
        assertThat(sources.resolve(ProjectName.parse("requests"))).isEmpty();

        assertThat(probes.probed)
                .containsExactly(
                        "https://git.example.com/acme-tools.git",
                        "https://git.example.com/requests.git",
                        "https://git.example.com/requests.git");
        assertThat(sources.all()).extracting(p -> p.name().normalized()).containsExactly("acme-tools");
    }

    @Test
    void discovered_projects_are_known_and_a_failed_discovery_keeps_them() {
        Probes probes = new Probes(Set.of());
        boolean[] fail = {false};
        RepositoryDiscovery discovery = new RepositoryDiscovery() {
            @Override
            public List<DiscoveredRepository> discover() {
                if (fail[0]) {
                    throw new SourceUnavailableException("API down");
                }
                return List.of(
                        new DiscoveredRepository(ProjectName.parse("found"), "https://git.example.com/acme/found.git"));
            }

            @Override
            public String describe() {
                return "fake";
            }
        };
        ProjectSources sources = new ProjectSources(
                List.of(explicit("mono-a", "file:///mono"), explicit("mono-b", "file:///mono/")),
                List.of(),
                Optional.of(discovery),
                probes,
                Clock.systemUTC(),
                Duration.ofMinutes(10));

        sources.discover();
        fail[0] = true;
        try {
            sources.discover();
        } catch (SourceUnavailableException expected) {
            // the previous mapping stays
        }

        assertThat(sources.known(ProjectName.parse("found")))
                .map(ProjectSource::origin)
                .hasValue(ProjectSource.Origin.DISCOVERY);
        assertThat(sources.onRepository("file:///mono.git"))
                .extracting(p -> p.name().normalized())
                .containsExactlyInAnyOrder("mono-a", "mono-b");
    }
}
