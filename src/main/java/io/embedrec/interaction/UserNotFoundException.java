package io.embedrec.interaction;

import io.embedrec.common.ProblemException;

/** No user has this id (404). Feeds do not throw it: they answer unknown users with a cold-start feed. */
public class UserNotFoundException extends ProblemException {

    public UserNotFoundException(String id) {
        super("no user with id '" + id + "'");
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return "user-not-found";
    }

    @Override
    public String title() {
        return "User not found";
    }
}
