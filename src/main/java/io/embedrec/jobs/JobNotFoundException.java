package io.embedrec.jobs;

import io.embedrec.common.NotFoundProblem;

/** No job has this id (404). */
public class JobNotFoundException extends NotFoundProblem {

    public JobNotFoundException(String id) {
        super("job", "no job with id '" + id + "'");
    }
}
