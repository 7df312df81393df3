package io.embedrec.common;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Thin JDBC helpers for repositories whose SQL cannot be static (one vector table per space) or must be fast
 * (bulk statements). Connections come from the pool and join the caller's transaction.
 */
@ApplicationScoped
public class Jdbc {

    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    public Jdbc(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        return with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                    return out;
                }
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
        List<T> rows = query(sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public long queryLong(String sql, Binder binder) {
        return queryOne(sql, binder, rs -> rs.getLong(1)).orElse(0L);
    }

    public int update(String sql, Binder binder) {
        return with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    /** One SELECT of several sent together: its SQL, how it binds its parameters from a position, its rows. */
    public record Part<T>(String sql, PartBinder binder, RowMapper<T> mapper) {
    }

    /** Binds a part's parameters starting at {@code at}; returns the next free position. */
    @FunctionalInterface
    public interface PartBinder {
        int bind(PreparedStatement ps, int at) throws SQLException;
    }

    /**
     * Runs several SELECTs in one round trip, after parameterless statements in {@code prefix} (e.g. SET LOCAL;
     * empty or ending in "; "): pgjdbc sends a multi-statement string's statements together. Returns each part's
     * rows, in the parts' order.
     */
    public List<List<?>> queryTogether(String prefix, List<Part<?>> parts) {
        StringBuilder sql = new StringBuilder(prefix);
        for (int p = 0; p < parts.size(); p++) {
            sql.append(p == 0 ? "" : "; ").append(parts.get(p).sql());
        }
        return with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int at = 1;
                for (Part<?> part : parts) {
                    at = part.binder().bind(ps, at);
                }
                List<List<?>> out = new ArrayList<>(parts.size());
                boolean isResultSet = ps.execute();
                while (isResultSet || ps.getUpdateCount() != -1) {
                    if (isResultSet) {
                        Part<?> part = parts.get(out.size());
                        List<Object> rows = new ArrayList<>();
                        try (ResultSet rs = ps.getResultSet()) {
                            while (rs.next()) {
                                rows.add(part.mapper().map(rs));
                            }
                        }
                        out.add(rows);
                    }
                    isResultSet = ps.getMoreResults();
                }
                return out;
            }
        });
    }

    /** Runs statements without parameters (DDL, SET LOCAL). */
    public void execute(String... statements) {
        with(c -> {
            try (var s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    public <T> T with(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    /** A database error: not the client's fault; mapped to 500 with an incident id. */
    public static class DataAccessException extends RuntimeException {
        public DataAccessException(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        public String sqlState() {
            return ((SQLException) getCause()).getSQLState();
        }
    }
}
