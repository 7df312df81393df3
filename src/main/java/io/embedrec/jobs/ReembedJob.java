package io.embedrec.jobs;

import io.embedrec.interaction.EventRepository;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Re-embedding a space (and building a new one): its items go into the embedding queue under the job's id, every
 * instance's embedding pipeline works them off, and the job ends when none is left (then a new space gets its index
 * and every user's vector in it).
 */
@ApplicationScoped
class ReembedJob implements JobHandler {

    private static final Logger LOG = Logger.getLogger(ReembedJob.class);

    private final JobRepository jobs;
    private final SpaceService spaces;
    private final EventRepository events;

    ReembedJob(JobRepository jobs, SpaceService spaces, EventRepository events) {
        this.jobs = jobs;
        this.spaces = spaces;
        this.events = events;
    }

    @Override
    public String type() {
        return JobService.REEMBED;
    }

    @Override
    public Mode mode() {
        return Mode.QUEUE;
    }

    @Override
    public void prepare(Job job) {
        Optional<Space> space = spaces.byId(((Number) job.params().get("space_id")).intValue());
        if (space.isEmpty()) {
            jobs.finishIf(job.id(), Job.State.FAILED, "space '" + job.params().get("space") + "' was dropped", "true");
            return;
        }
        long[] totals = spaces.queueReembed(space.get(), String.valueOf(job.params().get("scope")), job.id());
        jobs.setTotals(job.id(), totals[0], totals[1]);
    }

    @Override
    public void advance(Job job, BooleanSupplier going) {
        finishIfDrained(job.id());
    }

    /** Ends a running re-embed whose queue rows are all gone (or failed); builds a new space's index. */
    void finishIfDrained(UUID jobId) {
        Optional<Job> finished = QuarkusTransaction.requiringNew().call(() -> {
            boolean ended = jobs.finishIf(jobId, Job.State.DONE, null, "NOT EXISTS (SELECT 1 FROM embedding_queue q "
                    + "WHERE q.job_id = jobs.id AND NOT q.failed)");
            return ended ? jobs.get(jobId) : Optional.<Job>empty();
        });
        finished.ifPresent(j -> {
            LOG.infof("job %s done: %d embedded, %d skipped, %d failed", j.id(), j.done(), j.skipped(), j.failed());
            Object sid = j.params().get("space_id");
            if (sid instanceof Number n) {
                spaces.finishBuild(n.intValue());
                QuarkusTransaction.requiringNew().run(() -> events.queueRebuildAll(n.intValue()));
            }
        });
    }
}
