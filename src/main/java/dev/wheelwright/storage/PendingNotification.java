package dev.wheelwright.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A notification in the outbox.
 *
 * @param id the outbox's id (0 for one not yet added)
 * @param target the receiver's URL
 * @param event the event name ({@code upload}, {@code build-failed}, ...)
 * @param payload the JSON body to send
 * @param created when the event happened
 * @param attempts how many deliveries failed so far
 * @param nextAttempt when the next delivery may run
 * @param lastError why the last delivery failed
 */
public record PendingNotification(
        long id,
        String target,
        String event,
        String payload,
        Instant created,
        int attempts,
        Instant nextAttempt,
        Optional<String> lastError) {
    public PendingNotification {
        Objects.requireNonNull(target);
        Objects.requireNonNull(event);
        Objects.requireNonNull(payload);
        Objects.requireNonNull(created);
        Objects.requireNonNull(nextAttempt);
        Objects.requireNonNull(lastError);
    }
}
