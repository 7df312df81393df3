package io.embedrec.recommendation;

import io.embedrec.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

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

    /**
     * The user an answer is for: their recent items decide seen conditions, read with the user's profile where the
     * path has one ({@code recent}, covering {@code coveredDays}), else asked for once per number of days.
     */
    static final class Context {
        private final OptionalLong userPk;
        private final FeedRepository feeds;
        private final Map<String, Long> recent;
        private final int coveredDays;
        private final Map<Integer, Set<String>> seen = new HashMap<>();
        /** What the rules need to know of the items, read ahead with another query (by item id), if it was. */
        private Map<String, FactRow> prefetched = Map.of();
        /** The ids the read-ahead asked for (an unknown pinned id has no row, but was asked). */
        private Set<String> asked = Set.of();

        Context(OptionalLong userPk, FeedRepository feeds, Map<String, Long> recent, int coveredDays) {
            this.userPk = userPk;
            this.feeds = feeds;
            this.recent = recent;
            this.coveredDays = coveredDays;
        }

        Set<String> seenWithin(int days) {
            if (userPk.isEmpty()) {
                return Set.of();
            }
            return seen.computeIfAbsent(days, d -> {
                Map<String, Long> items = d <= coveredDays ? recent : feeds.seenWithin(userPk.getAsLong(), d);
                long since = System.currentTimeMillis() - d * 86_400_000L;
                Set<String> out = new java.util.HashSet<>();
                items.forEach((id, at) -> {
                    if (at > since) {
                        out.add(id);
                    }
                });
                return out;
            });
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
        return new Context(userPk, feeds, Map.of(), 0);
    }

    /** A context whose user's recent items ({@link #historyDays} of them) came with the profile. */
    Context context(long userPk, Map<String, Long> recent, int coveredDays) {
        return new Context(OptionalLong.of(userPk), feeds, recent, coveredDays);
    }

    /** The most days of history the rules' seen conditions look back (0: none), to read with the profile. */
    static int historyDays(RuleSets.Applied rules) {
        int days = 0;
        for (Rule r : rules.rules()) {
            if (r.when() != null) {
                days = Math.max(days, Math.max(r.when().seenWithinDays() == null ? 0 : r.when().seenWithinDays(),
                        r.when().notSeenWithinDays() == null ? 0 : r.when().notSeenWithinDays()));
            }
        }
        return days;
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
     * The answer of at most n from the ranked items (best first): boosts and buries applied, then pins. What the rules
     * need to know of the items (their conditions, whether a pinned item passes the filters) is read in one query.
     *
     * @param filters the filters the answer was ranked under (pinned items must pass them)
     */
    <T> List<T> apply(List<T> ranked, int n, RuleSets.Applied rules, Context context, Filters filters,
                      Shape<T> shape) {
        if (rules.rules().isEmpty()) {
            return ranked.size() > n ? ranked.subList(0, n) : ranked;
        }
        List<Rule> moving = rules.rules().stream().filter(r -> r.kind() == Rule.Effect.BOOST
                || r.kind() == Rule.Effect.BURY).toList();
        Map<String, Rule> pinnedBy = new LinkedHashMap<>();
        for (Rule r : rules.of(Rule.Effect.PIN)) {
            r.items().forEach(id -> pinnedBy.putIfAbsent(id, r));
        }
        if (moving.isEmpty() && pinnedBy.isEmpty()) {
            return ranked.size() > n ? ranked.subList(0, n) : ranked;
        }
        Set<String> ids = new java.util.LinkedHashSet<>();
        if (!moving.isEmpty()) {
            ranked.forEach(item -> ids.add(shape.id(item)));
        }
        ids.addAll(pinnedBy.keySet());
        Facts facts = facts(context.asked.containsAll(ids) ? context.prefetched.values()
                : query(factsPart(List.copyOf(ids), moving, !pinnedBy.isEmpty(), filters)), moving,
                pinnedBy.keySet(), context);
        Map<String, List<RuleEffect>> effects = new HashMap<>();
        List<T> ordered = moving.isEmpty() ? ranked : reorder(ranked, moving, facts, shape, effects);
        List<T> out = new ArrayList<>(ordered.size() > n ? ordered.subList(0, n) : ordered);
        if (!pinnedBy.isEmpty()) {
            out = pin(out, n, rules, pinnedBy, facts.eligible(), shape, ordered, effects);
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

    /** Per item: which moving rule's condition holds (by rule index); the pinned items that pass the filters. */
    private record Facts(Map<String, boolean[]> holds, Map<String, Recommended> eligible) {
    }

    private <T> List<T> reorder(List<T> ranked, List<Rule> moving, Facts facts, Shape<T> shape,
                                Map<String, List<RuleEffect>> effects) {
        int n = ranked.size();
        if (n == 0) {
            return ranked;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (T item : ranked) {
            min = Math.min(min, shape.score(item));
            max = Math.max(max, shape.score(item));
        }
        double[] adjusted = new double[n];
        int[] moved = new int[n];
        boolean[] none = new boolean[moving.size()];
        for (int c = 0; c < n; c++) {
            String id = shape.id(ranked.get(c));
            boolean[] holds = facts.holds().getOrDefault(id, none);
            double s = max > min ? (shape.score(ranked.get(c)) - min) / (max - min) : 1;
            double before = s;
            for (int r = 0; r < moving.size(); r++) {
                if (!holds[r]) {
                    continue;
                }
                Rule rule = moving.get(r);
                boolean up = rule.kind() == Rule.Effect.BOOST;
                s = rule.by() != null ? s + (up ? rule.by() : -rule.by())
                        : up ? s * rule.factor() : s / rule.factor();
                effects.computeIfAbsent(id, x -> new ArrayList<>()).add(new RuleEffect(rule.name(), rule.shown()));
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

    /** One item's facts: its title and categories, whether it passes the answer's filters, each moving rule's content condition. */
    record FactRow(String id, String title, List<String> categories, boolean passes, boolean[] holds) {
    }

    /**
     * The query over the items: each moving rule's content condition (the filter language's own SQL, and trending)
     * and whether the item passes the answer's filters (for pins); seen conditions are ANDed in from the context.
     */
    private Jdbc.Part<FactRow> factsPart(List<String> ids, List<Rule> moving, boolean pins, Filters filters) {
        List<FilterSql> parts = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT i.external_id, i.title, i.categories");
        FilterSql eligible = FilterSql.of(filters);
        if (pins) {
            parts.add(eligible);
        }
        sql.append(", ").append(pins ? eligible.condition() : "false");
        for (Rule r : moving) {
            FilterSql f = FilterSql.matching(r.when().filters());
            parts.add(f);
            sql.append(", ").append(f.condition());
            if (Boolean.TRUE.equals(r.when().trending())) {
                sql.append(" AND ").append(TrendingService.condition(config));
            }
        }
        sql.append(" FROM items i WHERE i.external_id = ANY(?)");
        return new Jdbc.Part<>(sql.toString(), (ps, at) -> {
            int p = at;
            for (FilterSql f : parts) {
                p = f.bind(ps, p);
            }
            ps.setArray(p, ps.getConnection().createArrayOf("text", ids.toArray(String[]::new)));
            return p + 1;
        }, rs -> {
            boolean[] h = new boolean[moving.size()];
            for (int r = 0; r < moving.size(); r++) {
                h[r] = rs.getBoolean(5 + r);
            }
            return new FactRow(rs.getString(1), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
                    rs.getBoolean(4), h);
        });
    }

    /**
     * The rules' query over a path's candidates (and pinned items), to send in the round trip that fetches the
     * candidates' vectors; empty when the rules need none. Hand its rows to {@link #prefetched}.
     */
    java.util.Optional<Jdbc.Part<FactRow>> factsPart(Context context, java.util.Collection<String> candidates,
                                                       RuleSets.Applied rules, Filters filters) {
        List<Rule> moving = rules.rules().stream().filter(r -> r.kind() == Rule.Effect.BOOST
                || r.kind() == Rule.Effect.BURY).toList();
        Set<String> ids = new java.util.LinkedHashSet<>(moving.isEmpty() ? List.of() : candidates);
        rules.of(Rule.Effect.PIN).forEach(r -> ids.addAll(r.items()));
        if (ids.isEmpty()) {
            return java.util.Optional.empty();
        }
        context.asked = ids;
        return java.util.Optional.of(factsPart(List.copyOf(ids), moving, rules.pins(), filters));
    }

    private List<FactRow> query(Jdbc.Part<FactRow> part) {
        return jdbc.query(part.sql(), ps -> part.binder().bind(ps, 1), part.mapper());
    }

    /** Rows of {@link #factsPart(Context, java.util.Collection, RuleSets.Applied, Filters)} for {@link #apply}. */
    static void prefetched(Context context, List<?> rows) {
        Map<String, FactRow> byId = new HashMap<>();
        for (Object row : rows) {
            FactRow f = (FactRow) row;
            byId.put(f.id(), f);
        }
        context.prefetched = byId;
    }

    private Facts facts(java.util.Collection<FactRow> rows, List<Rule> moving, Set<String> pinned, Context context) {
        Map<String, boolean[]> holds = new HashMap<>();
        Map<String, Recommended> passing = new HashMap<>();
        for (FactRow f : rows) {
            if (f.passes() && pinned.contains(f.id())) {
                passing.put(f.id(), new Recommended(f.id(), 0, f.title(), f.categories()));
            }
            holds.put(f.id(), f.holds().clone());
        }
        for (int r = 0; r < moving.size(); r++) {
            Rule.Condition when = moving.get(r).when();
            if (!when.aboutHistory()) {
                continue;
            }
            boolean wantSeen = when.seenWithinDays() != null;
            Set<String> seen = context.seenWithin(wantSeen ? when.seenWithinDays() : when.notSeenWithinDays());
            for (Map.Entry<String, boolean[]> e : holds.entrySet()) {
                e.getValue()[r] &= seen.contains(e.getKey()) == wantSeen;
            }
        }
        return new Facts(holds, passing);
    }

    private <T> List<T> pin(List<T> top, int n, RuleSets.Applied rules, Map<String, Rule> pinnedBy,
                            Map<String, Recommended> eligible, Shape<T> shape, List<T> ranked,
                            Map<String, List<RuleEffect>> effects) {
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
}
