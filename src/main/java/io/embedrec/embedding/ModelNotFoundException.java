package io.embedrec.embedding;

import io.embedrec.common.NotFoundProblem;

/** {@code GET /v1/models/{id}} for a model that is not configured (404). */
public class ModelNotFoundException extends NotFoundProblem {

    public ModelNotFoundException(String name) {
        super("model", "no model '" + name + "'; GET /v1/models lists them");
    }
}
