package io.embedrec.interaction;

import io.embedrec.common.Jdbc;
import io.embedrec.common.PgArrays;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** SQL of users, events and item popularity. */
@ApplicationScoped
public class EventRepository {

    /** A stored event as aggregation needs it. */
    public record Stored(long pk, long userPk, long itemPk, String type, double weight, long tsMillis) {
    }

    /** An accepted event ready to insert. */
    public record NewEvent(String eventId, long userPk, long itemPk, String type, Double value, double weight,
                           Timestamp ts, UUID recommendationId) {
    }

    private final Jdbc jdbc;

    EventRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Internal keys of the given item ids that exist, locked (FOR KEY SHARE, in key order) so that no delete removes
     * them before this transaction's events referencing them commit.
     */
    public Map<String, Long> itemKeys(List<String> ids) {
        Map<String, Long> out = new HashMap<>();
        jdbc.query("SELECT external_id, pk FROM items WHERE external_id = ANY(?) ORDER BY pk FOR KEY SHARE",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ids.toArray())),
                rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    /**
     * Internal keys of users, creating the missing ones, in one round trip: the new rows come from the insert, the
     * existing ones from the select, locked against deletion as the items are. A user another transaction created
     * after this statement's snapshot is in neither, nor is one deleted meanwhile: the statement runs again for
     * those (it then finds the first, or creates the second anew).
     */
    public Map<String, Long> userKeys(List<String> ids) {
        Map<String, Long> out = new HashMap<>();
        List<String> missing = ids.stream().distinct().toList();
        for (int round = 0; !missing.isEmpty(); round++) {
            if (round == 5) {
                throw new IllegalStateException("users " + missing + " kept changing while their events were stored");
            }
            Object[] wanted = missing.toArray();
            jdbc.query("WITH ins AS (INSERT INTO users (external_id) SELECT DISTINCT unnest(?::text[]) "
                            + "ON CONFLICT DO NOTHING RETURNING external_id, pk), "
                            + "old AS (SELECT external_id, pk FROM users WHERE external_id = ANY(?) ORDER BY pk "
                            + "FOR KEY SHARE) SELECT external_id, pk FROM ins UNION ALL SELECT external_id, pk FROM old",
                    ps -> {
                        ps.setArray(1, ps.getConnection().createArrayOf("text", wanted));
                        ps.setArray(2, ps.getConnection().createArrayOf("text", wanted));
                    }, rs -> out.put(rs.getString(1), rs.getLong(2)));
            missing = missing.stream().filter(id -> !out.containsKey(id)).toList();
        }
        return out;
    }

    /** Inserts events whose id is new; replays are skipped. @return the inserted ones, with their keys */
    public List<Stored> insert(List<NewEvent> events) {
        int n = events.size();
        Object[] ids = new Object[n];
        Object[] users = new Object[n];
        Object[] items = new Object[n];
        Object[] types = new Object[n];
        Object[] values = new Object[n];
        Object[] weights = new Object[n];
        Object[] ts = new Object[n];
        Object[] recs = new Object[n];
        for (int k = 0; k < n; k++) {
            NewEvent e = events.get(k);
            ids[k] = e.eventId();
            users[k] = e.userPk();
            items[k] = e.itemPk();
            types[k] = e.type();
            values[k] = e.value();
            weights[k] = e.weight();
            ts[k] = e.ts();
            recs[k] = e.recommendationId();
        }
        return jdbc.query("INSERT INTO events (event_id, user_pk, item_pk, type, value, weight, ts, recommendation_id) "
                        + "SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::float8[], "
                        + "?::float8[], ?::timestamptz[], ?::uuid[]) ON CONFLICT (event_id) DO NOTHING "
                        + "RETURNING pk, user_pk, item_pk, type, weight, ts",
                ps -> {
                    var c = ps.getConnection();
                    ps.setArray(1, c.createArrayOf("text", ids));
                    ps.setArray(2, c.createArrayOf("bigint", users));
                    ps.setArray(3, c.createArrayOf("bigint", items));
                    ps.setArray(4, c.createArrayOf("text", types));
                    ps.setArray(5, c.createArrayOf("float8", values));
                    ps.setArray(6, c.createArrayOf("float8", weights));
                    ps.setArray(7, c.createArrayOf("timestamptz", ts));
                    ps.setArray(8, c.createArrayOf("uuid", recs));
                }, rs -> new Stored(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getDouble(5),
                        rs.getTimestamp(6).getTime()));
    }

