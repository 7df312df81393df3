package io.embedrec.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of the {@code jobs} table. */
@ApplicationScoped
public class JobRepository {

    private static final String COLUMNS = "id, type, state, params::text, total, done, skipped, failed, "
            + "failures::text, error, created_at, started_at, finished_at, result::text";
    /** Failures listed per job; further ones are only counted. */
    static final int MAX_LISTED_FAILURES = 100;

    private final Jdbc jdbc;
    private final ObjectMapper json;

    JobRepository(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Job insert(String type, Map<String, Object> params) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO jobs (id, type, state, params) VALUES (?, ?, 'queued', ?::jsonb)", ps -> {
            ps.setObject(1, id);
            ps.setString(2, type);
            ps.setString(3, write(params));
        });
        return get(id).orElseThrow();
    }

    public Optional<Job> get(UUID id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", ps -> ps.setObject(1, id), this::map);
    }

    /** Newest first, before the job created at {@code before} (keyset on created_at, id). */
    public List<Job> page(Optional<Instant> before, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE created_at < coalesce(?::timestamptz, 'infinity') "
                + "ORDER BY created_at DESC, id LIMIT ?", ps -> {
                    ps.setTimestamp(1, before.map(Timestamp::from).orElse(null));
                    ps.setInt(2, limit);
                }, this::map);
    }

    /**
     * Takes the oldest queued job (skipping ones another instance is taking) and marks it running, started by
     * {@code worker}.
     */
    public Optional<Job> startNextQueued(String worker, java.time.Duration lease) {
        return jdbc.queryOne("UPDATE jobs SET state = 'running', started_at = now(), updated_at = now(), worker = ?, "
                + "lease_until = now() + ? * interval '1 millisecond' "
                + "WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY created_at "
                + "FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING " + COLUMNS, ps -> {
                    ps.setString(1, worker);
                    ps.setLong(2, lease.toMillis());
                }, this::map);
    }

    /** Extends the leases of the jobs {@code worker} is running. */
    public void renew(java.util.Collection<UUID> ids, String worker, java.time.Duration lease) {
        jdbc.update("UPDATE jobs SET lease_until = now() + ? * interval '1 millisecond' WHERE id = ANY(?) "
                + "AND state = 'running' AND worker = ?", ps -> {
                    ps.setLong(1, lease.toMillis());
                    ps.setArray(2, ps.getConnection().createArrayOf("uuid", ids.toArray()));
                    ps.setString(3, worker);
                });
    }

    /**
     * Fails the running jobs of these types whose lease lapsed (a job from before leases counts from its last update),
     * whoever ran them. @return those jobs
     */
    public List<Job> failExpired(java.util.Collection<String> types, java.time.Duration lease) {
        return jdbc.query("UPDATE jobs SET state = 'failed', error = 'interrupted: the instance running it ('"
                        + " || coalesce(worker, 'unknown') || ') stopped renewing its lease; start it again', "
                        + "finished_at = now(), updated_at = now() WHERE state = 'running' AND type = ANY(?) AND "
                        + "coalesce(lease_until, updated_at + ? * interval '1 millisecond') < now() RETURNING " + COLUMNS,
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", types.toArray()));
                    ps.setLong(2, lease.toMillis());
                }, this::map);
    }

    /**
     * Fails the jobs of these types that {@code worker} started and that are still running: called when that
     * worker starts, they were interrupted by its restart. @return those jobs
     */
    public List<Job> failInterrupted(String worker, java.util.Collection<String> types) {
        return jdbc.query("UPDATE jobs SET state = 'failed', error = 'interrupted: the instance running it ('"
                        + " || worker || ') restarted; start it again', finished_at = now(), updated_at = now() "
                        + "WHERE state = 'running' AND worker = ? AND type = ANY(?) RETURNING " + COLUMNS, ps -> {
                    ps.setString(1, worker);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", types.toArray()));
                }, this::map);
    }

    public void setTotals(UUID id, long total, long skipped) {
        jdbc.update("UPDATE jobs SET total = ?, skipped = ?, updated_at = now() WHERE id = ?", ps -> {
            ps.setLong(1, total);
            ps.setLong(2, skipped);
            ps.setObject(3, id);
        });
    }

    public void addDone(UUID id, long n) {
        jdbc.update("UPDATE jobs SET done = done + ?, updated_at = now() WHERE id = ?", ps -> {
            ps.setLong(1, n);
            ps.setObject(2, id);
        });
    }

    /** Counts failed items and lists the first {@value #MAX_LISTED_FAILURES} of them with their reason. */
    public void addFailures(UUID id, List<Job.Failure> failures) {
        jdbc.update("UPDATE jobs SET failed = failed + ?, updated_at = now(), failures = CASE "
                + "WHEN jsonb_array_length(failures) >= ? THEN failures ELSE failures || ?::jsonb END WHERE id = ?",
                ps -> {
                    ps.setLong(1, failures.size());
                    ps.setInt(2, MAX_LISTED_FAILURES);
                    ps.setString(3, write(failures.subList(0, Math.min(failures.size(), MAX_LISTED_FAILURES))));
                    ps.setObject(4, id);
                });
    }

    /** Ends a running job when {@code condition} (SQL over the job row) holds; true when this call ended it. */
    public boolean finishIf(UUID id, Job.State state, String error, String condition) {
        return jdbc.update("UPDATE jobs SET state = ?, error = ?, finished_at = now(), updated_at = now() "
                + "WHERE id = ? AND state IN ('queued', 'running') AND (" + condition + ")", ps -> {
                    ps.setString(1, state.name().toLowerCase(Locale.ROOT));
                    ps.setString(2, error);
                    ps.setObject(3, id);
                }) > 0;
    }

    /** Ends a running job as done with its result (JSON); false when it was cancelled meanwhile. */
    public boolean finishWithResult(UUID id, Object result) {
        return jdbc.update("UPDATE jobs SET state = 'done', result = ?::jsonb, finished_at = now(), updated_at = now() "
                + "WHERE id = ? AND state = 'running'", ps -> {
                    ps.setString(1, write(result));
                    ps.setObject(2, id);
                }) > 0;
    }

    /** Sets a job's progress; false when it is no longer running (cancelled). */
    public boolean progress(UUID id, long total, long done) {
        return jdbc.update("UPDATE jobs SET total = ?, done = ?, updated_at = now() WHERE id = ? AND state = 'running'",
                ps -> {
                    ps.setLong(1, total);
                    ps.setLong(2, done);
                    ps.setObject(3, id);
                }) > 0;
    }

    /** Running jobs of a type (at start-up: jobs a crash interrupted, to be resumed). */
    public List<Job> running(String type) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE state = 'running' AND type = ?",
                ps -> ps.setString(1, type), this::map);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Job map(ResultSet rs) throws SQLException {
        try {
            Map<String, Object> params = json.readValue(rs.getString(4), new TypeReference<>() { });
            List<Job.Failure> failures = json.readValue(rs.getString(9), new TypeReference<>() { });
            String result = rs.getString(14);
            return new Job((UUID) rs.getObject(1), rs.getString(2),
                    Job.State.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)), params, rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), rs.getLong(8), failures, rs.getString(10),
                    result == null ? Optional.empty() : Optional.of(json.readValue(result, new TypeReference<>() { })),
                    instant(rs, 11), instant(rs, 12), instant(rs, 13));
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable job row", e);
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
