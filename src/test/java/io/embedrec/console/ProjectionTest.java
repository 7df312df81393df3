package io.embedrec.console;

import org.junit.jupiter.api.Test;

/**
 * The map's projection runs in the browser (console/projection.js with the vendored umap-js), so its unit tests are
 * JavaScript (src/test/js/projection.test.mjs: two well-separated clusters stay separated under UMAP and PCA, ...);
 * this runs them in ./mvnw verify.
 */
class ProjectionTest {

    @Test
    void projectionKeepsSeparatedClustersApart() throws Exception {
        NodeScript.run(300, "--test", "src/test/js/projection.test.mjs");
    }
}
