package io.embedrec.recommendation;

/**
 * Maximal marginal relevance (Carbonell &amp; Goldstein, SIGIR 1998): repeatedly picks the candidate maximising
 * lambda x relevance - (1 - lambda) x (highest similarity to an already picked item). lambda = 1 - diversity, so
 * diversity 0 keeps the relevance order and 1 spreads the picks as far apart as possible. Pure.
 */
public final class MaximalMarginalRelevance {

    private MaximalMarginalRelevance() {
    }

    /**
     * @param relevance  relevance of each candidate
     * @param vectors    unit vectors of the candidates (cosine = dot product)
     * @param k          how many to pick
     * @param diversity  0..1
     * @return indexes of the picked candidates, in pick order
     */
    public static int[] select(double[] relevance, float[][] vectors, int k, double diversity) {
        if (diversity < 0 || diversity > 1 || Double.isNaN(diversity)) {
            throw new IllegalArgumentException("diversity must be between 0 and 1, got " + diversity);
        }
        int n = relevance.length;
        int m = Math.min(k, n);
        double lambda = 1.0 - diversity;
        boolean[] picked = new boolean[n];
        double[] maxSim = new double[n];
        java.util.Arrays.fill(maxSim, Double.NEGATIVE_INFINITY);
        int[] out = new int[m];
        for (int step = 0; step < m; step++) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                if (picked[c]) {
                    continue;
                }
                double penalty = step == 0 ? 0 : maxSim[c];
                double score = lambda * relevance[c] - (1 - lambda) * penalty;
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            picked[best] = true;
            out[step] = best;
            for (int c = 0; c < n; c++) {
                if (!picked[c]) {
                    maxSim[c] = Math.max(maxSim[c], dot(vectors[c], vectors[best]));
                }
            }
        }
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
