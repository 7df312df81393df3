package io.embedrec.evaluation;

import io.embedrec.common.Jdbc;
import io.embedrec.space.Space;
import io.embedrec.space.VectorRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Reads what an offline evaluation needs, all at once: the catalog with its vectors in a space, and every event. */
@ApplicationScoped
public class EvaluationRepository {

    /** The catalog in external-id order, and each item's index by internal key. */
    public record CatalogRows(Evaluator.Catalog catalog, Map<Long, Integer> indexByPk) {
    }

    private static final int FETCH = 10_000;

    private final Jdbc jdbc;

    EvaluationRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Every item, in external-id order, with its vector in the space (zeros when it has none). Streams rows. */
    public CatalogRows catalog(Space space) {
        return jdbc.with(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM items");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                n = rs.getInt(1);
            }
            int d = space.dimensions();
            float[] vectors = new float[n * d];
            Map<Long, Integer> index = new HashMap<>(n * 2);
            String[] ids = new String[n];
            try (PreparedStatement ps = c.prepareStatement("SELECT i.pk, " + VectorRepository.binary("v.embedding")
                    + ", i.external_id FROM items i LEFT JOIN "
                    + space.table() + " v ON v.item_pk = i.pk ORDER BY i.external_id COLLATE \"C\"")) {
                ps.setFetchSize(FETCH);
                try (ResultSet rs = ps.executeQuery()) {
                    int i = 0;
                    while (rs.next() && i < n) {
                        index.put(rs.getLong(1), i);
                        ids[i] = rs.getString(3);
                        byte[] v = rs.getBytes(2);
                        if (v != null) {
                            System.arraycopy(VectorRepository.decode(v), 0, vectors, i * d, d);
                        }
                        i++;
                    }
                    n = i;
                }
            }
            return new CatalogRows(new Evaluator.Catalog(n, d, Arrays.copyOf(vectors, n * d),
                    Arrays.copyOf(ids, n)), index);
        });
    }

    /** Every event on a catalog item, grouped by user, in (timestamp, arrival) order within a user. Streams rows. */
    public Evaluator.Events events(Map<Long, Integer> indexByPk) {
        return jdbc.with(c -> {
            int cap = 1024;
            int[] user = new int[cap];
            int[] item = new int[cap];
            double[] weight = new double[cap];
            long[] ts = new long[cap];
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT user_pk, item_pk, weight, ts FROM events "
                    + "ORDER BY user_pk, ts, pk")) {
                ps.setFetchSize(FETCH);
                try (ResultSet rs = ps.executeQuery()) {
                    long lastUser = Long.MIN_VALUE;
                    int u = -1;
                    while (rs.next()) {
                        Integer i = indexByPk.get(rs.getLong(2));
                        if (i == null) {
                            continue; // an item created after the catalog was read
                        }
                        if (n == cap) {
                            cap *= 2;
                            user = Arrays.copyOf(user, cap);
                            item = Arrays.copyOf(item, cap);
                            weight = Arrays.copyOf(weight, cap);
                            ts = Arrays.copyOf(ts, cap);
                        }
                        long pk = rs.getLong(1);
                        if (pk != lastUser) {
                            lastUser = pk;
                            u++;
                        }
                        user[n] = u;
                        item[n] = i;
                        weight[n] = rs.getDouble(3);
                        ts[n] = rs.getTimestamp(4).getTime();
                        n++;
                    }
                }
            }
            return new Evaluator.Events(n, user, item, weight, ts);
        });
    }
}
