package io.embedrec.space;

import io.embedrec.common.ProblemException;

/** The space exists but is in the wrong state for this operation (409), e.g. dropping the active space. */
public class SpaceConflictException extends ProblemException {

    public SpaceConflictException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String slug() {
        return "space-conflict";
    }

    @Override
    public String title() {
        return "Space is not in a state for this";
    }
}
