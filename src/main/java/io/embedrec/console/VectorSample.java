package io.embedrec.console;

import java.util.List;

/**
 * A stable sample of a space's item vectors for projecting them in the browser. Each vector is base64 of
 * little-endian float32 (a quarter of the size of JSON numbers: 20,000 × 384 floats stay near 40 MB).
 */
public record VectorSample(String space, int dimensions, long total, List<Entry> items) {

    public record Entry(String id, String title, String category, String vector) {
    }
}
