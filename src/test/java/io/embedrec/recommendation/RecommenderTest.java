package io.embedrec.recommendation;

import io.embedrec.recommendation.Recommender.Calibration;
import io.embedrec.recommendation.Recommender.Candidate;
import io.embedrec.recommendation.Recommender.Ranked;
import io.embedrec.recommendation.Recommender.Settings;
import io.embedrec.recommendation.Recommender.Source;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RecommenderTest {

    static double[] weights(double items, double collaborative, double content, double popularity) {
        return new HybridWeights(items, collaborative, content, popularity).bySource();
    }

    static Settings settings(double[] weights, int newSlots) {
        return new Settings(weights, Calibration.ZSCORE, newSlots, 0.5, 0);
    }

    static List<String> ids(List<Ranked> ranked) {
        return ranked.stream().map(Ranked::id).toList();
    }

    @Test
    void zScoresAreStandardisedOverTheCandidatesTheSourceKnows() {
        // items 3, 2, 1: mean 2, standard deviation sqrt(2/3); d has no item score and goes one below the lowest
        List<Candidate> pool = List.of(
                Candidate.of("a", false).with(Source.ITEMS, 3),
                Candidate.of("b", false).with(Source.ITEMS, 2),
                Candidate.of("c", false).with(Source.ITEMS, 1),
                Candidate.of("d", false));
        double[][] z = Recommender.calibrate(pool, Calibration.ZSCORE);
        double s = Math.sqrt(1.5);
        assertThat(z[Source.ITEMS.ordinal()]).containsExactly(new double[]{s, 0, -s, -s - 1}, within(1e-12));
        assertThat(z[Source.CONTENT.ordinal()]).containsExactly(0, 0, 0, 0);
        // all known scores equal: they are 0 and the unknown still ranks below them
        List<Candidate> flat = List.of(Candidate.of("a", false).with(Source.ITEMS, 0.4), Candidate.of("b", false));
        assertThat(Recommender.calibrate(flat, Calibration.ZSCORE)[Source.ITEMS.ordinal()]).containsExactly(0, -1);
    }

    @Test
    void rankFusionGivesOneOverSixtyPlusRankAndNothingToUnknownItems() {
        List<Candidate> pool = List.of(
                Candidate.of("a", false).with(Source.CONTENT, 0.1),
                Candidate.of("b", false).with(Source.CONTENT, 0.9),
                Candidate.of("c", false));
        double[][] r = Recommender.calibrate(pool, Calibration.RANK);
        assertThat(r[Source.CONTENT.ordinal()]).containsExactly(new double[]{1.0 / 62, 1.0 / 61, 0}, within(1e-15));
    }

    @Test
    void anItemWithoutACollaborativeVectorCannotOutrankABetterWarmItem() {
        // "lonely" equals "warm" on items and content but has no collaborative vector: it ranks below the lowest
        // collaborative score in the pool (weak's), so lacking a vector never lifts it
        List<Candidate> pool = List.of(
                Candidate.of("warm", false).with(Source.ITEMS, 0.5).with(Source.COLLABORATIVE, 0.5)
                        .with(Source.CONTENT, 0.6),
                Candidate.of("lonely", false).with(Source.ITEMS, 0.5).with(Source.CONTENT, 0.6),
                Candidate.of("other", false).with(Source.ITEMS, 0.1).with(Source.COLLABORATIVE, 0.9)
                        .with(Source.CONTENT, 0.1),
                Candidate.of("weak", false).with(Source.ITEMS, 0.1).with(Source.COLLABORATIVE, 0.1)
                        .with(Source.CONTENT, 0.1));
        List<Ranked> ranked = Recommender.rank(pool, settings(weights(1, 1, 1, 0), 0), 4, null);
        assertThat(ids(ranked)).containsExactly("warm", "lonely", "other", "weak");
        // z(items) = ±1, z(content) = ±1; collaborative 0.5, 0.9, 0.1: z = 0, ±sqrt(1.5), lonely −sqrt(1.5) − 1
        double z = Math.sqrt(1.5);
        assertThat(ranked.stream().mapToDouble(Ranked::score).toArray())
                .containsExactly(new double[]{2, 1 - z, -2 + z, -2 - z}, within(1e-12));
        assertThat(ranked.get(0).lead()).isEqualTo(Source.ITEMS);
        assertThat(ranked.get(2).lead()).isEqualTo(Source.COLLABORATIVE);
    }

    @Test
    void equalScoresRankByIdAndTheLeadIsTheSourceThatLiftedMost() {
        List<Candidate> pool = List.of(
                Candidate.of("b", false).with(Source.ITEMS, 1).with(Source.POPULARITY, 0.5),
                Candidate.of("a", false).with(Source.ITEMS, 1).with(Source.POPULARITY, 0.5),
                Candidate.of("c", false).with(Source.ITEMS, 0).with(Source.POPULARITY, 1));
        List<Ranked> ranked = Recommender.rank(pool, settings(weights(1, 0, 0, 2), 0), 3, null);
        assertThat(ids(ranked)).containsExactly("c", "a", "b");
        assertThat(ranked.get(0).lead()).isEqualTo(Source.POPULARITY);
        assertThat(ranked.get(1).lead()).isEqualTo(Source.ITEMS);
    }

    @Test
    void newItemsNeverTakeMoreThanTheirShareAndNeedTheMinimumSimilarity() {
        List<Candidate> pool = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pool.add(Candidate.of("warm-" + i, false).with(Source.ITEMS, 10 - i).with(Source.CONTENT, 0.3));
            pool.add(Candidate.of("new-" + i, true).with(Source.CONTENT, 0.95 - i * 0.1));
        }
        List<Ranked> two = Recommender.rank(pool, settings(weights(1, 0, 1, 0), 2), 10, null);
        assertThat(ids(two)).containsExactly("warm-0", "warm-1", "warm-2", "warm-3", "warm-4", "warm-5", "warm-6",
                "warm-7", "new-0", "new-1");
        assertThat(two.get(8).fresh()).isTrue();
        assertThat(two.get(8).lead()).isEqualTo(Source.CONTENT);
        assertThat(ids(Recommender.rank(pool, settings(weights(1, 0, 1, 0), 0), 10, null)))
                .noneMatch(id -> id.startsWith("new-"));
        // only new-0 … new-4 reach 0.5: a share of 8 brings in those five, warm items keep the other slots
        List<Ranked> eight = Recommender.rank(pool, settings(weights(1, 0, 1, 0), 8), 10, null);
        assertThat(ids(eight)).containsExactly("warm-0", "warm-1", "warm-2", "warm-3", "warm-4", "new-0", "new-1",
                "new-2", "new-3", "new-4");
    }

    @Test
    void newItemsFillTheListWhenWarmCandidatesRunOut() {
        List<Candidate> pool = List.of(
                Candidate.of("warm", false).with(Source.ITEMS, 1),
                Candidate.of("new-a", true).with(Source.CONTENT, 0.8),
                Candidate.of("new-b", true).with(Source.CONTENT, 0.7),
                Candidate.of("new-c", true).with(Source.CONTENT, 0.2));
        // one slot is new-a's by right; new-b and new-c (below the minimum similarity) only fill what is left
        assertThat(ids(Recommender.rank(pool, settings(weights(1, 0, 1, 0), 1), 4, null)))
                .containsExactly("warm", "new-a", "new-b", "new-c");
        assertThat(ids(Recommender.rank(pool, settings(weights(1, 0, 1, 0), 1), 2, null)))
                .containsExactly("warm", "new-a");
    }

    @Test
    void diversityPicksByMaximalMarginalRelevanceOverTheGivenVectors() {
        // a and b point the same way; with diversity 1 the second pick is the one farthest from a
        List<Candidate> pool = List.of(
                Candidate.of("a", false).with(Source.ITEMS, 3),
                Candidate.of("b", false).with(Source.ITEMS, 2),
                Candidate.of("c", false).with(Source.ITEMS, 1));
        float[][] vectors = {{1, 0}, {1, 0}, {0, 1}};
        Settings plain = new Settings(weights(1, 0, 0, 0), Calibration.ZSCORE, 0, 0.5, 0);
        Settings diverse = new Settings(weights(1, 0, 0, 0), Calibration.ZSCORE, 0, 0.5, 0.8);
        assertThat(ids(Recommender.rank(pool, plain, 2, vectors))).containsExactly("a", "b");
        assertThat(ids(Recommender.rank(pool, diverse, 2, vectors))).containsExactly("a", "c");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new Settings(new double[]{1, 0, 0}, Calibration.ZSCORE, 0, 0, 0))
                .hasMessage("expected 4 weights, got 3");
        assertThatThrownBy(() -> new Settings(weights(1, 0, 0, 0), Calibration.ZSCORE, 0, 0, 1.5))
                .hasMessage("diversity must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> new Settings(new double[]{1, Double.NaN, 0, 0}, Calibration.ZSCORE, 0, 0, 0))
                .hasMessage("weights must be finite and >= 0");
    }
}
