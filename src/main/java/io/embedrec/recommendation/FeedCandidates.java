package io.embedrec.recommendation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a feed turns what its sources found into the {@link Recommender}'s pool, and with which settings: shared by
 * the live feed (sources are SQL and HNSW queries) and the offline evaluation (the same sources computed exactly in
 * memory), so what is evaluated is what serves. Pure.
 */
public final class FeedCandidates {

    /** Liked items of a user's history that the item-item model reads (the most recent ones). */
    public static final int ITEM_HISTORY = 200;

    private FeedCandidates() {
    }

    /**
     * How much each liked item of a history counts for the item-item model: by the user vectors' decay, with the
     * age of an item its recency rank among the user's liked items (rank decay) or the time since the user's newest
     * liked item (time decay). Written twice, as SQL for the feed and in Java for the offline evaluation, side by
     * side here so they stay the same.
     */
    public record HistoryDecay(io.embedrec.interaction.UserVectorAggregator.Settings settings) {

        /** The weight of the liked item {@code rank} places (0: newest) and {@code ageMillis} before the newest. */
        public double weight(int rank, long ageMillis) {
            return switch (settings.decay()) {
                case NONE -> 1.0;
                case RANK -> Math.pow(2, Math.max(-60, -rank / settings.halfLifeEvents()));
                case TIME -> Math.pow(2, Math.max(-60, -ageMillis / 1000.0 / settings.halfLifeSeconds()));
            };
        }

        /** The same over columns {@code r} (rank), {@code ts} and {@code newest}. */
        String sql() {
            // exponents are floored at -60: older items weigh < 1e-18 and 2^-1074 would underflow in Postgres
            return switch (settings.decay()) {
                case NONE -> "1.0::float8";
                case RANK -> "power(2::float8, greatest(-60, -(r::float8) / " + settings.halfLifeEvents() + "))";
                case TIME -> "power(2::float8, greatest(-60, -extract(epoch FROM newest - ts)::float8 / "
                        + settings.halfLifeSeconds() + "))";
            };
        }
    }

    /** An id and its raw score in one source. */
    public record Scored(String id, double score) {
    }

    /**
     * What each source found for one user, best first: the item-item model's items, the nearest items in the
     * collaborative and in the content space (cosines), and the popular items (popularity relative to the most
     * popular, 0..1; items with no events yet are listed without a score, as NaN). A single-space feed leaves
     * {@code items} and {@code collaborative} empty and names its space's neighbours {@code content}.
     */
    public record Found(List<Scored> items, List<Scored> collaborative, List<Scored> content, List<Scored> popular) {
    }

    /** A candidate's vectors; either may be null (no vector in that space). */
    public interface Vectors {
        float[] content(String id);

        float[] collaborative(String id);
    }

    /**
     * The pool: candidates in first-found order (items, collaborative, content, popular) with every score their
     * sources know, cosines filled in from the vectors where a nearest-neighbour list missed them, and the content
     * vectors for diversity.
     */
    public record Pool(List<Recommender.Candidate> candidates, float[][] contentVectors) {
    }

    /**
     * @param unit      the user's unit vector in the content space (the single space of a single-space feed)
     * @param cunit     the user's unit vector in the collaborative space; null for a single-space feed, where no
     *                  candidate is new (every one has a vector in the space)
     */
    public static Pool assemble(Found found, Vectors vectors, float[] unit, float[] cunit) {
        Map<String, double[]> raw = new LinkedHashMap<>();
        add(raw, found.items(), Recommender.Source.ITEMS);
        add(raw, found.collaborative(), Recommender.Source.COLLABORATIVE);
        add(raw, found.content(), Recommender.Source.CONTENT);
        add(raw, found.popular(), Recommender.Source.POPULARITY);
        List<Recommender.Candidate> pool = new ArrayList<>(raw.size());
        float[][] contentVectors = new float[raw.size()][];
        int c = 0;
        for (Map.Entry<String, double[]> e : raw.entrySet()) {
            String id = e.getKey();
            double[] r = e.getValue();
            float[] v = vectors.content(id);
            float[] cv = cunit == null ? null : vectors.collaborative(id);
            contentVectors[c++] = v;
            if (cv != null && Double.isNaN(r[Recommender.Source.COLLABORATIVE.ordinal()])) {
                r[Recommender.Source.COLLABORATIVE.ordinal()] = MaximalMarginalRelevance.dot(cunit, cv);
            }
            if (v != null && Double.isNaN(r[Recommender.Source.CONTENT.ordinal()])) {
                r[Recommender.Source.CONTENT.ordinal()] = MaximalMarginalRelevance.dot(unit, v);
            }
            // new: no behaviour at all (no collaborative vector, not reached by the item-item model)
            boolean fresh = cunit != null && cv == null && Double.isNaN(r[Recommender.Source.ITEMS.ordinal()]);
            pool.add(new Recommender.Candidate(id, r, fresh));
        }
        return new Pool(pool, contentVectors);
    }

    /**
     * The pipeline of "more like this" and recommend-by-example: the pool of what the sources found for the examples,
     * ranked with the given weights. No warm-up (the examples are the whole history), no diversity, and no new-item
     * slots: an item nobody touched competes on the scores it has, so lacking the behaviour scores it ranks below the
     * items that have them unless content weighs most.
     *
     * @param unit  the examples' query in the content space (fills content cosines the lists missed)
     * @param cunit the examples' query in the collaborative space
     */
    public static List<Recommender.Ranked> likeExamples(Found found, Vectors vectors, float[] unit, float[] cunit,
                                                        HybridWeights w, Recommender.Calibration calibration,
                                                        int n) {
        List<Recommender.Candidate> all = assemble(found, vectors, unit, cunit).candidates().stream()
                .map(c -> new Recommender.Candidate(c.id(), c.raw(), false)).toList();
        return Recommender.rank(all, settings(w, 1, calibration, 0, 1, n, 0), n, null);
    }

    private static void add(Map<String, double[]> raw, List<Scored> found, Recommender.Source source) {
        for (Scored s : found) {
            double[] r = raw.computeIfAbsent(s.id(), x -> {
                double[] fresh = new double[Recommender.SOURCES];
                java.util.Arrays.fill(fresh, Double.NaN);
                return fresh;
            });
            r[source.ordinal()] = s.score();
        }
    }

    /**
     * A feed's pipeline settings: the weights, with popularity standing in for the similarity sources while the
     * user warms up (they keep a share {@code beta}, popularity gains {@code 1 - beta} of their sum), and the new
     * items' share of the n slots (rounded down, so it is never exceeded).
     */
    public static Recommender.Settings settings(HybridWeights w, double beta, Recommender.Calibration calibration,
                                                double newItemShare, double newItemMinSimilarity, int n,
                                                double diversity) {
        double[] weights = w.bySource();
        double similarity = 0;
        for (Recommender.Source s : new Recommender.Source[]{Recommender.Source.ITEMS,
                Recommender.Source.COLLABORATIVE, Recommender.Source.CONTENT}) {
            similarity += weights[s.ordinal()];
            weights[s.ordinal()] *= beta;
        }
        weights[Recommender.Source.POPULARITY.ordinal()] += (1 - beta) * similarity;
        return new Recommender.Settings(weights, calibration, (int) Math.floor(newItemShare * n),
                newItemMinSimilarity, diversity);
    }
}