    /** A user's events in aggregation order (timestamp, then arrival). */
    public List<Stored> history(long userPk) {
        return jdbc.query("SELECT pk, user_pk, item_pk, type, weight, ts FROM events WHERE user_pk = ? "
                        + "ORDER BY ts, pk", ps -> ps.setLong(1, userPk),
                rs -> new Stored(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getDouble(5),
                        rs.getTimestamp(6).getTime()));
    }

    /** Several users' events, each user's in aggregation order (timestamp, then arrival); users without are absent. */
    public Map<Long, List<Stored>> histories(long[] userPks) {
        Object[] boxed = PgArrays.boxed(userPks);
        Map<Long, List<Stored>> out = new HashMap<>();
        jdbc.query("SELECT pk, user_pk, item_pk, type, weight, ts FROM events WHERE user_pk = ANY(?) "
                        + "ORDER BY user_pk, ts, pk", ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", boxed)),
                rs -> out.computeIfAbsent(rs.getLong(2), u -> new ArrayList<>()).add(new Stored(rs.getLong(1),
                        rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getDouble(5), rs.getTimestamp(6).getTime())));
        return out;
    }

    /** Whether the user has events other than {@code own} at exactly this time with a key above {@code pk}. */
    public boolean othersAfter(long userPk, long tsMillis, long pk, long[] own) {
        Object[] boxed = PgArrays.boxed(own);
        return jdbc.queryLong("SELECT count(*) FROM events WHERE user_pk = ? AND ts = ? AND pk > ? "
                + "AND NOT (pk = ANY(?))", ps -> {
                    ps.setLong(1, userPk);
                    ps.setTimestamp(2, new Timestamp(tsMillis));
                    ps.setLong(3, pk);
                    ps.setArray(4, ps.getConnection().createArrayOf("bigint", boxed));
                }) > 0;
    }

    /**
     * Adds positive events to item popularity: log2 of the sum of weight x 2^((t - epoch) / half-life), updated
     * with a log-sum-exp so it never overflows and ranks items by their popularity now; the same with the trending
     * half-life for the short-window score.
     */
    public void addPopularity(Map<Long, Double> logContribution, Map<Long, Double> shortLogContribution,
                              Map<Long, Integer> counts) {
        if (logContribution.isEmpty()) {
            return;
        }
        List<Long> pks = new ArrayList<>(logContribution.keySet());
        Object[] items = pks.toArray();
        Object[] logs = pks.stream().map(logContribution::get).toArray();
        Object[] shortLogs = pks.stream().map(shortLogContribution::get).toArray();
        Object[] cnt = pks.stream().map(p -> counts.getOrDefault(p, 0)).toArray();
        jdbc.update("INSERT INTO item_popularity AS p (item_pk, log_score, short_log_score, events) "
                + "SELECT * FROM unnest(?::bigint[], ?::float8[], ?::float8[], ?::bigint[]) "
                + "ON CONFLICT (item_pk) DO UPDATE SET events = p.events + excluded.events, "
                + "log_score = " + logSum("p.log_score", "excluded.log_score") + ", "
                + "short_log_score = " + logSum("p.short_log_score", "excluded.short_log_score"), ps -> {
                    var c = ps.getConnection();
                    ps.setArray(1, c.createArrayOf("bigint", items));
                    ps.setArray(2, c.createArrayOf("float8", logs));
                    ps.setArray(3, c.createArrayOf("float8", shortLogs));
                    ps.setArray(4, c.createArrayOf("bigint", cnt));
                });
    }

    /** log2(2^a + 2^b) in SQL; -Infinity (nothing yet) on either side gives the other. */
    private static String logSum(String a, String b) {
        // scores further apart than 2^60 add less than 1e-18 to the larger: skip the term, whose 2^-x would
        // underflow in Postgres ("value out of range") for histories spanning decades
        return "greatest(" + a + ", " + b + ") + CASE WHEN abs(" + a + " - " + b + ") > 60 OR " + a
                + " = '-Infinity' OR " + b + " = '-Infinity' THEN 0 ELSE log(2, 1 + power(2, -abs(" + a + " - " + b
                + "))::numeric)::float8 END";
    }

