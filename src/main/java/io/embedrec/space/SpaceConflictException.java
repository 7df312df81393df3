package io.embedrec.space;

import io.embedrec.common.ConflictProblem;

/** The space exists but is in the wrong state for this operation (409), e.g. dropping the active space. */
public class SpaceConflictException extends ConflictProblem {

    public SpaceConflictException(String detail) {
        super("space-conflict", "Space is not in a state for this", detail);
    }
}
