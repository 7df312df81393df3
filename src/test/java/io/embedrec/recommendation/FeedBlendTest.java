package io.embedrec.recommendation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FeedBlendTest {

    @Test
    void theVectorsShareGrowsWithPositiveEventsUntilWarmUp() {
        assertThat(FeedBlend.beta(0, 5)).isEqualTo(0.0);
        assertThat(FeedBlend.beta(2, 5)).isCloseTo(0.4, within(1e-15));
        assertThat(FeedBlend.beta(9, 5)).isEqualTo(1.0);
        assertThat(FeedBlend.beta(1, 0)).isEqualTo(1.0); // warm-up 0 is treated as 1
    }

    @Test
    void candidatesAreKTimesTheFactorCappedAtAThousand() {
        assertThat(FeedBlend.candidates(10, 4)).isEqualTo(40);
        assertThat(FeedBlend.candidates(10, 0)).isEqualTo(10);
        assertThat(FeedBlend.candidates(500, 4)).isEqualTo(1000);
    }
}
