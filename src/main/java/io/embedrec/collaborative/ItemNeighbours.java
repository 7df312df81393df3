package io.embedrec.collaborative;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * An item-item model: for each item, the items a user who liked it is likely to like next, with weights, so that a
 * user's score for item j is {@code Σ_i x_i · w(i, j)} over the items i in their history. Pure: arrays in, arrays
 * out. Two ways to learn it from an {@link InteractionMatrix} (positive net weight = 1, anything else = 0):
 * <ul>
 *   <li>{@link #ease}: EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019), the closed
 *       form {@code B = I − P · diag(1/diag(P))}, {@code P = (XᵀX + λI)⁻¹}, {@code diag(B) = 0}. It needs a dense
 *       items × items inverse (O(n³) time, 2 n² doubles), so it fits catalogs with up to ~10–20k interacted
 *       items. λ is {@code lambdaScale} times the mean number of positive users per interacted item, so the same
 *       setting fits a small shop and a large one (the best λ grows with the counts on the diagonal of XᵀX).</li>
 *   <li>{@link #knn}: item-based kNN (cosine of co-consumption, {@link ItemKnn}), for catalogs beyond that.</li>
 * </ul>
 * Each item keeps only its {@code keep} largest positive weights (a sparse approximation of the dense model).
 *
 * @param items   neighbours of item i, best first (empty for items nobody was positive on)
 * @param weights their weights, aligned with {@code items}
 * @param lambda  the λ EASE used (0 for kNN)
 */
public record ItemNeighbours(int[][] items, float[][] weights, double lambda) {

    /** Which model to learn: EASE while the interacted items fit ({@code AUTO}), or one of them always. */
    public enum Kind { AUTO, EASE, KNN }

    /**
     * Learns the model the settings ask for.
     *
     * @param easeMaxItems with {@code AUTO}: EASE up to this many interacted items, item-kNN above
     */
    public static ItemNeighbours train(InteractionMatrix m, Kind kind, double easeRegularization, int easeMaxItems,
                                       int keep) {
        boolean ease = switch (kind) {
            case EASE -> true;
            case KNN -> false;
            case AUTO -> interacted(m).length <= easeMaxItems;
        };
        return ease ? ease(m, easeRegularization, keep) : knn(m, keep);
    }

    /** Items with at least one positive user: the rows and columns of the model. */
    static int[] interacted(InteractionMatrix m) {
        int n = 0;
        for (int i = 0; i < m.items(); i++) {
            if (m.positiveUsers(i) > 0) {
                n++;
            }
        }
        int[] out = new int[n];
        for (int i = 0, at = 0; i < m.items(); i++) {
            if (m.positiveUsers(i) > 0) {
                out[at++] = i;
            }
        }
        return out;
    }

    /**
     * EASE on the items with positive users.
     *
     * @param lambdaScale λ as a multiple of the mean positive users per interacted item (&gt; 0)
     * @param keep        neighbours kept per item
     */
    public static ItemNeighbours ease(InteractionMatrix m, double lambdaScale, int keep) {
        if (!(lambdaScale > 0) || keep < 1) {
            throw new IllegalArgumentException("lambda scale must be > 0 and keep >= 1, got " + lambdaScale + ", "
                    + keep);
        }
        int[] active = interacted(m);
        int n = active.length;
        int[] column = new int[m.items()];
        java.util.Arrays.fill(column, -1);
        for (int c = 0; c < n; c++) {
            column[active[c]] = c;
        }
        // G = XᵀX over positive (user, item) pairs: each user adds 1 to every pair of their positive items
        DMatrixRMaj g = new DMatrixRMaj(n, n);
        double[] gd = g.data;
        int[] pos = new int[m.items()];
        long diagonal = 0;
        for (int u = 0; u < m.users(); u++) {
            int[] is = m.itemsOf(u);
            double[] ws = m.weightsOf(u);
            int c = 0;
            for (int x = 0; x < is.length; x++) {
                if (ws[x] > 0) {
                    pos[c++] = column[is[x]];
                }
            }
            diagonal += c;
            for (int a = 0; a < c; a++) {
                int row = pos[a] * n;
                for (int b = 0; b < c; b++) {
                    gd[row + pos[b]] += 1;
                }
            }
        }
        double lambda = lambdaScale * (n == 0 ? 1 : (double) diagonal / n);
        for (int c = 0; c < n; c++) {
            gd[c * n + c] += lambda;
        }
        DMatrixRMaj p = new DMatrixRMaj(n, n);
        if (n > 0) {
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(n);
            if (!solver.setA(g)) {
                throw new IllegalStateException("the item co-occurrence matrix could not be factorised");
            }
            solver.invert(p);
        }
        g = null;
        double[] pd = p.data;
        int[][] items = new int[m.items()][];
        float[][] weights = new float[m.items()][];
        int[] none = new int[0];
        float[] noWeights = new float[0];
        java.util.Arrays.fill(items, none);
        java.util.Arrays.fill(weights, noWeights);
        TopK top = new TopK(keep);
        for (int a = 0; a < n; a++) {
            // row a of B: B[a][b] = −P[a][b] / P[b][b], the weight of history item a towards candidate b
            top.clear();
            int row = a * n;
            for (int b = 0; b < n; b++) {
                if (b != a) {
                    double w = -pd[row + b] / pd[b * n + b];
                    if (w > 0) {
                        top.offer(active[b], (float) w);
                    }
                }
            }
            items[active[a]] = top.items();
            weights[active[a]] = top.weights();
        }
        return new ItemNeighbours(items, weights, lambda);
    }

    /** Item-based kNN: each item's {@code keep} most similar items by co-consumption cosine. */
    public static ItemNeighbours knn(InteractionMatrix m, int keep) {
        int[][] items = new int[m.items()][];
        float[][] sims = new float[m.items()][];
        ItemKnn.neighbours(m, keep, items, sims);
        return new ItemNeighbours(items, sims, 0);
    }

    /** Rows (item, neighbour, weight) in all, for writing. */
    public long size() {
        long n = 0;
        for (int[] row : items) {
            n += row.length;
        }
        return n;
    }

    /** The k largest (weight, then lower index first) of what is offered. */
    private static final class TopK {
        private final int k;
        private final int[] best;
        private final float[] bestWeight;
        private int have;

        TopK(int k) {
            this.k = k;
            this.best = new int[k];
            this.bestWeight = new float[k];
        }

        void clear() {
            have = 0;
        }

        void offer(int item, float w) {
            if (have == k && !(w > bestWeight[k - 1])) {
                return;
            }
            int at = have < k ? have++ : k - 1;
            while (at > 0 && w > bestWeight[at - 1]) {
                best[at] = best[at - 1];
                bestWeight[at] = bestWeight[at - 1];
                at--;
            }
            best[at] = item;
            bestWeight[at] = w;
        }

        int[] items() {
            return java.util.Arrays.copyOf(best, have);
        }

        float[] weights() {
            return java.util.Arrays.copyOf(bestWeight, have);
        }
    }
}
