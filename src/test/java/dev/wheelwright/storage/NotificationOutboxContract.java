package dev.wheelwright.storage;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.micros;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link NotificationOutbox} must do. A backend's test class only says how to build one. */
public abstract class NotificationOutboxContract {
    private NotificationOutbox outbox;

    /** A new, empty outbox; the backend's test closes what it opened, after each test. */
    protected abstract NotificationOutbox newOutbox() throws Exception;

    @BeforeEach
    void createOutbox() throws Exception {
        outbox = newOutbox();
    }

    private static PendingNotification pending(String event, Instant nextAttempt) {
        return new PendingNotification(
                0,
                "http://127.0.0.1:9/hook",
                event,
                "{\"event\":\"" + event + "\"}",
                T0,
                0,
                nextAttempt,
                Optional.empty());
    }

    @Test
    void added_notifications_get_distinct_ids_and_come_back_due_oldest_first() {
        PendingNotification later = outbox.add(pending("upload", T0.plusSeconds(2)));
        PendingNotification first = outbox.add(pending("yank", T0.plusSeconds(1)));

        assertThat(later.id()).isNotZero().isNotEqualTo(first.id());
        assertThat(outbox.due(T0.plusSeconds(5), 10))
                .containsExactly(
                        new PendingNotification(
                                first.id(),
                                first.target(),
                                "yank",
                                first.payload(),
                                micros(T0),
                                0,
                                micros(T0.plusSeconds(1)),
                                Optional.empty()),
                        new PendingNotification(
                                later.id(),
                                later.target(),
                                "upload",
                                later.payload(),
                                micros(T0),
                                0,
                                micros(T0.plusSeconds(2)),
                                Optional.empty()));
        assertThat(outbox.due(T0.plusSeconds(5), 1))
                .extracting(PendingNotification::id)
                .containsExactly(first.id());
    }

    @Test
    void a_notification_is_not_due_before_its_next_attempt() {
        outbox.add(pending("upload", T0.plusSeconds(60)));

        assertThat(outbox.due(T0, 10)).isEmpty();
        assertThat(outbox.due(T0.plusSeconds(60), 10)).hasSize(1);
    }

    @Test
    void a_delivered_notification_is_removed_once() {
        PendingNotification n = outbox.add(pending("upload", T0));

        assertThat(outbox.delivered(n.id())).isTrue();
        assertThat(outbox.delivered(n.id())).isFalse();
        assertThat(outbox.due(T0.plusSeconds(1), 10)).isEmpty();
    }

    @Test
    void a_failed_delivery_records_its_attempts_error_and_next_time() {
        PendingNotification n = outbox.add(pending("upload", T0));

        outbox.failed(n.id(), 1, T0.plus(Duration.ofMinutes(1)), "connection refused");

        assertThat(outbox.due(T0.plusSeconds(1), 10)).isEmpty();
        List<PendingNotification> due = outbox.due(T0.plus(Duration.ofMinutes(1)), 10);
        assertThat(due).hasSize(1);
        assertThat(due.get(0).attempts()).isEqualTo(1);
        assertThat(due.get(0).lastError()).contains("connection refused");
    }

    @Test
    void a_given_up_notification_is_never_due_again() {
        PendingNotification n = outbox.add(pending("upload", T0));

        outbox.gaveUp(n.id(), 8, T0.plusSeconds(1), "HTTP 500");

        assertThat(outbox.due(T0.plus(Duration.ofDays(365)), 10)).isEmpty();
    }
}
