package io.embedrec.console;

import io.embedrec.common.NotFoundProblem;

/** The space has no saved map yet (404); the console then offers to compute one. */
public class MapNotFoundException extends NotFoundProblem {

    MapNotFoundException(String detail) {
        super("map", detail);
    }

    @Override
    public String title() {
        return "No map for this space";
    }
}
