package io.embedrec.space;

import io.embedrec.common.ProblemException;

/** An operation that needs item text or a model (embedding, re-embedding, search) named a collaborative space (400). */
public class NotAContentSpaceException extends ProblemException {

    public NotAContentSpaceException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String slug() {
        return "not-a-content-space";
    }

    @Override
    public String title() {
        return "Not a content space";
    }
}
