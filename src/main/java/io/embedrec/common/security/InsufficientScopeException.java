package io.embedrec.common.security;

import io.embedrec.common.ProblemException;

/** The key is valid but its scope is too small for this call (403). */
public class InsufficientScopeException extends ProblemException {

    public InsufficientScopeException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String slug() {
        return "forbidden";
    }

    @Override
    public String title() {
        return "Forbidden";
    }
}
