package io.embedrec.console;

import io.embedrec.common.Jdbc;
import io.embedrec.space.Space;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** SQL behind the console's reads: facets, vector samples, saved maps. */
@ApplicationScoped
class ConsoleRepository {

    private final Jdbc jdbc;

    ConsoleRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    List<Facets.Category> categories(int limit) {
        return jdbc.query("SELECT c, count(*) FROM items, unnest(categories) c GROUP BY c ORDER BY count(*) DESC, c LIMIT ?",
                ps -> ps.setInt(1, limit), rs -> new Facets.Category(rs.getString(1), rs.getLong(2)));
    }

    /** Attribute names with the JSON type most items give them. */
    List<Facets.Attribute> attributes(int limit) {
        return jdbc.query("SELECT k, mode() WITHIN GROUP (ORDER BY jsonb_typeof(v)), count(*) "
                        + "FROM items, jsonb_each(attributes) a(k, v) GROUP BY k ORDER BY count(*) DESC, k LIMIT ?",
                ps -> ps.setInt(1, limit), rs -> new Facets.Attribute(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    long vectorCount(Space space) {
        return jdbc.queryLong("SELECT count(*) FROM " + space.table(), ps -> { });
    }

    /**
     * Up to {@code n} vectors, the same ones on every call (ordered by a hash of the id, not random()), so a map
     * recomputed later covers mostly the same items.
     */
    List<VectorSample.Entry> sample(Space space, int n) {
        return jdbc.query("SELECT i.external_id, i.title, i.categories[1], v.embedding::vector::real[] FROM "
                        + space.table() + " v JOIN items i ON i.pk = v.item_pk ORDER BY md5(i.external_id) LIMIT ?",
                ps -> ps.setInt(1, n), rs -> {
                    Float[] f = (Float[]) rs.getArray(4).getArray();
                    ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    for (Float x : f) {
                        b.putFloat(x);
                    }
                    return new VectorSample.Entry(rs.getString(1), rs.getString(2), rs.getString(3),
                            Base64.getEncoder().encodeToString(b.array()));
                });
    }

    record MapHeader(String method, long vectorCount, Instant createdAt) {
    }

    Optional<MapHeader> header(Space space) {
        return jdbc.queryOne("SELECT method, vector_count, created_at FROM space_maps WHERE space_id = ?",
                ps -> ps.setInt(1, space.id()),
                rs -> new MapHeader(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()));
    }

    /** Vectors written since the map was made (re-embedded or new); deletions show in the count difference. */
    long writtenSince(Space space, Instant since) {
        return jdbc.queryLong("SELECT count(*) FROM " + space.table() + " WHERE embedded_at > ?",
                ps -> ps.setTimestamp(1, Timestamp.from(since)));
    }

    List<SpaceMap.Point> points(Space space) {
        return jdbc.query("SELECT i.external_id, p.x, p.y, i.categories[1], i.title FROM space_map_points p "
                        + "JOIN items i ON i.pk = p.item_pk WHERE p.space_id = ? ORDER BY i.external_id",
                ps -> ps.setInt(1, space.id()),
                rs -> new SpaceMap.Point(rs.getString(1), rs.getFloat(2), rs.getFloat(3), rs.getString(4),
                        rs.getString(5)));
    }

    /** Replaces the space's map; ids that are not (or no longer) in the catalog are dropped. Returns points kept. */
    int replace(Space space, String method, long vectorCount, String[] ids, Float[] xs, Float[] ys) {
        jdbc.update("DELETE FROM space_maps WHERE space_id = ?", ps -> ps.setInt(1, space.id()));
        jdbc.update("INSERT INTO space_maps (space_id, method, vector_count) VALUES (?, ?, ?)", ps -> {
            ps.setInt(1, space.id());
            ps.setString(2, method);
            ps.setLong(3, vectorCount);
        });
        return jdbc.with(c -> {
            try (var ps = c.prepareStatement("INSERT INTO space_map_points (space_id, item_pk, x, y) "
                    + "SELECT ?, i.pk, u.x, u.y FROM unnest(?::text[], ?::real[], ?::real[]) u(id, x, y) "
                    + "JOIN items i ON i.external_id = u.id ON CONFLICT DO NOTHING")) {
                ps.setInt(1, space.id());
                ps.setArray(2, c.createArrayOf("text", ids));
                ps.setArray(3, c.createArrayOf("float4", xs));
                ps.setArray(4, c.createArrayOf("float4", ys));
                return ps.executeUpdate();
            }
        });
    }
}
