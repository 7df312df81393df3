package io.embedrec.collaborative;


/**
 * Item-based k-nearest neighbours, the classic reference recommender (Sarwar et al. 2001): two items are similar
 * by the cosine of their columns in the binary matrix of positive interactions, i.e.
 * {@code co(i, j) / sqrt(n(i) n(j))} with co the number of users positive on both. Pure.
 */
final class ItemKnn {

    private ItemKnn() {
    }

    /**
     * Fills {@code items[i]} and {@code sims[i]} with item i's {@code k} most similar items, most similar first
     * (ties: lower index first); items nobody was positive on get none.
     */
    static void neighbours(InteractionMatrix m, int k, int[][] items, float[][] sims) {
        int n = m.items();
        int[][] positiveItems = new int[m.users()][];
        for (int u = 0; u < m.users(); u++) {
            int[] is = m.itemsOf(u);
            double[] ws = m.weightsOf(u);
            int c = 0;
            for (double w : ws) {
                if (w > 0) {
                    c++;
                }
            }
            int[] pos = new int[c];
            for (int x = 0, at = 0; x < is.length; x++) {
                if (ws[x] > 0) {
                    pos[at++] = is[x];
                }
            }
            positiveItems[u] = pos;
        }
        int[] count = new int[n];
        for (int[] pos : positiveItems) {
            for (int i : pos) {
                count[i]++;
            }
        }
        int[] co = new int[n];
        int[] touched = new int[n];
        for (int i = 0; i < n; i++) {
            int t = 0;
            for (int u : m.usersOf(i)) {
                if (m.weight(u, i) <= 0) {
                    continue;
                }
                for (int j : positiveItems[u]) {
                    if (j != i && co[j]++ == 0) {
                        touched[t++] = j;
                    }
                }
            }
            int keep = Math.min(k, t);
            int[] best = new int[keep];
            float[] bestSim = new float[keep];
            int have = 0;
            for (int x = 0; x < t; x++) {
                int j = touched[x];
                float sim = (float) (co[j] / Math.sqrt((double) count[i] * count[j]));
                co[j] = 0;
                if (have == keep && !(sim > bestSim[keep - 1] || sim == bestSim[keep - 1] && j < best[keep - 1])) {
                    continue;
                }
                int at = have < keep ? have++ : keep - 1;
                while (at > 0 && (sim > bestSim[at - 1] || sim == bestSim[at - 1] && j < best[at - 1])) {
                    best[at] = best[at - 1];
                    bestSim[at] = bestSim[at - 1];
                    at--;
                }
                best[at] = j;
                bestSim[at] = sim;
            }
            items[i] = best;
            sims[i] = bestSim;
        }
    }
}
