package io.embedrec.evaluation;

import io.embedrec.collaborative.ImplicitAls;
import io.embedrec.collaborative.InteractionMatrix;
import io.embedrec.collaborative.ItemNeighbours;
import io.embedrec.interaction.Popularity;
import io.embedrec.interaction.UserVectorAggregator;
import io.embedrec.recommendation.FeedBlend;
import io.embedrec.recommendation.FeedCandidates;
import io.embedrec.recommendation.Recommender;
import io.embedrec.recommendation.HybridWeights;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Offline evaluation by a per-user time split, in memory. For each user with at least two positive events, the last
 * {@code testFraction} of them (at least one, at most all but one) are the test; everything the user did before the
 * first test event is the train history. The relevant items are the test events' items the user had not met in
 * training (recommenders leave those out, so they could never be hit). Each recommender ranks the whole catalog for
 * the user, minus the train items:
 * <ul>
 *   <li>engine: the feed's scoring (cosine to the user vector folded from the train events by the live aggregator,
 *       blended with train popularity as {@link FeedBlend} does; popular items for users without a vector), exact
 *       over all items where the live feed asks the HNSW index for candidates</li>
 *   <li>most_popular: train-event popularity, time-decayed as the live popularity is</li>
 *   <li>random: uniform, from a fixed seed</li>
 * </ul>
 * Ties rank the lower item index (items are indexed in id order) first. Pure: arrays in, numbers out.
 */
public final class Evaluator {

    public static final String ENGINE = "engine";
    public static final String MOST_POPULAR = "most_popular";
    public static final String RANDOM = "random";
    public static final String CONTENT = "content";
    public static final String COLLABORATIVE = "collaborative";
    public static final String ITEM_KNN = "item_knn";

    /**
     * What the behaviour-based recommenders need. With it, the engine is the hybrid feed (item-item model,
     * collaborative, content and popularity through the live feed's {@link Recommender}) and content, collaborative
     * and item-kNN are evaluated on their own beside it; without it, the engine is the content feed.
     *
     * @param als           training of the collaborative item vectors (on the train events only)
     * @param weights       the hybrid's weights
     * @param itemModel     training of the item-item model, as the training job does
     * @param pipeline      the feed pipeline's settings
     * @param knnNeighbours neighbours kept per item by the item-kNN reference row
     */
    public record Behaviour(ImplicitAls.Settings als, HybridWeights weights, ItemModel itemModel, Pipeline pipeline,
                            int knnNeighbours) {
    }

    /** The item-item model's settings ({@code embedrec.collaborative.*}). */
    public record ItemModel(ItemNeighbours.Kind kind, double easeRegularization, int easeMaxItems, int neighbours) {
    }

    /** The feed pipeline's settings ({@code embedrec.hybrid.*}). */
    public record Pipeline(Recommender.Calibration calibration, double newItemShare, double newItemMinSimilarity) {
    }

