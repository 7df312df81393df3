package io.embedrec.console;

import org.junit.jupiter.api.Test;

/** Runs src/test/js/eval.test.mjs: how the evaluation page reads the rows of an evaluation job's result. */
class EvaluationResultTest {

    @Test
    void evaluationPageChartsEachRecommenderRowOfAnEvaluationJob() throws Exception {
        NodeScript.run(120, "--test", "src/test/js/eval.test.mjs");
    }
}
