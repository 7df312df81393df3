package io.embedrec.interaction;

import io.embedrec.common.Jdbc;
import io.embedrec.common.PgArrays;
import io.embedrec.space.Space;
import io.embedrec.space.VectorRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of {@code user_vectors} and of the item vectors aggregation reads. */
@ApplicationScoped
public class UserVectorRepository {

    private final Jdbc jdbc;

    UserVectorRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks (creating empty rows where missing) and loads users' states in a space, in key order (no deadlocks). */
    public Map<Long, UserVectorAggregator.State> lock(Space space, long[] userPks) {
        Object[] boxed = PgArrays.boxed(userPks);
        jdbc.update("INSERT INTO user_vectors (space_id, user_pk, sum, ref_ts, ref_count, positives, negatives) "
                + "SELECT ?, u, array_fill(0::float8, ARRAY[?]), 'epoch', 0, 0, 0 FROM unnest(?::bigint[]) u "
                + "ORDER BY u ON CONFLICT DO NOTHING", ps -> {
                    ps.setInt(1, space.id());
                    ps.setInt(2, space.dimensions());
                    ps.setArray(3, ps.getConnection().createArrayOf("bigint", boxed));
                });
        Map<Long, UserVectorAggregator.State> out = new HashMap<>();
        jdbc.query("SELECT user_pk, sum, ref_ts, ref_count, positives, negatives FROM user_vectors "
                        + "WHERE space_id = ? AND user_pk = ANY(?) ORDER BY user_pk FOR UPDATE", ps -> {
                    ps.setInt(1, space.id());
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", boxed));
                }, rs -> {
                    long count = rs.getLong(4);
                    out.put(rs.getLong(1), new UserVectorAggregator.State(doubles(rs.getArray(2)),
                            count == 0 ? Long.MIN_VALUE : rs.getTimestamp(3).getTime(), count, rs.getLong(5),
                            rs.getLong(6)));
                    return null;
                });
        return out;
    }

    public void save(Space space, Map<Long, UserVectorAggregator.State> states) {
        int n = states.size();
        Object[] users = new Object[n];
        Object[] sums = new Object[n];
        Object[] vectors = new Object[n];
        Object[] refs = new Object[n];
        Object[] counts = new Object[n];
        Object[] pos = new Object[n];
        Object[] neg = new Object[n];
        int k = 0;
        for (Map.Entry<Long, UserVectorAggregator.State> e : states.entrySet()) {
            UserVectorAggregator.State s = e.getValue();
            users[k] = e.getKey();
            sums[k] = pgDoubles(s.sum);
            float[] unit = UserVectorAggregator.normalised(s.sum);
            vectors[k] = unit == null ? null : PgArrays.vectorLiteral(unit);
            refs[k] = new Timestamp(s.count == 0 ? 0 : s.refMillis);
            counts[k] = s.count;
            pos[k] = s.positives;
            neg[k] = s.negatives;
            k++;
        }
        jdbc.update("UPDATE user_vectors u SET sum = x.sum::float8[], embedding = x.v::vector, ref_ts = x.ref, "
                + "ref_count = x.c, positives = x.p, negatives = x.n, updated_at = now() "
                + "FROM unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[], ?::bigint[], "
                + "?::bigint[]) AS x(user_pk, sum, v, ref, c, p, n) WHERE u.space_id = ? AND u.user_pk = x.user_pk",
                ps -> {
                    var c = ps.getConnection();
                    ps.setArray(1, c.createArrayOf("bigint", users));
                    ps.setArray(2, c.createArrayOf("text", sums));
                    ps.setArray(3, c.createArrayOf("text", vectors));
                    ps.setArray(4, c.createArrayOf("timestamptz", refs));
                    ps.setArray(5, c.createArrayOf("bigint", counts));
                    ps.setArray(6, c.createArrayOf("bigint", pos));
                    ps.setArray(7, c.createArrayOf("bigint", neg));
                    ps.setInt(8, space.id());
                });
    }

    /** The unit user vector in a space, when the user has one. */
    public Optional<UserVectorAggregator.State> state(Space space, long userPk) {
        return jdbc.queryOne("SELECT sum, ref_ts, ref_count, positives, negatives FROM user_vectors "
                        + "WHERE space_id = ? AND user_pk = ?", ps -> {
                    ps.setInt(1, space.id());
                    ps.setLong(2, userPk);
                }, rs -> new UserVectorAggregator.State(doubles(rs.getArray(1)), rs.getTimestamp(2).getTime(),
                        rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    /** Item vectors of a space for the given items (items without one are absent). */
    public Map<Long, float[]> itemVectors(Space space, long[] itemPks) {
        Object[] boxed = PgArrays.boxed(itemPks);
        Map<Long, float[]> out = new HashMap<>();
        jdbc.query("SELECT item_pk, embedding::text FROM " + space.table() + " WHERE item_pk = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", boxed)),
                rs -> out.put(rs.getLong(1), VectorRepository.parse(rs.getString(2))));
        return out;
    }

    public void deleteUser(long userPk) {
        jdbc.update("DELETE FROM user_vectors WHERE user_pk = ?", ps -> ps.setLong(1, userPk));
    }

    static double[] doubles(Array a) throws java.sql.SQLException {
        Double[] boxed = (Double[]) a.getArray();
        double[] out = new double[boxed.length];
        for (int k = 0; k < boxed.length; k++) {
            out[k] = boxed[k];
        }
        return out;
    }

    static String pgDoubles(double[] v) {
        StringBuilder sb = new StringBuilder(v.length * 20).append('{');
        for (int k = 0; k < v.length; k++) {
            if (k > 0) {
                sb.append(',');
            }
            sb.append(v[k]);
        }
        return sb.append('}').toString();
    }


}
