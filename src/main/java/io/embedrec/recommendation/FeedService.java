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
    /** Liked items of a user's history that the item-item model reads (the most recent ones). */
    static final int ITEM_HISTORY = 200;

    private final SpaceService spaces;
    private final FeedRepository feeds;
    private final UserVectorService aggregation;
    private final RecommendationLog log;
    private final EmbedrecConfig config;

    FeedService(SpaceService spaces, FeedRepository feeds,
                UserVectorService aggregation, RecommendationLog log,
                EmbedrecConfig config) {
        this.spaces = spaces;
        this.feeds = feeds;
        this.aggregation = aggregation;
        this.log = log;
        this.config = config;
    }

    @Transactional
    public FeedResponse feed(String userId, Integer k, Boolean excludeSeen, Boolean explain, Double diversity,
                             Optional<String> spaceName, Optional<String> weightsText,
                             Map<String, List<String>> query) {
        int n = SimilarService.checkK(k, config.recommend().defaultK());
        double div = diversity == null ? 0 : diversity;
        if (!(div >= 0 && div <= 1)) {
            throw new InvalidInputException("diversity must be between 0 and 1 (got " + diversity + ")");
        }
        HybridWeights weights = weights(weightsText, HybridWeights.of(config.hybrid()));
        Filters filters = FilterParser.fromQuery(query);
        SpaceService.Serving serving = spaces.serving(spaceName);
        Space space = serving.content();
        boolean dropSeen = excludeSeen == null || excludeSeen;
        Optional<FeedRepository.Profile> profile = feeds.profile(space, serving.collaborative(), userId,
                dropSeen ? config.users().seenTypes() : List.of());
        Optional<Long> user = profile.map(FeedRepository.Profile::userPk);
        if (profile.isPresent() && dropSeen) {
            filters = filters.withExclude(profile.get().seen());
        }
        float[] unit = profile.map(FeedRepository.Profile::unit).orElse(null);
        long positives = profile.map(FeedRepository.Profile::positives).orElse(0L);
        long negatives = profile.map(FeedRepository.Profile::negatives).orElse(0L);

        List<FeedItem> items;
        String strategy;
        if (unit == null || positives == 0) {
            if (negatives > 0) {
                strategy = "popular_minus_disliked";
                items = popularAwayFromDislikes(space, user.get(), filters, n);
            } else {
                strategy = "popular";
                items = popular(filters, n);
            }
        } else if (serving.collaborative().isPresent() && profile.get().collaborativeUnit() != null) {
            strategy = "hybrid";
            items = hybrid(space, serving.collaborative().get(), user.get(), unit,
                    profile.get().collaborativeUnit(), positives, filters, n, div, Boolean.TRUE.equals(explain),
                    weights);
        } else {
            strategy = "personal";
            items = personal(space, user.get(), unit, positives, filters, n, div, Boolean.TRUE.equals(explain));
        }
        List<Recommended> logged = items.stream().map(i -> new Recommended(i.id(), i.score(), i.title(),
                i.categories())).toList();
        var id = log.record("feed:" + strategy, space.id(), userId, logged);
        // a hybrid feed names both spaces, e.g. "content+collaborative-20261124-011338": after a retraining the
        // answer shows which training served it
        String served = strategy.equals("hybrid") ? space.name() + "+" + serving.collaborative().get().name()
                : space.name();
        return new FeedResponse(items, strategy, served, id);
    }

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

    private List<FeedItem> personal(Space space, long userPk, float[] unit, long positives, Filters filters, int n,
                                    double diversity, boolean explain) {
        int m = FeedBlend.candidates(n, config.users().candidateFactor());
        double beta = FeedBlend.beta(positives, config.users().warmUpEvents());
        double prior = config.users().popularityPrior();
        Map<String, Recommended> candidates = new LinkedHashMap<>();
        Map<String, Double> cos = new HashMap<>();
        FeedRepository.Candidates found = feeds.candidates(List.of(space), List.of(unit), filters, m);
        for (Recommended r : found.nearest().get(0)) {
            candidates.put(r.id(), r);
            cos.put(r.id(), r.score());
        }
        Map<String, Double> popNorm = FeedRepository.Popular.relative(found.popular());
        if (beta < 1) {
            found.popular().forEach(p -> candidates.putIfAbsent(p.item().id(), p.item()));
        }
        boolean needVectors = beta < 1 || diversity > 0 || explain;
        Map<String, float[]> vectors = needVectors ? feeds.vectors(space, new ArrayList<>(candidates.keySet()))
                : Map.of();
        for (String id : candidates.keySet()) {
            if (!cos.containsKey(id)) {
                float[] v = vectors.get(id);
                cos.put(id, v == null ? 0.0 : MaximalMarginalRelevance.dot(unit, v));
            }
        }
        List<String> ids = new ArrayList<>(candidates.keySet());
        Map<String, Double> score = new HashMap<>();
        for (String id : ids) {
            double p = popNorm.getOrDefault(id, 0.0);
            score.put(id, FeedBlend.score(beta, cos.get(id), p, prior));
        }
        ids.sort(Comparator.comparingDouble((String id) -> score.get(id)).reversed().thenComparing(id -> id));
        List<String> picked = pick(ids, score, vectors, n, diversity);
        List<FeedRepository.HistoryEvent> history = explain
                ? feeds.recentHistory(space, userPk, EXPLAIN_HISTORY) : List.of();
        List<FeedItem> out = new ArrayList<>(picked.size());
        for (String id : picked) {
            Recommended r = candidates.get(id);
            double c = cos.get(id);
            double p = popNorm.getOrDefault(id, 0.0);
            String type = beta * c >= (1 - beta) * p ? "similar_to_history" : "popular";
            List<FeedItem.Because> because = explain && vectors.containsKey(id)
                    ? because(history, vectors.get(id)) : null;
            out.add(new FeedItem(id, round(score.get(id)), r.title(), r.categories(),
                    new FeedItem.Reason(type, because)));
        }
        return out;
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
                                  long positives, Filters filters, int n, double diversity, boolean explain,
                                  HybridWeights w) {
        int m = FeedBlend.candidates(n, config.users().candidateFactor());
        double beta = FeedBlend.beta(positives, config.users().warmUpEvents());
        Optional<FeedRepository.ItemsQuery> itemsQuery = w.items() > 0
                ? Optional.of(new FeedRepository.ItemsQuery(collaborative, userPk, ITEM_HISTORY, historyDecay()))
                : Optional.empty();
        FeedRepository.Candidates found = feeds.candidates(List.of(collaborative, content), List.of(cunit, unit),
                itemsQuery, filters, m);
        Map<String, Recommended> items = new LinkedHashMap<>();
        Map<String, Recommender.Candidate> candidates = new LinkedHashMap<>();
        Map<String, FeedRepository.ItemScore> byItems = new HashMap<>();
        for (FeedRepository.ItemScore r : found.items()) {
            items.putIfAbsent(r.item().id(), r.item());
            byItems.put(r.item().id(), r);
            candidate(candidates, r.item().id()).with(Recommender.Source.ITEMS, r.score());
        }
        for (Recommended r : found.nearest().get(0)) {
            items.putIfAbsent(r.id(), r);
            candidate(candidates, r.id()).with(Recommender.Source.COLLABORATIVE, r.score());
        }
        for (Recommended r : found.nearest().get(1)) {
            items.putIfAbsent(r.id(), r);
            candidate(candidates, r.id()).with(Recommender.Source.CONTENT, r.score());
        }
        Map<String, Double> popNorm = FeedRepository.Popular.relative(found.popular());
        for (FeedRepository.Popular p : found.popular()) {
            items.putIfAbsent(p.item().id(), p.item());
            candidate(candidates, p.item().id());
        }
        List<String> ids = new ArrayList<>(candidates.keySet());
        FeedRepository.VectorsAndHistory fetched = feeds.vectorsAndHistory(content, collaborative, ids, userPk,
                EXPLAIN_HISTORY);
        List<Recommender.Candidate> pool = new ArrayList<>(ids.size());
        float[][] vectors = new float[ids.size()][];
        for (int c = 0; c < ids.size(); c++) {
            String id = ids.get(c);
            FeedRepository.Both b = fetched.vectors().get(id);
            float[] cv = b == null ? null : b.collaborative();
            vectors[c] = b == null ? null : b.content();
            Recommender.Candidate cand = candidates.get(id);
            if (Double.isNaN(cand.raw(Recommender.Source.COLLABORATIVE)) && cv != null) {
                cand.with(Recommender.Source.COLLABORATIVE, MaximalMarginalRelevance.dot(cunit, cv));
            }
            if (Double.isNaN(cand.raw(Recommender.Source.CONTENT)) && vectors[c] != null) {
                cand.with(Recommender.Source.CONTENT, MaximalMarginalRelevance.dot(unit, vectors[c]));
            }
            Double p = popNorm.get(id);
            if (p != null) {
                cand.with(Recommender.Source.POPULARITY, p);
            }
            pool.add(new Recommender.Candidate(id, cand.raw(), cv == null && !byItems.containsKey(id)));
        }
        List<Recommender.Ranked> ranked = Recommender.rank(pool, settings(w, beta, n, diversity), n, vectors);
        Map<String, float[]> contentVectors = new HashMap<>();
        for (int c = 0; c < ids.size(); c++) {
            if (vectors[c] != null) {
                contentVectors.put(ids.get(c), vectors[c]);
            }
        }
        List<FeedRepository.HistoryEvent> history = fetched.history();
        List<FeedItem> out = new ArrayList<>(ranked.size());
        for (Recommender.Ranked r : ranked) {
            Recommended item = items.get(r.id());
            float[] v = contentVectors.get(r.id());
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

    private static Recommender.Candidate candidate(Map<String, Recommender.Candidate> candidates, String id) {
        return candidates.computeIfAbsent(id, x -> Recommender.Candidate.of(x, false));
    }

    /**
     * The pipeline's settings for a feed: the weights, with popularity standing in for the similarity sources while
     * the user warms up (share {@code 1 - beta}); the configured calibration; the new items' share of n.
     */
    private Recommender.Settings settings(HybridWeights w, double beta, int n, double diversity) {
        double[] weights = w.bySource();
        double similarity = 0;
        for (Recommender.Source s : List.of(Recommender.Source.ITEMS, Recommender.Source.COLLABORATIVE,
                Recommender.Source.CONTENT)) {
            similarity += weights[s.ordinal()];
            weights[s.ordinal()] *= beta;
        }
        weights[Recommender.Source.POPULARITY.ordinal()] += (1 - beta) * similarity;
        EmbedrecConfig.Hybrid h = config.hybrid();
        return new Recommender.Settings(weights, h.calibration(), (int) Math.floor(h.newItemShare() * n),
                h.newItemMinSimilarity(), diversity);
    }

    private FeedRepository.Decay historyDecay() {
        var s = aggregation.aggregator().settings();
        return new FeedRepository.Decay(s.decay(), s.halfLifeEvents(), s.halfLifeSeconds());
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

    /** The top n, or with diversity > 0 the maximal-marginal-relevance selection over content vectors. */
    private static List<String> pick(List<String> ranked, Map<String, Double> score, Map<String, float[]> vectors,
                                     int n, double diversity) {
        if (diversity <= 0) {
            return ranked.subList(0, Math.min(n, ranked.size()));
        }
        List<String> pool = ranked.stream().filter(vectors::containsKey).toList();
        double[] rel = pool.stream().mapToDouble(score::get).toArray();
        float[][] vs = pool.stream().map(vectors::get).toArray(float[][]::new);
        List<String> picked = new ArrayList<>();
        for (int i : MaximalMarginalRelevance.select(rel, vs, n, diversity)) {
            picked.add(pool.get(i));
        }
        return picked;
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
