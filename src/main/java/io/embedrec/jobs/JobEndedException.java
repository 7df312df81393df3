package io.embedrec.jobs;

import io.embedrec.common.ProblemException;

/** The job has already ended, so it cannot be cancelled (409). */
public class JobEndedException extends ProblemException {

    public JobEndedException(String detail) {
        super(detail);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String slug() {
        return "job-ended";
    }

    @Override
    public String title() {
        return "Job has ended";
    }
}
