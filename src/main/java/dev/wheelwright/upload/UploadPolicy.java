package dev.wheelwright.upload;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;

/**
 * Whether a release may receive uploads at all, beyond token scopes: e.g. a git-backed project takes uploads only
 * for versions that exist as tags. Consulted for twine uploads, not for imports. Thread-safe.
 */
@FunctionalInterface
public interface UploadPolicy {
    /** Admits everything. */
    UploadPolicy OPEN = (project, version) -> {};

    /** Returns normally when the upload may go on; throws {@link UploadRejectedException} saying why not. */
    void check(ProjectName project, Version version);
}
