package dev.wheelwright.source;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The meaning of a repository's tags for one project (spec {@code versions.md} §7.4): each tag's version by the
 * project's rule ({@link TagVersions}), the reason a tag is ignored, which of two tags giving the same version wins
 * (the earlier by tag date, then by name), and which tags moved since they were first seen. Stateless.
 */
public final class TagReport {
    private TagReport() {}

    /**
     * Every tag of the repository as {@code project} sees it: releases first, newest version first, then the
     * duplicates and ignored tags by name.
     *
     * @param firstSeen tag → commit when first seen; a tag missing here is taken as first seen now
     */
    public static List<TagState> analyze(ProjectSource project, List<GitTag> tags, Map<String, String> firstSeen) {
        List<GitTag> byDate = new ArrayList<>(tags);
        byDate.sort(Comparator.comparing(GitTag::date).thenComparing(GitTag::name));
        Map<Version, String> winners = new HashMap<>();
        List<TagState> states = new ArrayList<>();
        for (GitTag tag : byDate) {
            String first = firstSeen.getOrDefault(tag.name(), tag.commit());
            Optional<Version> version = versionOf(project, tag.name());
            if (version.isEmpty()) {
                states.add(new TagState(
                        tag.name(),
                        tag.commit(),
                        tag.date(),
                        Optional.empty(),
                        Optional.of(reason(project, tag.name())),
                        Optional.empty(),
                        first));
                continue;
            }
            String winner = winners.putIfAbsent(version.get(), tag.name());
            states.add(new TagState(
                    tag.name(),
                    tag.commit(),
                    tag.date(),
                    version,
                    Optional.empty(),
                    Optional.ofNullable(winner),
                    first));
        }
        states.sort(Comparator.comparing((TagState s) -> !s.isRelease())
                .thenComparing(
                        (TagState s) -> s.version().orElse(null), Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(TagState::tag));
        return List.copyOf(states);
    }

    /** The releases among {@code states}, newest version first. */
    public static List<TagState> releases(List<TagState> states) {
        return states.stream()
                .filter(TagState::isRelease)
                .sorted(Comparator.comparing((TagState s) -> s.version().orElseThrow())
                        .reversed())
                .toList();
    }

    private static Optional<Version> versionOf(ProjectSource project, String tag) {
        return project.tagPattern().isPresent()
                ? TagVersions.fromTag(tag, project.tagPattern().get())
                : TagVersions.fromTag(tag, project.name());
    }

    private static String reason(ProjectSource project, String tag) {
        if (project.tagPattern().isPresent()) {
            String pattern = project.tagPattern().get().pattern();
            return project.tagPattern().get().matcher(tag).lookingAt()
                    ? "the version matched by tag-pattern '" + pattern + "' is not a valid PEP 440 version"
                    : "does not match the project's tag-pattern '" + pattern + "'";
        }
        int slash = tag.indexOf('/');
        if (slash >= 0
                && !ProjectName.normalize(tag.substring(0, slash))
                        .equals(project.name().normalized())) {
            return "its prefix '" + tag.substring(0, slash + 1) + "' names another project";
        }
        if (!tag.matches(".*[0-9].*")) {
            return "contains no digits, so it names no version";
        }
        return "is not a PEP 440 version under setuptools-scm's default tag rule (v1.2.3, 1.2.3, name-1.2.3)" + " or "
                + project.name().normalized() + "/v1.2.3";
    }
}
