package io.embedrec.recommendation;

import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The business rules' stage of the one pipeline, the same on every path: hard filters join the candidate query
 * ({@link #restrict}), so k items still come back; after the ranking, boosts and buries move the items whose
 * condition holds (on scores scaled to 0–1 over the candidates, so an amount means the same on every path), and pins
 * put eligible items at their positions ({@link #apply}). Each moved item records the rules that moved it.
 */
@ApplicationScoped
class RuleStage {

    /** How a path's items are read and rebuilt. */
    interface Shape<T> {
        String id(T item);

        double score(T item);

        /** A pinned item the ranking did not have. */
        T pinned(Recommended item);

        T withRules(T item, List<RuleEffect> effects);
    }

    /** Items of similar, recommend and search. */
    static final Shape<Recommended> RECOMMENDED = new Shape<>() {
        public String id(Recommended item) {
            return item.id();
        }

        public double score(Recommended item) {
            return item.score();
        }

        public Recommended pinned(Recommended item) {
            return item;
        }

        public Recommended withRules(Recommended item, List<RuleEffect> effects) {
            return new Recommended(item.id(), item.score(), item.title(), item.categories(), effects);
        }
    };

    /** The user an answer is for (their recent history decides seen conditions), if any. */
    static final class Context {
        private final OptionalLong userPk;
        private final FeedRepository feeds;
        private final Map<Integer, Set<String>> seen = new HashMap<>();

        Context(OptionalLong userPk, FeedRepository feeds) {
            this.userPk = userPk;
            this.feeds = feeds;
        }

        Set<String> seenWithin(int days) {
            if (userPk.isEmpty()) {
                return Set.of();
            }
            return seen.computeIfAbsent(days, d -> feeds.seenWithin(userPk.getAsLong(), d));
        }
    }

    private final Jdbc jdbc;
    private final FeedRepository feeds;
    private final io.embedrec.common.EmbedrecConfig config;

    RuleStage(Jdbc jdbc, FeedRepository feeds, io.embedrec.common.EmbedrecConfig config) {
        this.jdbc = jdbc;
        this.feeds = feeds;
        this.config = config;
    }

    Context context(OptionalLong userPk) {
        return new Context(userPk, feeds);
    }

    /** The request's filters and the rules' hard filters, ANDed. */
    Filters restrict(Filters filters, RuleSets.Applied rules, Context context) {
        Filters out = filters;
        for (Rule r : rules.of(Rule.Effect.FILTER)) {
            Filters f = r.when().filters();
            if (f.restrictsByContent()) {
                out = out.and(f);
            }
            if (r.when().notSeenWithinDays() != null) {
                out = out.withExclude(List.copyOf(context.seenWithin(r.when().notSeenWithinDays())));
            }
        }
        return out;
    }

    /** How many ranked items a path should hand to {@link #apply} for an answer of n. */
    static int pool(int n, RuleSets.Applied rules) {
        return rules.reorders() ? Math.min(SimilarService.MAX_K, Math.max(3 * n, n + 20)) : n;
    }

    /**
     * The answer of at most n from the ranked items (best first): boosts and buries applied, then pins.
     *
     * @param filters the filters the answer was ranked under (pinned items must pass them)
     */
    <T> List<T> apply(List<T> ranked, int n, RuleSets.Applied rules, Context context, Filters filters,
                      Shape<T> shape) {
        if (rules.rules().isEmpty()) {
            return ranked.size() > n ? ranked.subList(0, n) : ranked;
        }
        Map<String, List<RuleEffect>> effects = new HashMap<>();
        List<T> ordered = rules.reorders() ? reorder(ranked, rules, context, shape, effects) : ranked;
        List<T> out = new ArrayList<>(ordered.size() > n ? ordered.subList(0, n) : ordered);
        if (rules.pins()) {
            out = pin(out, n, rules, filters, shape, ordered, effects);
        }
        if (effects.isEmpty()) {
            return out;
        }
        List<T> shown = new ArrayList<>(out.size());
        for (T item : out) {
            List<RuleEffect> e = effects.get(shape.id(item));
            shown.add(e == null ? item : shape.withRules(item, e));
        }
        return shown;
    }

    private <T> List<T> reorder(List<T> ranked, RuleSets.Applied rules, Context context, Shape<T> shape,
                                Map<String, List<RuleEffect>> effects) {
        List<Rule> moving = rules.rules().stream().filter(r -> r.kind() == Rule.Effect.BOOST
                || r.kind() == Rule.Effect.BURY).toList();
        int n = ranked.size();
        if (n == 0) {
            return ranked;
        }
        String[] ids = new String[n];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            ids[c] = shape.id(ranked.get(c));
            min = Math.min(min, shape.score(ranked.get(c)));
            max = Math.max(max, shape.score(ranked.get(c)));
        }
        boolean[][] holds = conditions(ids, moving, context);
        double[] adjusted = new double[n];
        int[] moved = new int[n];
        for (int c = 0; c < n; c++) {
            double s = max > min ? (shape.score(ranked.get(c)) - min) / (max - min) : 1;
            double before = s;
            for (int r = 0; r < moving.size(); r++) {
                if (!holds[r][c]) {
                    continue;
                }
                Rule rule = moving.get(r);
                boolean up = rule.kind() == Rule.Effect.BOOST;
                s = rule.by() != null ? s + (up ? rule.by() : -rule.by())
                        : up ? s * rule.factor() : s / rule.factor();
                effects.computeIfAbsent(ids[c], x -> new ArrayList<>()).add(new RuleEffect(rule.name(),
                        rule.shown()));
            }
            adjusted[c] = s;
            moved[c] = Double.compare(s, before);
        }
        Integer[] order = new Integer[n];
        for (int c = 0; c < n; c++) {
            order[c] = c;
        }
        // at equal adjusted scores a boosted item goes first and a buried one last (a boost by 1 of the lowest
        // candidate ties the highest); otherwise the ranking's order stays (the sort is stable)
        Arrays.sort(order, (a, b) -> adjusted[a] != adjusted[b] ? Double.compare(adjusted[b], adjusted[a])
                : Integer.compare(moved[b], moved[a]));
        List<T> out = new ArrayList<>(n);
        for (int c : order) {
            out.add(ranked.get(c));
        }
        return out;
    }

    /** Which rule's condition holds for which item: content in one query (the filter language's own SQL). */
    private boolean[][] conditions(String[] ids, List<Rule> rules, Context context) {
        boolean[][] holds = new boolean[rules.size()][ids.length];
        List<FilterSql> content = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT i.external_id");
        for (Rule r : rules) {
            FilterSql f = FilterSql.matching(r.when().filters());
            content.add(f);
            sql.append(", ").append(f.condition());
            if (Boolean.TRUE.equals(r.when().trending())) {
                sql.append(" AND ").append(TrendingService.condition(config));
            }
        }
        sql.append(" FROM items i WHERE i.external_id = ANY(?)");
        Map<String, Integer> at = new HashMap<>();
        for (int c = 0; c < ids.length; c++) {
            at.put(ids[c], c);
        }
        jdbc.with(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                int p = 1;
                for (FilterSql f : content) {
                    p = f.bind(ps, p);
                }
                ps.setArray(p, conn.createArrayOf("text", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int c = at.get(rs.getString(1));
                        for (int r = 0; r < rules.size(); r++) {
                            holds[r][c] = rs.getBoolean(2 + r);
                        }
                    }
                }
            }
            return null;
        });
        for (int r = 0; r < rules.size(); r++) {
            Rule.Condition when = rules.get(r).when();
            if (!when.aboutHistory()) {
                continue;
            }
            boolean wantSeen = when.seenWithinDays() != null;
            Set<String> seen = context.seenWithin(wantSeen ? when.seenWithinDays() : when.notSeenWithinDays());
            for (int c = 0; c < ids.length; c++) {
                holds[r][c] &= seen.contains(ids[c]) == wantSeen;
            }
        }
        return holds;
    }

    private <T> List<T> pin(List<T> top, int n, RuleSets.Applied rules, Filters filters, Shape<T> shape,
                            List<T> ranked, Map<String, List<RuleEffect>> effects) {
        Map<String, Rule> pinnedBy = new LinkedHashMap<>();
        for (Rule r : rules.of(Rule.Effect.PIN)) {
            r.items().forEach(id -> pinnedBy.putIfAbsent(id, r));
        }
        Map<String, Recommended> eligible = eligible(List.copyOf(pinnedBy.keySet()), filters);
        Map<String, T> known = new HashMap<>();
        for (T item : ranked) {
            known.putIfAbsent(shape.id(item), item);
        }
        List<T> out = new ArrayList<>(top.size());
        for (T item : top) {
            if (!eligible.containsKey(shape.id(item))) {
                out.add(item);
            }
        }
        // by position, then as listed: a rule's items take its position and the ones after it
        List<Rule> byPosition = new ArrayList<>(rules.of(Rule.Effect.PIN));
        byPosition.sort(java.util.Comparator.comparingInt(Rule::position));
        Set<String> placed = new java.util.HashSet<>();
        for (Rule r : byPosition) {
            int position = r.position() - 1;
            for (String id : r.items()) {
                if (!eligible.containsKey(id) || pinnedBy.get(id) != r || !placed.add(id)) {
                    continue;
                }
                T item = known.containsKey(id) ? known.get(id) : shape.pinned(eligible.get(id));
                out.add(Math.min(position, out.size()), item);
                effects.computeIfAbsent(id, x -> new ArrayList<>()).add(new RuleEffect(r.name(),
                        "pinned at " + (position + 1)));
                position++;
            }
        }
        return out.size() > n ? new ArrayList<>(out.subList(0, n)) : out;
    }

    /** The pinned items that pass the answer's filters (availability, exclusions, the request's and rules'). */
    private Map<String, Recommended> eligible(List<String> ids, Filters filters) {
        FilterSql where = FilterSql.of(filters);
        Map<String, Recommended> out = new HashMap<>();
        jdbc.query("SELECT i.external_id, i.title, i.categories FROM items i WHERE i.external_id = ANY(?) AND "
                + where.condition(), ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", ids.toArray(String[]::new)));
                    where.bind(ps, 2);
                }, rs -> out.put(rs.getString(1), new Recommended(rs.getString(1), 0, rs.getString(2),
                List.of((String[]) rs.getArray(3).getArray()))));
        return out;
    }
}
