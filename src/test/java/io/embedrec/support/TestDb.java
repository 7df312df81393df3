package io.embedrec.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Direct JDBC access to the test database, for setting up and checking state behind the API's back. */
public final class TestDb {

    public static final String URL = System.getenv().getOrDefault("EMBEDREC_TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/embedrec_test");

    private TestDb() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, System.getenv().getOrDefault("EMBEDREC_DB_USER", "embedrec"),
                System.getenv().getOrDefault("EMBEDREC_DB_PASSWORD", "embedrec"));
    }

    /**
     * Runs statements, e.g. {@code TRUNCATE items CASCADE}. The service's background workers may still be writing
     * (an embedding batch locks its queue rows, then checks its items' keys) when a test truncates the tables: when
     * Postgres picks the truncate as a deadlock's victim, it is run again, as any client would.
     */
    /**
     * After a test wrote the {@code spaces} table behind the service's back: the service in this JVM (if one runs)
     * reads it again at once, as it will anyway when the table's notification arrives a few milliseconds later.
     */
    public static void spacesChanged() {
        if (io.quarkus.arc.Arc.container() != null && io.quarkus.arc.Arc.container().isRunning()) {
            io.quarkus.arc.Arc.container().instance(io.embedrec.common.Changes.class).get()
                    .changed(io.embedrec.common.Changes.Topic.SPACES);
        }
    }

    public static void exec(String... sql) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (String q : sql) {
                    s.execute(q);
                }
                return;
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState()) || attempt == 5) {
                    throw new IllegalStateException(e);
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public static String text(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row. */
    public static java.util.List<String> textList(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            java.util.List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
