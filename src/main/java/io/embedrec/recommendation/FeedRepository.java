package io.embedrec.recommendation;

import io.embedrec.common.Jdbc;
import io.embedrec.space.Space;
import io.embedrec.space.VectorRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL the feeds need besides nearest neighbours: popularity, what a user has seen, history, vectors by id. */
@ApplicationScoped
public class FeedRepository {

    /** A popular item and its log2 popularity. */
    public record Popular(Recommended item, double logScore) {

        /**
         * Each item's popularity relative to the first (most popular) one, 0..1, by id; items with no score (the
         * newest items standing in for an empty popularity table) are absent.
         */
        public static Map<String, Double> relative(List<Popular> mostPopularFirst) {
            Map<String, Double> out = new HashMap<>();
            double max = mostPopularFirst.isEmpty() ? 0 : mostPopularFirst.get(0).logScore();
            for (Popular p : mostPopularFirst) {
                if (!Double.isNaN(p.logScore())) {
                    out.put(p.item().id(), Math.pow(2, p.logScore() - max));
                }
            }
            return out;
        }
    }

    /** A history event with its item's vector. */
    public record HistoryEvent(String itemId, String title, String type, double weight, long tsMillis,
                               float[] vector) {
    }

    private final Jdbc jdbc;
    private final NeighbourRepository neighbours;

    FeedRepository(Jdbc jdbc, NeighbourRepository neighbours) {
        this.jdbc = jdbc;
        this.neighbours = neighbours;
    }

    /**
     * A feed's candidates: the nearest items to each query vector (one list per space), the popular items, and the
     * item-item model's best items for the user (empty without a model).
     */
    public record Candidates(List<List<Recommended>> nearest, List<Popular> popular, List<ItemScore> items) {
    }

    /**
     * A candidate of the item-item model: its score, Σ weight(history item → it) × the history item's recency
     * decay, and the history item that contributed most (the reason: "because you liked X").
     */
    public record ItemScore(Recommended item, double score, String becauseId, String becauseTitle) {
    }

    /**
     * Asks the item-item model of a collaborative space for a user's best items: the user's most recent
     * {@code history} liked items (net weight &gt; 0), each weighted by recency as {@code decay} says.
     */
    public record ItemsQuery(Space model, long userPk, int history, FeedCandidates.HistoryDecay decay) {
    }

    /** An item's neighbours in the item-item model of a collaborative space that pass the filters, best first. */
    public List<Recommended> itemNeighbours(Space model, long itemPk, Filters filters, int k) {
        FilterSql where = FilterSql.of(filters);
        return jdbc.query("SELECT i.external_id, i.title, i.categories, n.weight FROM item_neighbours n "
                + "JOIN items i ON i.pk = n.neighbour_pk WHERE n.space_id = ? AND n.item_pk = ? AND "
                + where.condition() + " ORDER BY n.weight DESC, i.external_id LIMIT ?", ps -> {
                    ps.setInt(1, model.id());
                    ps.setLong(2, itemPk);
                    int next = where.bind(ps, 3);
                    ps.setInt(next, k);
                }, rs -> new Recommended(rs.getString(1), rs.getDouble(4), rs.getString(2),
                        List.of((String[]) rs.getArray(3).getArray())));
    }

    private static Jdbc.Part<ItemScore> itemsPart(ItemsQuery q, Filters filters, int k) {
        FilterSql where = FilterSql.of(filters);
        String sql = "WITH h AS (SELECT item_pk, sum(weight) AS w, max(ts) AS ts FROM events WHERE user_pk = ? "
                + "GROUP BY item_pk), "
                + "p AS (SELECT item_pk, ts, row_number() OVER (ORDER BY ts DESC, item_pk DESC) - 1 AS r, "
                + "max(ts) OVER () AS newest FROM h WHERE w > 0 ORDER BY ts DESC, item_pk DESC LIMIT ?), "
                + "x AS (SELECT item_pk, " + q.decay().sql() + " AS x FROM p), "
                + "s AS (SELECT n.neighbour_pk AS pk, sum(n.weight * x.x) AS score, "
                + "(array_agg(n.item_pk ORDER BY n.weight * x.x DESC, n.item_pk))[1] AS top "
                + "FROM x JOIN item_neighbours n ON n.space_id = ? AND n.item_pk = x.item_pk GROUP BY n.neighbour_pk) "
                + "SELECT i.external_id, i.title, i.categories, s.score, t.external_id, t.title "
                + "FROM s JOIN items i ON i.pk = s.pk JOIN items t ON t.pk = s.top WHERE " + where.condition()
                + " ORDER BY s.score DESC, i.external_id LIMIT ?";
        return new Jdbc.Part<>(sql, (ps, at) -> {
            ps.setLong(at, q.userPk());
            ps.setInt(at + 1, q.history());
            ps.setInt(at + 2, q.model().id());
            int next = where.bind(ps, at + 3);
            ps.setInt(next, k);
            return next + 1;
        }, rs -> new ItemScore(new Recommended(rs.getString(1), 0, rs.getString(2),
                List.of((String[]) rs.getArray(3).getArray())), rs.getDouble(4), rs.getString(5), rs.getString(6)));
    }

