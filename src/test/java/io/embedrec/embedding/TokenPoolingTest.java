package io.embedrec.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TokenPoolingTest {

    /** Two texts, three token positions, two dims; the third token of row 0 is padding with huge values. */
    static final float[] HIDDEN = {
            1, 2, 3, 4, 100, -100,
            0, 0, -1, 5, 2, -5};
    static final long[] MASK = {1, 1, 0, 1, 1, 1};

    @Test
    void meanIgnoresMaskedPositions() {
        float[] out = new float[2];
        TokenPooling.pool(Pooling.MEAN, HIDDEN, MASK, 0, 3, 2, out);
        assertThat(out).containsExactly(2f, 3f);
    }

    @Test
    void meanOverAFullRow() {
        float[] out = new float[2];
        TokenPooling.pool(Pooling.MEAN, HIDDEN, MASK, 1, 3, 2, out);
        assertThat(out[0]).isCloseTo(1f / 3f, within(1e-7f));
        assertThat(out[1]).isEqualTo(0f);
    }

    @Test
    void maxIgnoresMaskedPositions() {
        float[] out = new float[2];
        TokenPooling.pool(Pooling.MAX, HIDDEN, MASK, 0, 3, 2, out);
        assertThat(out).containsExactly(3f, 4f);
        TokenPooling.pool(Pooling.MAX, HIDDEN, MASK, 1, 3, 2, out);
        assertThat(out).containsExactly(2f, 5f);
    }

    @Test
    void maxOfNegativeValuesIsNotZero() {
        float[] out = new float[1];
        TokenPooling.pool(Pooling.MAX, new float[]{-3, -1, 7}, new long[]{1, 1, 0}, 0, 3, 1, out);
        assertThat(out).containsExactly(-1f);
    }

    @Test
    void clsTakesTheFirstTokenOfItsRow() {
        float[] out = new float[2];
        TokenPooling.pool(Pooling.CLS, HIDDEN, MASK, 0, 3, 2, out);
        assertThat(out).containsExactly(1f, 2f);
        TokenPooling.pool(Pooling.CLS, HIDDEN, MASK, 1, 3, 2, out);
        assertThat(out).containsExactly(0f, 0f);
    }

    @Test
    void fullyMaskedRowPoolsToZeroAndOverwritesTheOutput() {
        float[] out = {9, 9};
        TokenPooling.pool(Pooling.MEAN, HIDDEN, new long[]{0, 0, 0, 1, 1, 1}, 0, 3, 2, out);
        assertThat(out).containsExactly(0f, 0f);
        out = new float[]{9, 9};
        TokenPooling.pool(Pooling.MAX, HIDDEN, new long[]{0, 0, 0, 1, 1, 1}, 0, 3, 2, out);
        assertThat(out).containsExactly(0f, 0f);
    }

    @Test
    void l2NormaliseScalesToUnitLength() {
        float[] v = {3, 4};
        TokenPooling.l2Normalize(v);
        assertThat(v).containsExactly(0.6f, 0.8f);
    }

    @Test
    void l2NormaliseLeavesTheZeroVectorZero() {
        float[] v = {0, 0, 0};
        TokenPooling.l2Normalize(v);
        assertThat(v).containsExactly(0f, 0f, 0f);
    }

    @Test
    void cosineOfKnownVectors() {
        assertThat(TokenPooling.cosine(new float[]{1, 0}, new float[]{0, 1})).isEqualTo(0.0);
        assertThat(TokenPooling.cosine(new float[]{1, 1}, new float[]{2, 2})).isCloseTo(1.0, within(1e-12));
        assertThat(TokenPooling.cosine(new float[]{1, 0}, new float[]{-1, 0})).isEqualTo(-1.0);
        assertThat(TokenPooling.cosine(new float[]{0, 0}, new float[]{1, 0})).isEqualTo(0.0);
    }
}
