package io.embedrec.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.common.Changes;
import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SQL of the {@code spaces} table and the DDL of each space's vector table; keeps a copy of the table for serving
 * ({@link #current}), read again whenever the table changed on any instance ({@link Changes}).
 */
@ApplicationScoped
public class SpaceRepository {

    private static final String COLUMNS =
            "id, name, kind, model, dimensions, recipe::text, storage, status, active, created_at, activated_at, "
                    + "training::text, hnsw_m, hnsw_ef_construction";

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Changes changes;
    private final Changes.Cache<List<Space>> cache;

    SpaceRepository(Jdbc jdbc, ObjectMapper json, Changes changes) {
        this.jdbc = jdbc;
        this.json = json;
        this.changes = changes;
        this.cache = changes.cache(Changes.Topic.SPACES, () -> List.copyOf(all()));
    }

    /** Every space, read from the table (what a write must decide on). */
    public List<Space> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM spaces ORDER BY id", ps -> { }, this::map);
    }

    /**
     * Every space as the serving paths see it: the in-memory copy while it is current, else the table (read again
     * after any change, here or on another instance; always while changes cannot be heard).
     */
    List<Space> current() {
        return cache.get();
    }

    public Optional<Space> byName(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM spaces WHERE name = ?", ps -> ps.setString(1, name),
                this::map);
    }

    public Optional<Space> byId(int id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM spaces WHERE id = ?", ps -> ps.setInt(1, id), this::map);
    }

    /** Inserts the space and creates its vector table (no index yet: vectors load faster without one). */
    public Space create(String name, Space.Kind kind, String model, int dimensions, TextRecipe recipe,
                        Space.Storage storage, Space.Index index) {
        return create(name, kind, model, dimensions, recipe, storage, index, Map.of());
    }

    /** As above, recording how a collaborative space was trained ({@code training}, empty for content spaces). */
    public Space create(String name, Space.Kind kind, String model, int dimensions, TextRecipe recipe,
                        Space.Storage storage, Space.Index index, Map<String, Object> training) {
        String recipeJson;
        String trainingJson;
        try {
            recipeJson = json.writeValueAsString(recipe.fields());
            trainingJson = training.isEmpty() ? null : json.writeValueAsString(training);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int id = jdbc.queryOne("INSERT INTO spaces (name, kind, model, dimensions, recipe, storage, training, hnsw_m, "
                        + "hnsw_ef_construction) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?) RETURNING id",
                ps -> {
                    ps.setString(1, name);
                    ps.setString(2, wire(kind));
                    ps.setString(3, model);
                    ps.setInt(4, dimensions);
                    ps.setString(5, recipeJson);
                    ps.setString(6, wire(storage));
                    ps.setString(7, trainingJson);
                    ps.setInt(8, index.m());
                    ps.setInt(9, index.efConstruction());
                }, rs -> rs.getInt(1)).orElseThrow();
        changes.changed(Changes.Topic.SPACES);
        Space space = byId(id).orElseThrow();
        jdbc.execute("CREATE TABLE " + space.table() + " ("
                + "item_pk bigint PRIMARY KEY REFERENCES items (pk) ON DELETE CASCADE, "
                + "embedding " + space.columnType() + " NOT NULL, "
                + "text_hash bytea, "
                + "embedded_at timestamptz NOT NULL DEFAULT now())");
        return space;
    }

    /**
     * Builds the HNSW cosine index of a space (after its vectors were loaded) with the space's parameters and marks
     * it ready. pgvector builds fastest when the graph fits in {@code maintenance_work_mem} ({@code memory}); past
     * it, the build goes on much slower.
     */
    public void buildIndexAndMarkReady(Space space, String memory) {
        jdbc.execute("SET LOCAL maintenance_work_mem = '" + memory + "'",
                "CREATE INDEX IF NOT EXISTS " + space.table() + "_hnsw ON " + space.table()
                        + " USING hnsw (embedding " + space.cosineOps() + ") WITH (m = " + space.index().m()
                        + ", ef_construction = " + space.index().efConstruction() + ")",
                "UPDATE spaces SET status = 'ready' WHERE id = " + space.id());
        changes.changed(Changes.Topic.SPACES);
    }

    /** Makes {@code space} the one active space of its kind. Call inside a transaction. */
    public void activate(Space space) {
        // one activation per kind at a time (until this transaction ends): two concurrent ones would each clear the
        // other kind's flags before either committed, then both set theirs, against the one-active-per-kind index
        jdbc.query("SELECT pg_advisory_xact_lock(hashtext('embedrec.activate.' || ?))",
                ps -> ps.setString(1, wire(space.kind())), rs -> null);
        jdbc.update("UPDATE spaces SET active = false WHERE kind = ? AND active AND id <> ?", ps -> {
            ps.setString(1, wire(space.kind()));
            ps.setInt(2, space.id());
        });
        jdbc.update("UPDATE spaces SET active = true, activated_at = now() WHERE id = ?",
                ps -> ps.setInt(1, space.id()));
        changes.changed(Changes.Topic.SPACES);
    }

    public void drop(Space space) {
        jdbc.execute("DROP TABLE IF EXISTS " + space.table(), "DELETE FROM spaces WHERE id = " + space.id());
        changes.changed(Changes.Topic.SPACES);
    }

    static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private Space map(ResultSet rs) throws SQLException {
        List<String> fields;
        Map<String, Object> training;
        try {
            fields = json.readValue(rs.getString(6), new TypeReference<List<String>>() { });
            String t = rs.getString(12);
            training = t == null ? Map.of() : json.readValue(t, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable recipe or training of space " + rs.getString(2), e);
        }
        Timestamp activated = rs.getTimestamp(11);
        return new Space(rs.getInt(1), rs.getString(2), Space.Kind.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                rs.getString(4), rs.getInt(5), new TextRecipe(fields),
                Space.Storage.valueOf(rs.getString(7).toUpperCase(Locale.ROOT)),
                Space.Status.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)), rs.getBoolean(9),
                rs.getTimestamp(10).toInstant(), activated == null ? null : activated.toInstant(), training,
                new Space.Index(rs.getInt(13), rs.getInt(14)));
    }
}
