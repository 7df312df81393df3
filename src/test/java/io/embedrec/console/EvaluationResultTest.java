package io.embedrec.console;

import org.junit.jupiter.api.Test;

/** Runs src/test/js/eval.test.mjs: the evaluation page reads each plausible result shape the same way. */
class EvaluationResultTest {

    @Test
    void evaluationPageReadsRecallAndNdcgFromEachResultShape() throws Exception {
        NodeScript.run(120, "--test", "src/test/js/eval.test.mjs");
    }
}
