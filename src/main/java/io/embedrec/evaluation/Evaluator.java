package io.embedrec.evaluation;

import io.embedrec.interaction.Popularity;
import io.embedrec.interaction.UserVectorAggregator;
import io.embedrec.recommendation.FeedBlend;

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
    public record Catalog(int size, int dimensions, float[] vectors) {
        public Catalog {
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

    public Evaluator(Settings settings, UserVectorAggregator aggregator) {
        this.settings = settings;
        this.aggregator = aggregator;
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
        int k = settings.k();
        // pass 1: split every user, so popularity sees only train events
        List<int[]> ranges = new ArrayList<>();
        List<Split> splits = new ArrayList<>();
        int fewPositives = 0;
        int nothingNew = 0;
        for (int from = 0; from < events.size(); ) {
            int to = from;
            while (to < events.size() && events.user()[to] == events.user()[from]) {
                to++;
            }
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
        double[] popularity = trainPopularity(catalog.size(), events, ranges, splits);
        int[] byPopularity = rankAll(popularity);
        double[] feedPopularity = new double[catalog.size()];
        for (int r = 0; r < Math.min(settings.popularTop(), byPopularity.length); r++) {
            feedPopularity[byPopularity[r]] = popularity[byPopularity[r]];
        }

        RankingMetrics.Accumulator engine = new RankingMetrics.Accumulator(k);
        RankingMetrics.Accumulator popular = new RankingMetrics.Accumulator(k);
        RankingMetrics.Accumulator random = new RankingMetrics.Accumulator(k);
        SplittableRandom rng = new SplittableRandom(settings.seed());
        double[] scores = new double[catalog.size()];
        long trainEvents = 0;
        long testItems = 0;
        int withoutVector = 0;
        for (int u = 0; u < splits.size(); u++) {
            Split s = splits.get(u);
            int from = ranges.get(u)[0];
            trainEvents += s.trainEnd() - from;
            testItems += s.relevant().cardinality();
            int[] mostPopular = firstNotIn(byPopularity, s.train(), k);
            popular.add(mostPopular, s.relevant());
            random.add(randomPick(rng, catalog.size(), s.train(), k), s.relevant());

            UserVectorAggregator.State state = new UserVectorAggregator.State(catalog.dimensions());
            float[] row = new float[catalog.dimensions()];
            for (int e = from; e < s.trainEnd(); e++) {
                if (rowOf(catalog, events.item()[e], row)) {
                    aggregator.fold(state, events.weight()[e], events.tsMillis()[e], row);
                }
            }
            float[] unit = UserVectorAggregator.normalised(state.sum);
            if (unit == null || state.positives == 0) {
                withoutVector++;
                engine.add(mostPopular, s.relevant()); // the feed's answer for users without a vector
            } else {
                double beta = FeedBlend.beta(state.positives, settings.warmUpEvents());
                score(catalog, unit, beta, feedPopularity, scores);
                engine.add(topK(scores, s.train(), k), s.relevant());
            }
            if ((u + 1) % 100 == 0 && !progress.update(splits.size(), u + 1)) {
                throw new java.util.concurrent.CancellationException("cancelled");
            }
        }
        progress.update(splits.size(), splits.size());
        return new Result(new Users(splits.size(), fewPositives, nothingNew, withoutVector), catalog.size(),
                trainEvents, testItems, List.of(new Named(ENGINE, engine.summary(catalog.size())),
                new Named(MOST_POPULAR, popular.summary(catalog.size())),
                new Named(RANDOM, random.summary(catalog.size()))));
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

    private static boolean rowOf(Catalog catalog, int item, float[] row) {
        int d = catalog.dimensions();
        boolean any = false;
        for (int j = 0; j < d; j++) {
            row[j] = catalog.vectors()[item * d + j];
            any |= row[j] != 0;
        }
        return any;
    }

    private void score(Catalog catalog, float[] unit, double beta, double[] popularity, double[] out) {
        int d = catalog.dimensions();
        float[] m = catalog.vectors();
        double prior = settings.popularityPrior();
        for (int i = 0, base = 0; i < catalog.size(); i++, base += d) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += unit[j] * m[base + j];
            }
            out[i] = FeedBlend.score(beta, dot, popularity[i], prior);
        }
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
