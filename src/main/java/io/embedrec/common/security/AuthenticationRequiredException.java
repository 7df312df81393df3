package io.embedrec.common.security;

import io.embedrec.common.ProblemException;

/** No usable API key was sent while keys are configured (401). */
public class AuthenticationRequiredException extends ProblemException {

    public AuthenticationRequiredException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String slug() {
        return "unauthorized";
    }

    @Override
    public String title() {
        return "Unauthorized";
    }
}
