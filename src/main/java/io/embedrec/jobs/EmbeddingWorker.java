package io.embedrec.jobs;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.embedding.EmbeddingModel;
import io.embedrec.embedding.EmbeddingModels;
import io.embedrec.embedding.EmbeddingResult;
import io.embedrec.interaction.EventRepository;
import io.embedrec.interaction.UserVectorService;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.embedrec.space.TextRecipe;
import io.embedrec.space.VectorRepository;
import io.embedrec.space.WorkQueued;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.event.TransactionPhase;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Turns queued items into vectors. Three threads form a pipeline so the model never waits for the database: one
 * claims the next batch and loads its text, one runs the model, one writes the previous batch's vectors (and
 * removes its queue rows in the same transaction). Also runs queued jobs and finishes those whose work is done.
 * Claims are leases, so two instances on one database share the work and a crashed instance's batch is taken over;
 * at start-up an instance releases the claims of its own previous run at once.
 */
@ApplicationScoped
public class EmbeddingWorker {

    private static final Logger LOG = Logger.getLogger(EmbeddingWorker.class);

    /** A claimed batch on its way through the pipeline. */
    private record Batch(Space space, List<VectorRepository.Claimed> items, String[] texts, byte[][] hashes,
                         float[][] vectors, String error) {
    }

    private final EmbedrecConfig config;
    private final SpaceService spaces;
    private final VectorRepository vectors;
    private final JobRepository jobs;
    private final EmbeddingModels models;
    private final EventRepository events;
    private final UserVectorService userVectors;
    private final String workerId;
    private final Map<String, JobHandler> handlers = new HashMap<>();
    private final ReembedJob reembed;
    /** The types of the jobs one instance runs start to end (the ones with leases). */
    private final java.util.Set<String> runTypes;
    private final Semaphore wake = new Semaphore(0);
    private final Semaphore jobWake = new Semaphore(0);
    private final BlockingQueue<Batch> toEmbed = new ArrayBlockingQueue<>(2);
    private final BlockingQueue<Batch> toWrite = new ArrayBlockingQueue<>(2);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    /** The claimed items of the batches in this instance's pipeline, by the list that travels with the batch. */
    private final Map<List<VectorRepository.Claimed>, Space> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
    /** The start-to-end jobs this instance is running now, whose leases it renews. */
    private final java.util.Set<java.util.UUID> runningHere = java.util.concurrent.ConcurrentHashMap.newKeySet();

    EmbeddingWorker(EmbedrecConfig config, SpaceService spaces, VectorRepository vectors, JobRepository jobs,
                    EmbeddingModels models, EventRepository events, UserVectorService userVectors,
                    @Any Instance<JobHandler> handlers, ReembedJob reembed,
                    @ConfigProperty(name = "quarkus.http.port") int port) {
        handlers.forEach(h -> this.handlers.put(h.type(), h));
        this.reembed = reembed;
        this.runTypes = this.handlers.values().stream().filter(h -> h.mode() == JobHandler.Mode.RUN)
                .map(JobHandler::type).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.events = events;
        this.userVectors = userVectors;
        this.config = config;
        this.spaces = spaces;
        this.vectors = vectors;
        this.jobs = jobs;
        this.models = models;
        this.workerId = config.jobs().workerId().orElseGet(() -> hostname() + ":" + port);
    }

    void start(@Observes StartupEvent ev) {
        spaces.ensureDefaultSpace().ifPresent(s -> LOG.infof("created and activated content space '%s' (model %s)",
                s.name(), s.model()));
        if (!config.jobs().workers()) {
            LOG.info("embedding workers are off in this instance (embedrec.jobs.workers=false)");
            return;
        }
        int released = QuarkusTransaction.requiringNew().call(() -> vectors.releaseClaims(workerId));
        if (released > 0) {
            LOG.infof("released %d queue claims left by this instance's previous run (%s)", released, workerId);
        }
        failInterrupted();
        running = true;
        spawn("embedrec-jobs", this::runJobs);
        spawn("embedrec-leases", this::renewLeases);
        spawn("embedrec-claim", this::claimLoop);
        spawn("embedrec-embed", this::embedLoop);
        spawn("embedrec-write", this::writeLoop);
        wake.release();
    }

    /**
     * Fails the jobs run start to end (training, evaluation) whose lease lapsed, whichever instance ran them (it died,
     * or was replaced under another name), and cleans up after them.
     */
    List<Job> failExpired() {
        List<Job> expired = QuarkusTransaction.requiringNew().call(() ->
                jobs.failExpired(runTypes, config.jobs().jobLease()));
        for (Job j : expired) {
            LOG.warnf("job %s (%s): its instance stopped renewing the lease; failed it", j.id(), j.type());
            handlers.get(j.type()).interrupted(j);
        }
        return expired;
    }

