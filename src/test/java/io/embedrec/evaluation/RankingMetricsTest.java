package io.embedrec.evaluation;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed cases; tolerance 1e-12 (the values are a few additions of logarithms). */
class RankingMetricsTest {

    private static final double EPS = 1e-12;
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    static BitSet set(int... items) {
        BitSet b = new BitSet();
        for (int i : items) {
            b.set(i);
        }
        return b;
    }

    @Test
    void recallCountsRelevantItemsInTheTopKOverAllRelevantItems() {
        // top-3 of [5, 1, 7, 2] holds 1 and 7; relevant {1, 2, 7, 9}: 2 of 4
        assertThat(RankingMetrics.recall(new int[]{5, 1, 7, 2}, set(1, 2, 7, 9), 3)).isCloseTo(0.5, within(EPS));
        // at k = 4 item 2 is in too: 3 of 4
        assertThat(RankingMetrics.recall(new int[]{5, 1, 7, 2}, set(1, 2, 7, 9), 4)).isCloseTo(0.75, within(EPS));
    }

    @Test
    void ndcgDiscountsHitsByLog2OfTheirRankAndNormalisesByTheIdealList() {
        // hits at ranks 1 and 2 (0-based): DCG = 1/log2(3) + 1/log2(4) = 0.630930 + 0.5;
        // 3 relevant, k = 3: IDCG = 1 + 1/log2(3) + 1/2 = 2.130930
        double dcg = 1 / LOG2_3 + 0.5;
        double idcg = 1 + 1 / LOG2_3 + 0.5;
        assertThat(RankingMetrics.ndcg(new int[]{5, 1, 7}, set(1, 7, 9), 3))
                .isCloseTo(dcg / idcg, within(EPS)).isCloseTo(0.530721, within(1e-6));
    }

    @Test
    void ndcgIdealListIsCutAtKWhenThereAreMoreRelevantItemsThanK() {
        // 5 relevant, k = 2, one hit at rank 0: DCG = 1, IDCG = 1 + 1/log2(3)
        assertThat(RankingMetrics.ndcg(new int[]{1, 99}, set(1, 2, 3, 4, 5), 2))
                .isCloseTo(1 / (1 + 1 / LOG2_3), within(EPS));
    }

    @Test
    void aPerfectListScoresOneEverywhere() {
        RankingMetrics.UserScores s = RankingMetrics.score(new int[]{3, 4, 8}, set(3, 4), 3);
        assertThat(s.recall()).isEqualTo(1.0);
        assertThat(s.ndcg()).isCloseTo(1.0, within(EPS));
        assertThat(s.hitRate()).isEqualTo(1.0);
    }

    @Test
    void aListWithoutHitsScoresZeroEverywhere() {
        RankingMetrics.UserScores s = RankingMetrics.score(new int[]{0, 1, 2}, set(7), 3);
        assertThat(s).isEqualTo(new RankingMetrics.UserScores(0, 0, 0));
    }

    @Test
    void hitRateIsOneWithAnyHitInTheTopKOnly() {
        assertThat(RankingMetrics.hitRate(new int[]{0, 1, 2}, set(2), 3)).isEqualTo(1.0);
        assertThat(RankingMetrics.hitRate(new int[]{0, 1, 2}, set(2), 2)).isEqualTo(0.0);
    }

    @Test
    void aListShorterThanKIsScoredAsIs() {
        // one item recommended, k = 10, relevant {4, 6}: recall 1/2, NDCG 1 / (1 + 1/log2 3)
        RankingMetrics.UserScores s = RankingMetrics.score(new int[]{4}, set(4, 6), 10);
        assertThat(s.recall()).isCloseTo(0.5, within(EPS));
        assertThat(s.ndcg()).isCloseTo(1 / (1 + 1 / LOG2_3), within(EPS));
        assertThat(RankingMetrics.score(new int[0], set(4), 10)).isEqualTo(new RankingMetrics.UserScores(0, 0, 0));
    }

    @Test
    void coverageIsDistinctRecommendedItemsOverCatalogSize() {
        assertThat(RankingMetrics.coverage(set(0, 3, 9), 12)).isCloseTo(0.25, within(EPS));
        assertThat(RankingMetrics.coverage(new BitSet(), 12)).isEqualTo(0.0);
    }

    @Test
    void accumulatorAveragesOverUsersAndCountsCoverageOnlyWithinTheTopK() {
        RankingMetrics.Accumulator acc = new RankingMetrics.Accumulator(2);
        acc.add(new int[]{0, 1, 5}, set(1));      // recall 1, NDCG 1/log2(3), hit 1; items 0, 1 (5 is beyond k)
        acc.add(new int[]{2, 3}, set(9, 8));      // all 0; items 2, 3
        RankingMetrics.Summary s = acc.summary(10);
        assertThat(s.users()).isEqualTo(2);
        assertThat(s.recall()).isCloseTo(0.5, within(EPS));
        assertThat(s.ndcg()).isCloseTo(0.5 / LOG2_3, within(EPS));
        assertThat(s.hitRate()).isCloseTo(0.5, within(EPS));
        assertThat(s.coverage()).isCloseTo(0.4, within(EPS));
    }

    @Test
    void anEmptyAccumulatorReportsZeros() {
        assertThat(new RankingMetrics.Accumulator(5).summary(3)).isEqualTo(new RankingMetrics.Summary(0, 0, 0, 0, 0, 0));
    }

    @Test
    void undefinedInputsAreRefused() {
        assertThatThrownBy(() -> RankingMetrics.score(new int[]{1}, new BitSet(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relevant set is empty");
        assertThatThrownBy(() -> RankingMetrics.score(new int[]{1}, set(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be at least 1, got 0");
        assertThatThrownBy(() -> RankingMetrics.score(new int[]{1, 1}, set(1), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("item 1 is ranked twice");
        assertThatThrownBy(() -> RankingMetrics.score(new int[]{-1}, set(1), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("item index must not be negative, got -1");
        assertThatThrownBy(() -> RankingMetrics.coverage(new BitSet(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RankingMetrics.Accumulator(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
