package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Copies the rows of every table of the schema from one database to another, of any engine: rows are read in
 * primary-key order and inserted in batches, each batch one write transaction of the target, skipping rows whose
 * key the target has already. So a copy that was interrupted is finished by running it again, and rows the target
 * has are never changed.
 */
final class TableCopy {
    /** The tables in an order that satisfies their references; leases are not copied (they belong to live replicas). */
    static final List<String> TABLES = List.of(
            "projects",
            "files",
            "tokens",
            "builds",
            "upstream_snapshots",
            "upstream_files",
            "notification_outbox",
            "file_provenance",
            "signing_keys");

    private static final int BATCH = 500;

    private TableCopy() {}

    static List<JdbcStorage.CopiedTable> copy(Database from, Database to) {
        List<JdbcStorage.CopiedTable> result = new ArrayList<>();
        for (String table : TABLES) {
            result.add(copyTable(from, to, table));
        }
        return List.copyOf(result);
    }

    private static JdbcStorage.CopiedTable copyTable(Database from, Database to, String table) {
        List<String> columns =
                to.read("cannot read the columns of " + table + " in the target", c -> columns(c, table));
        String select = "SELECT " + String.join(", ", columns) + " FROM " + table + " ORDER BY " + primaryKey(table);
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ") ON CONFLICT DO NOTHING";
        long[] counts = new long[2];
        from.read("cannot read table " + table + " of the source", c -> {
            try (PreparedStatement query = c.prepareStatement(select)) {
                query.setFetchSize(BATCH);
                try (ResultSet rows = query.executeQuery()) {
                    List<Object[]> batch = new ArrayList<>(BATCH);
                    while (rows.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rows.getObject(i + 1);
                        }
                        batch.add(row);
                        counts[0]++;
                        if (batch.size() == BATCH) {
                            counts[1] += insert(to, table, insert, batch);
                            batch.clear();
                        }
                    }
                    counts[1] += insert(to, table, insert, batch);
                }
            }
            return null;
        });
        to.dialect().afterRowsCopied(table).ifPresent(sql -> {
            try {
                to.write(c -> {
                    try (PreparedStatement statement = c.prepareStatement(sql)) {
                        statement.execute();
                    }
                    return null;
                });
            } catch (SQLException e) {
                throw new StorageException("cannot update the keys of table " + table + " of the target", e);
            }
        });
        return new JdbcStorage.CopiedTable(table, counts[0], counts[1]);
    }

    private static long insert(Database to, String table, String insert, List<Object[]> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            return to.write(c -> {
                int[] types = columnTypes(c, table);
                long added = 0;
                try (PreparedStatement statement = c.prepareStatement(insert)) {
                    for (Object[] row : batch) {
                        for (int i = 0; i < row.length; i++) {
                            if (row[i] == null) {
                                statement.setNull(i + 1, types[i]);
                            } else {
                                statement.setObject(i + 1, row[i], types[i]);
                            }
                        }
                        added += statement.executeUpdate();
                    }
                }
                return added;
            });
        } catch (SQLException e) {
            throw new StorageException("cannot write table " + table + " of the target", e);
        }
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0");
                ResultSet rows = query.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
            return names;
        }
    }

    private static int[] columnTypes(Connection c, String table) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0");
                ResultSet rows = query.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            int[] types = new int[meta.getColumnCount()];
            for (int i = 0; i < types.length; i++) {
                types[i] = meta.getColumnType(i + 1);
            }
            return types;
        }
    }

    private static String primaryKey(String table) {
        return switch (table) {
            case "projects" -> "name";
            case "files", "upstream_files", "file_provenance" -> "filename";
            case "signing_keys" -> "name";
            case "tokens", "notification_outbox" -> "id";
            case "builds" -> "project, version";
            case "upstream_snapshots" -> "project";
            default -> throw new IllegalArgumentException("no table " + table);
        };
    }
}
