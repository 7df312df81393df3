package io.embedrec.interaction;

import io.embedrec.common.Jdbc;
import io.embedrec.common.PgArrays;
import org.postgresql.PGConnection;
import io.embedrec.space.Space;
import io.embedrec.space.VectorRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
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

    /**
     * Locks and loads users' states in a space, in key order (no deadlocks), creating empty rows where missing. The
     * common case (every user has a row) takes one round trip; only missing rows cost an insert and a second read.
     */
    public Map<Long, UserVectorAggregator.State> lock(Space space, long[] userPks) {
        Map<Long, UserVectorAggregator.State> out = lockExisting(space, userPks);
        if (out.size() < userPks.length) {
            long[] missing = java.util.Arrays.stream(userPks).filter(u -> !out.containsKey(u)).toArray();
            jdbc.update("INSERT INTO user_vectors (space_id, user_pk, sum, ref_ts, ref_count, positives, negatives) "
                    + "SELECT ?, u, array_fill(0::float8, ARRAY[?]), 'epoch', 0, 0, 0 FROM unnest(?::bigint[]) u "
                    + "ORDER BY u ON CONFLICT DO NOTHING", ps -> {
                        ps.setInt(1, space.id());
                        ps.setInt(2, space.dimensions());
                        ps.setArray(3, ps.getConnection().createArrayOf("bigint", PgArrays.boxed(missing)));
                    });
            out.putAll(lockExisting(space, missing));
        }
        return out;
    }

    private Map<Long, UserVectorAggregator.State> lockExisting(Space space, long[] userPks) {
        Map<Long, UserVectorAggregator.State> out = new HashMap<>();
        jdbc.query("SELECT user_pk, array_send(sum), ref_ts, ref_count, positives, negatives FROM user_vectors "
                        + "WHERE space_id = ? AND user_pk = ANY(?) ORDER BY user_pk FOR UPDATE", ps -> {
                    ps.setInt(1, space.id());
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", PgArrays.boxed(userPks)));
                }, rs -> {
                    long count = rs.getLong(4);
                    out.put(rs.getLong(1), new UserVectorAggregator.State(PgArrays.decodeFloat8(rs.getBytes(2)),
                            count == 0 ? Long.MIN_VALUE : rs.getTimestamp(3).getTime(), count, rs.getLong(5),
                            rs.getLong(6)));
                    return null;
                });
        return out;
    }

    /**
     * Writes users' states back. Sums and unit vectors go as binary float8/float4 arrays (pgvector casts real[] to
     * vector) in one JDBC batch: formatting ~400 x 384 numbers as text and escaping them as text[] elements was most
     * of the ingest CPU.
     */
    public void save(Space space, Map<Long, UserVectorAggregator.State> states) {
        jdbc.with(c -> {
            PGConnection pg = c.unwrap(PGConnection.class);
            try (PreparedStatement ps = c.prepareStatement("UPDATE user_vectors SET sum = ?, embedding = ?::real[]::vector, "
                    + "ref_ts = ?, ref_count = ?, positives = ?, negatives = ?, updated_at = now() "
                    + "WHERE space_id = ? AND user_pk = ?")) {
                for (Map.Entry<Long, UserVectorAggregator.State> e : states.entrySet()) {
                    UserVectorAggregator.State s = e.getValue();
                    float[] unit = UserVectorAggregator.normalised(s.sum);
                    ps.setArray(1, pg.createArrayOf("float8", s.sum));
                    if (unit == null) {
                        ps.setNull(2, java.sql.Types.ARRAY);
                    } else {
                        ps.setArray(2, pg.createArrayOf("float4", unit));
                    }
                    ps.setTimestamp(3, new Timestamp(s.count == 0 ? 0 : s.refMillis));
                    ps.setLong(4, s.count);
                    ps.setLong(5, s.positives);
                    ps.setLong(6, s.negatives);
                    ps.setInt(7, space.id());
                    ps.setLong(8, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The unit user vector in a space, when the user has one. */
    public Optional<UserVectorAggregator.State> state(Space space, long userPk) {
        return jdbc.queryOne("SELECT array_send(sum), ref_ts, ref_count, positives, negatives FROM user_vectors "
                        + "WHERE space_id = ? AND user_pk = ?", ps -> {
                    ps.setInt(1, space.id());
                    ps.setLong(2, userPk);
                }, rs -> new UserVectorAggregator.State(PgArrays.decodeFloat8(rs.getBytes(1)),
                        rs.getTimestamp(2).getTime(), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    /** Item vectors of a space for the given items (items without one are absent). */
    public Map<Long, float[]> itemVectors(Space space, long[] itemPks) {
        Object[] boxed = PgArrays.boxed(itemPks);
        Map<Long, float[]> out = new HashMap<>();
        jdbc.query("SELECT item_pk, " + VectorRepository.binary("embedding") + " FROM " + space.table()
                        + " WHERE item_pk = ANY(?)",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", boxed)),
                rs -> out.put(rs.getLong(1), VectorRepository.decode(rs.getBytes(2))));
        return out;
    }

    public void deleteUser(long userPk) {
        jdbc.update("DELETE FROM user_vectors WHERE user_pk = ?", ps -> ps.setLong(1, userPk));
    }
}
