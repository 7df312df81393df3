package io.embedrec.interaction;

import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of reading and erasing users (their creation lives with the events that create them). */
@ApplicationScoped
public class UserRepository {

    /** A user row. */
    public record UserRow(long pk, String id, Instant createdAt) {
    }

    /** Where a page of events ends: (timestamp, key) of the last event shown. */
    public record EventKey(Instant ts, long pk) {
    }

    /** An event row with its keyset position. */
    public record EventRow(EventKey key, UserEvent event) {
    }

    private final Jdbc jdbc;

    UserRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<UserRow> find(String id) {
        return jdbc.queryOne("SELECT pk, external_id, created_at FROM users WHERE external_id = ?",
                ps -> ps.setString(1, id), rs -> new UserRow(rs.getLong(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant()));
    }

    /** Users by id after {@code afterId}, with their event counts and span. */
    public List<UserSummary> page(Optional<String> afterId, int limit) {
        return jdbc.query("SELECT u.external_id, s.n, s.first, s.last FROM (SELECT pk, external_id FROM users "
                        + "WHERE ?::text IS NULL OR external_id > ? ORDER BY external_id LIMIT ?) u "
                        + "CROSS JOIN LATERAL (SELECT count(*) AS n, min(ts) AS first, max(ts) AS last FROM events "
                        + "WHERE user_pk = u.pk) s ORDER BY u.external_id", ps -> {
                    ps.setString(1, afterId.orElse(null));
                    ps.setString(2, afterId.orElse(null));
                    ps.setInt(3, limit);
                }, rs -> new UserSummary(rs.getString(1), rs.getLong(2), instant(rs.getTimestamp(3)),
                        instant(rs.getTimestamp(4))));
    }

    /** Event counts by type, in type order. */
    public Map<String, Long> countsByType(long userPk) {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.query("SELECT type, count(*) FROM events WHERE user_pk = ? GROUP BY type ORDER BY type",
                ps -> ps.setLong(1, userPk), rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    /** Timestamps of the user's first and last event, or nulls when none. */
    public Instant[] span(long userPk) {
        return jdbc.queryOne("SELECT min(ts), max(ts) FROM events WHERE user_pk = ?", ps -> ps.setLong(1, userPk),
                rs -> new Instant[]{instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))}).orElseThrow();
    }

    /** Categories of the items of the user's positive events, by event count, then name. */
    public List<UserProfile.CategoryCount> topCategories(long userPk, int limit) {
        return jdbc.query("SELECT c, count(*) FROM events e JOIN items i ON i.pk = e.item_pk "
                        + "CROSS JOIN LATERAL unnest(i.categories) c WHERE e.user_pk = ? AND e.weight > 0 "
                        + "GROUP BY c ORDER BY count(*) DESC, c LIMIT ?", ps -> {
                    ps.setLong(1, userPk);
                    ps.setInt(2, limit);
                }, rs -> new UserProfile.CategoryCount(rs.getString(1), rs.getLong(2)));
    }

    /** The user's events newest first (timestamp, then arrival), after {@code after}. */
    public List<EventRow> events(long userPk, Optional<EventKey> after, int limit) {
        return jdbc.query("SELECT e.pk, e.event_id, i.external_id, e.type, e.value, e.weight, e.ts, "
                        + "e.recommendation_id, i.title FROM events e JOIN items i ON i.pk = e.item_pk WHERE e.user_pk = ? "
                        + "AND (?::timestamptz IS NULL OR (e.ts, e.pk) < (?::timestamptz, ?)) "
                        + "ORDER BY e.ts DESC, e.pk DESC LIMIT ?", ps -> {
                    ps.setLong(1, userPk);
                    Timestamp ts = after.map(k -> Timestamp.from(k.ts())).orElse(null);
                    ps.setTimestamp(2, ts);
                    ps.setTimestamp(3, ts);
                    ps.setLong(4, after.map(EventKey::pk).orElse(0L));
                    ps.setInt(5, limit);
                }, rs -> {
                    double value = rs.getDouble(5);
                    Double v = rs.wasNull() ? null : value;
                    Instant ts = rs.getTimestamp(7).toInstant();
                    return new EventRow(new EventKey(ts, rs.getLong(1)), new UserEvent(rs.getString(2),
                            rs.getString(3), rs.getString(9), rs.getString(4), v, rs.getDouble(6), ts,
                            (UUID) rs.getObject(8)));
                });
    }

    /**
     * Erases a user: the row, and by cascade their events, vectors and queued rebuilds. Item popularity keeps their
     * past contribution: it is an anonymous aggregate that decays away.
     *
     * @return whether the user existed
     */
    public boolean delete(String id) {
        return jdbc.update("DELETE FROM users WHERE external_id = ?", ps -> ps.setString(1, id)) > 0;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
