package dev.wheelwright.storage;

import java.time.Instant;
import java.util.List;

/**
 * The durable outbox of outgoing notifications: a notification is added when its event happens and stays until it
 * is delivered (then removed) or its retries are exhausted (then kept, marked given up). Thread-safe; several
 * processes may share it. Failures throw {@link StorageException}.
 */
public interface NotificationOutbox {
    /** Adds a notification; returns it with its id. */
    PendingNotification add(PendingNotification notification);

    /** Up to {@code limit} notifications not given up whose next attempt is at or before {@code now}, oldest first. */
    List<PendingNotification> due(Instant now, int limit);

    /** Removes a delivered notification; false when it was not there (another process delivered it). */
    boolean delivered(long id);

    /** Records a failed delivery: the attempts so far, when to try again and why it failed. */
    void failed(long id, int attempts, Instant nextAttempt, String error);

    /** Marks a notification given up (kept for operators, never sent again). */
    void gaveUp(long id, int attempts, Instant when, String error);
}
