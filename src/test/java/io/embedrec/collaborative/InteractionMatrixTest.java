package io.embedrec.collaborative;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InteractionMatrixTest {

    @Test
    void duplicatesAreSummedAndBothSidesAreSortedByIndex() {
        // user 1 views item 2 twice and dislikes item 0; user 0 likes item 2; user 2 has nothing
        InteractionMatrix m = InteractionMatrix.of(3, 4,
                new int[]{1, 0, 1, 1, 1},
                new int[]{2, 2, 0, 2, 3},
                new double[]{1, 5, -5, 1, 0});
        assertThat(m.users()).isEqualTo(3);
        assertThat(m.items()).isEqualTo(4);
        assertThat(m.nonZeros()).isEqualTo(4); // (0,2) (1,0) (1,2) (1,3)
        assertThat(m.itemsOf(0)).containsExactly(2);
        assertThat(m.itemsOf(1)).containsExactly(0, 2, 3);
        assertThat(m.weightsOf(1)).containsExactly(-5, 2, 0);
        assertThat(m.itemsOf(2)).isEmpty();
        assertThat(m.usersOf(2)).containsExactly(0, 1);
        assertThat(m.usersOf(0)).containsExactly(1);
        assertThat(m.usersOf(1)).isEmpty();
        assertThat(m.weight(1, 2)).isEqualTo(2.0);
        assertThat(m.weight(0, 0)).isEqualTo(0.0);
        assertThat(m.positiveUsers(2)).isEqualTo(2);
        assertThat(m.positiveUsers(0)).isZero();
        assertThat(m.positiveUsers(3)).isZero();
    }

    @Test
    void aLikeAndADislikeOfTheSameItemCancelOut() {
        InteractionMatrix m = InteractionMatrix.of(1, 1, new int[]{0, 0}, new int[]{0, 0}, new double[]{5, -5});
        assertThat(m.nonZeros()).isEqualTo(1);
        assertThat(m.weight(0, 0)).isEqualTo(0.0);
        assertThat(m.positiveUsers(0)).isZero();
    }

    @Test
    void onlyTheFirstNTripletsOfLargerBuffersAreRead() {
        InteractionMatrix m = InteractionMatrix.of(2, 2, new int[]{0, 1, 1}, new int[]{1, 0, 1},
                new double[]{3, 4, 99}, 2);
        assertThat(m.nonZeros()).isEqualTo(2);
        assertThat(m.weight(1, 1)).isEqualTo(0.0);
    }

    @Test
    void anEmptyMatrixHasNoEntries() {
        InteractionMatrix m = InteractionMatrix.of(0, 0, new int[0], new int[0], new double[0]);
        assertThat(m.nonZeros()).isZero();
    }

    @Test
    void indicesOutOfRangeAndNonFiniteWeightsAreRejected() {
        assertThatThrownBy(() -> InteractionMatrix.of(2, 2, new int[]{2}, new int[]{0}, new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("triplet 0 (2, 0) is outside 2 x 2");
        assertThatThrownBy(() -> InteractionMatrix.of(2, 2, new int[]{0}, new int[]{-1}, new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("triplet 0 (0, -1) is outside 2 x 2");
        assertThatThrownBy(() -> InteractionMatrix.of(2, 2, new int[]{0, 1}, new int[]{0, 1},
                new double[]{1, Double.NaN})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("triplet 1 has weight NaN");
        assertThatThrownBy(() -> InteractionMatrix.of(2, 2, new int[]{0}, new int[]{0, 1}, new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user, item and weight arrays differ in length: 1, 2, 1");
    }
}