    /**
     * Renews the leases of the jobs this instance is running, every quarter of the lease, and the claims on the
     * items in its embedding pipeline once half their lease is gone.
     */
    private void renewLeases() {
        if (!runningHere.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> jobs.renew(List.copyOf(runningHere), workerId,
                    config.jobs().jobLease()));
        }
        // by key, only the batches in flight: no scan of a queue that may hold a whole catalog
        inFlight.forEach((items, space) -> QuarkusTransaction.requiringNew().run(() -> vectors.renewClaims(space,
                workerId, items.stream().mapToLong(VectorRepository.Claimed::itemPk).toArray(),
                config.jobs().leaseSeconds())));
        sleep(Math.max(250, Math.min(config.jobs().jobLease().toMillis() / 4,
                config.jobs().leaseSeconds() * 1000L / 4)));
    }

    /** Fails the jobs this instance's previous run was running start to end (training, evaluation); cleans up. */
    List<Job> failInterrupted() {
        List<Job> interrupted = QuarkusTransaction.requiringNew().call(() ->
                jobs.failInterrupted(workerId, runTypes));
        for (Job j : interrupted) {
            LOG.warnf("job %s (%s) was interrupted by a restart of %s; failed it", j.id(), j.type(), workerId);
            handlers.get(j.type()).interrupted(j);
        }
        return interrupted;
    }

    void stop(@Observes ShutdownEvent ev) {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void onWorkQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) WorkQueued ev) {
        wake.release();
    }

    void onJobQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobService.JobQueued ev) {
        jobWake.release();
    }

    /** The id this instance claims work under. */
    public String workerId() {
        return workerId;
    }

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(() -> {
            while (running) {
                try {
                    body.run();
                } catch (RuntimeException | Error e) {
                    // an Error too (out of memory, a native failure): a dead stage would leave the others waiting
                    // on it forever, so it logs, pauses and goes on
                    if (running) {
                        LOG.errorf(e, "%s: unexpected error; retrying", name);
                        sleep(1000);
                    }
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    // ---- stage 0: jobs ------------------------------------------------------------------------------------------

    private void runJobs() {
        Optional<Job> started;
        do {
            started = QuarkusTransaction.requiringNew().timeout(3600).call(() -> {
                Optional<Job> job = jobs.startNextQueued(workerId, config.jobs().jobLease());
                job.ifPresent(j -> handler(j).prepare(j));
                return job;
            });
            started.ifPresent(j -> LOG.infof("job %s (%s %s) started", j.id(), j.type(), j.params()));
            started.filter(j -> handler(j).mode() == JobHandler.Mode.RUN).ifPresent(this::runHandled);
        } while (started.isPresent() && running);
        failExpired();
        // queue-driven jobs move on wherever they were started (a crash interrupted nothing: the queue is kept)
        for (JobHandler h : handlers.values()) {
            if (h.mode() == JobHandler.Mode.QUEUE) {
                for (Job j : QuarkusTransaction.requiringNew().call(() -> jobs.running(h.type()))) {
                    h.advance(j, () -> running);
                }
            }
        }
        while (running && userVectors.rebuildQueued(RebuildUsersJob.BATCH) > 0) {
            // drain queued user-vector rebuilds (item vectors arrived or changed, items deleted)
        }
        try {
            jobWake.tryAcquire(config.jobs().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            jobWake.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JobHandler handler(Job job) {
        JobHandler h = handlers.get(job.type());
        if (h == null) {
            throw new IllegalStateException("no handler for jobs of type '" + job.type() + "'");
        }
        return h;
    }

    /** Runs a job of a handled type to its end, outside a transaction; a failure fails the job, not the thread. */
    private void runHandled(Job job) {
        runningHere.add(job.id());
        try {
            Map<String, Object> result = handlers.get(job.type()).run(job, (total, done) ->
                    QuarkusTransaction.requiringNew().call(() -> jobs.progress(job.id(), total, done)));
            boolean stored = QuarkusTransaction.requiringNew().call(() -> jobs.finishWithResult(job.id(), result));
            LOG.infof("job %s (%s) %s", job.id(), job.type(), stored ? "done" : "was cancelled");
        } catch (RuntimeException | Error e) {
            String why = failure(job, e);
            QuarkusTransaction.requiringNew().run(() -> jobs.finishIf(job.id(), Job.State.FAILED, why, "true"));
        } finally {
            runningHere.remove(job.id());
        }
    }

    /**
     * A failed job's {@code error}: the reason itself when the job says why it cannot run (or the input was wrong),
     * else an incident id pointing at the log, never a database's or a library's raw text.
     */
    static String failure(Job job, Throwable e) {
        if (e instanceof JobFailedException || e instanceof io.embedrec.common.ProblemException) {
            LOG.infof("job %s (%s) failed: %s", job.id(), job.type(), e.getMessage());
            return e.getMessage();
        }
        String incident = java.util.UUID.randomUUID().toString();
        LOG.errorf(e, "job %s (%s) failed: incident %s", job.id(), job.type(), incident);
        return "the job failed unexpectedly; incident " + incident + " is in the service's log";
    }

    // ---- stage 1: claim and load ----------------------------------------------------------------------------------

    private void claimLoop() {
        Batch batch = claimNext();
        if (batch == null) {
            try {
                wake.tryAcquire(config.jobs().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        put(toEmbed, batch);
    }

    private Batch claimNext() {
        List<Integer> withWork = QuarkusTransaction.requiringNew().call(vectors::spacesWithWork);
        for (int spaceId : withWork) {
            Optional<Space> space = spaces.byId(spaceId);
            if (space.isEmpty()) {
                continue;
            }
            Space s = space.get();
            List<VectorRepository.Claimed> items = QuarkusTransaction.requiringNew().call(() ->
                    vectors.claim(s, workerId, config.jobs().batchSize(), config.jobs().leaseSeconds()));
            if (items.isEmpty()) {
                continue;
            }
            String[] texts = new String[items.size()];
            byte[][] hashes = new byte[items.size()][];
            for (int k = 0; k < items.size(); k++) {
                VectorRepository.Claimed c = items.get(k);
                texts[k] = s.recipe().render(c.title(), c.description(), c.categories(), c.attributes());
                hashes[k] = TextRecipe.hash(texts[k]);
            }
            inFlight.put(items, s);
            return new Batch(s, items, texts, hashes, null, null);
        }
        return null;
    }

    // ---- stage 2: the model -------------------------------------------------------------------------------------

    private void embedLoop() {
        Batch b = take(toEmbed);
        if (b == null) {
            return;
        }
        Optional<EmbeddingModel> model = models.get(b.space().model());
        if (model.isEmpty()) {
            put(toWrite, new Batch(b.space(), b.items(), b.texts(), b.hashes(), null,
                    "model '" + b.space().model() + "' is not configured in this instance"));
            return;
        }
        try {
            EmbeddingResult r = model.get().embedDocuments(List.of(b.texts()));
            put(toWrite, new Batch(b.space(), b.items(), b.texts(), b.hashes(), r.vectors(), null));
        } catch (RuntimeException e) {
            String incident = java.util.UUID.randomUUID().toString();
            LOG.warnf(e, "embedding a batch of %d items of space %s failed: incident %s", b.items().size(),
                    b.space().name(), incident);
            put(toWrite, new Batch(b.space(), b.items(), b.texts(), b.hashes(), null,
                    "the model failed on this item's batch; incident " + incident + " is in the service's log"));
        }
    }

    // ---- stage 3: write -----------------------------------------------------------------------------------------

    private void writeLoop() {
        Batch b = take(toWrite);
        if (b == null) {
            return;
        }
        long[] pks = new long[b.items().size()];
        for (int k = 0; k < pks.length; k++) {
            pks[k] = b.items().get(k).itemPk();
        }
        Set<UUID> touched = new HashSet<>();
        if (b.error() == null) {
            Map<UUID, Long> perJob = QuarkusTransaction.requiringNew().call(() -> {
                // first, as an item update takes the item before its queue row: no event batch on these items runs
                // between the vector write and the rebuild queueing below
                events.holdItems(pks);
                Map<UUID, Long> done = vectors.complete(b.space(), workerId, pks, b.vectors(), b.hashes());
                // users with events on these items: their vectors now include (or change with) these vectors
                events.queueRebuildForItems(b.space().id(), pks);
                done.forEach(jobs::addDone);
                return done;
            });
            touched.addAll(perJob.keySet());
        } else {
            Map<Long, String> ids = new HashMap<>();
            b.items().forEach(c -> ids.put(c.itemPk(), c.externalId()));
            QuarkusTransaction.requiringNew().run(() -> {
                Map<UUID, List<Job.Failure>> perJob = new HashMap<>();
                for (VectorRepository.FailedRow f : vectors.fail(b.space(), workerId, pks, b.error(),
                        config.jobs().maxAttempts())) {
                    if (f.jobId() != null) {
                        perJob.computeIfAbsent(f.jobId(), x -> new ArrayList<>())
                                .add(new Job.Failure(ids.get(f.itemPk()), b.error()));
                    }
                }
                perJob.forEach(jobs::addFailures);
                touched.addAll(perJob.keySet());
            });
        }
        for (VectorRepository.Claimed c : b.items()) {
            if (c.jobId() != null) {
                touched.add(c.jobId());
            }
        }
        inFlight.remove(b.items());
        touched.forEach(reembed::finishIfDrained);
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    private void put(BlockingQueue<Batch> q, Batch b) {
        try {
            while (running && !q.offer(b, 200, TimeUnit.MILLISECONDS)) {
                // back-pressure: the next stage is busy
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Batch take(BlockingQueue<Batch> q) {
        try {
            return q.poll(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