    /**
     * The k nearest items to each vector in its space and the k most popular items, in one round trip when no
     * filter restricts by content (each nearest-neighbour query of a feed was a round trip of its own). Lists the
     * index could not fill, and an empty popularity table (then the newest items stand in), take the ordinary path.
     * Must run inside a transaction (the pgvector settings are SET LOCAL).
     */
    public Candidates candidates(List<Space> spaces, List<float[]> vectors, Filters filters, int k) {
        return candidates(spaces, vectors, Optional.empty(), filters, k);
    }

    /** {@link #candidates(List, List, Filters, int)} and the item-item model's k best items in the same trip. */
    @SuppressWarnings("unchecked")
    public Candidates candidates(List<Space> spaces, List<float[]> vectors, Optional<ItemsQuery> items,
                                 Filters filters, int k) {
        List<Jdbc.Part<?>> parts = new ArrayList<>();
        for (int s = 0; s < spaces.size(); s++) {
            Optional<Jdbc.Part<Recommended>> part = neighbours.indexPart(spaces.get(s), vectors.get(s), filters, k);
            if (part.isEmpty()) {
                return separately(spaces, vectors, items, filters, k);
            }
            parts.add(part.get());
        }
        items.ifPresent(q -> parts.add(itemsPart(q, filters, k)));
        FilterSql where = FilterSql.of(filters);
        parts.add(new Jdbc.Part<>(POPULAR + where.condition() + POPULAR_ORDER, (ps, at) -> {
            int next = where.bind(ps, at);
            ps.setInt(next, k);
            return next + 1;
        }, FeedRepository::popularRow));
        List<List<?>> rows = jdbc.queryTogether(neighbours.settings(k), parts);
        List<List<Recommended>> nearest = new ArrayList<>();
        for (int s = 0; s < spaces.size(); s++) {
            @SuppressWarnings("unchecked")
            List<Recommended> found = (List<Recommended>) rows.get(s);
            nearest.add(found.size() >= k ? found : neighbours.nearest(spaces.get(s),
                    new NeighbourRepository.OfVector(vectors.get(s)), java.util.OptionalLong.empty(), filters, k)
                    .items());
        }
        List<ItemScore> fromItems = items.isPresent() ? (List<ItemScore>) rows.get(spaces.size()) : List.of();
        List<Popular> popular = (List<Popular>) rows.get(rows.size() - 1);
        return new Candidates(nearest, withNewest(popular, filters, k), fromItems);
    }

    private Candidates separately(List<Space> spaces, List<float[]> vectors, Optional<ItemsQuery> items,
                                  Filters filters, int k) {
        List<List<Recommended>> nearest = new ArrayList<>();
        for (int s = 0; s < spaces.size(); s++) {
            nearest.add(neighbours.nearest(spaces.get(s), new NeighbourRepository.OfVector(vectors.get(s)),
                    java.util.OptionalLong.empty(), filters, k).items());
        }
        List<ItemScore> fromItems = items.map(q -> {
            Jdbc.Part<ItemScore> part = itemsPart(q, filters, k);
            return jdbc.query(part.sql(), ps -> part.binder().bind(ps, 1), part.mapper());
        }).orElse(List.of());
        return new Candidates(nearest, popular(filters, k), fromItems);
    }

