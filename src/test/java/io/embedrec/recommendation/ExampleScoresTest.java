package io.embedrec.recommendation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExampleScoresTest {

    static final float[] X = {1, 0};
    static final float[] Y = {0, 1};
    static final float[] XY = {0.6f, 0.8f};

    @Test
    void averageIsTwiceThePositiveMeanMinusTheNegativeMeanNormalised() {
        // 2*(1,0) - (0,1) = (2,-1); /sqrt(5) = (0.8944272, -0.4472136)
        float[] q = ExampleScores.averageQuery(List.of(X), List.of(Y));
        assertThat(q[0]).isCloseTo(0.8944272f, within(1e-6f));
        assertThat(q[1]).isCloseTo(-0.4472136f, within(1e-6f));
        // positives only: the mean's direction, (1,1)/sqrt(2)
        float[] p = ExampleScores.averageQuery(List.of(X, Y), List.of());
        assertThat(p[0]).isCloseTo(0.7071068f, within(1e-6f));
        assertThat(p[1]).isCloseTo(0.7071068f, within(1e-6f));
        // negatives only: away from their mean
        assertThat(ExampleScores.averageQuery(List.of(), List.of(Y))).containsExactly(0f, -1f);
    }

    @Test
    void examplesThatCancelOutHaveNoAverage() {
        // 2*mean((1,0),(-1,0)) - 0 = 0
        assertThat(ExampleScores.averageQuery(List.of(X, new float[]{-1, 0}), List.of())).isNull();
    }

    @Test
    void bestScoreIsTheBestPositiveSimilarityUnlessANegativeIsCloser() {
        // (0.6,0.8): similarity 0.6 to X, 0.8 to Y
        assertThat(ExampleScores.bestScore(XY, List.of(X), List.of())).isCloseTo(0.6, within(1e-7));
        assertThat(ExampleScores.bestScore(XY, List.of(Y), List.of(X))).isCloseTo(0.8, within(1e-7));
        assertThat(ExampleScores.bestScore(XY, List.of(X), List.of(Y))).isCloseTo(-0.8, within(1e-7));
        assertThat(ExampleScores.bestScore(XY, List.of(), List.of(X))).isCloseTo(-0.6, within(1e-7));
    }

    @Test
    void closestNamesTheMostSimilarPositive() {
        assertThat(ExampleScores.closest(XY, List.of(X, Y))).isEqualTo(1);
        assertThat(ExampleScores.closest(XY, List.of())).isEqualTo(-1);
    }
}
