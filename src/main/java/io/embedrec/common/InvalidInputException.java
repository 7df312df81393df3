package io.embedrec.common;

import java.util.List;

/** The request was understood but some of its values are not acceptable (400). */
public class InvalidInputException extends ProblemException {

    public InvalidInputException(String detail) {
        super(detail);
    }

    public InvalidInputException(String detail, List<FieldError> errors) {
        super(detail, errors);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String slug() {
        return "invalid-input";
    }

    @Override
    public String title() {
        return "Invalid input";
    }
}
