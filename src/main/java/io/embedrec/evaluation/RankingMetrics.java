package io.embedrec.evaluation;

import java.util.BitSet;

/**
 * Top-k ranking metrics with binary relevance, as used in offline evaluation of recommenders. Items are dense
 * indexes {@code 0..catalogSize-1}; a ranked list holds distinct indexes, best first. Pure.
 *
 * <ul>
 *   <li>Recall@k = |top-k ∩ relevant| / |relevant|</li>
 *   <li>NDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{i<k, top_i relevant} 1 / log2(i + 2) (rank i from 0) and IDCG@k
 *       the DCG of a list with all min(k, |relevant|) relevant items first (Järvelin and Kekäläinen, 2002)</li>
 *   <li>HitRate@k = 1 when top-k holds at least one relevant item, else 0</li>
 *   <li>catalog coverage = distinct items in any user's top-k / catalog size</li>
 * </ul>
 */
public final class RankingMetrics {

    private RankingMetrics() {
    }

    /** The three per-user metrics of one ranked list. */
    public record UserScores(double recall, double ndcg, double hitRate) {
    }

    /**
     * Mean metrics over users and catalog coverage of one recommender; {@code coldHits}: hits (relevant items in
     * the top k) on cold items, those nobody had touched in training.
     */
    public record Summary(int users, double recall, double ndcg, double hitRate, double coverage, int coldHits) {
    }

    public static double recall(int[] ranked, BitSet relevant, int k) {
        return score(ranked, relevant, k).recall();
    }

    public static double ndcg(int[] ranked, BitSet relevant, int k) {
        return score(ranked, relevant, k).ndcg();
    }

    public static double hitRate(int[] ranked, BitSet relevant, int k) {
        return score(ranked, relevant, k).hitRate();
    }

    /** Recall, NDCG and hit rate at k of one ranked list against a non-empty relevant set. */
    public static UserScores score(int[] ranked, BitSet relevant, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        int r = relevant.cardinality();
        if (r == 0) {
            throw new IllegalArgumentException("the relevant set is empty: metrics are undefined for this user");
        }
        int n = Math.min(k, ranked.length);
        BitSet seen = new BitSet();
        int hits = 0;
        double dcg = 0;
        for (int i = 0; i < n; i++) {
            int item = ranked[i];
            if (item < 0) {
                throw new IllegalArgumentException("item index must not be negative, got " + item);
            }
            if (seen.get(item)) {
                throw new IllegalArgumentException("item " + item + " is ranked twice");
            }
            seen.set(item);
            if (relevant.get(item)) {
                hits++;
                dcg += discount(i);
            }
        }
        double idcg = 0;
        for (int i = 0; i < Math.min(k, r); i++) {
            idcg += discount(i);
        }
        return new UserScores((double) hits / r, dcg / idcg, hits > 0 ? 1 : 0);
    }

    /** Share of the catalog recommended to anyone in their top k. */
    public static double coverage(BitSet recommended, int catalogSize) {
        if (catalogSize < 1) {
            throw new IllegalArgumentException("catalog size must be at least 1, got " + catalogSize);
        }
        return (double) recommended.cardinality() / catalogSize;
    }

    private static double discount(int rank) {
        return 1.0 / (Math.log(rank + 2) / Math.log(2));
    }

    /** Sums one recommender's per-user metrics and the items it recommended. */
    public static final class Accumulator {
        private final int k;
        private final BitSet recommended = new BitSet();
        private int users;
        private double recall;
        private double ndcg;
        private double hits;
        private int coldHits;

        public Accumulator(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
            this.k = k;
        }

        public void add(int[] ranked, BitSet relevant) {
            add(ranked, relevant, new BitSet());
        }

        /** Adds one user's list; hits on items in {@code cold} are counted as cold hits. */
        public void add(int[] ranked, BitSet relevant, BitSet cold) {
            UserScores s = score(ranked, relevant, k);
            for (int i = 0; i < Math.min(k, ranked.length); i++) {
                if (relevant.get(ranked[i]) && cold.get(ranked[i])) {
                    coldHits++;
                }
            }
            for (int i = 0; i < Math.min(k, ranked.length); i++) {
                recommended.set(ranked[i]);
            }
            users++;
            recall += s.recall();
            ndcg += s.ndcg();
            hits += s.hitRate();
        }

        /** Means over the users added (0 when none) and coverage of a catalog of this size. */
        public Summary summary(int catalogSize) {
            double n = Math.max(1, users);
            return new Summary(users, recall / n, ndcg / n, hits / n, coverage(recommended, catalogSize),
                    coldHits);
        }
    }
}
