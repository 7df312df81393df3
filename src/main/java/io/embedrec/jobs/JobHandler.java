package io.embedrec.jobs;

import java.util.Map;

/**
 * A kind of job that runs start to end on the jobs thread (an evaluation), unlike re-embeds, which the embedding
 * pipeline completes item by item. Implementations are CDI beans; the runner finds them by {@link #type()}.
 */
public interface JobHandler {

    /** The {@code jobs.type} this handler runs. */
    String type();

    /**
     * Runs the job outside any transaction and returns its result, stored as the job's {@code result}. Throwing
     * fails the job with the exception's message.
     */
    Map<String, Object> run(Job job, Progress progress);

    /**
     * Cleans up after a run of this job that a restart of its instance interrupted (the job is failed already),
     * e.g. drops what it had half built.
     */
    default void interrupted(Job job) {
    }

    /** Lets a handler show progress and notice a cancel. */
    interface Progress {
        /** Records progress; false when the job was cancelled meanwhile (the handler should stop). */
        boolean update(long total, long done);
    }
}
