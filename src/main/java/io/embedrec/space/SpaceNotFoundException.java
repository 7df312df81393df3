package io.embedrec.space;

import io.embedrec.common.ProblemException;

/** No space has this name (404). */
public class SpaceNotFoundException extends ProblemException {

    public SpaceNotFoundException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return "space-not-found";
    }

    @Override
    public String title() {
        return "Space not found";
    }
}
