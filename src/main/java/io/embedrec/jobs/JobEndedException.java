package io.embedrec.jobs;

import io.embedrec.common.ConflictProblem;

/** The job has already ended, so it cannot be cancelled (409). */
public class JobEndedException extends ConflictProblem {

    public JobEndedException(String detail) {
        super("job-ended", "Job has ended", detail);
    }
}
