package io.embedrec.collaborative;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ItemNeighboursTest {

    /**
     * Four users, three items: u0 and u1 like items 0 and 1, u2 likes 1 and 2, u3 likes 0 and 2 (and dislikes 1,
     * which is not a positive). XᵀX = [[3,2,1],[2,3,1],[1,1,2]]; the mean diagonal is 8/3, so λ scale 0.75 gives λ = 2
     * and B = −P/diag(P) with P = (XᵀX + 2I)⁻¹ is, by hand (and numpy): B[0][1] = B[1][0] = 7/19,
     * B[0][2] = B[1][2] = 1/7, B[2][0] = B[2][1] = 3/19.
     */
    static InteractionMatrix fourUsers() {
        return InteractionMatrix.of(4, 3,
                new int[]{0, 0, 1, 1, 2, 2, 3, 3, 3},
                new int[]{0, 1, 0, 1, 1, 2, 0, 2, 1},
                new double[]{1, 1, 1, 1, 1, 1, 1, 1, -5});
    }

    @Test
    void easeMatchesTheClosedFormComputedByHand() {
        ItemNeighbours m = ItemNeighbours.ease(fourUsers(), 0.75, 10);
        assertThat(m.lambda()).isCloseTo(2.0, within(1e-12));
        assertThat(m.items()[0]).containsExactly(1, 2);
        assertThat(m.weights()[0][0]).isCloseTo(7f / 19, within(1e-6f));
        assertThat(m.weights()[0][1]).isCloseTo(1f / 7, within(1e-6f));
        assertThat(m.items()[1]).containsExactly(0, 2);
        assertThat(m.weights()[1][0]).isCloseTo(7f / 19, within(1e-6f));
        // a tie keeps the lower index first
        assertThat(m.items()[2]).containsExactly(0, 1);
        assertThat(m.weights()[2][0]).isCloseTo(3f / 19, within(1e-6f));
        assertThat(m.weights()[2][1]).isCloseTo(3f / 19, within(1e-6f));
        assertThat(m.size()).isEqualTo(6);
    }

    @Test
    void easeKeepsOnlyTheBestNeighboursAndLeavesItemsNobodyLikedEmpty() {
        InteractionMatrix m = InteractionMatrix.of(4, 4,
                new int[]{0, 0, 1, 1, 2, 2, 3, 3},
                new int[]{0, 1, 0, 1, 1, 2, 0, 2},
                new double[]{1, 1, 1, 1, 1, 1, 1, 1});
        ItemNeighbours one = ItemNeighbours.ease(m, 0.75, 1);
        assertThat(one.items()[0]).containsExactly(1);
        assertThat(one.items()[3]).isEmpty();
        assertThat(one.weights()[3]).isEmpty();
    }

    @Test
    void knnIsTheCosineOfCoConsumption() {
        // items 0 and 1: 2 common fans of 3 each → 2/3; items 0 and 2: 1 common, 3 and 2 fans → 1/sqrt(6)
        ItemNeighbours m = ItemNeighbours.knn(fourUsers(), 10);
        assertThat(m.lambda()).isZero();
        assertThat(m.items()[0]).containsExactly(1, 2);
        assertThat(m.weights()[0][0]).isCloseTo(2f / 3, within(1e-6f));
        assertThat(m.weights()[0][1]).isCloseTo((float) (1 / Math.sqrt(6)), within(1e-6f));
    }
}
