package dev.wheelwright.provenance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The provenance of one built file, as pages and the JSON API show it.
 *
 * @param filename the file
 * @param sha256 the file's sha256, the statement's subject digest
 * @param repository the git repository's URL, without credentials
 * @param tag the tag built
 * @param tagObject the annotated tag object's id; empty for a lightweight tag
 * @param commit the commit built
 * @param subdirectory where the project lies in the repository, when not at its root
 * @param sourceSha256 the sha256 of the exported tree (README: "Provenance")
 * @param wheelwright the Wheelwright version that built it
 * @param host the host whose worker built it
 * @param backend the PEP 517 backend called
 * @param backendVersion that backend's installed version
 * @param python the build environment's Python version
 * @param environmentId the build environment's id
 * @param requires the build environment's requirement set
 * @param installed what the build environment held, {@code name==version}
 * @param started when the build started
 * @param finished when the backend had made the file
 */
public record BuildOrigin(
        String filename,
        String sha256,
        String repository,
        String tag,
        Optional<String> tagObject,
        String commit,
        Optional<String> subdirectory,
        String sourceSha256,
        String wheelwright,
        String host,
        String backend,
        Optional<String> backendVersion,
        Optional<String> python,
        String environmentId,
        List<String> requires,
        List<String> installed,
        Instant started,
        Instant finished) {}
