package io.embedrec.collaborative;

import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Reads what training needs: every event as (user, item, weight), with compact int indices. Public so that
 * {@code bench/train} times this very code ({@link #read}) outside the service.
 */
@ApplicationScoped
public class TrainingRepository {

    /** The exact statement training streams (the benchmark times this one). */
    static final String EVENTS = "SELECT user_pk, item_pk, weight FROM events";

    /**
     * The interactions, indexed: user u is {@code userPks[u]}, item i is {@code itemPks[i]} (both ascending);
     * {@code events} counts the rows read, duplicates included.
     */
    public record Interactions(long[] userPks, long[] itemPks, InteractionMatrix matrix, long events) {
    }

    private final Jdbc jdbc;

    TrainingRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Reads the interactions; call inside a transaction (pgjdbc streams with a cursor only then). */
    Interactions load(int fetchSize) {
        return jdbc.with(c -> read(c, fetchSize));
    }

    /**
     * Streams the events ({@code fetchSize} rows per round trip; the connection must not be in auto-commit, or
     * pgjdbc reads every row at once) into triplet arrays. Keys map to indices by binary search over the sorted key
     * lists read first, so no map and no boxing per row; an event of a user or item created after those lists were
     * read is left out (the next training sees it).
     */
    public static Interactions read(Connection c, int fetchSize) throws SQLException {
        long[] users = keys(c, "SELECT pk FROM users ORDER BY pk");
        long[] items = keys(c, "SELECT pk FROM items ORDER BY pk");
        int[] u = new int[1 << 16];
        int[] it = new int[1 << 16];
        double[] w = new double[1 << 16];
        int n = 0;
        long read = 0;
        try (PreparedStatement ps = c.prepareStatement(EVENTS)) {
            ps.setFetchSize(fetchSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                    int ui = Arrays.binarySearch(users, rs.getLong(1));
                    int ii = Arrays.binarySearch(items, rs.getLong(2));
                    if (ui < 0 || ii < 0) {
                        continue;
                    }
                    if (n == u.length) {
                        int grown = n + (n >> 1);
                        u = Arrays.copyOf(u, grown);
                        it = Arrays.copyOf(it, grown);
                        w = Arrays.copyOf(w, grown);
                    }
                    u[n] = ui;
                    it[n] = ii;
                    w[n] = rs.getDouble(3);
                    n++;
                }
            }
        }
        return new Interactions(users, items, InteractionMatrix.of(users.length, items.length, u, it, w, n), read);
    }

    private static long[] keys(Connection c, String sql) throws SQLException {
        long[] out = new long[1024];
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(50_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = rs.getLong(1);
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Writes a trained space's item-item model ({@code item_neighbours}), in batches of arrays. */
    void writeNeighbours(int spaceId, long[] itemPks, ItemNeighbours model) {
        int batch = 50_000;
        long[] from = new long[batch];
        long[] to = new long[batch];
        float[] w = new float[batch];
        int n = 0;
        for (int i = 0; i < model.items().length; i++) {
            int[] ns = model.items()[i];
            float[] ws = model.weights()[i];
            for (int x = 0; x < ns.length; x++) {
                from[n] = itemPks[i];
                to[n] = itemPks[ns[x]];
                w[n] = ws[x];
                if (++n == batch) {
                    insertNeighbours(spaceId, from, to, w, n);
                    n = 0;
                }
            }
        }
        if (n > 0) {
            insertNeighbours(spaceId, from, to, w, n);
        }
    }

    private void insertNeighbours(int spaceId, long[] from, long[] to, float[] w, int n) {
        Long[] f = new Long[n];
        Long[] t = new Long[n];
        Float[] ws = new Float[n];
        for (int k = 0; k < n; k++) {
            f[k] = from[k];
            t[k] = to[k];
            ws[k] = w[k];
        }
        jdbc.update("INSERT INTO item_neighbours (space_id, item_pk, neighbour_pk, weight) "
                + "SELECT ?, * FROM unnest(?::bigint[], ?::bigint[], ?::real[])", ps -> {
                    var c = ps.getConnection();
                    ps.setInt(1, spaceId);
                    ps.setArray(2, c.createArrayOf("bigint", f));
                    ps.setArray(3, c.createArrayOf("bigint", t));
                    ps.setArray(4, c.createArrayOf("float4", ws));
                });
    }
}
