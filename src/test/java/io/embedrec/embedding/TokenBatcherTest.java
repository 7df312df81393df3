package io.embedrec.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBatcherTest {

    @Test
    void sortsByLengthAndCutsUnderTheBudget() {
        // sorted: 2 (#1), 2 (#3), 4 (#4), 5 (#0), 9 (#2); padded sizes 2x2=4, 3x4=12 > 10 -> cut; 2x5=10; 9 alone
        assertThat(TokenBatcher.plan(new int[]{5, 2, 9, 2, 4}, 10))
                .containsExactly(new int[]{1, 3}, new int[]{4, 0}, new int[]{2});
    }

    @Test
    void aTextOverTheBudgetGetsABatchOfItsOwn() {
        assertThat(TokenBatcher.plan(new int[]{20, 3, 3}, 10))
                .containsExactly(new int[]{1, 2}, new int[]{0});
    }

    @Test
    void equalLengthsKeepInputOrder() {
        assertThat(TokenBatcher.plan(new int[]{7, 7, 7, 7}, 1000))
                .containsExactly(new int[]{0, 1, 2, 3});
    }

    @Test
    void noTextsNoBatches() {
        assertThat(TokenBatcher.plan(new int[0], 10)).isEmpty();
    }
}
