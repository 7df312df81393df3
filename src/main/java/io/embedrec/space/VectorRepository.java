package io.embedrec.space;

import com.pgvector.PGhalfvec;
import com.pgvector.PGvector;
import io.embedrec.common.Jdbc;
import io.embedrec.common.PgArrays;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of the per-space vector tables and of the embedding queue that feeds them. A queue row and the vector it
 * produces change in one transaction, so after a crash every item has exactly one vector for its current text and
 * finished work is never redone.
 */
@ApplicationScoped
public class VectorRepository {

    /** An item to (re-)embed, as claimed from the queue with the text it has now. */
    public record Claimed(long itemPk, String externalId, byte[] queuedHash, UUID jobId, String title, String description,
                          List<String> categories, Map<String, Object> attributes) {
    }

    /** Per-item vector state in one space. */
    public enum State { READY, PENDING, FAILED }

    public record ItemVectorState(String space, State state, String reason) {
    }

    public record Counts(long ready, long pending, long failed) {
    }

    /** Trained vectors per INSERT: 5,000 x 64 floats is a 1.3 MB parameter. */
    private static final int WRITE_SLICE = 5000;

    private final Jdbc jdbc;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    VectorRepository(Jdbc jdbc, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Queues items whose text hash differs from their stored vector's (or that have none). Rows already queued with
     * the same hash are left alone; a failed row with a new hash is retried.
     *
     * @return rows queued or re-queued
     */
    public int enqueueChanged(Space space, long[] itemPks, byte[][] hashes, UUID jobId) {
        return jdbc.with(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO embedding_queue (space_id, item_pk, text_hash, job_id) "
                            + "SELECT ?, u.pk, u.h, ? FROM unnest(?::bigint[], ?::bytea[]) AS u(pk, h) "
                            + "LEFT JOIN " + space.table() + " v ON v.item_pk = u.pk "
                            + "WHERE v.text_hash IS DISTINCT FROM u.h "
                            + "ON CONFLICT (space_id, item_pk) DO UPDATE SET text_hash = excluded.text_hash, "
                            + "job_id = coalesce(excluded.job_id, embedding_queue.job_id), failed = false, "
                            + "attempts = 0, last_error = NULL, enqueued_at = now() "
                            + "WHERE embedding_queue.text_hash IS DISTINCT FROM excluded.text_hash "
                            + "OR embedding_queue.failed OR excluded.job_id IS NOT NULL")) {
                ps.setInt(1, space.id());
                ps.setObject(2, jobId);
                ps.setArray(3, c.createArrayOf("bigint", PgArrays.boxed(itemPks)));
                ps.setArray(4, c.createArrayOf("bytea", hashes));
                return ps.executeUpdate();
            }
        });
    }

    /** Queues every item of the catalog for a forced re-embed by {@code jobId}. */
    public int enqueueAll(Space space, UUID jobId) {
        return jdbc.update("INSERT INTO embedding_queue (space_id, item_pk, text_hash, job_id) "
                + "SELECT ?, pk, NULL, ? FROM items "
                + "ON CONFLICT (space_id, item_pk) DO UPDATE SET text_hash = NULL, job_id = excluded.job_id, "
                + "failed = false, attempts = 0, last_error = NULL, enqueued_at = now()", ps -> {
                    ps.setInt(1, space.id());
                    ps.setObject(2, jobId);
                });
    }

    /** Hands already-queued (pending or failed) rows of a space to a job, so it counts and retries them. */
    public int adoptQueued(Space space, UUID jobId) {
        return jdbc.update("UPDATE embedding_queue SET job_id = ?, failed = false, attempts = 0, last_error = NULL "
                + "WHERE space_id = ?", ps -> {
                    ps.setObject(1, jobId);
                    ps.setInt(2, space.id());
                });
    }

    /** Spaces that have claimable queue rows, oldest work first. */
    public List<Integer> spacesWithWork() {
        return jdbc.query("SELECT space_id FROM embedding_queue WHERE NOT failed "
                + "AND (claimed_until IS NULL OR claimed_until < now()) GROUP BY space_id ORDER BY min(enqueued_at)",
                ps -> { }, rs -> rs.getInt(1));
    }

    /**
     * Claims up to {@code limit} rows of a space for {@code worker} for {@code leaseSeconds} (rows claimed by
     * another live worker are skipped, not waited for) and returns them with the items' current text.
     */
    public List<Claimed> claim(Space space, String worker, int limit, int leaseSeconds) {
        return jdbc.query("WITH c AS (UPDATE embedding_queue q SET claimed_by = ?, "
                        + "claimed_until = now() + make_interval(secs => ?), attempts = attempts + 1 "
                        + "WHERE (q.space_id, q.item_pk) IN (SELECT space_id, item_pk FROM embedding_queue "
                        + "WHERE space_id = ? AND NOT failed AND (claimed_until IS NULL OR claimed_until < now()) "
                        + "ORDER BY enqueued_at, item_pk LIMIT ? FOR UPDATE SKIP LOCKED) "
                        + "RETURNING q.item_pk, q.text_hash, q.job_id) "
                        + "SELECT c.item_pk, i.external_id, c.text_hash, c.job_id, i.title, i.description, i.categories, "
                        + "i.attributes::text FROM c JOIN items i ON i.pk = c.item_pk ORDER BY c.item_pk",
                ps -> {
                    ps.setString(1, worker);
                    ps.setInt(2, leaseSeconds);
                    ps.setInt(3, space.id());
                    ps.setInt(4, limit);
                }, rs -> new Claimed(rs.getLong(1), rs.getString(2), rs.getBytes(3), (UUID) rs.getObject(4),
                        rs.getString(5), rs.getString(6), textList(rs.getArray(7)), attributes(rs.getString(8))));
    }

    /**
     * Writes the vectors of a claimed batch and removes its queue rows, in the caller's transaction. A row whose
     * item changed text after the claim (its queued hash is no longer the one embedded) stays queued for another
     * round; rows no longer claimed by {@code worker} (lease lost) are not written.
     *
     * @return per job id, how many of its rows were completed
     */
    public Map<UUID, Long> complete(Space space, String worker, long[] itemPks, float[][] vectors, byte[][] hashes) {
        return jdbc.with(c -> {
            Object[] vecs = new Object[vectors.length];
            for (int k = 0; k < vectors.length; k++) {
                vecs[k] = space.storage() == Space.Storage.HALFVEC ? new PGhalfvec(vectors[k]).getValue()
                        : new PGvector(vectors[k]).getValue();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "WITH u AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::bytea[]) AS u(pk, e, h)), "
                            + "mine AS (SELECT q.item_pk, q.job_id, u.e, u.h, "
                            + "(q.text_hash IS NULL OR q.text_hash = u.h) AS current "
                            + "FROM embedding_queue q JOIN u ON u.pk = q.item_pk "
                            + "WHERE q.space_id = ? AND q.claimed_by = ? FOR UPDATE OF q), "
                            + "w AS (INSERT INTO " + space.table() + " (item_pk, embedding, text_hash) "
                            + "SELECT item_pk, e::" + space.columnType() + ", h FROM mine "
                            + "ON CONFLICT (item_pk) DO UPDATE SET embedding = excluded.embedding, "
                            + "text_hash = excluded.text_hash, embedded_at = now()), "
                            + "d AS (DELETE FROM embedding_queue q USING mine "
                            + "WHERE q.space_id = ? AND q.item_pk = mine.item_pk AND mine.current "
                            + "RETURNING mine.job_id), "
                            + "r AS (UPDATE embedding_queue q SET claimed_by = NULL, claimed_until = NULL "
                            + "FROM mine WHERE q.space_id = ? AND q.item_pk = mine.item_pk AND NOT mine.current) "
                            + "SELECT job_id, count(*) FROM d WHERE job_id IS NOT NULL GROUP BY job_id")) {
                ps.setArray(1, c.createArrayOf("bigint", PgArrays.boxed(itemPks)));
                ps.setArray(2, c.createArrayOf("text", vecs));
                ps.setArray(3, c.createArrayOf("bytea", hashes));
                ps.setInt(4, space.id());
                ps.setString(5, worker);
                ps.setInt(6, space.id());
                ps.setInt(7, space.id());
                Map<UUID, Long> perJob = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        perJob.put((UUID) rs.getObject(1), rs.getLong(2));
                    }
                }
                return perJob;
            }
        });
    }

    /**
     * Writes trained vectors ({@code flat} holds one vector of the space's dimensions per item, in {@code itemPks}
     * order) into a space's table, in the caller's transaction. Each statement sends a slice of items as two binary
     * arrays and Postgres cuts the flat real[] into rows ({@code real[]} casts to {@code vector}), so no float is
     * formatted as text.
     */
    public void writeTrained(Space space, long[] itemPks, float[] flat) {
        int d = space.dimensions();
        if (flat.length != itemPks.length * d) {
            throw new IllegalArgumentException(itemPks.length + " items need " + itemPks.length * d
                    + " numbers, got " + flat.length);
        }
        jdbc.with(c -> {
            org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + space.table() + " (item_pk, embedding) "
                    + "SELECT u.pk, (?::real[])[(u.o - 1) * " + d + " + 1 : u.o * " + d + "]::" + space.columnType()
                    + " FROM unnest(?::bigint[]) WITH ORDINALITY AS u(pk, o)")) {
                for (int from = 0; from < itemPks.length; from += WRITE_SLICE) {
                    int to = Math.min(itemPks.length, from + WRITE_SLICE);
                    ps.setArray(1, pg.createArrayOf("float4", java.util.Arrays.copyOfRange(flat, from * d, to * d)));
                    ps.setArray(2, pg.createArrayOf("int8", java.util.Arrays.copyOfRange(itemPks, from, to)));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * Records a failed attempt; after {@code maxAttempts} the row is marked failed with the reason (shown as the
     * item's vector status) and is no longer claimed.
     *
     * @return the rows that became failed, with their job (null when none)
     */
    public List<FailedRow> fail(Space space, String worker, long[] itemPks, String reason, int maxAttempts) {
        return jdbc.query("UPDATE embedding_queue SET claimed_by = NULL, claimed_until = NULL, last_error = ?, "
                        + "failed = attempts >= ? WHERE space_id = ? AND claimed_by = ? AND item_pk = ANY(?) "
                        + "RETURNING job_id, item_pk, failed",
                ps -> {
                    ps.setString(1, reason);
                    ps.setInt(2, maxAttempts);
                    ps.setInt(3, space.id());
                    ps.setString(4, worker);
                    ps.setArray(5, ps.getConnection().createArrayOf("bigint", PgArrays.boxed(itemPks)));
                }, rs -> new FailedRow((UUID) rs.getObject(1), rs.getLong(2), rs.getBoolean(3)))
                .stream().filter(FailedRow::failed).toList();
    }

    /** A queue row after a failed attempt; {@code failed} once it ran out of attempts. */
    public record FailedRow(UUID jobId, long itemPk, boolean failed) {
    }

    /**
     * Removes a cancelled job's forced rows and detaches it from the others (they stay pending on their own). Rows a
     * worker holds locked right now (a batch being written) are skipped, not waited for: the worker locks queue rows
     * in its own order, so waiting could deadlock with it; it finishes those few rows itself.
     */
    public void detachJob(UUID jobId) {
        jdbc.update("DELETE FROM embedding_queue WHERE (space_id, item_pk) IN (SELECT space_id, item_pk "
                + "FROM embedding_queue WHERE job_id = ? AND text_hash IS NULL FOR UPDATE SKIP LOCKED)",
                ps -> ps.setObject(1, jobId));
        jdbc.update("UPDATE embedding_queue SET job_id = NULL WHERE (space_id, item_pk) IN (SELECT space_id, item_pk "
                + "FROM embedding_queue WHERE job_id = ? FOR UPDATE SKIP LOCKED)", ps -> ps.setObject(1, jobId));
    }

    public long queuedForJob(UUID jobId) {
        return jdbc.queryLong("SELECT count(*) FROM embedding_queue WHERE job_id = ?", ps -> ps.setObject(1, jobId));
    }

    /**
     * Extends a worker's claims on these items of a space (a batch in its pipeline) once less than half their lease
     * is left, so a batch waiting behind slow ones is not taken over by another worker. @return claims extended
     */
    public int renewClaims(Space space, String worker, long[] itemPks, int leaseSeconds) {
        Object[] boxed = io.embedrec.common.PgArrays.boxed(itemPks);
        return jdbc.update("UPDATE embedding_queue SET claimed_until = now() + ? * interval '1 second' "
                + "WHERE space_id = ? AND item_pk = ANY(?) AND claimed_by = ? "
                + "AND claimed_until < now() + ? * interval '1 second'", ps -> {
                    ps.setInt(1, leaseSeconds);
                    ps.setInt(2, space.id());
                    ps.setArray(3, ps.getConnection().createArrayOf("bigint", boxed));
                    ps.setString(4, worker);
                    ps.setInt(5, leaseSeconds / 2);
                });
    }

    /** Releases every claim a worker holds (at start-up: a previous run of this instance died holding them). */
    public int releaseClaims(String worker) {
        return jdbc.update("UPDATE embedding_queue SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?",
                ps -> ps.setString(1, worker));
    }

    public long queued(Space space) {
        return jdbc.queryLong("SELECT count(*) FROM embedding_queue WHERE space_id = ? AND NOT failed",
                ps -> ps.setInt(1, space.id()));
    }

    public Counts counts(Space space) {
        return jdbc.queryOne("SELECT (SELECT count(*) FROM " + space.table() + " v WHERE NOT EXISTS "
                        + "(SELECT 1 FROM embedding_queue q WHERE q.space_id = ? AND q.item_pk = v.item_pk)), "
                        + "(SELECT count(*) FROM embedding_queue WHERE space_id = ? AND NOT failed), "
                        + "(SELECT count(*) FROM embedding_queue WHERE space_id = ? AND failed)",
                ps -> {
                    ps.setInt(1, space.id());
                    ps.setInt(2, space.id());
                    ps.setInt(3, space.id());
                }, rs -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3))).orElseThrow();
    }

    /** The vector state of one item in each given space; spaces where it has neither vector nor queue row are absent. */
    public List<ItemVectorState> states(long itemPk, List<Space> spaces) {
        List<ItemVectorState> out = new ArrayList<>();
        Map<Integer, ItemVectorState> queued = new LinkedHashMap<>();
        Map<Integer, String> names = new HashMap<>();
        spaces.forEach(s -> names.put(s.id(), s.name()));
        jdbc.query("SELECT space_id, failed, last_error FROM embedding_queue WHERE item_pk = ?",
                ps -> ps.setLong(1, itemPk), rs -> {
                    int sid = rs.getInt(1);
                    if (names.containsKey(sid)) {
                        queued.put(sid, rs.getBoolean(2)
                                ? new ItemVectorState(names.get(sid), State.FAILED, rs.getString(3))
                                : new ItemVectorState(names.get(sid), State.PENDING, null));
                    }
                    return sid;
                });
        for (Space s : spaces) {
            if (queued.containsKey(s.id())) {
                out.add(queued.get(s.id()));
            } else if (jdbc.queryLong("SELECT count(*) FROM " + s.table() + " WHERE item_pk = ?",
                    ps -> ps.setLong(1, itemPk)) > 0) {
                out.add(new ItemVectorState(s.name(), State.READY, null));
            }
        }
        return out;
    }

    /** An item's vector in a space. */
    public Optional<float[]> vector(Space space, long itemPk) {
        return jdbc.queryOne("SELECT " + binary("embedding") + " FROM " + space.table() + " WHERE item_pk = ?",
                ps -> ps.setLong(1, itemPk), rs -> decode(rs.getBytes(1)));
    }

    /**
     * SQL reading a vector or halfvec column in pgvector's binary form (decode with {@link #decode}): formatting and
     * parsing 384 floats as text cost more than the queries that fetched them.
     */
    public static String binary(String column) {
        return "vector_send(" + column + "::vector)";
    }

    /** Decodes {@code vector_send}'s output: int16 dimensions, int16 unused, then big-endian float4s. */
    public static float[] decode(byte[] sent) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(sent);
        int dims = buf.getShort() & 0xFFFF;
        buf.getShort();
        float[] v = new float[dims];
        buf.asFloatBuffer().get(v);
        return v;
    }

    public boolean hasVector(Space space, long itemPk) {
        return jdbc.queryOne("SELECT 1 FROM " + space.table() + " WHERE item_pk = ?", ps -> ps.setLong(1, itemPk),
                rs -> true).isPresent();
    }


    private static List<String> textList(Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> attributes(String text) throws SQLException {
        try {
            return json.readValue(text, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable attributes", e);
        }
    }

}
