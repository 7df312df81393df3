package io.embedrec.recommendation;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.interaction.UserVectorService;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Personalised feeds: the items nearest to the user's vector, minus what they have seen, re-ranked with a
 * popularity prior and optional diversity, each with its reason. Users without history get popular items; users
 * with little history a blend of both (the vector's share grows with each positive event until
 * {@code embrec.users.warm-up-events}); users whose history is all negative get popular items away from what they
 * disliked.
 */
@ApplicationScoped
public class FeedService {

    static final int EXPLAIN_HISTORY = 50;
    static final int MAX_CANDIDATES = 1000;

    private final SpaceService spaces;
    private final FeedRepository feeds;
    private final UserVectorService aggregation;
    private final RecommendationLog log;
    private final EmbedrecConfig config;
    private final RuleSets ruleSets;
    private final RuleStage rules;
    private final Experiments experiments;

    FeedService(SpaceService spaces, FeedRepository feeds,
                UserVectorService aggregation, RecommendationLog log,
                EmbedrecConfig config, RuleSets ruleSets, RuleStage rules, Experiments experiments) {
        this.experiments = experiments;
        this.ruleSets = ruleSets;
        this.rules = rules;
        this.spaces = spaces;
        this.feeds = feeds;
        this.aggregation = aggregation;
        this.log = log;
        this.config = config;
    }

    @Transactional
    public FeedResponse feed(String userId, Integer k, Boolean excludeSeen, Boolean explain, Double diversity,
                             Optional<String> spaceName, Optional<String> weightsText, Optional<String> ruleSet,
                             Map<String, List<String>> query) {
        int n = SimilarService.checkK(k, config.recommend().defaultK());
        double div = diversity == null ? 0 : diversity;
        if (!(div >= 0 && div <= 1)) {
            throw new InvalidInputException("diversity must be between 0 and 1 (got " + diversity + ")");
        }
        // the running experiment's variant for this user sets the weights, rule set and strategy a request leaves out
        Optional<Experiments.Assignment> assigned = experiments.assign(userId);
        Optional<Experiment.Variant> variant = assigned.map(Experiments.Assignment::variant);
        if (weightsText.isEmpty() && variant.map(Experiment.Variant::weights).isPresent()) {
            weightsText = Optional.of(variant.get().weights());
        }
        if (ruleSet.isEmpty() && variant.map(Experiment.Variant::rules).isPresent()) {
            ruleSet = Optional.of(variant.get().rules());
        }
        String arm = variant.map(Experiment.Variant::strategy).orElse("default");
        HybridWeights weights = weights(weightsText, HybridWeights.of(config.hybrid()));
        Filters filters = FilterParser.fromQuery(query);
        RuleSets.Applied applied = ruleSets.named(ruleSet);
        SpaceService.Serving serving = spaces.serving(spaceName);
        Space space = serving.content();
        boolean dropSeen = excludeSeen == null || excludeSeen;
        int historyDays = RuleStage.historyDays(applied);
        Optional<FeedRepository.Profile> profile = feeds.profile(space, serving.collaborative(), userId,
                dropSeen ? config.users().seenTypes() : List.of(), historyDays);
        Optional<Long> user = profile.map(FeedRepository.Profile::userPk);
        if (profile.isPresent() && dropSeen) {
            filters = filters.withExclude(profile.get().seen());
        }
        RuleStage.Context context = profile.map(p -> rules.context(p.userPk(), p.recent(), historyDays))
                .orElseGet(() -> rules.context(java.util.OptionalLong.empty()));
        filters = rules.restrict(filters, applied, context);
        int take = RuleStage.pool(n, applied);
        float[] unit = profile.map(FeedRepository.Profile::unit).orElse(null);
        long positives = profile.map(FeedRepository.Profile::positives).orElse(0L);
        long negatives = profile.map(FeedRepository.Profile::negatives).orElse(0L);

        List<FeedItem> items;
        String strategy;
        if (arm.equals("popular")) {
            strategy = "popular";
            items = popular(filters, take);
        } else if (unit == null || positives == 0) {
            if (negatives > 0) {
                strategy = "popular_minus_disliked";
                items = popularAwayFromDislikes(space, user.get(), filters, take);
            } else {
                strategy = "popular";
                items = popular(filters, take);
            }
        } else if (!arm.equals("content") && serving.collaborative().isPresent()
                && profile.get().collaborativeUnit() != null) {
            strategy = "hybrid";
            items = hybrid(space, serving.collaborative().get(), user.get(), unit,
                    profile.get().collaborativeUnit(), positives, filters, n, take, div,
                    Boolean.TRUE.equals(explain), weights, applied, context);
        } else {
            strategy = "personal";
            items = personal(space, user.get(), unit, positives, filters, n, take, div,
                    Boolean.TRUE.equals(explain), applied, context);
        }
        items = rules.apply(items, n, applied, context, filters, SHAPE);
        List<Recommended> logged = items.stream().map(i -> new Recommended(i.id(), i.score(), i.title(),
                i.categories())).toList();
        var id = log.record("feed:" + strategy, space.id(), userId, logged,
                assigned.map(Experiments.Assignment::experiment).orElse(null), variant.map(Experiment.Variant::name)
                        .orElse(null));
        // a hybrid feed names both spaces, e.g. "content+collaborative-20261124-011338": after a retraining the
        // answer shows which training served it
        String served = strategy.equals("hybrid") ? space.name() + "+" + serving.collaborative().get().name()
                : space.name();
        return new FeedResponse(items, strategy, served, id,
                assigned.map(Experiments.Assignment::experiment).orElse(null),
                variant.map(Experiment.Variant::name).orElse(null));
    }

