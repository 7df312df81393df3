package io.embedrec.recommendation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.common.Changes;
import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL of {@code experiments}; the running one is kept in memory for the feeds, read again on any change. */
@ApplicationScoped
class ExperimentRepository {

    private static final String COLUMNS = "name, salt, status, variants::text, winner, created_at, updated_at";
    private static final TypeReference<List<Experiment.Variant>> VARIANTS = new TypeReference<>() { };

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Changes changes;
    private final Changes.Cache<Optional<Experiment>> running;

    ExperimentRepository(Jdbc jdbc, ObjectMapper json, Changes changes) {
        this.jdbc = jdbc;
        this.json = json;
        this.changes = changes;
        this.running = changes.cache(Changes.Topic.EXPERIMENTS, () -> jdbc.queryOne("SELECT " + COLUMNS
                + " FROM experiments WHERE status = 'running'", ps -> { }, this::map));
    }

    /** The running experiment, from memory while current. */
    Optional<Experiment> running() {
        return running.get();
    }

    List<Experiment> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM experiments ORDER BY created_at DESC, name", ps -> { },
                this::map);
    }

    Optional<Experiment> byName(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM experiments WHERE name = ?", ps -> ps.setString(1, name),
                this::map);
    }

    /** Inserts a running experiment; false when the name is taken. Fails (unique index) when another runs. */
    boolean insert(String name, String salt, List<Experiment.Variant> variants) {
        int n = jdbc.update("INSERT INTO experiments (name, salt, status, variants) VALUES (?, ?, 'running', "
                + "?::jsonb) ON CONFLICT (name) DO NOTHING", ps -> {
                    ps.setString(1, name);
                    ps.setString(2, salt);
                    ps.setString(3, write(variants));
                });
        changes.changed(Changes.Topic.EXPERIMENTS);
        return n > 0;
    }

    void setStatus(String name, Experiment.Status status, String winner) {
        jdbc.update("UPDATE experiments SET status = ?, winner = coalesce(?, winner), updated_at = now() "
                + "WHERE name = ?", ps -> {
                    ps.setString(1, status.name().toLowerCase(java.util.Locale.ROOT));
                    ps.setString(2, winner);
                    ps.setString(3, name);
                });
        changes.changed(Changes.Topic.EXPERIMENTS);
    }

    boolean delete(String name) {
        int n = jdbc.update("DELETE FROM experiments WHERE name = ?", ps -> ps.setString(1, name));
        changes.changed(Changes.Topic.EXPERIMENTS);
        return n > 0;
    }

    private String write(List<Experiment.Variant> variants) {
        try {
            return json.writeValueAsString(variants);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checked variants could not be written", e);
        }
    }

    private Experiment map(ResultSet rs) throws SQLException {
        try {
            return new Experiment(rs.getString(1), rs.getString(2), rs.getString(3),
                    json.readValue(rs.getString(4), VARIANTS), rs.getString(5), rs.getTimestamp(6).toInstant(),
                    rs.getTimestamp(7).toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored experiment " + rs.getString(1) + " is not readable", e);
        }
    }
}
