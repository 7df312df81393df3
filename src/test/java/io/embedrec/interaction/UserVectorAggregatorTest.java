package io.embedrec.interaction;

import io.embedrec.interaction.UserVectorAggregator.Decay;
import io.embedrec.interaction.UserVectorAggregator.Outcome;
import io.embedrec.interaction.UserVectorAggregator.Settings;
import io.embedrec.interaction.UserVectorAggregator.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class UserVectorAggregatorTest {

    static final float[] X = {1, 0};
    static final float[] Y = {0, 1};
    static final float[] XY = {0.5f, 0.75f}; // exact in binary, so sums are exact
    static final long S = 1000;
    static final long DAY = 86_400_000L;

    static UserVectorAggregator aggregator(Decay decay, double halfLifeSeconds, double halfLifeEvents) {
        return new UserVectorAggregator(new Settings(decay, halfLifeSeconds, halfLifeEvents));
    }

    record Ev(double weight, long ts, float[] v) {
    }

    static State fold(UserVectorAggregator a, int dims, List<Ev> events) {
        State s = new State(dims);
        for (Ev e : events) {
            assertThat(a.fold(s, e.weight(), e.ts(), e.v())).isEqualTo(Outcome.APPLIED);
        }
        return s;
    }

    /** +2 on X, then -1 on Y, then +3 on (0.5, 0.75): a like, a dislike, a purchase. */
    static List<Ev> mixed(long t1, long t2, long t3) {
        return List.of(new Ev(2, t1, X), new Ev(-1, t2, Y), new Ev(3, t3, XY));
    }

    @Test
    void rankDecayHalvesEachOlderEventPerNewerOne() {
        // half-life 1 event: 3*(0.5,0.75) + 1/2*(-1)*(0,1) + 1/4*2*(1,0) = (1.5+0.5, 2.25-0.5) = (2.0, 1.75)
        State s = fold(aggregator(Decay.RANK, 0, 1), 2, mixed(0, S, 2 * S));
        assertThat(s.sum[0]).isCloseTo(2.0, within(1e-12));
        assertThat(s.sum[1]).isCloseTo(1.75, within(1e-12));
        assertThat(s.count).isEqualTo(3);
        assertThat(s.positives).isEqualTo(2);
        assertThat(s.negatives).isEqualTo(1);
        assertThat(s.refMillis).isEqualTo(2 * S);
        // |(2, 1.75)| = sqrt(7.0625) = 2.6575364...; unit = (0.7525767, 0.6585046)
        float[] unit = UserVectorAggregator.normalised(s.sum);
        assertThat(unit[0]).isCloseTo(0.7525767f, within(1e-6f));
        assertThat(unit[1]).isCloseTo(0.6585046f, within(1e-6f));
    }

    @Test
    void timeDecayHalvesPerHalfLifeBeforeTheNewestEvent() {
        // half-life 10 s, events at 0 s, 15 s, 20 s: decays 2^-2 = 0.25, 2^-0.5 = 0.70710678..., 1
        // sum = 0.25*2*(1,0) + 0.70710678*(-1)*(0,1) + 3*(0.5,0.75) = (2.0, 2.25 - 0.70710678) = (2.0, 1.54289322)
        State s = fold(aggregator(Decay.TIME, 10, 0), 2, mixed(0, 15 * S, 20 * S));
        assertThat(s.sum[0]).isCloseTo(2.0, within(1e-12));
        assertThat(s.sum[1]).isCloseTo(2.25 - Math.sqrt(0.5), within(1e-12));
        assertThat(s.refMillis).isEqualTo(20 * S);
    }

    @Test
    void withoutDecayTheSumIsPlainWeighted() {
        // 2*(1,0) - (0,1) + 3*(0.5,0.75) = (3.5, 1.25); unit = (3.5, 1.25)/sqrt(13.8125) = (0.9417419, 0.3363364)
        State s = fold(aggregator(Decay.NONE, 0, 0), 2, mixed(0, 100 * DAY, 5 * S));
        assertThat(s.sum[0]).isCloseTo(3.5, within(1e-12));
        assertThat(s.sum[1]).isCloseTo(1.25, within(1e-12));
        float[] unit = UserVectorAggregator.normalised(s.sum);
        assertThat(unit[0]).isCloseTo(0.9417419f, within(1e-6f));
        assertThat(unit[1]).isCloseTo(0.3363364f, within(1e-6f));
    }

    static List<Ev> history3d() {
        return List.of(new Ev(5, 0, new float[]{1, 0, 0}), new Ev(1, 10 * S, new float[]{0, 1, 0}),
                new Ev(-5, 20 * S, new float[]{0, 0, 1}), new Ev(8, 30 * S, new float[]{0.6f, 0, 0.8f}),
                new Ev(2, 50 * S, new float[]{0, 0.8f, 0.6f}));
    }

    @Test
    void underTimeDecayOutOfOrderEventsGiveTheSameVectorAsInOrder() {
        UserVectorAggregator a = aggregator(Decay.TIME, 20, 0);
        List<Ev> inOrder = history3d();
        List<Ev> shuffled = List.of(inOrder.get(3), inOrder.get(0), inOrder.get(4), inOrder.get(2), inOrder.get(1));
        State s1 = fold(a, 3, inOrder);
        State s2 = fold(a, 3, shuffled);
        for (int k = 0; k < 3; k++) {
            assertThat(s2.sum[k]).isCloseTo(s1.sum[k], within(1e-12));
        }
        assertThat(s2.refMillis).isEqualTo(50 * S);
        assertThat(s2.count).isEqualTo(5);
        assertThat(s2.positives).isEqualTo(4);
        assertThat(s2.negatives).isEqualTo(1);
    }

    @Test
    void underRankDecayAnOlderEventNeedsARebuildAndChangesNothing() {
        UserVectorAggregator a = aggregator(Decay.RANK, 0, 3);
        State s = fold(a, 2, List.of(new Ev(1, 10 * S, X)));
        double[] before = s.sum.clone();
        assertThat(a.fold(s, 2, 5 * S, Y)).isEqualTo(Outcome.NEEDS_REBUILD);
        assertThat(s.sum).containsExactly(before);
        assertThat(s.count).isEqualTo(1);
        assertThat(s.refMillis).isEqualTo(10 * S);
    }

    @Test
    void aHistoryTenYearsBackGivesTheSameVectorAsTheSameHistoryToday() {
        long today = 1_795_000_000_000L; // 2026-11-18
        long tenYearsBack = today - 3653 * DAY;
        for (Decay decay : Decay.values()) {
            UserVectorAggregator a = aggregator(decay, 30 * 86_400, 3);
            List<Ev> old = new ArrayList<>();
            List<Ev> now = new ArrayList<>();
            for (Ev e : history3d()) {
                // spread over 100 days: old events' absolute decay would be 2^-120 and worse, relative is kept
                old.add(new Ev(e.weight(), tenYearsBack + e.ts() * 2 * DAY / S, e.v()));
                now.add(new Ev(e.weight(), today + e.ts() * 2 * DAY / S, e.v()));
            }
            assertThat(UserVectorAggregator.normalised(fold(a, 3, old).sum))
                    .containsExactly(UserVectorAggregator.normalised(fold(a, 3, now).sum));
        }
    }

    @Test
    void anEmptyHistoryHasNoVector() {
        assertThat(UserVectorAggregator.normalised(new State(3).sum)).isNull();
    }

    @Test
    void anAllNegativeHistoryPointsAwayFromWhatWasDisliked() {
        // -1*(1,0) - 2*(0,1) = (-1, -2); unit = (-1, -2)/sqrt(5) = (-0.4472136, -0.8944272)
        State s = fold(aggregator(Decay.NONE, 0, 0), 2, List.of(new Ev(-1, 0, X), new Ev(-2, S, Y)));
        assertThat(s.positives).isZero();
        assertThat(s.negatives).isEqualTo(2);
        float[] unit = UserVectorAggregator.normalised(s.sum);
        assertThat(unit[0]).isCloseTo(-0.4472136f, within(1e-6f));
        assertThat(unit[1]).isCloseTo(-0.8944272f, within(1e-6f));
    }

    @Test
    void zeroOrNonFiniteWeightsAreRefused() {
        UserVectorAggregator a = aggregator(Decay.RANK, 0, 3);
        State s = new State(2);
        assertThatThrownBy(() -> a.fold(s, 0, 0, X)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight must be finite and non-zero, got 0.0");
        assertThatThrownBy(() -> a.fold(s, Double.NaN, 0, X)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight must be finite and non-zero, got NaN");
        assertThatThrownBy(() -> a.fold(s, Double.POSITIVE_INFINITY, 0, X))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(s.count).isZero();
        assertThat(s.sum).containsExactly(0, 0);
    }

    @Test
    void aVectorOfAnotherDimensionIsRefused() {
        UserVectorAggregator a = aggregator(Decay.NONE, 0, 0);
        assertThatThrownBy(() -> a.fold(new State(3), 1, 0, X)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("item vector has 2 dimensions, the user vector 3");
    }

    @Test
    void decayOfAnEventIsRelativeToTheNewest() {
        assertThat(aggregator(Decay.TIME, 10, 0).decay(20 * S, 7)).isEqualTo(0.25);
        assertThat(aggregator(Decay.RANK, 0, 2).decay(20 * S, 4)).isEqualTo(0.25);
        assertThat(aggregator(Decay.NONE, 0, 0).decay(20 * S, 4)).isEqualTo(1.0);
    }
}