    /**
     * Keeps event batches on these items out until this transaction ends, and waits for those in flight (FOR UPDATE
     * against the batches' FOR KEY SHARE, in key order). Taken first by whoever changes an item's vector or deletes
     * the item: a batch then either commits before (and {@link #queueRebuildForItems} sees its events) or reads the
     * new state after, so no user vector keeps an event folded with a stale vector.
     */
    public void holdItems(long[] itemPks) {
        Object[] boxed = PgArrays.boxed(itemPks);
        jdbc.query("SELECT pk FROM items WHERE pk = ANY(?) ORDER BY pk FOR UPDATE",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", boxed)), rs -> null);
    }

    /** Those of these users that still exist, locked against deletion until this transaction ends (key order). */
    public long[] holdUsers(long[] userPks) {
        Object[] boxed = PgArrays.boxed(userPks);
        return jdbc.query("SELECT pk FROM users WHERE pk = ANY(?) ORDER BY pk FOR KEY SHARE",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", boxed)), rs -> rs.getLong(1))
                .stream().mapToLong(Long::longValue).toArray();
    }

    /** Users with events on any of these items (whose vectors must be rebuilt when those items' vectors change). */
    public void queueRebuildForItems(int spaceId, long[] itemPks) {
        Object[] boxed = PgArrays.boxed(itemPks);
        // the users are locked as they are read, so one erased meanwhile is skipped rather than breaking the insert
        jdbc.update("INSERT INTO user_rebuild_queue (space_id, user_pk) SELECT ?::int, pk FROM users WHERE pk IN "
                + "(SELECT user_pk FROM events WHERE item_pk = ANY(?)) ORDER BY pk FOR KEY SHARE ON CONFLICT DO NOTHING",
                ps -> {
                    ps.setInt(1, spaceId);
                    ps.setArray(2, ps.getConnection().createArrayOf("bigint", boxed));
                });
    }

    public void queueRebuild(int spaceId, long userPk) {
        jdbc.update("INSERT INTO user_rebuild_queue (space_id, user_pk) VALUES (?, ?) ON CONFLICT DO NOTHING", ps -> {
            ps.setInt(1, spaceId);
            ps.setLong(2, userPk);
        });
    }

    /** Queues every user for a rebuild in a space. @return users queued */
    public int queueRebuildAll(int spaceId) {
        return jdbc.update("INSERT INTO user_rebuild_queue (space_id, user_pk) SELECT ?, pk FROM users "
                + "ON CONFLICT DO NOTHING", ps -> ps.setInt(1, spaceId));
    }

    /**
     * Takes up to {@code limit} queued rebuilds (other instances skip them), of the given spaces or, when
     * {@code spaceIds} is null, of any. @return {space_id, user_pk} pairs
     */
    public List<long[]> takeRebuilds(int[] spaceIds, int limit) {
        Object[] boxed = spaceIds == null ? null : java.util.Arrays.stream(spaceIds).boxed().toArray();
        return jdbc.query("DELETE FROM user_rebuild_queue WHERE (space_id, user_pk) IN (SELECT space_id, user_pk "
                        + "FROM user_rebuild_queue WHERE ?::int[] IS NULL OR space_id = ANY(?::int[]) "
                        + "ORDER BY enqueued_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING space_id, user_pk", ps -> {
                    java.sql.Array a = boxed == null ? null : ps.getConnection().createArrayOf("int", boxed);
                    ps.setArray(1, a);
                    ps.setArray(2, a);
                    ps.setInt(3, limit);
                }, rs -> new long[]{rs.getInt(1), rs.getLong(2)});
    }

    public long users() {
        return jdbc.queryLong("SELECT count(*) FROM users", ps -> { });
    }

    public long pendingRebuilds() {
        return jdbc.queryLong("SELECT count(*) FROM user_rebuild_queue", ps -> { });
    }
}
