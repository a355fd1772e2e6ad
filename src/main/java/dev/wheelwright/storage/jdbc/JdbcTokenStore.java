package dev.wheelwright.storage.jdbc;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.TokenRecord;
import dev.wheelwright.storage.TokenStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@link TokenStore} over table {@code tokens}; scopes are kept comma-joined. Thread-safe. */
record JdbcTokenStore(Database db) implements TokenStore {
    private static final String TOKEN_COLUMNS = """
            id, name, salt, secret_hash, scopes, project_glob, created_us, expires_us, last_used_us""";

    JdbcTokenStore {
        Objects.requireNonNull(db);
    }

    @Override
    public void addToken(TokenRecord token) {
        Objects.requireNonNull(token);
        for (String scope : token.scopes()) {
            if (scope.isEmpty() || scope.contains(",")) {
                throw new IllegalArgumentException("scope names are non-empty and without commas: " + scope);
            }
        }
        try {
            db.write(c -> {
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO tokens (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(TOKEN_COLUMNS))) {
                    insert.setString(1, token.id());
                    insert.setString(2, token.name());
                    insert.setString(3, token.salt());
                    insert.setString(4, token.secretHash());
                    insert.setString(5, String.join(",", token.scopes()));
                    Rows.setOptionalString(insert, 6, token.projectGlob());
                    insert.setLong(7, EpochMicros.of(token.created()));
                    Rows.setOptionalInstant(insert, 8, token.expires());
                    Rows.setOptionalInstant(insert, 9, token.lastUsed());
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            if (db.dialect().isUniqueViolation(e)) {
                throw new WheelwrightException(Kind.CONFLICT, "a token named " + token.name() + " already exists");
            }
            throw new StorageException("cannot record token " + token.name(), e);
        }
    }

    @Override
    public Optional<TokenRecord> token(String id) {
        Objects.requireNonNull(id);
        return db.first(
                "cannot read a token",
                "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE id = ?",
                JdbcTokenStore::tokenRecord,
                id);
    }

    @Override
    public List<TokenRecord> tokens() {
        return db.list(
                "cannot list tokens",
                "SELECT " + TOKEN_COLUMNS + " FROM tokens ORDER BY name",
                JdbcTokenStore::tokenRecord);
    }

    @Override
    public boolean revokeToken(String name) {
        Objects.requireNonNull(name);
        return db.update("cannot revoke token " + name, "DELETE FROM tokens WHERE name = ?", d -> d.setString(1, name))
                > 0;
    }

    @Override
    public void tokenUsed(String id, Instant when) {
        Objects.requireNonNull(id);
        Objects.requireNonNull(when);
        db.update("cannot record the use of a token", "UPDATE tokens SET last_used_us = ? WHERE id = ?", update -> {
            update.setLong(1, EpochMicros.of(when));
            update.setString(2, id);
        });
    }

    private static TokenRecord tokenRecord(ResultSet row) throws SQLException {
        String scopes = row.getString("scopes");
        return new TokenRecord(
                row.getString("id"),
                row.getString("name"),
                row.getString("salt"),
                row.getString("secret_hash"),
                scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(",")),
                Optional.ofNullable(row.getString("project_glob")),
                EpochMicros.toInstant(row.getLong("created_us")),
                Rows.optionalInstant(row, "expires_us"),
                Rows.optionalInstant(row, "last_used_us"));
    }
}
