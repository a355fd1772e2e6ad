package dev.wheelwright.source;

import dev.wheelwright.python.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one tag of a git-backed project means.
 *
 * @param tag the tag's name
 * @param commit the commit the tag names now
 * @param date the tag's date (tagger date, or commit date of a lightweight tag)
 * @param version the PEP 440 version the tag stands for; empty when ignored
 * @param ignoredReason why the tag gives no release (not a version tag for this project)
 * @param duplicateOf the tag that gives the same version and wins (the earlier one by date)
 * @param firstCommit the commit the tag named when first seen: releases are built from it, so a tag that moved
 *     afterwards ({@link #moved()}) is reported, not rebuilt
 */
public record TagState(
        String tag,
        String commit,
        Instant date,
        Optional<Version> version,
        Optional<String> ignoredReason,
        Optional<String> duplicateOf,
        String firstCommit) {
    public TagState {
        Objects.requireNonNull(tag);
        Objects.requireNonNull(commit);
        Objects.requireNonNull(date);
        Objects.requireNonNull(version);
        Objects.requireNonNull(ignoredReason);
        Objects.requireNonNull(duplicateOf);
        Objects.requireNonNull(firstCommit);
    }

    /** Whether the tag names another commit than when it was first seen. */
    public boolean moved() {
        return !commit.equals(firstCommit);
    }

    /** Whether this tag is the release of its version (a version tag, and not a duplicate). */
    public boolean isRelease() {
        return version.isPresent() && duplicateOf.isEmpty();
    }
}