    /** Feed entries through the rules' stage; a pinned item the ranking did not have reads "pinned". */
    static final RuleStage.Shape<FeedItem> SHAPE = new RuleStage.Shape<>() {
        public String id(FeedItem item) {
            return item.id();
        }

        public double score(FeedItem item) {
            return item.score();
        }

        public FeedItem pinned(Recommended item) {
            return new FeedItem(item.id(), 0, item.title(), item.categories(), new FeedItem.Reason("pinned", null));
        }

        public FeedItem withRules(FeedItem item, List<RuleEffect> effects) {
            return new FeedItem(item.id(), item.score(), item.title(), item.categories(),
                    new FeedItem.Reason(item.reason().type(), item.reason().because(), effects));
        }
    };

    private List<FeedItem> popular(Filters filters, int n) {
        List<FeedRepository.Popular> pop = feeds.popular(filters, n);
        double max = pop.isEmpty() ? 0 : pop.get(0).logScore();
        List<FeedItem> out = new ArrayList<>();
        for (FeedRepository.Popular p : pop) {
            boolean none = Double.isNaN(p.logScore());
            out.add(new FeedItem(p.item().id(), none ? 0 : round(Math.pow(2, p.logScore() - max)), p.item().title(),
                    p.item().categories(), new FeedItem.Reason(none ? "new" : "popular", null)));
        }
        return out;
    }

