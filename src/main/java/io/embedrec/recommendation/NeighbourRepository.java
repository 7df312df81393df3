package io.embedrec.recommendation;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.Jdbc;
import io.embedrec.space.Space;
import jakarta.enterprise.context.ApplicationScoped;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Nearest-neighbour SQL, written once: {@code ORDER BY embedding <=> q LIMIT k} over a space's vector table joined
 * to the items it may return. Filters that match few items are answered by an exact scan of those items; others by
 * the HNSW index with pgvector 0.8's iterative scan (which keeps scanning until k rows pass the filter); if that
 * still finds fewer than k, the exact scan decides, so k results come back whenever k matching items exist.
 */
@ApplicationScoped
public class NeighbourRepository {

    /** The query point: a stored item's vector, or a vector given in full. */
    public sealed interface Query permits OfItem, OfVector {
    }

    public record OfItem(long itemPk) implements Query {
    }

    public record OfVector(float[] vector) implements Query {
    }

    /** Neighbours in score order, and whether fewer than k matching items exist. */
    public record Result(List<Recommended> items, boolean exhaustive, String plan) {
    }

    /**
     * The neighbours of a stored item named by its id: {@code pk} empty when no item has the id, {@code hasVector}
     * false when the item has no vector in the space (then no neighbours).
     */
    public record OfStored(OptionalLong pk, boolean hasVector, Result result) {
    }

    /**
     * Whether a content filter matches fewer items than the exact-scan threshold, remembered for
     * {@value #SELECTIVITY_MILLIS} ms by the filter's content (exclusions aside): a rule set's filter comes with every
     * request, and counting its matches cost a round trip and a scan of up to the threshold's rows each time. A stale
     * answer costs time only: an index scan that finds fewer than k still takes the exact path.
     */
    private record Selectivity(boolean selective, long atMillis) {
    }

    static final long SELECTIVITY_MILLIS = 30_000;
    static final int SELECTIVITY_ENTRIES = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<String, Selectivity> selectivity =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Jdbc jdbc;
    private final EmbedrecConfig config;

    NeighbourRepository(Jdbc jdbc, EmbedrecConfig config) {
        this.jdbc = jdbc;
        this.config = config;
    }

    /** Must run inside a transaction (the pgvector settings are SET LOCAL). */
    public Result nearest(Space space, Query query, OptionalLong excludePk, Filters filters, int k) {
        return nearest(space, query, excludePk, filters, k, java.util.OptionalInt.empty());
    }

    /** As above, searching the HNSW graph with {@code efSearch} candidates instead of the configured number. */
    public Result nearest(Space space, Query query, OptionalLong excludePk, Filters filters, int k,
                          java.util.OptionalInt efSearch) {
        FilterSql where = FilterSql.of(filters);
        return jdbc.with(c -> {
            boolean selective = selective(c, filters);
            // sent with the first query, in its round trip (pgjdbc sends a multi-statement string together)
            String settings = settings(k, efSearch);
            if (!selective) {
                List<Recommended> viaIndex = run(c, settings, space, query, excludePk, where, k, false);
                if (viaIndex.size() >= k) {
                    return new Result(viaIndex, false, "hnsw");
                }
                settings = "";
            }
            List<Recommended> exact = run(c, settings, space, query, excludePk, where, k, true);
            return new Result(exact, exact.size() < k, "exact");
        });
    }

