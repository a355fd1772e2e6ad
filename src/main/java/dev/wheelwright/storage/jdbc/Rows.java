package dev.wheelwright.storage.jdbc;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading rows into records and binding optional values, the same way for every port. */
final class Rows {
    /** Maps the current row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private Rows() {}

    static <T> List<T> list(PreparedStatement query, RowMapper<T> mapper) throws SQLException {
        List<T> result = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
        }
        return List.copyOf(result);
    }

    static <T> Optional<T> first(PreparedStatement query, RowMapper<T> mapper) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
    }

    /** The first row {@code sql} finds with {@code params} (bound in order), mapped; empty when there is none. */
    static <T> Optional<T> first(Connection c, String sql, RowMapper<T> mapper, String... params) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, params);
            return first(query, mapper);
        }
    }

    /** Every row {@code sql} finds with {@code params} (bound in order), mapped. */
    static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, String... params) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, params);
            return list(query, mapper);
        }
    }

    /** Runs one statement that answers nothing the caller needs (a pragma, a transaction command). */
    static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    static void bind(PreparedStatement statement, String... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            statement.setString(i + 1, params[i]);
        }
    }

    /** A stored (normalized) project name; one that does not parse is a corrupt row, a {@link StorageException}. */
    static ProjectName projectName(String stored) {
        try {
            return ProjectName.parse(stored);
        } catch (WheelwrightException e) {
            throw new StorageException("a stored project name does not parse: " + e.getMessage(), e);
        }
    }

    /** The name spelled as it is stored (normalized), without parsing again when it already is. */
    static ProjectName normalizedSpelling(ProjectName name) {
        return name.original().equals(name.normalized()) ? name : projectName(name.normalized());
    }

    /** A stored (normalized) version; one that does not parse is a corrupt row, a {@link StorageException}. */
    static Version version(String stored) {
        try {
            return Version.parse(stored);
        } catch (WheelwrightException e) {
            throw new StorageException("a stored version does not parse: " + e.getMessage(), e);
        }
    }

    static Optional<Instant> optionalInstant(ResultSet row, String column) throws SQLException {
        long micros = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(EpochMicros.toInstant(micros));
    }

    static void setOptionalString(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    static void setOptionalInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, EpochMicros.of(value.get()));
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }
}
