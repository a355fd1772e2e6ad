package dev.wheelwright.index;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a human page shows of one project, as the index resolved it for one requester ({@link IndexService#page}): the
 * same decision as the project's simple page, in view records only (no storage record crosses to the HTTP edge).
 * Every string from package metadata is untrusted: pages escape or sanitize it.
 *
 * @param name the project
 * @param displayName the name as the newest metadata spells it
 * @param summary the newest Summary, or empty
 * @param revision the project's revision (local) or the upstream listing's revision (proxied), for caches
 * @param origin where the project comes from
 * @param releases every release, newest version first
 * @param description the newest wheel's description from its core metadata, when it has one
 * @param author the Author or Author-email of that metadata
 * @param urls the Home-page and Project-URL entries of that metadata (label, url), unchecked
 */
public record ProjectPage(
        ProjectName name,
        String displayName,
        String summary,
        long revision,
        Origin origin,
        List<Release> releases,
        Optional<Description> description,
        Optional<String> author,
        List<Link> urls) {
    public ProjectPage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(summary);
        Objects.requireNonNull(origin);
        releases = List.copyOf(releases);
        Objects.requireNonNull(description);
        Objects.requireNonNull(author);
        urls = List.copyOf(urls);
    }

    /** The newest release that is neither yanked nor a pre-release, else the newest release. */
    public Optional<Release> latest() {
        return releases.stream()
                .filter(r -> !r.yanked() && !r.prerelease())
                .findFirst()
                .or(() -> releases.stream().findFirst());
    }

    /** Whether files of the project are kept here (hosted or git, or merged with an upstream's). */
    public boolean local() {
        return !(origin instanceof Upstream u) || u.merged();
    }

    /** The release of this (PEP 440 normalized) version. */
    public Optional<Release> release(String version) {
        return releases.stream().filter(r -> r.version().equals(version)).findFirst();
    }

    /** Where a project's files come from. */
    public sealed interface Origin permits Hosted, Git, Upstream {}

    /** Uploaded (or imported) files, kept here. */
    public record Hosted() implements Origin {}

    /** Built here from the tags of a git repository (and its files kept here). */
    public record Git(String url, Optional<String> subdirectory) implements Origin {
        public Git {
            Objects.requireNonNull(url);
            Objects.requireNonNull(subdirectory);
        }
    }

    /** Proxied from an upstream index; {@code merged} when local files are listed first. */
    public record Upstream(String upstream, boolean merged) implements Origin {
        public Upstream {
            Objects.requireNonNull(upstream);
        }
    }

    /** One release: its files and whether it is yanked (all of its files are) or a pre-release. */
    public record Release(String version, boolean prerelease, Optional<String> yankedReason, List<File> files) {
        public Release {
            Objects.requireNonNull(version);
            Objects.requireNonNull(yankedReason);
            files = List.copyOf(files);
        }

        public boolean yanked() {
            return yankedReason.isPresent();
        }
    }

    /**
     * One distribution file.
     *
     * @param size in bytes, when known (an upstream may not say)
     * @param uploaded when it was uploaded, built or (upstream) published, when known
     * @param uploadedBy who recorded it (a token's name, an import, a build), for local files
     * @param hasMetadata whether a PEP 658 {@code .metadata} file is served for it
     */
    public record File(
            String filename,
            String sha256,
            Optional<Long> size,
            Optional<String> requiresPython,
            Optional<String> yankedReason,
            Optional<Instant> uploaded,
            Optional<String> uploadedBy,
            boolean hasMetadata) {
        public File {
            Objects.requireNonNull(filename);
            Objects.requireNonNull(sha256);
            Objects.requireNonNull(size);
            Objects.requireNonNull(requiresPython);
            Objects.requireNonNull(yankedReason);
            Objects.requireNonNull(uploaded);
            Objects.requireNonNull(uploadedBy);
        }
    }

    /** A long description and its {@code Description-Content-Type} (RFC 6838 type, parameters dropped, lower case). */
    public record Description(String text, String contentType) {
        public Description {
            Objects.requireNonNull(text);
            Objects.requireNonNull(contentType);
        }
    }

    /** A labelled URL from metadata, not checked in any way. */
    public record Link(String label, String url) {
        public Link {
            Objects.requireNonNull(label);
            Objects.requireNonNull(url);
        }
    }
}
