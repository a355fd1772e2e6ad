package dev.wheelwright.source;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one mirror, as the API shows it.
 *
 * @param url the remote, without credentials
 * @param lastAttempt when a fetch last started
 * @param lastSuccess when a fetch last succeeded
 * @param lastError the message of the last fetch failure, when the last fetch failed
 * @param lastErrorAt when that failure happened
 * @param fetches how many fetches this process started
 */
public record RepositoryStatus(
        String url,
        Optional<Instant> lastAttempt,
        Optional<Instant> lastSuccess,
        Optional<String> lastError,
        Optional<Instant> lastErrorAt,
        int fetches) {
    public RepositoryStatus {
        Objects.requireNonNull(url);
        Objects.requireNonNull(lastAttempt);
        Objects.requireNonNull(lastSuccess);
        Objects.requireNonNull(lastError);
        Objects.requireNonNull(lastErrorAt);
    }
}
