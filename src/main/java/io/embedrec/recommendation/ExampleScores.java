package io.embedrec.recommendation;

import java.util.List;

/**
 * Recommend-by-example math, after Qdrant's recommend API. Pure: unit vectors in, numbers out.
 *
 * <ul>
 *   <li>average: the query is 2 x mean(positives) - mean(negatives) (Qdrant's formula; without negatives it points
 *   where mean(positives) does, with only negatives it is -mean(negatives)), normalised.</li>
 *   <li>best score: a candidate scores its highest similarity to a positive when that beats its highest similarity
 *   to a negative, else minus its highest similarity to a negative, so anything closer to a negative ranks below
 *   everything closer to a positive.</li>
 * </ul>
 */
public final class ExampleScores {

    private ExampleScores() {
    }

    /**
     * A by-example query in one space: how it scores a candidate's unit vector there.
     *
     * @param average   true for the average strategy (cosine to {@code query}), false for best score
     * @param query     the unit average query (may be null for best score)
     */
    public record Query(boolean average, float[] query, List<float[]> positives, List<float[]> negatives) {

        public double score(float[] candidate) {
            return average ? MaximalMarginalRelevance.dot(query, candidate)
                    : bestScore(candidate, positives, negatives);
        }
    }

    /** The unit average query, or null when the examples cancel out (a zero vector has no direction). */
    public static float[] averageQuery(List<float[]> positives, List<float[]> negatives) {
        int d = (positives.isEmpty() ? negatives : positives).get(0).length;
        double[] q = new double[d];
        addMean(q, positives, positives.isEmpty() ? 0 : 2.0);
        addMean(q, negatives, -1.0);
        double norm = 0;
        for (double v : q) {
            norm += v * v;
        }
        if (!(norm > 1e-12)) {
            return null;
        }
        double inv = 1 / Math.sqrt(norm);
        float[] out = new float[d];
        for (int k = 0; k < d; k++) {
            out[k] = (float) (q[k] * inv);
        }
        return out;
    }

    /** The best-score score of a candidate (see the class comment). */
    public static double bestScore(float[] candidate, List<float[]> positives, List<float[]> negatives) {
        double pos = max(candidate, positives);
        double neg = max(candidate, negatives);
        return pos > neg ? pos : -neg;
    }

    /** Index of the positive most similar to the candidate, or -1 when there are none. */
    public static int closest(float[] candidate, List<float[]> positives) {
        int best = -1;
        double bestSim = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < positives.size(); k++) {
            double s = MaximalMarginalRelevance.dot(candidate, positives.get(k));
            if (s > bestSim) {
                bestSim = s;
                best = k;
            }
        }
        return best;
    }

    private static double max(float[] candidate, List<float[]> examples) {
        double best = Double.NEGATIVE_INFINITY;
        for (float[] e : examples) {
            best = Math.max(best, MaximalMarginalRelevance.dot(candidate, e));
        }
        return best;
    }

    private static void addMean(double[] q, List<float[]> vectors, double scale) {
        if (vectors.isEmpty()) {
            return;
        }
        double f = scale / vectors.size();
        for (float[] v : vectors) {
            if (v.length != q.length) {
                throw new IllegalArgumentException("example vectors differ in length: " + v.length + " and "
                        + q.length);
            }
            for (int k = 0; k < q.length; k++) {
                q[k] += f * v[k];
            }
        }
    }
}
