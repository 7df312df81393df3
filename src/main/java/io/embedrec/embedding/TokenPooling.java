package io.embedrec.embedding;

/**
 * Pure pooling math: token vectors of a padded batch, laid out {@code [batch][tokens][dims]} in one flat array
 * (as ONNX Runtime returns them), become one vector per text. Padding positions (attention mask 0) never count.
 */
final class TokenPooling {

    /** sentence-transformers clamps the token count and torch's normalize clamps the norm from below likewise. */
    private static final float EPS_COUNT = 1e-9f;
    private static final float EPS_NORM = 1e-12f;

    private TokenPooling() {
    }

    /**
     * Pools row {@code row} of a batch.
     *
     * @param hidden token vectors, {@code batch * tokens * dims} floats
     * @param mask   attention mask, {@code batch * tokens} entries of 0 or 1
     * @param out    receives {@code dims} floats
     */
    static void pool(Pooling pooling, float[] hidden, long[] mask, int row, int tokens, int dims, float[] out) {
        switch (pooling) {
            case MEAN -> mean(hidden, mask, row, tokens, dims, out);
            case CLS -> System.arraycopy(hidden, row * tokens * dims, out, 0, dims);
            case MAX -> max(hidden, mask, row, tokens, dims, out);
            default -> throw new IllegalArgumentException("unknown pooling " + pooling);
        }
    }

    /** Mean over unmasked tokens, as sentence-transformers' Pooling(mean) computes it. */
    static void mean(float[] hidden, long[] mask, int row, int tokens, int dims, float[] out) {
        java.util.Arrays.fill(out, 0, dims, 0f);
        int count = 0;
        int base = row * tokens;
        for (int t = 0; t < tokens; t++) {
            if (mask[base + t] == 0) {
                continue;
            }
            count++;
            int off = (base + t) * dims;
            for (int d = 0; d < dims; d++) {
                out[d] += hidden[off + d];
            }
        }
        float div = Math.max(count, EPS_COUNT);
        for (int d = 0; d < dims; d++) {
            out[d] /= div;
        }
    }

    /** Element-wise maximum over unmasked tokens; all zeros when no token is unmasked. */
    static void max(float[] hidden, long[] mask, int row, int tokens, int dims, float[] out) {
        boolean any = false;
        int base = row * tokens;
        for (int t = 0; t < tokens; t++) {
            if (mask[base + t] == 0) {
                continue;
            }
            int off = (base + t) * dims;
            if (!any) {
                System.arraycopy(hidden, off, out, 0, dims);
                any = true;
                continue;
            }
            for (int d = 0; d < dims; d++) {
                float v = hidden[off + d];
                if (v > out[d]) {
                    out[d] = v;
                }
            }
        }
        if (!any) {
            java.util.Arrays.fill(out, 0, dims, 0f);
        }
    }

    /** Scales {@code v} to unit L2 length in place; a zero vector stays zero. */
    static void l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float norm = Math.max((float) Math.sqrt(sum), EPS_NORM);
        for (int i = 0; i < v.length; i++) {
            v[i] /= norm;
        }
    }

    /** Cosine similarity of two equal-length vectors; 0 when either is zero. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
