package io.embedrec.interaction;

import io.embedrec.common.NotFoundProblem;

/** No user has this id (404). Feeds do not throw it: they answer unknown users with a cold-start feed. */
public class UserNotFoundException extends NotFoundProblem {

    public UserNotFoundException(String id) {
        super("user", "no user with id '" + id + "'");
    }
}
