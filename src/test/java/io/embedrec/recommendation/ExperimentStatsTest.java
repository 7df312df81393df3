package io.embedrec.recommendation;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report's statistics against hand-computed values, and the assignment's shares and stability. */
class ExperimentStatsTest {

    @Test
    void wilsonIntervalsMatchTheFormula() {
        // p̂ = 0.1, n = 100: (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), z = 1.959964
        ExperimentStats.Rate r = ExperimentStats.rate(10, 100);
        assertThat(r.value()).isEqualTo(0.1);
        assertThat(r.low()).isCloseTo(0.055229, within(2e-6));
        assertThat(r.high()).isCloseTo(0.174366, within(2e-6));
        // no successes: the interval still has width (unlike the normal approximation's [0, 0])
        ExperimentStats.Rate none = ExperimentStats.rate(0, 20);
        assertThat(none.low()).isEqualTo(0);
        assertThat(none.high()).isCloseTo(0.161125, within(2e-6));
        assertThat(ExperimentStats.rate(0, 0)).isEqualTo(new ExperimentStats.Rate(0, 0, 1));
    }

    @Test
    void aDifferenceHasItsIntervalAndTheZTestsPValue() {
        // 6% vs 3% of 1,000 each: d = 0.03, unpooled SE 0.009247, pooled z = 3.2359, p = 0.001212
        ExperimentStats.Difference d = ExperimentStats.difference(60, 1000, 30, 1000);
        assertThat(d.value()).isCloseTo(0.03, within(1e-9));
        assertThat(d.low()).isCloseTo(0.011877, within(2e-6));
        assertThat(d.high()).isCloseTo(0.048123, within(2e-6));
        assertThat(d.pValue()).isCloseTo(0.001212, within(2e-6));
        assertThat(d.significant()).isTrue();
        assertThat(ExperimentStats.difference(31, 1000, 30, 1000).significant()).isFalse();
        assertThat(ExperimentStats.difference(0, 10, 0, 10)).isEqualTo(new ExperimentStats.Difference(0, 0, 0, 1,
                false));
    }

    @Test
    void anAaExperimentIsSignificantInAtMostFivePercentOfSeededRuns() {
        int significant = 0;
        for (int seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            long a = clicks(random, 2000, 0.1);
            long b = clicks(random, 2000, 0.1);
            if (ExperimentStats.difference(b, 2000, a, 2000).significant()) {
                significant++;
            }
        }
        assertThat(significant).isLessThanOrEqualTo(5);
    }

    @Test
    void twiceTheClickRateIsSignificantInNearlyEveryRun() {
        int significant = 0;
        for (int seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            long a = clicks(random, 1000, 0.05);
            long b = clicks(random, 1000, 0.10);
            ExperimentStats.Difference d = ExperimentStats.difference(b, 1000, a, 1000);
            if (d.significant() && d.value() > 0) {
                significant++;
            }
        }
        assertThat(significant).isGreaterThanOrEqualTo(95);
    }

    private static long clicks(Random random, int trials, double p) {
        long x = 0;
        for (int t = 0; t < trials; t++) {
            if (random.nextDouble() < p) {
                x++;
            }
        }
        return x;
    }

    static Experiment experiment(String salt, double... shares) {
        List<Experiment.Variant> variants = new java.util.ArrayList<>();
        for (int v = 0; v < shares.length; v++) {
            variants.add(new Experiment.Variant("v" + v, shares[v], null, null, null));
        }
        return new Experiment("e", salt, "running", variants, null, null, null);
    }

    @Test
    void assignmentMatchesTheSharesWithinTwoPointsOverTenThousandUsers() {
        Experiment e = experiment("salt-1", 0.2, 0.3, 0.5);
        Map<String, Integer> counts = new HashMap<>();
        for (int u = 0; u < 10_000; u++) {
            counts.merge(e.assign("user-" + u).name(), 1, Integer::sum);
        }
        // binomial standard deviation at n = 10,000 is at most 50 users (0.5 points): 2 points is 4 of them
        assertThat(counts.get("v0")).isBetween(1800, 2200);
        assertThat(counts.get("v1")).isBetween(2800, 3200);
        assertThat(counts.get("v2")).isBetween(4800, 5200);
    }

    @Test
    void assignmentIsStableAndAnotherSaltSplitsUsersIndependently() {
        Experiment e = experiment("salt-1", 0.5, 0.5);
        Experiment again = experiment("salt-1", 0.5, 0.5);
        Experiment other = experiment("salt-2", 0.5, 0.5);
        int[][] cross = new int[2][2];
        for (int u = 0; u < 10_000; u++) {
            String user = "user-" + u;
            assertThat(again.assign(user)).isEqualTo(e.assign(user));
            cross[e.assign(user).name().equals("v0") ? 0 : 1][other.assign(user).name().equals("v0") ? 0 : 1]++;
        }
        // independent: each of the four combinations holds about a quarter
        for (int[] row : cross) {
            for (int c : row) {
                assertThat(c).isBetween(2300, 2700);
            }
        }
        assertThat(Experiment.unit("a")).isEqualTo(Experiment.unit("a")).isBetween(0.0, 1.0);
    }
}
