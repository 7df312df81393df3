package io.embedrec.embedding;

import io.embedrec.common.ProblemException;

/** {@code GET /v1/models/{id}} for a model that is not configured (404). */
public class ModelNotFoundException extends ProblemException {

    public ModelNotFoundException(String name) {
        super("no model '" + name + "'; GET /v1/models lists them");
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return "model-not-found";
    }

    @Override
    public String title() {
        return "Model not found";
    }
}
