package io.embedrec.jobs;

import io.embedrec.common.ProblemException;

/** No job has this id (404). */
public class JobNotFoundException extends ProblemException {

    public JobNotFoundException(String id) {
        super("no job with id '" + id + "'");
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String slug() {
        return "job-not-found";
    }

    @Override
    public String title() {
        return "Job not found";
    }
}
