package io.embedrec.jobs;

import io.embedrec.interaction.EventRepository;
import io.embedrec.interaction.UserVectorService;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Rebuilding user vectors from their histories: every user of the job's spaces goes into the rebuild queue, every
 * instance drains it a batch at a time, and the job ends when the queue of its spaces is empty. Rows another
 * instance drains meanwhile are rebuilt too, only not counted by this one.
 */
@ApplicationScoped
class RebuildUsersJob implements JobHandler {

    private static final Logger LOG = Logger.getLogger(RebuildUsersJob.class);
    static final int BATCH = 200;

    private final JobRepository jobs;
    private final SpaceService spaces;
    private final EventRepository events;
    private final UserVectorService userVectors;

    RebuildUsersJob(JobRepository jobs, SpaceService spaces, EventRepository events, UserVectorService userVectors) {
        this.jobs = jobs;
        this.spaces = spaces;
        this.events = events;
        this.userVectors = userVectors;
    }

    @Override
    public String type() {
        return JobService.REBUILD_USERS;
    }

    @Override
    public Mode mode() {
        return Mode.QUEUE;
    }

    @Override
    public void prepare(Job job) {
        int[] ids = spaceIds(job);
        if (ids.length == 0) {
            jobs.finishIf(job.id(), Job.State.FAILED, job.params().containsKey("space")
                    ? "space '" + job.params().get("space") + "' was dropped" : "there is no space", "true");
            return;
        }
        for (int id : ids) {
            events.queueRebuildAll(id);
        }
        jobs.setTotals(job.id(), events.users() * ids.length, 0);
    }

    @Override
    public void advance(Job job, BooleanSupplier going) {
        int[] ids = spaceIds(job);
        while (going.getAsBoolean()) {
            Optional<Job> now = QuarkusTransaction.requiringNew().call(() -> jobs.get(job.id()));
            if (now.isEmpty() || now.get().state().ended()) {
                return;
            }
            int n = userVectors.rebuildQueued(ids, BATCH);
            if (n == 0) {
                QuarkusTransaction.requiringNew().run(() -> jobs.finishIf(job.id(), Job.State.DONE, null, "true"));
                LOG.infof("job %s (rebuild-users) done", job.id());
                return;
            }
            QuarkusTransaction.requiringNew().run(() -> jobs.addDone(job.id(), n));
        }
    }

    private int[] spaceIds(Job job) {
        Object sid = job.params().get("space_id");
        if (sid instanceof Number n) {
            return spaces.byId(n.intValue()).map(s -> new int[]{s.id()}).orElse(new int[0]);
        }
        return spaces.userVectorSpaces().stream().mapToInt(Space::id).toArray();
    }
}
