package io.embedrec.embedding;

import io.embedrec.common.ProblemException;

/** The model cannot take more work right now (503 with Retry-After): too many callers, or a stuck batch. */
public class ModelBusyException extends ProblemException {

    public ModelBusyException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String slug() {
        return "model-busy";
    }

    @Override
    public String title() {
        return "Model busy";
    }

    @Override
    public long retryAfterSeconds() {
        return 5;
    }
}