    private List<FeedItem> popularAwayFromDislikes(Space space, long userPk, Filters filters, int n) {
        int m = Math.min(MAX_CANDIDATES, n * config.users().candidateFactor() * 2);
        List<FeedRepository.Popular> pop = feeds.popular(filters, m);
        List<float[]> disliked = feeds.recentHistory(space, userPk, EXPLAIN_HISTORY).stream()
                .filter(h -> h.weight() < 0).map(FeedRepository.HistoryEvent::vector).toList();
        Map<String, float[]> vectors = feeds.vectors(space, pop.stream().map(p -> p.item().id()).toList());
        double max = pop.isEmpty() ? 0 : pop.get(0).logScore();
        List<FeedItem> out = new ArrayList<>();
        for (FeedRepository.Popular p : pop) {
            float[] v = vectors.get(p.item().id());
            boolean nearDislike = v != null && disliked.stream()
                    .anyMatch(d -> MaximalMarginalRelevance.dot(d, v) >= config.users().dislikeRadius());
            if (!nearDislike) {
                boolean none = Double.isNaN(p.logScore());
                out.add(new FeedItem(p.item().id(), none ? 0 : round(Math.pow(2, p.logScore() - max)),
                        p.item().title(), p.item().categories(), new FeedItem.Reason(none ? "new" : "popular", null)));
                if (out.size() == n) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * A feed from one space: the user's nearest items in it and the popular items, through the same
     * {@link Recommender} as the hybrid feed, weighing the space's cosine 1 and popularity
     * {@code embedrec.users.popularity-prior} (more while the user warms up).
     */
    private List<FeedItem> personal(Space space, long userPk, float[] unit, long positives, Filters filters, int n,
                                    int take, double diversity, boolean explain, RuleSets.Applied applied,
                                    RuleStage.Context context) {
        int m = FeedBlend.candidates(n, config.users().candidateFactor());
        FeedRepository.Candidates found = feeds.candidates(List.of(space), List.of(unit), filters, m);
        Map<String, Recommended> items = new LinkedHashMap<>();
        found.nearest().get(0).forEach(r -> items.putIfAbsent(r.id(), r));
        found.popular().forEach(p -> items.putIfAbsent(p.item().id(), p.item()));
        // the rules' facts about these candidates ride in the same round trip as their vectors
        FeedRepository.VectorsAnd fetched = feeds.vectors(space, new ArrayList<>(items.keySet()),
                rules.factsPart(context, items.keySet(), applied, filters).map(p -> p));
        RuleStage.prefetched(context, fetched.also());
        Map<String, float[]> vectors = fetched.vectors();
        FeedCandidates.Pool pool = FeedCandidates.assemble(new FeedCandidates.Found(List.of(), List.of(),
                scored(found.nearest().get(0)), popularity(found.popular())), new FeedCandidates.Vectors() {
                    public float[] content(String id) {
                        return vectors.get(id);
                    }

                    public float[] collaborative(String id) {
                        return null;
                    }
                }, unit, null);
        HybridWeights w = new HybridWeights(0, 0, 1, config.users().popularityPrior());
        List<Recommender.Ranked> ranked = Recommender.rank(pool.candidates(), settings(w, positives, n, diversity),
                take, pool.contentVectors());
        List<FeedRepository.HistoryEvent> history = explain
                ? feeds.recentHistory(space, userPk, EXPLAIN_HISTORY) : List.of();
        List<FeedItem> out = new ArrayList<>(ranked.size());
        for (Recommender.Ranked r : ranked) {
            Recommended item = items.get(r.id());
            String type = r.lead() == Recommender.Source.POPULARITY ? "popular" : "similar_to_history";
            List<FeedItem.Because> because = explain && vectors.containsKey(r.id())
                    ? because(history, vectors.get(r.id())) : null;
            out.add(new FeedItem(r.id(), round(r.score()), item.title(), item.categories(),
                    new FeedItem.Reason(type, because)));
        }
        return out;
    }

    static List<FeedCandidates.Scored> scored(List<Recommended> found) {
        return found.stream().map(r -> new FeedCandidates.Scored(r.id(), r.score())).toList();
    }

    /** Popular items with their popularity relative to the first; items without events (no score) as NaN. */
    static List<FeedCandidates.Scored> popularity(List<FeedRepository.Popular> found) {
        Map<String, Double> relative = FeedRepository.Popular.relative(found);
        return found.stream().map(p -> new FeedCandidates.Scored(p.item().id(),
                relative.getOrDefault(p.item().id(), Double.NaN))).toList();
    }

    /** The configured weights, overridden per request by {@code weights=collaborative:0.7,content:0.2,...}. */
    static HybridWeights weights(Optional<String> text, HybridWeights defaults) {
        if (text.isEmpty() || text.get().isBlank()) {
            return defaults;
        }
        try {
            return HybridWeights.parse(text.get(), defaults);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("weights: " + e.getMessage(),
                    List.of(new io.embedrec.common.ProblemException.FieldError("weights", e.getMessage())));
        }
    }

    /**
     * The hybrid feed, through the one {@link Recommender}: candidates from the item-item model (the user's recent
     * liked items' neighbours), the nearest items in both spaces and the popular items; each candidate gets every
     * score its sources know (cosines filled in from the vectors), the sources are calibrated and weighed by
     * {@link HybridWeights} (popularity weighs more while the user warms up), and new items (no collaborative vector:
     * nobody had touched them at training) enter only through their bounded share of the slots, with the reason
     * {@code new_item_similar_to} naming the history items they resemble.
     */
    private List<FeedItem> hybrid(Space content, Space collaborative, long userPk, float[] unit, float[] cunit,
                                  long positives, Filters filters, int n, int take, double diversity,
                                  boolean explain, HybridWeights w, RuleSets.Applied applied,
                                  RuleStage.Context context) {
        int m = FeedBlend.candidates(n, config.users().candidateFactor());
        // asked whatever its weight: the pool (and so every calibrated score) must not depend on the weights, as
        // in the offline evaluation, and an item the model reaches is not new
        Optional<FeedRepository.ItemsQuery> itemsQuery = Optional.of(new FeedRepository.ItemsQuery(collaborative,
                userPk, FeedCandidates.ITEM_HISTORY, historyDecay()));
        FeedRepository.Candidates found = feeds.candidates(List.of(collaborative, content), List.of(cunit, unit),
                itemsQuery, filters, m);
        Map<String, Recommended> items = new LinkedHashMap<>();
        Map<String, FeedRepository.ItemScore> byItems = new HashMap<>();
        for (FeedRepository.ItemScore r : found.items()) {
            items.putIfAbsent(r.item().id(), r.item());
            byItems.put(r.item().id(), r);
        }
        found.nearest().forEach(list -> list.forEach(r -> items.putIfAbsent(r.id(), r)));
        found.popular().forEach(p -> items.putIfAbsent(p.item().id(), p.item()));
        FeedRepository.VectorsAndHistory fetched = feeds.vectorsAndHistory(content, collaborative,
                new ArrayList<>(items.keySet()), userPk, EXPLAIN_HISTORY,
                rules.factsPart(context, items.keySet(), applied, filters).map(p -> p));
        RuleStage.prefetched(context, fetched.also());
        Map<String, FeedRepository.Both> both = fetched.vectors();
        FeedCandidates.Pool pool = FeedCandidates.assemble(new FeedCandidates.Found(
                found.items().stream().map(r -> new FeedCandidates.Scored(r.item().id(), r.score())).toList(),
                scored(found.nearest().get(0)), scored(found.nearest().get(1)), popularity(found.popular())),
                FeedRepository.Both.of(both), unit, cunit);
        List<Recommender.Ranked> ranked = Recommender.rank(pool.candidates(), settings(w, positives, n, diversity),
                take, pool.contentVectors());
        List<FeedRepository.HistoryEvent> history = fetched.history();
        List<FeedItem> out = new ArrayList<>(ranked.size());
        for (Recommender.Ranked r : ranked) {
            Recommended item = items.get(r.id());
            FeedRepository.Both b = both.get(r.id());
            float[] v = b == null ? null : b.content();
            String type = r.fresh() ? "new_item_similar_to"
                    : r.lead() == Recommender.Source.POPULARITY ? "popular" : "similar_to_history";
            List<FeedItem.Because> because = null;
            if (r.lead() == Recommender.Source.ITEMS && explain) {
                because = List.of(becauseOf(byItems.get(r.id()), history, v));
            } else if ((explain || r.fresh()) && v != null) {
                because = because(history, v);
            }
            out.add(new FeedItem(r.id(), round(r.score()), item.title(), item.categories(),
                    new FeedItem.Reason(type, because)));
        }
        return out;
    }

    /** The pipeline's settings for a feed of n for a user with this many positive events. */
    private Recommender.Settings settings(HybridWeights w, long positives, int n, double diversity) {
        EmbedrecConfig.Hybrid h = config.hybrid();
        return FeedCandidates.settings(w, FeedBlend.beta(positives, config.users().warmUpEvents()),
                h.calibration(), h.newItemShare(), h.newItemMinSimilarity(), n, diversity);
    }

    private FeedCandidates.HistoryDecay historyDecay() {
        return new FeedCandidates.HistoryDecay(aggregation.aggregator().settings());
    }

    /** The history item the item-item model credits most for this item ("because you liked X"). */
    private static FeedItem.Because becauseOf(FeedRepository.ItemScore scored, List<FeedRepository.HistoryEvent> history,
                                              float[] item) {
        for (FeedRepository.HistoryEvent h : history) {
            if (h.itemId().equals(scored.becauseId())) {
                return new FeedItem.Because(h.itemId(), h.title(),
                        item == null ? 0 : round(MaximalMarginalRelevance.dot(h.vector(), item)), h.type());
            }
        }
        return new FeedItem.Because(scored.becauseId(), scored.becauseTitle(), 0, null);
    }

    /** The one or two positive history items that contributed most to this item's score. */
    List<FeedItem.Because> because(List<FeedRepository.HistoryEvent> newestFirst, float[] item) {
        if (newestFirst.isEmpty()) {
            return List.of();
        }
        long newest = newestFirst.get(0).tsMillis();
        record Contribution(FeedRepository.HistoryEvent event, double similarity, double value) {
        }
        Map<String, Contribution> best = new LinkedHashMap<>();
        for (int rank = 0; rank < newestFirst.size(); rank++) {
            FeedRepository.HistoryEvent h = newestFirst.get(rank);
            if (h.weight() <= 0) {
                continue;
            }
            double sim = MaximalMarginalRelevance.dot(h.vector(), item);
            double value = h.weight() * aggregation.aggregator().decay(newest - h.tsMillis(), rank) * sim;
            Contribution c = new Contribution(h, sim, value);
            best.merge(h.itemId(), c, (a, b) -> a.value() >= b.value() ? a : b);
        }
        return best.values().stream().filter(c -> c.value() > 0)
                .sorted(Comparator.comparingDouble(Contribution::value).reversed()).limit(2)
                .map(c -> new FeedItem.Because(c.event().itemId(), c.event().title(), round(c.similarity()),
                        c.event().type())).toList();
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }
}
