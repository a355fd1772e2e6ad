package dev.wheelwright.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * Who built a release, as the build recorded it: the host (replica) whose worker ran it, the PEP 517 backend it
 * called and that backend's installed version, and the Python version of the build environment. Each part is empty
 * until the build learned it (the host when a worker takes the build, the rest once its environment is ready) and for
 * builds recorded before these were kept.
 *
 * @param host the host name of the server whose worker ran the build
 * @param backend the {@code build-backend} called, e.g. {@code hatchling.build}
 * @param backendVersion the version of the distribution providing the backend in the build environment
 * @param python the Python version of the build environment, e.g. {@code 3.11.2}
 */
public record BuilderIdentity(
        Optional<String> host, Optional<String> backend, Optional<String> backendVersion, Optional<String> python) {
    /** Nothing known. */
    public static final BuilderIdentity UNKNOWN =
            new BuilderIdentity(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public BuilderIdentity {
        Objects.requireNonNull(host);
        Objects.requireNonNull(backend);
        Objects.requireNonNull(backendVersion);
        Objects.requireNonNull(python);
    }

    /** Only the host is known: a worker there has taken the build. */
    public static BuilderIdentity host(String host) {
        return new BuilderIdentity(Optional.of(host), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** This identity with the backend, its version and the Python version the build environment reported. */
    public BuilderIdentity withToolchain(String backend, Optional<String> backendVersion, Optional<String> python) {
        return new BuilderIdentity(host, Optional.of(backend), backendVersion, python);
    }
}
