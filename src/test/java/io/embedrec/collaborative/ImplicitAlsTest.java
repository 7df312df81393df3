package io.embedrec.collaborative;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImplicitAlsTest {

    static final ImplicitAls.Progress ALWAYS = (done, total) -> true;

    @Test
    void oneUserRowSolvesTheWeightedNormalEquationsByHand() {
        // one user: item 0 net weight 2 (p=1, c=3), item 1 net weight -1 (p=0, c=2), item 2 untouched (p=0, c=1)
        InteractionMatrix m = InteractionMatrix.of(1, 3, new int[]{0, 0}, new int[]{0, 1}, new double[]{2, -1});
        double[] y = {1, 0, 0, 1, 1, 1};
        double[] x = new double[2];
        ImplicitAls.solve(m.byUser(), y, x, new ImplicitAls.Settings(2, 0.5, 1, 1, 1, 1));
        // two interactions, so the ridge is λ·2 = 1: YᵀY + I = [[3,1],[1,3]]; + 2·y0y0ᵀ + 1·y1y1ᵀ = [[5,1],[1,4]];
        // b = 3·y0 = [3,0]; x = A⁻¹b = [4·3, -1·3] / (5·4 - 1) = [12, -3] / 19
        assertThat(x[0]).isCloseTo(12.0 / 19, within(1e-12));
        assertThat(x[1]).isCloseTo(-3.0 / 19, within(1e-12));
    }

    @Test
    void itemsWithoutAPositiveInteractionHaveNoVector() {
        // item 1 is only disliked, item 2 untouched
        InteractionMatrix m = InteractionMatrix.of(2, 3, new int[]{0, 1, 1}, new int[]{0, 0, 1},
                new double[]{1, 1, -5});
        ImplicitAls.Factors f = ImplicitAls.train(m, new ImplicitAls.Settings(2, 0.1, 1, 3, 7, 1), ALWAYS);
        assertThat(f.itemsWithVectors()).containsExactly(0);
        assertThat(Arrays.copyOfRange(f.items(), 2, 6)).containsOnly(0.0);
        float[] v = new float[2];
        f.normalisedItem(0, v, 0);
        assertThat(Math.sqrt(v[0] * v[0] + v[1] * v[1])).isCloseTo(1.0, within(1e-6));
        assertThatThrownBy(() -> f.normalisedItem(1, v, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("item 1 has no vector");
    }

    /**
     * 20 clusters of 11 items around random centres in a 6-dimensional taste space, so each item's 10 nearest
     * planted neighbours are its cluster mates; 1,500 users with random tastes each pick 30 items, favouring
     * those their taste scores high (Gumbel top-k sampling of exp(2·taste·item)). Measured: mean top-10 overlap
     * 0.957 with 8 factors (seed 3); asserted: at least 0.9, and far above what unrelated vectors give (about 10/219).
     */
    @Test
    void learnedNeighboursRecoverPlantedLowRankStructure() {
        Planted p = Planted.generate(20, 11, 6, 1500, 30, 11);
        ImplicitAls.Factors f = ImplicitAls.train(p.matrix(), new ImplicitAls.Settings(8, 0.1, 2, 10, 3, 2), ALWAYS);
        double overlap = meanTopOverlap(p.itemFactors(), p.rank(), f.items(), 8, p.matrix().items(), 10);
        assertThat(overlap).isGreaterThanOrEqualTo(0.9);
        double[] noise = ImplicitAls.initial(p.matrix().items(), 8, 99);
        assertThat(meanTopOverlap(p.itemFactors(), p.rank(), noise, 8, p.matrix().items(), 10)).isLessThan(0.2);
    }

    @Test
    void theSameSeedGivesIdenticalFactorsWhateverTheThreadCount() {
        Planted p = Planted.generate(5, 8, 4, 300, 10, 5);
        ImplicitAls.Factors one = ImplicitAls.train(p.matrix(), new ImplicitAls.Settings(6, 0.1, 2, 4, 42, 1), ALWAYS);
        ImplicitAls.Factors again = ImplicitAls.train(p.matrix(), new ImplicitAls.Settings(6, 0.1, 2, 4, 42, 1),
                ALWAYS);
        ImplicitAls.Factors two = ImplicitAls.train(p.matrix(), new ImplicitAls.Settings(6, 0.1, 2, 4, 42, 2), ALWAYS);
        ImplicitAls.Factors otherSeed = ImplicitAls.train(p.matrix(), new ImplicitAls.Settings(6, 0.1, 2, 4, 43, 2),
                ALWAYS);
        assertThat(again.items()).isEqualTo(one.items());
        assertThat(again.users()).isEqualTo(one.users());
        assertThat(two.items()).isEqualTo(one.items());
        assertThat(two.users()).isEqualTo(one.users());
        assertThat(otherSeed.items()).isNotEqualTo(one.items());
    }

    @Test
    void progressReportsEachHalfSweepAndCanCancel() {
        Planted p = Planted.generate(3, 4, 2, 50, 5, 1);
        StringBuilder seen = new StringBuilder();
        ImplicitAls.train(p.matrix(), new ImplicitAls.Settings(2, 0.1, 1, 2, 1, 1), (done, total) -> {
            seen.append(done).append('/').append(total).append(' ');
            return true;
        });
        assertThat(seen.toString()).isEqualTo("1/4 2/4 3/4 4/4 ");
        assertThatThrownBy(() -> ImplicitAls.train(p.matrix(), new ImplicitAls.Settings(2, 0.1, 1, 5, 1, 2),
                (done, total) -> done < 3)).isInstanceOf(CancellationException.class)
                .hasMessage("training was cancelled");
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new ImplicitAls.Settings(0, 0.1, 1, 10, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("factors must be between 1 and 1000 (got 0)");
        assertThatThrownBy(() -> new ImplicitAls.Settings(8, -1, 1, 10, 1, 1))
                .hasMessage("regularization must be a positive number (got -1.0)");
        assertThatThrownBy(() -> new ImplicitAls.Settings(8, 0.1, Double.NaN, 10, 1, 1))
                .hasMessage("alpha must be a number >= 0 (got NaN)");
        assertThatThrownBy(() -> new ImplicitAls.Settings(8, 0.1, 1, 0, 1, 0))
                .hasMessage("iterations must be between 1 and 1000 (got 0); threads must be at least 1 (got 0)");
    }

    /** Mean over items of |top-n cosine neighbours in a ∩ top-n in b| / n. */
    static double meanTopOverlap(double[] a, int ka, double[] b, int kb, int items, int n) {
        double sum = 0;
        for (int i = 0; i < items; i++) {
            int[] na = top(a, ka, i, items, n);
            int[] nb = top(b, kb, i, items, n);
            int common = 0;
            for (int x : na) {
                for (int y : nb) {
                    if (x == y) {
                        common++;
                    }
                }
            }
            sum += common / (double) n;
        }
        return sum / items;
    }

    private static int[] top(double[] m, int k, int item, int items, int n) {
        Integer[] others = new Integer[items - 1];
        double[] cos = new double[items];
        for (int j = 0, at = 0; j < items; j++) {
            cos[j] = cosine(m, k, item, j);
            if (j != item) {
                others[at++] = j;
            }
        }
        Arrays.sort(others, (x, y) -> Double.compare(cos[y], cos[x]));
        return Arrays.stream(others).limit(n).mapToInt(Integer::intValue).toArray();
    }

    private static double cosine(double[] m, int k, int i, int j) {
        double dot = 0;
        double ni = 0;
        double nj = 0;
        for (int f = 0; f < k; f++) {
            dot += m[i * k + f] * m[j * k + f];
            ni += m[i * k + f] * m[i * k + f];
            nj += m[j * k + f] * m[j * k + f];
        }
        return ni == 0 || nj == 0 ? -2 : dot / Math.sqrt(ni * nj);
    }

    /** Generated interactions with known item factors. */
    record Planted(InteractionMatrix matrix, double[] itemFactors, int rank) {

        static Planted generate(int clusters, int perCluster, int rank, int users, int picks, long seed) {
            Random r = new Random(seed);
            int items = clusters * perCluster;
            double[] q = new double[items * rank];
            for (int c = 0; c < clusters; c++) {
                double[] centre = new double[rank];
                for (int f = 0; f < rank; f++) {
                    centre[f] = r.nextGaussian();
                }
                for (int m = 0; m < perCluster; m++) {
                    for (int f = 0; f < rank; f++) {
                        q[(c * perCluster + m) * rank + f] = centre[f] + 0.15 * r.nextGaussian();
                    }
                }
            }
            int[] u = new int[users * picks];
            int[] it = new int[users * picks];
            double[] w = new double[users * picks];
            double[] key = new double[items];
            Integer[] order = new Integer[items];
            for (int user = 0; user < users; user++) {
                double[] p = new double[rank];
                for (int f = 0; f < rank; f++) {
                    p[f] = r.nextGaussian();
                }
                for (int i = 0; i < items; i++) {
                    double s = 0;
                    for (int f = 0; f < rank; f++) {
                        s += p[f] * q[i * rank + f];
                    }
                    key[i] = 2 * s - Math.log(-Math.log(r.nextDouble())); // Gumbel top-k: sampling without replacement
                    order[i] = i;
                }
                Arrays.sort(order, (x, y) -> Double.compare(key[y], key[x]));
                for (int k = 0; k < picks; k++) {
                    u[user * picks + k] = user;
                    it[user * picks + k] = order[k];
                    w[user * picks + k] = 1;
                }
            }
            return new Planted(InteractionMatrix.of(users, items, u, it, w), q, rank);
        }
    }
}