    /**
     * @param popularTop  how many of the most popular items the feed blends in (its candidate count); others count
     *                    as popularity 0, as in the feed
     */
    public record Settings(int k, double testFraction, long seed, double popularityPrior, int warmUpEvents,
                           int popularTop, double popularityHalfLifeSeconds) {
        public Settings {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("test fraction must be between 0 and 1, got " + testFraction);
            }
        }
    }

    /**
     * The catalog: {@code size} items, vectors row-major ({@code size x dimensions}, unit length; a row of zeros for
     * an item without a vector in the space).
     */
    public record Catalog(int size, int dimensions, float[] vectors, String[] ids) {

        /** A catalog whose ids are the indexes, zero-padded (so they sort as the indexes do). */
        public Catalog(int size, int dimensions, float[] vectors) {
            this(size, dimensions, vectors, java.util.stream.IntStream.range(0, size)
                    .mapToObj(i -> String.format("%09d", i)).toArray(String[]::new));
        }

        public Catalog {
            if (ids.length != size) {
                throw new IllegalArgumentException("expected " + size + " ids, got " + ids.length);
            }
            if (vectors.length != (long) size * dimensions) {
                throw new IllegalArgumentException("expected " + size + " x " + dimensions + " floats, got "
                        + vectors.length);
            }
        }
    }

    /**
     * All events, grouped by user and in (timestamp, arrival) order within a user: event {@code e} is by user
     * {@code user[e]} on item {@code item[e]} (a catalog index).
     */
    public record Events(int size, int[] user, int[] item, double[] weight, long[] tsMillis) {
    }

    /** The train/test cut of one user's events {@code [from, to)}: train is {@code [from, trainEnd)}. */
    public record Split(int trainEnd, BitSet train, BitSet relevant) {
    }

    /** What happened to the users. */
    public record Users(int evaluated, int fewPositives, int nothingNew, int withoutVector) {
    }

    public record Result(Users users, int catalogSize, long trainEvents, long testItems,
                         List<Named> recommenders) {
    }

    public record Named(String name, RankingMetrics.Summary summary) {
    }

    /** Told the number of users evaluated so far; answers false to stop (the job was cancelled). */
    @FunctionalInterface
    public interface Progress {
        boolean update(int usersTotal, int usersDone);
    }

    private final Settings settings;
    private final UserVectorAggregator aggregator;
    private final Behaviour behaviour;
    /** Which catalog items have a content vector (computed once per catalog). */
    private boolean[] contentRows;

    public Evaluator(Settings settings, UserVectorAggregator aggregator) {
        this(settings, aggregator, null);
    }

    /** @param behaviour null: content-only evaluation */
    public Evaluator(Settings settings, UserVectorAggregator aggregator, Behaviour behaviour) {
        this.settings = settings;
        this.aggregator = aggregator;
        this.behaviour = behaviour;
    }

    /**
     * Splits one user's events {@code [from, to)}; empty when the user has fewer than two positive events or no
     * test item the user had not met in training.
     */
    public static Optional<Split> split(Events events, int from, int to, double testFraction) {
        int positives = countPositives(events, from, to);
        if (positives < 2) {
            return Optional.empty();
        }
        int test = (int) Math.max(1, Math.min(positives - 1, Math.round(positives * testFraction)));
        int trainEnd = to;
        for (int seen = 0; trainEnd > from && seen < test; ) {
            trainEnd--;
            if (events.weight()[trainEnd] > 0) {
                seen++;
            }
        }
        BitSet train = new BitSet();
        for (int e = from; e < trainEnd; e++) {
            train.set(events.item()[e]);
        }
        BitSet relevant = new BitSet();
        for (int e = trainEnd; e < to; e++) {
            if (events.weight()[e] > 0 && !train.get(events.item()[e])) {
                relevant.set(events.item()[e]);
            }
        }
        return relevant.isEmpty() ? Optional.empty() : Optional.of(new Split(trainEnd, train, relevant));
    }

    public Result run(Catalog catalog, Events events, Progress progress) {
        // pass 1: split every user, so popularity and the behaviour models see only train events
        List<int[]> ranges = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        int fewPositives = 0;
        int nothingNew = 0;
        for (int from = 0; from < events.size(); ) {
            int to = userEnd(events, from);
            Optional<Split> s = split(events, from, to, settings.testFraction());
            if (s.isPresent()) {
                ranges.add(new int[]{from, to});
                splits.add(s.get());
            } else if (countPositives(events, from, to) < 2) {
                fewPositives++;
            } else {
                nothingNew++;
            }
            from = to;
        }
        Scored scored = score(catalog, events, ranges, splits, behaviour == null ? null
                : trainBehaviour(catalog.size(), events, ranges, splits),
                behaviour == null ? List.of() : List.of(behaviour.weights()), progress);
        return new Result(new Users(splits.size(), fewPositives, nothingNew, scored.withoutVector), catalog.size(),
                scored.trainEvents, scored.testItems, scored.rows);
    }

    /**
     * The engine's top k for every user (in user order) on their whole history, nothing held out, with the behaviour
     * models trained on every user's whole history: what the live feed answers after a training on the same events
     * (the live = offline check). Users without events get an empty list.
     */
    public List<int[]> rankAll(Catalog catalog, Events events) {
        List<int[]> ranges = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        for (int from = 0; from < events.size(); ) {
            int to = userEnd(events, from);
            BitSet train = new BitSet();
            for (int e = from; e < to; e++) {
                train.set(events.item()[e]);
            }
            // nothing is held out; the metrics computed on the way see one relevant index past the catalog, which
            // no list can hold, and are discarded
            BitSet none = new BitSet();
            none.set(catalog.size());
            ranges.add(new int[]{from, to});
            splits.add(new Split(to, train, none));
            from = to;
        }
        List<int[]> rankings = new ArrayList<>();
        score(catalog, events, ranges, splits, behaviour == null ? null
                : trainBehaviour(catalog.size(), events, ranges, splits),
                behaviour == null ? List.of() : List.of(behaviour.weights()), (t, d) -> true, rankings);
        return rankings;
    }

    /** One weighing of the hybrid tried on the validation split. */
    public record Trial(HybridWeights weights, RankingMetrics.Summary summary) {
    }

    /** The best weights on the validation split (by Recall@k, then NDCG@k) and every trial. */
    public record Tuned(HybridWeights best, int users, List<Trial> trials) {
    }

    /**
     * Chooses the hybrid's weights the way the offline evaluation would judge them, without ever looking at the
     * test part: each evaluated user's train part is split again by time (its last {@code testFraction} of positive
     * events are the validation), the behaviour models are trained on what precedes the validation, and every
     * weighing in {@code grid} is scored on it.
     */
    public Tuned tune(Catalog catalog, Events events, List<HybridWeights> grid, Progress progress) {
        if (behaviour == null || grid.isEmpty()) {
            throw new IllegalArgumentException("tuning needs the behaviour settings and at least one weighing");
        }
        List<int[]> ranges = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        for (int from = 0; from < events.size(); ) {
            int to = userEnd(events, from);
            Optional<Split> outer = split(events, from, to, settings.testFraction());
            if (outer.isPresent()) {
                Optional<Split> inner = split(events, from, outer.get().trainEnd(), settings.testFraction());
                if (inner.isPresent()) {
                    ranges.add(new int[]{from, outer.get().trainEnd()});
                    splits.add(inner.get());
                }
            }
            from = to;
        }
        Trained trained = trainBehaviour(catalog.size(), events, ranges, splits);
        List<Trial> trials = new ArrayList<>();
        Trial best = null;
        // every weighing ranks the same candidate pools: they are gathered once per user
        Scored scored = score(catalog, events, ranges, splits, trained, grid, progress);
        for (int g = 0; g < grid.size(); g++) {
            Trial trial = new Trial(grid.get(g), scored.rows().get(g).summary());
            trials.add(trial);
            if (best == null || trial.summary().recall() > best.summary().recall()
                    || trial.summary().recall() == best.summary().recall()
                    && trial.summary().ndcg() > best.summary().ndcg()) {
                best = trial;
            }
        }
        return new Tuned(best.weights(), splits.size(), trials);
    }

    private static int userEnd(Events events, int from) {
        int to = from;
        while (to < events.size() && events.user()[to] == events.user()[from]) {
            to++;
        }
        return to;
    }

    /** Collaborative item vectors, positive train events per item and item-kNN neighbours, from train events. */
    record Trained(int factors, float[] itemVectors, boolean[] hasVector, int[] positives, int[][] knnItems,
                   float[][] knnSims, ItemNeighbours model) {
    }

    private record Scored(List<Named> rows, long trainEvents, long testItems, int withoutVector) {
    }

    Trained trainBehaviour(int items, Events events, List<int[]> ranges, List<Split> splits) {
        int n = 0;
        for (int u = 0; u < splits.size(); u++) {
            n += splits.get(u).trainEnd() - ranges.get(u)[0];
        }
        int[] user = new int[n];
        int[] item = new int[n];
        double[] weight = new double[n];
        int[] positives = new int[items];
        for (int u = 0, at = 0; u < splits.size(); u++) {
            for (int e = ranges.get(u)[0]; e < splits.get(u).trainEnd(); e++, at++) {
                user[at] = u;
                item[at] = events.item()[e];
                weight[at] = events.weight()[e];
                if (weight[at] > 0) {
                    positives[item[at]]++;
                }
            }
        }
        InteractionMatrix matrix = InteractionMatrix.of(splits.size(), items, user, item, weight);
        ImplicitAls.Factors factors = ImplicitAls.train(matrix, behaviour.als(), (done, total) -> true);
        int f = factors.factors();
        float[] vectors = new float[items * f];
        boolean[] has = new boolean[items];
        for (int i = 0; i < items; i++) {
            if (factors.hasItemVector(i)) {
                factors.normalisedItem(i, vectors, i * f);
                has[i] = true;
            }
        }
        ItemNeighbours knn = ItemNeighbours.knn(matrix, behaviour.knnNeighbours());
        ItemModel im = behaviour.itemModel();
        ItemNeighbours model = ItemNeighbours.train(matrix, im.kind(), im.easeRegularization(), im.easeMaxItems(),
                im.neighbours());
        return new Trained(f, vectors, has, positives, knn.items(), knn.weights(), model);
    }

    /** Scores every row; the engine once per weighing (the first rows, in order), all on the same pools. */
    private Scored score(Catalog catalog, Events events, List<int[]> ranges, List<Split> splits, Trained trained,
                         List<HybridWeights> weighings, Progress progress) {
        return score(catalog, events, ranges, splits, trained, weighings, progress, null);
    }

    /** @param rankings when not null, gets each user's engine ranking (first weighing), in user order */
    private Scored score(Catalog catalog, Events events, List<int[]> ranges, List<Split> splits, Trained trained,
                         List<HybridWeights> weighings, Progress progress, List<int[]> rankings) {
        int k = settings.k();
        int size = catalog.size();
        double[] popularity = trainPopularity(size, events, ranges, splits);
        int[] byPopularity = rankAll(popularity);
        BitSet cold = new BitSet(size);
        if (trained != null) {
            for (int i = 0; i < size; i++) {
                cold.set(i, trained.positives()[i] == 0);
            }
        }
        RankingMetrics.Accumulator[] engines = new RankingMetrics.Accumulator[Math.max(1, weighings.size())];
        for (int e = 0; e < engines.length; e++) {
            engines[e] = new RankingMetrics.Accumulator(k);
        }
        RankingMetrics.Accumulator content = new RankingMetrics.Accumulator(k);
        RankingMetrics.Accumulator collaborative = new RankingMetrics.Accumulator(k);
        RankingMetrics.Accumulator knn = new RankingMetrics.Accumulator(k);
        RankingMetrics.Accumulator popular = new RankingMetrics.Accumulator(k);
        RankingMetrics.Accumulator random = new RankingMetrics.Accumulator(k);
        SplittableRandom rng = new SplittableRandom(settings.seed());
        double[] contentCos = new double[size];
        double[] collabCos = new double[size];
        double[] scores = new double[size];
        long trainEvents = 0;
        long testItems = 0;
        int withoutVector = 0;
        for (int u = 0; u < splits.size(); u++) {
            Split s = splits.get(u);
            int from = ranges.get(u)[0];
            trainEvents += s.trainEnd() - from;
            testItems += s.relevant().cardinality();
            int[] mostPopular = firstNotIn(byPopularity, s.train(), k);
            popular.add(mostPopular, s.relevant(), cold);
            random.add(randomPick(rng, size, s.train(), k), s.relevant(), cold);

            UserVectorAggregator.State state = fold(catalog.vectors(), catalog.dimensions(), events, from,
                    s.trainEnd());
            float[] unit = UserVectorAggregator.normalised(state.sum);
            boolean hasContent = unit != null && state.positives > 0;
            if (hasContent) {
                cosines(catalog.vectors(), catalog.dimensions(), size, unit, contentCos);
            }
            int m = settings.popularTop();
            List<FeedCandidates.Scored> popularFound = popularFor(popularity, byPopularity, s.train(), m, catalog);
            if (trained == null) {
                if (!hasContent) {
                    withoutVector++;
                    addAll(engines, mostPopular, s.relevant(), cold, rankings); // the feed's answer without a vector
                } else {
                    addAll(engines, single(catalog, contentCos, s.train(), popularFound, unit, state.positives),
                            s.relevant(), cold, rankings);
                }
            } else {
                UserVectorAggregator.State cs = fold(trained.itemVectors(), trained.factors(), events, from,
                        s.trainEnd());
                float[] cunit = UserVectorAggregator.normalised(cs.sum);
                boolean hasCollab = cunit != null && cs.positives > 0;
                if (hasCollab) {
                    cosines(trained.itemVectors(), trained.factors(), size, cunit, collabCos);
                } else {
                    java.util.Arrays.fill(collabCos, 0);
                }
                content.add(hasContent ? topK(contentCos, s.train(), k) : mostPopular, s.relevant(), cold);
                if (hasCollab) {
                    for (int i = 0; i < size; i++) {
                        scores[i] = trained.hasVector()[i] ? collabCos[i] : -2;
                    }
                    collaborative.add(topK(scores, s.train(), k), s.relevant(), cold);
                } else {
                    collaborative.add(mostPopular, s.relevant(), cold);
                }
                knn.add(knnScores(trained, events, from, s.trainEnd(), scores)
                        ? topK(scores, s.train(), k) : mostPopular, s.relevant(), cold);
                // the live feed's three paths: popular without a content vector, hybrid with a collaborative one,
                // else the content space alone
                if (!hasContent) {
                    withoutVector++;
                    addAll(engines, mostPopular, s.relevant(), cold, rankings);
                } else if (hasCollab) {
                    Ranker ranker = hybrid(catalog, trained, events, from, s.trainEnd(), contentCos, collabCos,
                            s.train(), popularFound, unit, cunit);
                    double beta = FeedBlend.beta(state.positives, settings.warmUpEvents());
                    Pipeline p = behaviour.pipeline();
                    for (int e = 0; e < engines.length; e++) {
                        int[] ranked = ranker.rank(FeedCandidates.settings(weighings.get(e), beta, p.calibration(),
                                p.newItemShare(), p.newItemMinSimilarity(), k, 0), k);
                        engines[e].add(ranked, s.relevant(), cold);
                        if (e == 0 && rankings != null) {
                            rankings.add(ranked);
                        }
                    }
                } else {
                    addAll(engines, single(catalog, contentCos, s.train(), popularFound, unit, state.positives),
                            s.relevant(), cold, rankings);
                }
            }
            if ((u + 1) % 100 == 0 && !progress.update(splits.size(), u + 1)) {
                throw new java.util.concurrent.CancellationException("cancelled");
            }
        }
        progress.update(splits.size(), splits.size());
        List<Named> rows = new ArrayList<>();
        for (RankingMetrics.Accumulator engine : engines) {
            rows.add(new Named(ENGINE, engine.summary(size)));
        }
        if (trained != null) {
            rows.add(new Named(CONTENT, content.summary(size)));
            rows.add(new Named(COLLABORATIVE, collaborative.summary(size)));
            rows.add(new Named(ITEM_KNN, knn.summary(size)));
        }
        rows.add(new Named(MOST_POPULAR, popular.summary(size)));
        rows.add(new Named(RANDOM, random.summary(size)));
        return new Scored(rows, trainEvents, testItems, withoutVector);
    }

    /** The live feed's popular list for a user: the m most popular not excluded, relative to the first. */
    private static List<FeedCandidates.Scored> popularFor(double[] popularity, int[] byPopularity, BitSet exclude,
                                                          int m, Catalog catalog) {
        int[] top = firstNotIn(byPopularity, exclude, m);
        double first = top.length == 0 ? 0 : popularity[top[0]];
        List<FeedCandidates.Scored> out = new ArrayList<>(top.length);
        for (int i : top) {
            // items nobody liked stand in without a score, as the newest items do in the feed
            out.add(new FeedCandidates.Scored(catalog.ids()[i], popularity[i] > 0 ? popularity[i] / first
                    : Double.NaN));
        }
        return out;
    }

    /** The m best by score among the items that have one (NaN: none) and are not excluded, as a source lists them. */
    private static List<FeedCandidates.Scored> nearest(double[] scores, BitSet exclude, int m, Catalog catalog) {
        double[] masked = new double[scores.length];
        BitSet skip = (BitSet) exclude.clone();
        for (int i = 0; i < scores.length; i++) {
            masked[i] = scores[i];
            if (Double.isNaN(scores[i])) {
                skip.set(i);
            }
        }
        List<FeedCandidates.Scored> out = new ArrayList<>();
        for (int i : topK(masked, skip, m)) {
            out.add(new FeedCandidates.Scored(catalog.ids()[i], scores[i]));
        }
        return out;
    }

    /** The single-space feed: the content space's nearest items and the popular ones, through the live pipeline. */
    private int[] single(Catalog catalog, double[] contentCos, BitSet exclude, List<FeedCandidates.Scored> popular,
                         float[] unit, long positives) {
        int m = settings.popularTop();
        double[] withVector = new double[contentCos.length];
        for (int i = 0; i < withVector.length; i++) {
            withVector[i] = hasRow(catalog, i) ? contentCos[i] : Double.NaN;
        }
        FeedCandidates.Found found = new FeedCandidates.Found(List.of(), List.of(),
                nearest(withVector, exclude, m, catalog), popular);
        HybridWeights w = new HybridWeights(0, 0, 1, settings.popularityPrior());
        Pipeline p = behaviour == null ? new Pipeline(Recommender.Calibration.ZSCORE, 0, 1) : behaviour.pipeline();
        return ranker(catalog, found, null, unit, null).rank(FeedCandidates.settings(w,
                FeedBlend.beta(positives, settings.warmUpEvents()), p.calibration(), 0, 1, settings.k(), 0),
                settings.k());
    }

    /** The hybrid feed's candidates: the same sources as the live feed, computed exactly. */
    private Ranker hybrid(Catalog catalog, Trained trained, Events events, int from, int to, double[] contentCos,
                          double[] collabCos, BitSet exclude, List<FeedCandidates.Scored> popular, float[] unit,
                          float[] cunit) {
        int m = settings.popularTop();
        int size = catalog.size();
        double[] content = new double[size];
        double[] collab = new double[size];
        for (int i = 0; i < size; i++) {
            content[i] = hasRow(catalog, i) ? contentCos[i] : Double.NaN;
            collab[i] = trained.hasVector()[i] ? collabCos[i] : Double.NaN;
        }
        FeedCandidates.Found found = new FeedCandidates.Found(
                nearest(itemScores(trained.model(), events, from, to), exclude, m, catalog),
                nearest(collab, exclude, m, catalog), nearest(content, exclude, m, catalog), popular);
        return ranker(catalog, found, trained, unit, cunit);
    }

    /** A user's candidate pool, ready to be ranked by any weighing; ids map back to catalog indexes. */
    private record Ranker(FeedCandidates.Pool pool, java.util.Map<String, Integer> index) {
        int[] rank(Recommender.Settings rs, int k) {
            return Recommender.rank(pool.candidates(), rs, k, null).stream().mapToInt(r -> index.get(r.id()))
                    .toArray();
        }
    }

    private Ranker ranker(Catalog catalog, FeedCandidates.Found found, Trained trained, float[] unit, float[] cunit) {
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (List<FeedCandidates.Scored> list : List.of(found.items(), found.collaborative(), found.content(),
                found.popular())) {
            for (FeedCandidates.Scored sc : list) {
                index.computeIfAbsent(sc.id(), id -> java.util.Arrays.binarySearch(catalog.ids(), id));
            }
        }
        int d = catalog.dimensions();
        FeedCandidates.Pool pool = FeedCandidates.assemble(found, new FeedCandidates.Vectors() {
            public float[] content(String id) {
                int i = index.get(id);
                return hasRow(catalog, i) ? java.util.Arrays.copyOfRange(catalog.vectors(), i * d, i * d + d) : null;
            }

            public float[] collaborative(String id) {
                int i = index.get(id);
                int f = trained == null ? 0 : trained.factors();
                return trained != null && trained.hasVector()[i]
                        ? java.util.Arrays.copyOfRange(trained.itemVectors(), i * f, i * f + f) : null;
            }
        }, unit, cunit);
        return new Ranker(pool, index);
    }

    private static void addAll(RankingMetrics.Accumulator[] engines, int[] ranked, BitSet relevant, BitSet cold,
                               List<int[]> rankings) {
        for (RankingMetrics.Accumulator engine : engines) {
            engine.add(ranked, relevant, cold);
        }
        if (rankings != null) {
            rankings.add(ranked);
        }
    }

    /**
     * The item-item model's score of every item for the history {@code [from, to)}: its liked items (net weight
     * &gt; 0), newest first and at most {@link FeedCandidates#ITEM_HISTORY}, weighted as the feed's SQL does; NaN
     * where no liked item reaches the item.
     */
    private double[] itemScores(ItemNeighbours model, Events events, int from, int to) {
        java.util.Map<Integer, double[]> net = new java.util.LinkedHashMap<>(); // item -> {weight, newest ts}
        for (int e = from; e < to; e++) {
            double[] a = net.computeIfAbsent(events.item()[e], x -> new double[]{0, Double.NEGATIVE_INFINITY});
            a[0] += events.weight()[e];
            a[1] = Math.max(a[1], events.tsMillis()[e]);
        }
        List<int[]> liked = new ArrayList<>();
        net.forEach((item, a) -> {
            if (a[0] > 0) {
                liked.add(new int[]{item});
            }
        });
        liked.sort((x, y) -> {
            int byTs = Double.compare(net.get(y[0])[1], net.get(x[0])[1]);
            return byTs != 0 ? byTs : Integer.compare(y[0], x[0]);
        });
        double[] out = new double[model.items().length];
        java.util.Arrays.fill(out, Double.NaN);
        FeedCandidates.HistoryDecay decay = new FeedCandidates.HistoryDecay(aggregator.settings());
        double newest = liked.isEmpty() ? 0 : net.get(liked.get(0)[0])[1];
        for (int r = 0; r < Math.min(liked.size(), FeedCandidates.ITEM_HISTORY); r++) {
            int i = liked.get(r)[0];
            double x = decay.weight(r, (long) (newest - net.get(i)[1]));
            int[] ns = model.items()[i];
            float[] ws = model.weights()[i];
            for (int j = 0; j < ns.length; j++) {
                out[ns[j]] = (Double.isNaN(out[ns[j]]) ? 0 : out[ns[j]]) + ws[j] * x;
            }
        }
        return out;
    }

    private boolean hasRow(Catalog catalog, int i) {
        if (contentRows == null || contentRows.length != catalog.size()) {
            boolean[] rows = new boolean[catalog.size()];
            float[] row = new float[catalog.dimensions()];
            for (int x = 0; x < rows.length; x++) {
                rows[x] = rowOf(catalog.vectors(), catalog.dimensions(), x, row);
            }
            contentRows = rows;
        }
        return contentRows[i];
    }

    /** A user's state folded by the live aggregator from events {@code [from, to)} over these item vectors. */
    private UserVectorAggregator.State fold(float[] vectors, int d, Events events, int from, int to) {
        UserVectorAggregator.State state = new UserVectorAggregator.State(d);
        float[] row = new float[d];
        for (int e = from; e < to; e++) {
            if (rowOf(vectors, d, events.item()[e], row)) {
                aggregator.fold(state, events.weight()[e], events.tsMillis()[e], row);
            }
        }
        return state;
    }

    /** item-kNN: each item scores the sum of its similarities to the user's positively met train items. */
    private static boolean knnScores(Trained t, Events events, int from, int to, double[] out) {
        java.util.Arrays.fill(out, 0);
        boolean any = false;
        BitSet done = new BitSet();
        for (int e = from; e < to; e++) {
            int j = events.item()[e];
            if (events.weight()[e] <= 0 || done.get(j)) {
                continue;
            }
            done.set(j);
            int[] nb = t.knnItems()[j];
            float[] sim = t.knnSims()[j];
            for (int x = 0; x < nb.length; x++) {
                out[nb[x]] += sim[x];
                any = true;
            }
        }
        return any;
    }

    private static void cosines(float[] m, int d, int size, float[] unit, double[] out) {
        for (int i = 0, base = 0; i < size; i++, base += d) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += unit[j] * m[base + j];
            }
            out[i] = dot;
        }
    }

    private static int countPositives(Events events, int from, int to) {
        int n = 0;
        for (int e = from; e < to; e++) {
            if (events.weight()[e] > 0) {
                n++;
            }
        }
        return n;
    }

    /** Popularity relative to the most popular item (0..1) from positive train events, decayed like the live one. */
    double[] trainPopularity(int size, Events events, List<int[]> ranges, List<Split> splits) {
        double[] log = new double[size];
        java.util.Arrays.fill(log, Double.NEGATIVE_INFINITY);
        double max = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < splits.size(); u++) {
            for (int e = ranges.get(u)[0]; e < splits.get(u).trainEnd(); e++) {
                double w = events.weight()[e];
                if (w > 0) {
                    int i = events.item()[e];
                    double c = Popularity.logContribution(w, events.tsMillis()[e],
                            settings.popularityHalfLifeSeconds());
                    log[i] = log[i] == Double.NEGATIVE_INFINITY ? c : Popularity.logSum(log[i], c);
                    max = Math.max(max, log[i]);
                }
            }
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = log[i] == Double.NEGATIVE_INFINITY ? 0 : Math.pow(2, log[i] - max);
        }
        return out;
    }

    private static boolean rowOf(float[] vectors, int d, int item, float[] row) {
        boolean any = false;
        for (int j = 0; j < d; j++) {
            row[j] = vectors[item * d + j];
            any |= row[j] != 0;
        }
        return any;
    }

    /** The k best-scored items not excluded: score descending, then lower index first. */
    static int[] topK(double[] scores, BitSet exclude, int k) {
        int[] best = new int[k];
        double[] bestScore = new double[k];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (exclude.get(i)) {
                continue;
            }
            double s = scores[i];
            if (n == k && !(s > bestScore[k - 1])) {
                continue;
            }
            int at = n < k ? n++ : k - 1;
            while (at > 0 && s > bestScore[at - 1]) {
                best[at] = best[at - 1];
                bestScore[at] = bestScore[at - 1];
                at--;
            }
            best[at] = i;
            bestScore[at] = s;
        }
        return n == k ? best : java.util.Arrays.copyOf(best, n);
    }

    /** All indexes by score descending, then index ascending. */
    static int[] rankAll(double[] scores) {
        return java.util.stream.IntStream.range(0, scores.length).boxed()
                .sorted((a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a])
                        : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
    }

    private static int[] firstNotIn(int[] ranking, BitSet exclude, int k) {
        int[] out = new int[k];
        int n = 0;
        for (int i = 0; i < ranking.length && n < k; i++) {
            if (!exclude.get(ranking[i])) {
                out[n++] = ranking[i];
            }
        }
        return n == k ? out : java.util.Arrays.copyOf(out, n);
    }

    /** k distinct items drawn uniformly from those not excluded (all of them when fewer). */
    static int[] randomPick(SplittableRandom rng, int size, BitSet exclude, int k) {
        int available = size - exclude.cardinality();
        if (available <= 2 * k) {
            int[] all = new int[available];
            for (int i = 0, n = 0; i < size; i++) {
                if (!exclude.get(i)) {
                    all[n++] = i;
                }
            }
            for (int i = all.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            return java.util.Arrays.copyOf(all, Math.min(k, available));
        }
        int[] out = new int[k];
        BitSet taken = new BitSet(size);
        for (int n = 0; n < k; ) {
            int i = rng.nextInt(size);
            if (!exclude.get(i) && !taken.get(i)) {
                taken.set(i);
                out[n++] = i;
            }
        }
        return out;
    }
}
