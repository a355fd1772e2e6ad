package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TagReportTest {
    private static final ProjectSource DEMO = source("demo", Optional.empty());

    private static ProjectSource source(String name, Optional<Pattern> pattern) {
        return new ProjectSource(
                ProjectName.parse(name),
                "file:///srv/git/demo.git",
                Optional.empty(),
                pattern,
                ProjectSource.Origin.CONFIG);
    }

    private static GitTag tag(String name, String commit, int minute) {
        return new GitTag(name, commit, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * minute));
    }

    @Test
    void the_issue_tag_set_gives_five_releases_newest_first_and_one_ignored_tag() {
        List<GitTag> tags = new ArrayList<>();
        String[] names = {"v0.9.0", "v1.0.0", "V1.1.0RC1", "1.2.0.post1", "not-a-version", "v2.0"};
        for (int i = 0; i < names.length; i++) {
            tags.add(tag(names[i], "c" + i, i));
        }

        List<TagState> states = TagReport.analyze(DEMO, tags, Map.of());

        assertThat(TagReport.releases(states))
                .extracting(s -> s.version().orElseThrow().toString())
                .containsExactly("2.0", "1.2.0.post1", "1.1.0rc1", "1.0.0", "0.9.0");
        assertThat(states)
                .filteredOn(s -> s.ignoredReason().isPresent())
                .extracting(TagState::tag)
                .containsExactly("not-a-version");
        assertThat(states.get(states.size() - 1).ignoredReason())
                .hasValueSatisfying(r -> assertThat(r).contains("no digits"));
    }

    @Test
    void of_two_tags_with_one_version_the_older_wins_whatever_their_names() {
        List<TagState> states = TagReport.analyze(DEMO, List.of(tag("v1.0.0", "b", 5), tag("v1.0", "a", 1)), Map.of());

        assertThat(TagReport.releases(states)).extracting(TagState::tag).containsExactly("v1.0");
        assertThat(states)
                .filteredOn(s -> s.tag().equals("v1.0.0"))
                .extracting(TagState::duplicateOf)
                .containsExactly(Optional.of("v1.0"));
    }

    @Test
    void a_tag_whose_commit_changed_since_first_seen_is_moved_and_keeps_its_first_commit() {
        List<TagState> states = TagReport.analyze(DEMO, List.of(tag("v1.0.0", "new", 1)), Map.of("v1.0.0", "old"));

        assertThat(states.get(0).moved()).isTrue();
        assertThat(states.get(0).firstCommit()).isEqualTo("old");
        assertThat(states.get(0).isRelease()).isTrue();
    }

    @Test
    void monorepo_tags_belong_to_their_project_and_other_prefixes_are_ignored_with_a_reason() {
        ProjectSource alpha = source("alpha", Optional.empty());
        ProjectSource beta = source("beta", Optional.of(Pattern.compile("^beta/v(?<version>.+)$")));
        List<GitTag> tags = List.of(tag("alpha/v1.0", "a", 1), tag("beta/v2.0", "b", 2), tag("beta/vX", "c", 3));

        List<TagState> forAlpha = TagReport.analyze(alpha, tags, Map.of());
        List<TagState> forBeta = TagReport.analyze(beta, tags, Map.of());

        assertThat(TagReport.releases(forAlpha))
                .extracting(s -> s.version().orElseThrow().toString())
                .containsExactly("1.0");
        assertThat(TagReport.releases(forBeta))
                .extracting(s -> s.version().orElseThrow().toString())
                .containsExactly("2.0");
        assertThat(reason(forAlpha, "beta/v2.0")).contains("prefix 'beta/' names another project");
        assertThat(reason(forBeta, "alpha/v1.0")).contains("does not match the project's tag-pattern");
        assertThat(reason(forBeta, "beta/vX")).contains("not a valid PEP 440 version");
    }

    private static String reason(List<TagState> states, String tag) {
        return states.stream()
                .filter(s -> s.tag().equals(tag))
                .findFirst()
                .orElseThrow()
                .ignoredReason()
                .orElseThrow();
    }
}
