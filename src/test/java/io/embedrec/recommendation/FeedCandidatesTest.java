package io.embedrec.recommendation;

import io.embedrec.recommendation.FeedCandidates.Found;
import io.embedrec.recommendation.FeedCandidates.Scored;
import io.embedrec.recommendation.Recommender.Source;
import io.embedrec.interaction.UserVectorAggregator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeedCandidatesTest {

    static FeedCandidates.Vectors vectors(Map<String, float[]> content, Map<String, float[]> collaborative) {
        return new FeedCandidates.Vectors() {
            public float[] content(String id) {
                return content.get(id);
            }

            public float[] collaborative(String id) {
                return collaborative.get(id);
            }
        };
    }

    @Test
    void thePoolHasEveryScoreItsSourcesKnowWithMissedCosinesFilledInAndNewItemsMarked() {
        Found found = new Found(List.of(new Scored("a", 2.5)), List.of(new Scored("b", 0.9)),
                List.of(new Scored("c", 0.8)), List.of(new Scored("a", 1.0), new Scored("d", Double.NaN)));
        FeedCandidates.Pool pool = FeedCandidates.assemble(found, vectors(
                Map.of("a", new float[]{1, 0}, "b", new float[]{0, 1}, "c", new float[]{0.6f, 0.8f},
                        "d", new float[]{0.8f, 0.6f}),
                Map.of("a", new float[]{0, 1}, "b", new float[]{1, 0})), new float[]{1, 0}, new float[]{1, 0});
        assertThat(pool.candidates()).extracting(Recommender.Candidate::id).containsExactly("a", "b", "c", "d");
        Recommender.Candidate a = pool.candidates().get(0);
        assertThat(a.raw(Source.ITEMS)).isEqualTo(2.5);
        assertThat(a.raw(Source.COLLABORATIVE)).isEqualTo(0.0); // filled: (1,0)·(0,1)
        assertThat(a.raw(Source.CONTENT)).isEqualTo(1.0);       // filled: (1,0)·(1,0)
        assertThat(a.raw(Source.POPULARITY)).isEqualTo(1.0);
        assertThat(a.fresh()).isFalse();
        Recommender.Candidate b = pool.candidates().get(1);
        assertThat(b.raw(Source.COLLABORATIVE)).isEqualTo(0.9); // the list's score is kept
        assertThat(b.raw(Source.ITEMS)).isNaN();
        assertThat(b.fresh()).isFalse();
        // c and d have no collaborative vector and the item-item model does not reach them: new
        assertThat(pool.candidates().get(2).fresh()).isTrue();
        assertThat(pool.candidates().get(3).fresh()).isTrue();
        assertThat(pool.candidates().get(3).raw(Source.CONTENT)).isCloseTo(0.8, within(1e-7));
        assertThat(pool.candidates().get(3).raw(Source.POPULARITY)).isNaN();
        assertThat(pool.contentVectors()[2]).containsExactly(0.6f, 0.8f);
    }

    @Test
    void aSingleSpacePoolHasNoNewItems() {
        FeedCandidates.Pool pool = FeedCandidates.assemble(new Found(List.of(), List.of(),
                List.of(new Scored("x", 0.5)), List.of()), vectors(Map.of("x", new float[]{1, 0}), Map.of()),
                new float[]{1, 0}, null);
        assertThat(pool.candidates().get(0).fresh()).isFalse();
    }

    @Test
    void whileAUserWarmsUpPopularityTakesTheSimilaritySourcesShare() {
        // beta 0.4: the similarity weights keep 40%, popularity gains 60% of their sum (1 + 0.7 + 0.05 = 1.75)
        Recommender.Settings s = FeedCandidates.settings(new HybridWeights(1, 0.7, 0.05, 0), 0.4,
                Recommender.Calibration.ZSCORE, 0.1, 0.75, 10, 0);
        assertThat(s.weights()).containsExactly(new double[]{0.4, 0.28, 0.02, 1.05}, within(1e-12));
        assertThat(s.newSlots()).isEqualTo(1);
        // the share is rounded down: never exceeded
        assertThat(FeedCandidates.settings(new HybridWeights(1, 0, 0, 0), 1, Recommender.Calibration.ZSCORE, 0.1,
                0.75, 9, 0).newSlots()).isZero();
    }

    static final HybridWeights DEFAULT = new HybridWeights(1, 0.7, 0.05, 0);

    static double[] scores(List<Recommender.Ranked> ranked) {
        return ranked.stream().mapToDouble(Recommender.Ranked::score).toArray();
    }

    @Test
    void blendedMoreLikeThisRanksByTheCalibratedSourcesAndAnUntouchedItemCannotLeadOnContentAlone() {
        // the item is (1,0) in both spaces. a and b are its item-item neighbours (0.5, 0.1); the collaborative list
        // found d (1.0) and b (0.8), a's cosine is filled in from its vector (0.6); the content list found c (1.0)
        // and a (0.8), b's and d's are filled in (0.6, 0). c has no collaborative vector: nobody touched it.
        Found found = new Found(List.of(new Scored("a", 0.5), new Scored("b", 0.1)),
                List.of(new Scored("d", 1.0), new Scored("b", 0.8)),
                List.of(new Scored("c", 1.0), new Scored("a", 0.8)), List.of());
        FeedCandidates.Vectors v = vectors(
                Map.of("a", new float[]{0.8f, 0.6f}, "b", new float[]{0.6f, 0.8f}, "c", new float[]{1, 0},
                        "d", new float[]{0, 1}),
                Map.of("a", new float[]{0.6f, 0.8f}, "b", new float[]{0.8f, 0.6f}, "d", new float[]{1, 0}));
        float[] self = {1, 0};
        List<Recommender.Ranked> ranked = FeedCandidates.likeExamples(found, v, self, self, DEFAULT,
                Recommender.Calibration.ZSCORE, 4);
        // z(items) a +1, b -1, c and d -2; z(collaborative) of 0.6, 0.8, 1.0 is ∓sqrt(1.5) and 0, c one below;
        // z(content) of 0.8, 0.6, 1.0, 0 over sd sqrt(0.14). Weighed 1, 0.7, 0.05:
        assertThat(ranked).extracting(Recommender.Ranked::id).containsExactly("a", "b", "d", "c");
        assertThat(scores(ranked)).containsExactly(new double[]{0.169405, -1.0, -1.222857, -3.503869},
                within(1e-6));
        assertThat(ranked).noneMatch(Recommender.Ranked::fresh);
        // content alone (an item behaviour knows nothing of): c, the nearest text, leads
        assertThat(FeedCandidates.likeExamples(found, v, self, self, new HybridWeights(0, 0, 1, 0),
                Recommender.Calibration.ZSCORE, 2)).extracting(Recommender.Ranked::id).containsExactly("c", "a");
    }

    @Test
    void recommendByExampleScoresEachSpaceAgainstTheExamplesThenRanksLikeAFeed() {
        // content examples: positives (1,0) and (0,1), negative (-1,0); collaborative: positive (1,0), negative
        // (0,1) (the second positive is a text example, it has no collaborative vector); best score in both spaces
        ExampleScores.Query content = new ExampleScores.Query(false, null,
                List.of(new float[]{1, 0}, new float[]{0, 1}), List.of(new float[]{-1, 0}));
        ExampleScores.Query collaborative = new ExampleScores.Query(false, null,
                List.of(new float[]{1, 0}), List.of(new float[]{0, 1}));
        Map<String, FeedRepository.Both> both = new java.util.LinkedHashMap<>();
        both.put("x", new FeedRepository.Both(new float[]{0.8f, 0.6f}, new float[]{0.6f, 0.8f}));
        both.put("y", new FeedRepository.Both(new float[]{0.6f, 0.8f}, new float[]{1, 0}));
        both.put("z", new FeedRepository.Both(new float[]{-0.8f, 0.6f}, new float[]{0.8f, 0.6f}));
        both.put("w", new FeedRepository.Both(new float[]{0, 1}, null));
        Found found = RecommendService.found(List.of(new Scored("y", 0.4), new Scored("z", 0.2)), both, content,
                collaborative, List.of(new Scored("x", 1.0), new Scored("y", 0.5)));
        // x is nearer the negative than any positive in the collaborative space: -0.8; z in content: -0.8
        assertThat(found.content().stream().mapToDouble(Scored::score).toArray())
                .containsExactly(new double[]{0.8, 0.8, -0.8, 1.0}, within(1e-6));
        assertThat(found.collaborative().stream().mapToDouble(Scored::score).toArray())
                .containsExactly(new double[]{-0.8, 1.0, 0.8}, within(1e-6));
        List<Recommender.Ranked> ranked = FeedCandidates.likeExamples(found, FeedRepository.Both.of(both),
                new float[]{1, 0}, new float[]{1, 0}, DEFAULT, Recommender.Calibration.ZSCORE, 3);
        // w, the best content match, has no behaviour and stays out of the top 3; popularity weighs 0
        assertThat(ranked).extracting(Recommender.Ranked::id).containsExactly("y", "z", "x");
        assertThat(scores(ranked)).containsExactly(new double[]{1.603419, -0.680527, -2.960756}, within(1e-6));
        // the average strategy scores by the cosine to the query
        assertThat(new ExampleScores.Query(true, new float[]{0.6f, 0.8f}, List.of(), List.of())
                .score(new float[]{0, 1})).isCloseTo(0.8, within(1e-6));
    }

    @Test
    void historyDecayMatchesTheUserVectorsDecay() {
        var rank = new FeedCandidates.HistoryDecay(new UserVectorAggregator.Settings(UserVectorAggregator.Decay.RANK,
                86400, 3));
        assertThat(rank.weight(0, 0)).isEqualTo(1.0);
        assertThat(rank.weight(3, 0)).isEqualTo(0.5);
        assertThat(rank.weight(100_000, 0)).isEqualTo(Math.pow(2, -60)); // floored, as in the SQL
        var time = new FeedCandidates.HistoryDecay(new UserVectorAggregator.Settings(UserVectorAggregator.Decay.TIME,
                86400, 3));
        assertThat(time.weight(7, 2 * 86_400_000L)).isEqualTo(0.25);
        var none = new FeedCandidates.HistoryDecay(new UserVectorAggregator.Settings(UserVectorAggregator.Decay.NONE,
                86400, 3));
        assertThat(none.weight(50, 1L << 40)).isEqualTo(1.0);
    }
}
