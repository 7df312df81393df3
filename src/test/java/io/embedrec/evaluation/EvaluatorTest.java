package io.embedrec.evaluation;

import io.embedrec.interaction.UserVectorAggregator;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static io.embedrec.evaluation.RankingMetricsTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluatorTest {

    static Evaluator.Events events(int[] user, int[] item, double[] weight) {
        long[] ts = new long[user.length];
        for (int e = 0; e < ts.length; e++) {
            ts[e] = 1_000_000L * (e + 1);
        }
        return new Evaluator.Events(user.length, user, item, weight, ts);
    }

    @Test
    void theLastFifthOfPositiveEventsIsTheTestAndEverythingBeforeTheFirstOfThemIsTrain() {
        // positives at 0, 2, 3, 5, 6 (5 of them): round(5 x 0.2) = 1 test positive, event 6; train 0..5
        Evaluator.Events ev = events(new int[]{0, 0, 0, 0, 0, 0, 0}, new int[]{1, 2, 3, 4, 5, 6, 7},
                new double[]{1, -5, 2, 8, -1, 1, 4});
        Evaluator.Split s = Evaluator.split(ev, 0, 7, 0.2).orElseThrow();
        assertThat(s.trainEnd()).isEqualTo(6);
        assertThat(s.train()).isEqualTo(set(1, 2, 3, 4, 5, 6));
        assertThat(s.relevant()).isEqualTo(set(7));
    }

    @Test
    void negativeEventsAfterTheCutAreNeitherTrainNorTest() {
        // positives 0, 1, 3 -> round(0.6) = 1 test positive (event 3); event 2 (a dislike) comes after the last
        // train positive but before the cut, so it is train; event 4 (a skip) is after the cut and ignored
        Evaluator.Events ev = events(new int[]{0, 0, 0, 0, 0}, new int[]{1, 2, 3, 4, 5},
                new double[]{1, 1, -5, 2, -1});
        Evaluator.Split s = Evaluator.split(ev, 0, 5, 0.2).orElseThrow();
        assertThat(s.trainEnd()).isEqualTo(3);
        assertThat(s.train()).isEqualTo(set(1, 2, 3));
        assertThat(s.relevant()).isEqualTo(set(4));
    }

    @Test
    void atLeastOnePositiveStaysInTrainWhateverTheFraction() {
        Evaluator.Events ev = events(new int[]{0, 0}, new int[]{1, 2}, new double[]{1, 1});
        Evaluator.Split s = Evaluator.split(ev, 0, 2, 0.9).orElseThrow();
        assertThat(s.train()).isEqualTo(set(1));
        assertThat(s.relevant()).isEqualTo(set(2));
    }

    @Test
    void usersWithFewerThanTwoPositivesOrNothingNewInTheTestAreSkipped() {
        assertThat(Evaluator.split(events(new int[]{0, 0}, new int[]{1, 2}, new double[]{1, -5}), 0, 2, 0.2))
                .isEmpty();
        // the test purchase is of an item already viewed in train: nothing new to find
        assertThat(Evaluator.split(events(new int[]{0, 0, 0}, new int[]{1, 2, 1}, new double[]{1, 1, 8}), 0, 3, 0.2))
                .isEmpty();
    }

    @Test
    void topKRanksByScoreThenLowerIndexAndSkipsExcludedItems() {
        double[] scores = {0.5, 0.9, 0.5, 0.7, 0.9, 0.1};
        assertThat(Evaluator.topK(scores, set(), 4)).containsExactly(1, 4, 3, 0);
        assertThat(Evaluator.topK(scores, set(1, 3), 3)).containsExactly(4, 0, 2);
        assertThat(Evaluator.topK(scores, set(0, 1, 2, 3), 3)).containsExactly(4, 5);
        assertThat(Evaluator.rankAll(scores)).containsExactly(1, 4, 3, 0, 2, 5);
    }

    @Test
    void randomPicksAreDistinctNotExcludedAndTheSameForTheSameSeed() {
        int[] a = Evaluator.randomPick(new SplittableRandom(7), 100, set(0, 1, 2), 10);
        int[] b = Evaluator.randomPick(new SplittableRandom(7), 100, set(0, 1, 2), 10);
        assertThat(a).containsExactly(b).doesNotContain(0, 1, 2).doesNotHaveDuplicates().hasSize(10);
        int[] few = Evaluator.randomPick(new SplittableRandom(7), 5, set(0, 1), 10);
        assertThat(few).containsExactlyInAnyOrder(2, 3, 4);
    }

    @Test
    void onTwoTopicsTheEngineFindsTheUsersTopicWhereMostPopularCannot() {
        // items 0-2 on the x axis, 3-5 on the y axis
        float[] v = new float[12];
        for (int i = 0; i < 3; i++) {
            v[2 * i] = 1;
            v[2 * (i + 3) + 1] = 1;
        }
        Evaluator.Catalog catalog = new Evaluator.Catalog(6, 2, v);
        // user 0 likes x: 0, 1 in train, 2 in test; users 1-3 like y: 5 in train, 3 in test
        Evaluator.Events ev = events(new int[]{0, 0, 0, 1, 1, 2, 2, 3, 3},
                new int[]{0, 1, 2, 5, 3, 5, 3, 5, 3}, new double[]{8, 8, 8, 8, 4, 8, 4, 8, 4});
        UserVectorAggregator aggregator = new UserVectorAggregator(new UserVectorAggregator.Settings(
                UserVectorAggregator.Decay.NONE, 1, 1));
        Evaluator.Settings settings = new Evaluator.Settings(1, 0.2, 1, 0.05, 1, 4, 1e12);
        Evaluator.Result r = new Evaluator(settings, aggregator).run(catalog, ev, (t, d) -> true);
        assertThat(r.users()).isEqualTo(new Evaluator.Users(4, 0, 0, 0));
        assertThat(r.trainEvents()).isEqualTo(5);
        assertThat(r.testItems()).isEqualTo(4);
        assertThat(r.recommenders().stream().map(Evaluator.Named::name).toList())
                .isEqualTo(List.of("engine", "most_popular", "random"));
        RankingMetrics.Summary engine = r.recommenders().get(0).summary();
        RankingMetrics.Summary popular = r.recommenders().get(1).summary();
        // engine: user 0 -> 2 (cosine 1, its x neighbours 0 and 1 are train); users 1-3 -> 3 (cosine 1, tied with
        // 4 at popularity 0: the lower index wins): four hits
        assertThat(engine.recall()).isCloseTo(1.0, within(1e-12));
        assertThat(engine.coverage()).isCloseTo(2 / 6.0, within(1e-12));
        // train popularity: 5 (3 x 8), then 0 and 1 (8 each), then nothing: user 0 gets 5, users 1-3 get 0; no hit
        assertThat(popular.recall()).isEqualTo(0.0);
        assertThat(popular.coverage()).isCloseTo(2 / 6.0, within(1e-12));
    }

    @Test
    void usersWithoutAVectorGetTheMostPopularItemsFromTheEngineToo() {
        // item 1 has no vector (zeros): user 0's only train item; user 1 makes 2 popular
        Evaluator.Catalog catalog = new Evaluator.Catalog(3, 2, new float[]{1, 0, 0, 0, 0, 1});
        Evaluator.Events ev = events(new int[]{0, 0, 1, 1}, new int[]{1, 2, 2, 0}, new double[]{1, 1, 8, 1});
        UserVectorAggregator aggregator = new UserVectorAggregator(new UserVectorAggregator.Settings(
                UserVectorAggregator.Decay.NONE, 1, 1));
        Evaluator.Result r = new Evaluator(new Evaluator.Settings(1, 0.5, 1, 0.05, 5, 4, 1e12), aggregator)
                .run(catalog, ev, (t, d) -> true);
        assertThat(r.users().withoutVector()).isEqualTo(1);
        assertThat(r.recommenders().get(0).summary()).isEqualTo(r.recommenders().get(1).summary());
    }
}