    /**
     * The k nearest items to the item with this id, in one round trip in the common case: the settings, the item's
     * key and vector and the neighbour query go as one statement. Filters that restrict by content first count the
     * matching items (they may need the exact path), and an index scan that finds fewer than k takes
     * {@link #nearest}'s exact path, as there. Must run inside a transaction.
     */
    public OfStored nearestToStored(Space space, String externalId, Filters filters, int k,
                                    java.util.OptionalInt efSearch) {
        if (filters.restrictsByContent() && !knownUnselective(filters)) {
            Optional<Key> key = key(space, externalId);
            if (key.isEmpty()) {
                return new OfStored(OptionalLong.empty(), false, NO_RESULT);
            }
            long pk = key.get().pk();
            return key.get().hasVector()
                    ? new OfStored(OptionalLong.of(pk), true, nearest(space, new OfItem(pk), OptionalLong.of(pk),
                    filters, k, efSearch))
                    : new OfStored(OptionalLong.of(pk), false, NO_RESULT);
        }
        FilterSql where = FilterSql.of(filters);
        // the inner query runs with the item's vector as a constant, so it is an HNSW index scan; the one-time
        // filter skips it for an item without a vector
        String sql = "SELECT q.pk, q.embedding IS NOT NULL, t.id, t.title, t.categories, t.d FROM "
                + "(SELECT i.pk, v.embedding FROM items i LEFT JOIN " + space.table() + " v ON v.item_pk = i.pk "
                + "WHERE i.external_id = ?) q LEFT JOIN LATERAL (SELECT i.external_id AS id, i.title, i.categories, "
                + "v.embedding <=> q.embedding AS d FROM " + space.table() + " v JOIN items i ON i.pk = v.item_pk "
                + "WHERE q.embedding IS NOT NULL AND " + where.condition() + " AND v.item_pk <> q.pk "
                + "ORDER BY v.embedding <=> q.embedding LIMIT " + k + ") t ON true ORDER BY t.d, t.id";
        record Row(long pk, boolean hasVector, Recommended item) {
        }
        @SuppressWarnings("unchecked")
        List<Row> rows = (List<Row>) jdbc.queryTogether(settings(k, efSearch), List.of(new Jdbc.Part<>(sql, (ps, at) -> {
            ps.setString(at, externalId);
            return where.bind(ps, at + 1);
        }, rs -> new Row(rs.getLong(1), rs.getBoolean(2), rs.getString(3) == null ? null
                : new Recommended(rs.getString(3), round(1.0 - rs.getDouble(6)), rs.getString(4),
                List.of((String[]) rs.getArray(5).getArray())))))).get(0);
        if (rows.isEmpty()) {
            return new OfStored(OptionalLong.empty(), false, NO_RESULT);
        }
        long pk = rows.get(0).pk();
        if (!rows.get(0).hasVector()) {
            return new OfStored(OptionalLong.of(pk), false, NO_RESULT);
        }
        List<Recommended> found = rows.stream().map(Row::item).filter(java.util.Objects::nonNull).toList();
        if (found.size() >= k) {
            return new OfStored(OptionalLong.of(pk), true, new Result(found, false, "hnsw"));
        }
        return new OfStored(OptionalLong.of(pk), true, nearest(space, new OfItem(pk), OptionalLong.of(pk), filters,
                k, efSearch));
    }

    private static final Result NO_RESULT = new Result(List.of(), true, "none");

    private record Key(long pk, boolean hasVector) {
    }

    private Optional<Key> key(Space space, String externalId) {
        return jdbc.queryOne("SELECT i.pk, EXISTS (SELECT 1 FROM " + space.table() + " v WHERE v.item_pk = i.pk) "
                + "FROM items i WHERE i.external_id = ?", ps -> ps.setString(1, externalId),
                rs -> new Key(rs.getLong(1), rs.getBoolean(2)));
    }

    /**
     * The settings a query for k neighbours needs, as SET LOCALs ending in "; ": pgvector's, and the statement
     * timeout that bounds every serving query of the transaction (in the same round trip, so it costs nothing).
     */
    public String settings(int k) {
        return settings(k, java.util.OptionalInt.empty());
    }

    private String settings(int k, java.util.OptionalInt efSearch) {
        return "SET LOCAL statement_timeout = " + config.recommend().statementTimeout().toMillis()
                + "; SET LOCAL hnsw.ef_search = " + Math.max(efSearch.orElse(config.recommend().efSearch()), k)
                + "; SET LOCAL hnsw.iterative_scan = relaxed_order"
                + "; SET LOCAL hnsw.max_scan_tuples = " + config.recommend().maxScanTuples() + "; ";
    }

    /**
     * The index query for a vector's k nearest items, to send with other queries in one round trip after
     * {@link #settings}; empty when the filters restrict by content (then only {@link #nearest} knows whether the
     * exact path is needed). A caller that gets fewer than k rows back must ask {@link #nearest}, as it would.
     */
    public java.util.Optional<io.embedrec.common.Jdbc.Part<Recommended>> indexPart(Space space, float[] vector,
                                                                                    Filters filters, int k) {
        if (filters.restrictsByContent() && !knownUnselective(filters)) {
            return java.util.Optional.empty();
        }
        FilterSql where = FilterSql.of(filters);
        Query query = new OfVector(vector);
        return java.util.Optional.of(new io.embedrec.common.Jdbc.Part<>(sql(space, query, OptionalLong.empty(), where,
                false, k), (ps, at) -> bind(ps, at, query, OptionalLong.empty(), where), NeighbourRepository::row));
    }