    private static final String POPULAR = "SELECT i.external_id, i.title, i.categories, p.log_score "
            + "FROM item_popularity p JOIN items i ON i.pk = p.item_pk WHERE ";
    private static final String POPULAR_ORDER = " ORDER BY p.log_score DESC, i.external_id LIMIT ?";

    /**
     * What a feed needs to know of a user, in one round trip: the key, the unit vectors in the content space and in
     * the collaborative one (null where the history has no vector there yet), positive and negative event counts,
     * and the items seen through these types: the {@value #MAX_SEEN} most recent ones, read from at most the
     * user's {@value #MAX_SEEN_EVENTS} latest events of those types, so a long history costs a bounded read and a
     * bounded parameter.
     */
    public record Profile(long userPk, float[] unit, float[] collaborativeUnit, long positives, long negatives,
                          List<String> seen, Map<String, Long> recent) {
    }

    static final int MAX_SEEN = 10_000;
    static final int MAX_SEEN_EVENTS = 50_000;

    /**
     * The items the user had any event on within the last {@code days} days (a rule's seen condition) with the time of
     * the latest, at most {@value #MAX_SEEN} of the most recent, read from at most {@value #MAX_SEEN_EVENTS} events.
     */
    Map<String, Long> seenWithin(long userPk, int days) {
        Map<String, Long> out = new HashMap<>();
        jdbc.query("SELECT " + RECENT + "WHERE user_pk = ? AND ts > now() - make_interval(days => ?) " + RECENT_END,
                ps -> {
                    ps.setLong(1, userPk);
                    ps.setInt(2, days);
                }, rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    /** Items with the time of their latest event (epoch ms), newest first, from the events matching the WHERE. */
    private static final String RECENT = "i.external_id, (extract(epoch FROM max(e.ts)) * 1000)::bigint FROM "
            + "(SELECT item_pk, ts FROM events ";
    private static final String RECENT_END = "ORDER BY ts DESC LIMIT " + MAX_SEEN_EVENTS + ") e JOIN items i "
            + "ON i.pk = e.item_pk GROUP BY i.external_id ORDER BY max(e.ts) DESC LIMIT " + MAX_SEEN;

    /**
     * @param recentDays also the items with any event in this many days, with the latest event's time (business
     *                   rules' seen conditions), in the same round trip; 0 for none
     */
    public Optional<Profile> profile(Space space, Optional<Space> collaborative, String userId,
                                     List<String> seenTypes, int recentDays) {
        return jdbc.queryOne("SELECT u.pk, " + VectorRepository.binary("uv.embedding") + ", "
                        + VectorRepository.binary("uc.embedding") + ", "
                        + "coalesce(uv.positives, uc.positives, 0), coalesce(uv.negatives, uc.negatives, 0), "
                        + "ARRAY(SELECT i.external_id FROM (SELECT item_pk, ts FROM events WHERE user_pk = u.pk "
                        + "AND type = ANY(?) ORDER BY ts DESC LIMIT " + MAX_SEEN_EVENTS + ") e "
                        + "JOIN items i ON i.pk = e.item_pk GROUP BY i.external_id ORDER BY max(e.ts) DESC, "
                        + "i.external_id LIMIT " + MAX_SEEN + "), r.ids, r.ts "
                        + "FROM users u LEFT JOIN user_vectors uv ON uv.user_pk = u.pk AND uv.space_id = ? "
                        + "LEFT JOIN user_vectors uc ON uc.user_pk = u.pk AND uc.space_id = ? "
                        + "LEFT JOIN LATERAL (SELECT array_agg(x.id) AS ids, array_agg(x.t) AS ts FROM (SELECT "
                        + RECENT.replaceFirst("i.external_id, ", "i.external_id AS id, ").replace("::bigint FROM",
                        "::bigint AS t FROM") + "WHERE user_pk = u.pk AND ? > 0 "
                        + "AND ts > now() - make_interval(days => ?) " + RECENT_END + ") x) r ON true "
                        + "WHERE u.external_id = ?", ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", seenTypes.toArray()));
                    ps.setInt(2, space.id());
                    ps.setInt(3, collaborative.map(Space::id).orElse(-1));
                    ps.setInt(4, recentDays);
                    ps.setInt(5, recentDays);
                    ps.setString(6, userId);
                }, rs -> {
                    Map<String, Long> recent = new HashMap<>();
                    if (rs.getArray(7) != null) {
                        String[] ids = (String[]) rs.getArray(7).getArray();
                        Long[] ts = (Long[]) rs.getArray(8).getArray();
                        for (int k = 0; k < ids.length; k++) {
                            recent.put(ids[k], ts[k]);
                        }
                    }
                    return new Profile(rs.getLong(1), vector(rs.getBytes(2)), vector(rs.getBytes(3)), rs.getLong(4),
                            rs.getLong(5), List.of((String[]) rs.getArray(6).getArray()), recent);
                });
    }

    private static float[] vector(byte[] sent) {
        return sent == null ? null : VectorRepository.decode(sent);
    }

    /**
     * Most popular items now that pass the filters; when fewer items than {@code limit} have events (nobody
     * interacted yet, or a small catalog), the newest other items (no score) fill the rest.
     */
    public List<Popular> popular(Filters filters, int limit) {
        FilterSql where = FilterSql.of(filters);
        List<Popular> out = jdbc.with(c -> {
            try (PreparedStatement ps = c.prepareStatement(POPULAR + where.condition() + POPULAR_ORDER)) {
                int at = where.bind(ps, 1);
                ps.setInt(at, limit);
                return read(ps);
            }
        });
        return withNewest(out, filters, limit);
    }

    /** The popular items, and when fewer than {@code limit}, the newest other items that pass the filters after. */
    private List<Popular> withNewest(List<Popular> popular, Filters filters, int limit) {
        if (popular.size() >= limit) {
            return popular;
        }
        List<Popular> all = new ArrayList<>(popular);
        all.addAll(newest(filters.withExclude(popular.stream().map(p -> p.item().id()).toList()),
                limit - popular.size()));
        return all;
    }

    private List<Popular> newest(Filters filters, int limit) {
        FilterSql where = FilterSql.of(filters);
        return jdbc.with(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.external_id, i.title, i.categories, NULL "
                    + "FROM items i WHERE " + where.condition() + " ORDER BY i.created_at DESC, i.external_id LIMIT ?")) {
                int at = where.bind(ps, 1);
                ps.setInt(at, limit);
                return read(ps);
            }
        });
    }

    private static List<Popular> read(PreparedStatement ps) throws java.sql.SQLException {
        List<Popular> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(popularRow(rs));
            }
        }
        return out;
    }

    private static Popular popularRow(ResultSet rs) throws java.sql.SQLException {
        double log = rs.getDouble(4);
        boolean none = rs.wasNull();
        return new Popular(new Recommended(rs.getString(1), 0, rs.getString(2),
                List.of((String[]) rs.getArray(3).getArray())), none ? Double.NaN : log);
    }

    /** The user's most recent events (newest first) with their items' vectors in the space. */
    public List<HistoryEvent> recentHistory(Space space, long userPk, int limit) {
        Jdbc.Part<HistoryEvent> part = historyPart(space, userPk, limit);
        return jdbc.query(part.sql(), ps -> part.binder().bind(ps, 1), part.mapper());
    }

    private static Jdbc.Part<HistoryEvent> historyPart(Space space, long userPk, int limit) {
        return new Jdbc.Part<>("SELECT i.external_id, i.title, e.type, e.weight, e.ts, "
                + VectorRepository.binary("v.embedding") + " FROM events e JOIN items i ON i.pk = e.item_pk JOIN "
                + space.table() + " v ON v.item_pk = e.item_pk WHERE e.user_pk = ? ORDER BY e.ts DESC, e.pk DESC "
                + "LIMIT ?", (ps, at) -> {
                    ps.setLong(at, userPk);
                    ps.setInt(at + 1, limit);
                    return at + 2;
                }, rs -> new HistoryEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
                        rs.getTimestamp(5).getTime(), VectorRepository.decode(rs.getBytes(6))));
    }

    /** An item's vectors in a content and a collaborative space; either may be null. */
    public record Both(float[] content, float[] collaborative) {

        /** The pipeline's view of vectors read by {@link #vectors(Space, Space, List)}. */
        static FeedCandidates.Vectors of(Map<String, Both> both) {
            return new FeedCandidates.Vectors() {
                public float[] content(String id) {
                    Both b = both.get(id);
                    return b == null ? null : b.content();
                }

                public float[] collaborative(String id) {
                    Both b = both.get(id);
                    return b == null ? null : b.collaborative();
                }
            };
        }
    }

    /** Vectors of items by id in two spaces, in one round trip (items with neither are absent). */
    public Map<String, Both> vectors(Space content, Space collaborative, List<String> ids) {
        return vectorsAndHistory(content, collaborative, ids, 0, 0, Optional.empty()).vectors();
    }

    /** Candidates' vectors in both spaces and the user's recent history in the content space. */
    public record VectorsAndHistory(Map<String, Both> vectors, List<HistoryEvent> history, List<?> also) {
    }

    /**
     * {@link #vectors(Space, Space, List)} and, when {@code historyLimit > 0}, {@link #recentHistory} in one round
     * trip: a hybrid feed needs the history whenever it picks a new item (its reason names the history items it
     * resembles).
     */
    @SuppressWarnings("unchecked")
    public VectorsAndHistory vectorsAndHistory(Space content, Space collaborative, List<String> ids, long userPk,
                                               int historyLimit, Optional<Jdbc.Part<?>> also) {
        List<Jdbc.Part<?>> parts = new ArrayList<>();
        parts.add(new Jdbc.Part<>("SELECT i.external_id, " + VectorRepository.binary("c.embedding") + ", "
                + VectorRepository.binary("k.embedding") + " FROM items i LEFT JOIN " + content.table()
                + " c ON c.item_pk = i.pk LEFT JOIN " + collaborative.table() + " k ON k.item_pk = i.pk "
                + "WHERE i.external_id = ANY(?) AND (c.item_pk IS NOT NULL OR k.item_pk IS NOT NULL)", (ps, at) -> {
                    ps.setArray(at, ps.getConnection().createArrayOf("text", ids.toArray()));
                    return at + 1;
                }, rs -> Map.entry(rs.getString(1), new Both(vector(rs.getBytes(2)), vector(rs.getBytes(3))))));
        if (historyLimit > 0) {
            parts.add(historyPart(content, userPk, historyLimit));
        }
        also.ifPresent(parts::add);
        List<List<?>> rows = jdbc.queryTogether("", parts);
        Map<String, Both> vectors = new HashMap<>();
        for (Object row : rows.get(0)) {
            Map.Entry<String, Both> e = (Map.Entry<String, Both>) row;
            vectors.put(e.getKey(), e.getValue());
        }
        return new VectorsAndHistory(vectors, historyLimit > 0 ? (List<HistoryEvent>) rows.get(1) : List.of(),
                also.isPresent() ? rows.get(rows.size() - 1) : List.of());
    }

    /** Vectors of items by id in a space (items without one are absent). */
    public Map<String, float[]> vectors(Space space, List<String> ids) {
        return vectors(space, ids, Optional.empty()).vectors();
    }

    /** Vectors by id, and the rows of another SELECT sent in the same round trip. */
    public record VectorsAnd(Map<String, float[]> vectors, List<?> also) {
    }

    /** {@link #vectors(Space, List)} and {@code also}'s rows, in one round trip. */
    @SuppressWarnings("unchecked")
    public VectorsAnd vectors(Space space, List<String> ids, Optional<Jdbc.Part<?>> also) {
        List<Jdbc.Part<?>> parts = new ArrayList<>();
        parts.add(new Jdbc.Part<>("SELECT i.external_id, " + VectorRepository.binary("v.embedding")
                + " FROM items i JOIN " + space.table() + " v ON v.item_pk = i.pk WHERE i.external_id = ANY(?)",
                (ps, at) -> {
                    ps.setArray(at, ps.getConnection().createArrayOf("text", ids.toArray()));
                    return at + 1;
                }, rs -> Map.entry(rs.getString(1), VectorRepository.decode(rs.getBytes(2)))));
        also.ifPresent(parts::add);
        List<List<?>> rows = jdbc.queryTogether("", parts);
        Map<String, float[]> out = new HashMap<>();
        for (Object row : rows.get(0)) {
            Map.Entry<String, float[]> e = (Map.Entry<String, float[]>) row;
            out.put(e.getKey(), e.getValue());
        }
        return new VectorsAnd(out, also.isPresent() ? rows.get(1) : List.of());
    }
}
