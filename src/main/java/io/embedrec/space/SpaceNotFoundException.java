package io.embedrec.space;

import io.embedrec.common.NotFoundProblem;

/** No space has this name (404). */
public class SpaceNotFoundException extends NotFoundProblem {

    public SpaceNotFoundException(String detail) {
        super("space", detail);
    }
}
