package io.embedrec.console;

import org.junit.jupiter.api.Test;

/**
 * Runs src/test/js/pages.test.mjs: the jobs page's progress and ETA of a background embedding, the item page's
 * availability line.
 */
class ConsolePagesTest {

    @Test
    void backgroundEmbeddingProgressAndAvailabilityReadRight() throws Exception {
        NodeScript.run(120, "--test", "src/test/js/pages.test.mjs");
    }
}
