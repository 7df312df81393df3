package io.embedrec.jobs;

import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A kind of job, the one mechanism every job type goes through. Implementations are CDI beans; the job loop finds
 * them by {@link #type()}, calls {@link #prepare} in the transaction that marks a job running, then either
 * <ul>
 *   <li>{@link Mode#RUN}: runs it start to end on the starting instance's jobs thread ({@link #run}), under a lease
 *   that instance renews; when the lease lapses any instance fails the job and calls {@link #interrupted}; or</li>
 *   <li>{@link Mode#QUEUE}: its work sits in a shared queue that every instance's workers drain, and every
 *   instance's job loop calls {@link #advance} for each running job of the type, which ends it once the queue is
 *   done (a crash loses nothing: the queue is in the database).</li>
 * </ul>
 */
public interface JobHandler {

    /** How a job's work gets done. */
    enum Mode { RUN, QUEUE }

    /** The {@code jobs.type} this handler runs. */
    String type();

    default Mode mode() {
        return Mode.RUN;
    }

    /**
     * Lays out the job's work as it starts, inside the transaction that marks it running (so a crash leaves it
     * queued); may end the job at once (e.g. its space is gone).
     */
    default void prepare(Job job) {
    }

    /**
     * {@link Mode#RUN}: runs the job outside any transaction and returns its result, stored as the job's
     * {@code result}. Throwing fails the job ({@link JobFailedException} with its message, anything else as an
     * incident).
     */
    default Map<String, Object> run(Job job, Progress progress) {
        throw new UnsupportedOperationException(type() + " jobs are done from their queue");
    }

    /**
     * {@link Mode#QUEUE}: moves a running job on while {@code going} holds, and ends it when its work is done.
     */
    default void advance(Job job, BooleanSupplier going) {
    }

    /**
     * Cleans up after a {@link Mode#RUN} job whose instance stopped (the job is failed already), e.g. drops what it
     * had half built.
     */
    default void interrupted(Job job) {
    }

    /** Lets a handler show progress and notice a cancel. */
    interface Progress {
        /** Records progress; false when the job was cancelled meanwhile (the handler should stop). */
        boolean update(long total, long done);
    }
}
