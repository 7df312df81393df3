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
