package io.embedrec.recommendation;

import io.embedrec.common.ProblemException;

/** The item exists but its vector in the space is not made yet (409; retry once it is ready). */
public class VectorNotReadyException extends ProblemException {

    public VectorNotReadyException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String slug() {
        return "vector-not-ready";
    }

    @Override
    public String title() {
        return "Vector not ready";
    }
}
