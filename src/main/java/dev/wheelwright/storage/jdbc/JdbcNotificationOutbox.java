package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.NotificationOutbox;
import dev.wheelwright.storage.PendingNotification;
import dev.wheelwright.storage.StorageException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@link NotificationOutbox} over table {@code notification_outbox}. Thread-safe. */
record JdbcNotificationOutbox(Database db) implements NotificationOutbox {
    private static final String COLUMNS = """
            id, target, event, payload, created_us, attempts, next_attempt_us, last_error""";

    JdbcNotificationOutbox {
        Objects.requireNonNull(db);
    }

    @Override
    public PendingNotification add(PendingNotification n) {
        Objects.requireNonNull(n);
        try {
            long id = db.write(c -> {
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO notification_outbox (target, event, payload, created_us, attempts, next_attempt_us,
                            last_error)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                    insert.setString(1, n.target());
                    insert.setString(2, n.event());
                    insert.setString(3, n.payload());
                    insert.setLong(4, EpochMicros.of(n.created()));
                    insert.setInt(5, n.attempts());
                    insert.setLong(6, EpochMicros.of(n.nextAttempt()));
                    Rows.setOptionalString(insert, 7, n.lastError());
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        if (!keys.next()) {
                            throw new SQLException("no id generated for the notification");
                        }
                        return keys.getLong(1);
                    }
                }
            });
            return new PendingNotification(
                    id, n.target(), n.event(), n.payload(), n.created(), n.attempts(), n.nextAttempt(), n.lastError());
        } catch (SQLException e) {
            throw new StorageException("cannot record a " + n.event() + " notification", e);
        }
    }

    @Override
    public List<PendingNotification> due(Instant now, int limit) {
        return db.read("cannot list due notifications", c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM notification_outbox WHERE gave_up_us IS NULL AND next_attempt_us <= ?
                    ORDER BY next_attempt_us, id LIMIT ?""".formatted(COLUMNS))) {
                query.setLong(1, EpochMicros.of(now));
                query.setInt(2, limit);
                return Rows.list(query, JdbcNotificationOutbox::pending);
            }
        });
    }

    @Override
    public boolean delivered(long id) {
        return db.update(
                        "cannot remove delivered notification " + id,
                        "DELETE FROM notification_outbox WHERE id = ?",
                        delete -> delete.setLong(1, id))
                > 0;
    }

    @Override
    public void failed(long id, int attempts, Instant nextAttempt, String error) {
        update(id, attempts, EpochMicros.of(nextAttempt), error, Optional.empty());
    }

    @Override
    public void gaveUp(long id, int attempts, Instant when, String error) {
        update(id, attempts, EpochMicros.of(when), error, Optional.of(when));
    }

    private void update(long id, int attempts, long nextAttemptUs, String error, Optional<Instant> gaveUp) {
        db.update("cannot record the delivery attempt of notification " + id, """
                UPDATE notification_outbox SET attempts = ?, next_attempt_us = ?, last_error = ?, gave_up_us = ?
                WHERE id = ?""", update -> {
            update.setInt(1, attempts);
            update.setLong(2, nextAttemptUs);
            update.setString(3, error);
            Rows.setOptionalInstant(update, 4, gaveUp);
            update.setLong(5, id);
        });
    }

    private static PendingNotification pending(ResultSet row) throws SQLException {
        return new PendingNotification(
                row.getLong("id"),
                row.getString("target"),
                row.getString("event"),
                row.getString("payload"),
                EpochMicros.toInstant(row.getLong("created_us")),
                row.getInt("attempts"),
                EpochMicros.toInstant(row.getLong("next_attempt_us")),
                Optional.ofNullable(row.getString("last_error")));
    }
}
