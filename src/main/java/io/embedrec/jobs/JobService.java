package io.embedrec.jobs;

import io.embedrec.common.Cursor;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.Page;
import io.embedrec.space.Space;
import io.embedrec.space.BuildQueue;
import io.embedrec.space.SpaceService;
import io.embedrec.space.VectorRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Job use cases: start a re-embed (or a space build), read, list, cancel. */
@ApplicationScoped
public class JobService implements BuildQueue {

    public static final String REEMBED = "reembed";
    public static final String REBUILD_USERS = "rebuild-users";

    /** Fired after a job was queued, so the local runner picks it up at once. */
    public record JobQueued() {
    }

    private final JobRepository jobs;
    private final SpaceService spaces;
    private final VectorRepository vectors;
    private final Event<JobQueued> jobQueued;
    private final Clock clock;

    JobService(JobRepository jobs, SpaceService spaces, VectorRepository vectors, Event<JobQueued> jobQueued) {
        this.jobs = jobs;
        this.spaces = spaces;
        this.vectors = vectors;
        this.jobQueued = jobQueued;
        this.clock = Clock.systemUTC();
    }

    @Transactional
    public JobResponse startReembed(ReembedRequest request) {
        if (request == null) {
            throw new InvalidInputException("the body is empty; send {\"space\": ..., \"scope\": \"all\"|\"stale\"}");
        }
        Space space = SpaceService.requireContent(spaces.require(request.space()), "it cannot be re-embedded; "
                + "retrain it with POST /v1/jobs/train");
        return view(queue(space, request.scope() == null ? "stale" : request.scope()));
    }

    /** Queues a job that rebuilds every user's vector from history in one space, or in all of them. */
    @Transactional
    public JobResponse startRebuildUsers(RebuildUsersRequest request) {
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        if (request != null && request.space() != null) {
            Space space = spaces.require(request.space());
            params.put("space", space.name());
            params.put("space_id", space.id());
        }
        Job job = jobs.insert(REBUILD_USERS, params);
        jobQueued.fire(new JobQueued());
        return view(job);
    }

    @Override
    public UUID queueBuild(Space space, String scope) {
        return queue(space, scope).id();
    }

    /** Queues a job that a {@link JobHandler} of its type runs; answers it as queued. */
    @Transactional
    public JobResponse submit(String type, Map<String, Object> params) {
        Job job = jobs.insert(type, params);
        jobQueued.fire(new JobQueued());
        return view(job);
    }

    public JobResponse get(String id) {
        return view(jobs.get(parseId(id)).orElseThrow(() -> new JobNotFoundException(id)));
    }

    public Page<JobResponse> list(Integer limit, String cursor) {
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 1000) {
            throw new InvalidInputException("limit must be between 1 and 1000 (got " + n + ")");
        }
        Optional<Instant> before;
        try {
            before = Cursor.decode(cursor).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("cursor is not a cursor this API issued");
        }
        List<Job> page = jobs.page(before, n + 1);
        List<JobResponse> out = page.stream().limit(n).map(this::view).toList();
        return Page.of(out, page.size() > n
                ? Optional.of(Cursor.encode(out.get(out.size() - 1).createdAt().toString())) : Optional.empty());
    }

    /** Cancels a queued or running job; its already written vectors stay. 409 when it has ended. */
    @Transactional
    public JobResponse cancel(String id) {
        UUID uuid = parseId(id);
        Job job = jobs.get(uuid).orElseThrow(() -> new JobNotFoundException(id));
        if (!jobs.finishIf(uuid, Job.State.CANCELLED, null, "true")) {
            throw new JobEndedException("job '" + id + "' has already ended (" + job.state().name()
                    .toLowerCase(java.util.Locale.ROOT) + ")");
        }
        vectors.detachJob(uuid);
        return view(jobs.get(uuid).orElseThrow());
    }

    private Job queue(Space space, String scope) {
        Job job = jobs.insert(REEMBED, Map.of("space", space.name(), "space_id", space.id(), "scope", scope));
        jobQueued.fire(new JobQueued());
        return job;
    }

    private JobResponse view(Job job) {
        return JobResponse.of(job, clock.instant());
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new JobNotFoundException(id);
        }
    }
}