    /** Whether the filters match so few items that the exact scan answers (counted, or remembered). */
    private boolean selective(Connection c, Filters filters) throws SQLException {
        if (!filters.restrictsByContent()) {
            return false;
        }
        FilterSql content = FilterSql.of(filters.withoutExclude());
        String key = content.key();
        Selectivity known = selectivity.get(key);
        long now = System.currentTimeMillis();
        if (known != null && now - known.atMillis() < SELECTIVITY_MILLIS) {
            return known.selective();
        }
        boolean selective = matchCount(c, content) < config.recommend().exactScanThreshold();
        if (selectivity.size() >= SELECTIVITY_ENTRIES) {
            selectivity.clear(); // bounded: many one-off filters must not grow it without end
        }
        selectivity.put(key, new Selectivity(selective, now));
        return selective;
    }

    /** True when the filters were recently counted and match too many items for the exact scan. */
    private boolean knownUnselective(Filters filters) {
        Selectivity known = selectivity.get(FilterSql.of(filters.withoutExclude()).key());
        return known != null && !known.selective()
                && System.currentTimeMillis() - known.atMillis() < SELECTIVITY_MILLIS;
    }

    private long matchCount(Connection c, FilterSql where) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM items i WHERE "
                + where.condition() + " LIMIT ?) t")) {
            int next = where.bind(ps, 1);
            ps.setInt(next, config.recommend().exactScanThreshold());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Recommended> run(Connection c, String settings, Space space, Query query, OptionalLong excludePk,
                                  FilterSql where, int k, boolean exact) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(settings + sql(space, query, excludePk, where, exact, k))) {
            bind(ps, 1, query, excludePk, where);
            List<Recommended> out = new ArrayList<>(k);
            boolean results = ps.execute();
            while (!results && ps.getUpdateCount() != -1) {
                results = ps.getMoreResults();
            }
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    /**
     * The neighbour query. k goes in as a literal (an int from 1 to {@value SimilarService#MAX_K}): with LIMIT as a
     * parameter, PostgreSQL's generic plan assumes a large limit, which cost 0.2 ms per query on 10,000 items.
     */
    private static String sql(Space space, Query query, OptionalLong excludePk, FilterSql where, boolean exact,
                              int k) {
        // a vector goes as a binary real[] (pgvector casts it): formatting 384 floats as text cost more than the query
        String q = query instanceof OfItem
                ? "(SELECT embedding FROM " + space.table() + " WHERE item_pk = ?)"
                : "CAST(CAST(? AS real[]) AS " + space.columnType() + ")";
        // "+ 0" keeps the planner off the HNSW index: the exact path ranks every matching row
        String distance = "v.embedding <=> " + q;
        String order = exact ? "(" + distance + ") + 0" : distance;
        return "SELECT id, title, categories, d FROM (SELECT i.external_id AS id, i.title, i.categories, "
                + distance + " AS d FROM " + space.table() + " v JOIN items i ON i.pk = v.item_pk "
                + "WHERE " + where.condition() + (excludePk.isPresent() ? " AND v.item_pk <> ?" : "")
                + " ORDER BY " + order + " LIMIT " + k + ") t ORDER BY d, id";
    }

    private static int bind(PreparedStatement ps, int at, Query query, OptionalLong excludePk, FilterSql where)
            throws SQLException {
        at = bindQuery(ps, at, query);
        at = where.bind(ps, at);
        if (excludePk.isPresent()) {
            ps.setLong(at++, excludePk.getAsLong());
        }
        return bindQuery(ps, at, query);
    }

    private static Recommended row(ResultSet rs) throws SQLException {
        return new Recommended(rs.getString(1), round(1.0 - rs.getDouble(4)), rs.getString(2),
                List.of((String[]) rs.getArray(3).getArray()));
    }

    private static int bindQuery(PreparedStatement ps, int at, Query query) throws SQLException {
        if (query instanceof OfItem item) {
            ps.setLong(at, item.itemPk());
        } else {
            ps.setArray(at, ps.getConnection().unwrap(PGConnection.class).createArrayOf("float4",
                    ((OfVector) query).vector()));
        }
        return at + 1;
    }


    /** Scores to 6 decimals: float vectors carry no more, and stable JSON helps clients compare answers. */
    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }
}
