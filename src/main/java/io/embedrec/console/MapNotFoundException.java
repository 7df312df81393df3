package io.embedrec.console;

import io.embedrec.common.ProblemException;

/** The space has no saved map yet (404); the console then offers to compute one. */
public class MapNotFoundException extends ProblemException {

    MapNotFoundException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return "map-not-found";
    }

    @Override
    public String title() {
        return "No map for this space";
    }
}
