package dev.wheelwright.index;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Where the bytes of one requested distribution file come from, as the index decided it for one requester. */
public sealed interface FileSource permits FileSource.AtRest, FileSource.Redirect, FileSource.Streaming {
    /** Bytes at rest in the artifact store, whole or by range. */
    interface Bytes {
        /** The whole file. */
        InputStream open();

        /** {@code length} bytes from {@code start}, which the caller has checked against the size. */
        InputStream open(long start, long length);

        /** The bytes as a local file that never changes, when the store keeps them as one (zero-copy sending). */
        Optional<Path> file();
    }

    /** A file at rest: known size, hash and time, readable whole or by range. */
    sealed interface AtRest extends FileSource permits Stored, Cached {
        String sha256();

        long size();

        /** When the file became visible (upload, build or first cached). */
        Instant modified();

        Bytes bytes();
    }

    /** A file of a local project (uploaded, imported or built). */
    record Stored(String sha256, long size, Instant modified, Bytes bytes) implements AtRest {
        public Stored {
            Objects.requireNonNull(sha256);
            Objects.requireNonNull(modified);
            Objects.requireNonNull(bytes);
        }
    }

    /** An upstream file already fetched, verified and cached. */
    record Cached(String sha256, long size, Instant modified, Bytes bytes) implements AtRest {
        public Cached {
            Objects.requireNonNull(sha256);
            Objects.requireNonNull(modified);
            Objects.requireNonNull(bytes);
        }
    }

    /**
     * A file at rest (stored or cached) in an artifact store that hands out direct download URLs: the client is sent
     * to {@code location}, valid for a short time only, and fetches the bytes from there.
     */
    record Redirect(String sha256, long size, Instant modified, URI location) implements FileSource {
        public Redirect {
            Objects.requireNonNull(sha256);
            Objects.requireNonNull(modified);
            Objects.requireNonNull(location);
        }
    }

    /**
     * An upstream file being fetched now: {@code body} yields the bytes as they arrive, ends only after the whole file
     * matched {@code sha256} and was stored, and fails with an {@code IOException} when the fetch fails or the hash
     * does not match. The receiver closes it.
     */
    record Streaming(InputStream body, Optional<Long> size, String sha256) implements FileSource {
        public Streaming {
            Objects.requireNonNull(body);
            Objects.requireNonNull(size);
            Objects.requireNonNull(sha256);
        }
    }
}
