package io.embedrec.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pure batch planning: texts sorted by token length are cut into batches whose padded size (texts x longest text)
 * stays under a token budget, so similar lengths share a batch and little compute goes to padding. A text longer
 * than the budget gets a batch of its own.
 */
final class TokenBatcher {

    private TokenBatcher() {
    }

    /**
     * @param lengths token count of each text, in input order
     * @param budget  most padded tokens per batch
     * @return batches of input indices; within a batch indices are in ascending length order
     */
    static List<int[]> plan(int[] lengths, int budget) {
        int n = lengths.length;
        // sort indices by length (stable, so equal lengths keep input order): pack length and index into one long
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) lengths[i] << 32) | i;
        }
        Arrays.sort(keys);
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < n) {
            int end = start + 1;
            // ascending order: the text being added is the longest so far
            while (end < n && (long) (end - start + 1) * (int) (keys[end] >>> 32) <= budget) {
                end++;
            }
            int[] batch = new int[end - start];
            for (int k = start; k < end; k++) {
                batch[k - start] = (int) keys[k];
            }
            batches.add(batch);
            start = end;
        }
        return batches;
    }
}
