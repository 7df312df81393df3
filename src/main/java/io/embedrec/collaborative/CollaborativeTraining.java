package io.embedrec.collaborative;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.ProblemException.FieldError;
import io.embedrec.interaction.EventRepository;
import io.embedrec.interaction.UserVectorService;
import io.embedrec.jobs.Job;
import io.embedrec.jobs.JobFailedException;
import io.embedrec.jobs.JobHandler;
import io.embedrec.jobs.JobResponse;
import io.embedrec.jobs.JobService;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceConflictException;
import io.embedrec.space.SpaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Training a collaborative space, as a job: streams every event, trains implicit ALS ({@link ImplicitAls}), writes
 * the L2-normalised item vectors into a new collaborative space, indexes it, builds every user's vector in it with
 * the same aggregator as content spaces, and only then activates it, atomically; the previous collaborative space
 * stays for rollback. A cancelled or failed training drops its unfinished space.
 *
 * <p>Progress counts steps: 1 for loading, 2 per iteration (users, then items), 1 for writing and indexing, then
 * one per user whose vector is built in the new space.
 */
@ApplicationScoped
public class CollaborativeTraining implements JobHandler {

    public static final String TYPE = "train";
    static final String ALGORITHM = "als";
    private static final Logger LOG = Logger.getLogger(CollaborativeTraining.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final int USER_BATCH = 200;

    private final JobService jobs;
    private final SpaceService spaces;
    private final TrainingRepository repository;
    private final EventRepository events;
    private final UserVectorService userVectors;
    private final EmbedrecConfig config;

    CollaborativeTraining(JobService jobs, SpaceService spaces, TrainingRepository repository, EventRepository events,
                          UserVectorService userVectors, EmbedrecConfig config) {
        this.jobs = jobs;
        this.spaces = spaces;
        this.repository = repository;
        this.events = events;
        this.userVectors = userVectors;
        this.config = config;
    }

    /** Checks the settings (defaults from configuration) and queues the training job. */
    public JobResponse start(TrainingRequest request) {
        TrainingRequest r = request == null ? new TrainingRequest(null, null, null, null, null, null, null) : request;
        EmbedrecConfig.Collaborative d = config.collaborative();
        Map<String, Object> params = new LinkedHashMap<>();
        if (r.name() != null) {
            params.put("name", r.name());
        }
        params.put("factors", r.factors() == null ? d.factors() : r.factors());
        params.put("regularization", r.regularization() == null ? d.regularization() : r.regularization());
        params.put("alpha", r.alpha() == null ? d.alpha() : r.alpha());
        params.put("iterations", r.iterations() == null ? d.iterations() : r.iterations());
        params.put("seed", r.seed() == null ? d.seed() : r.seed());
        double ease = r.easeRegularization() == null ? d.easeRegularization() : r.easeRegularization();
        params.put("ease_regularization", ease);
        Map<String, String> problems = ImplicitAls.Settings.problems((Integer) params.get("factors"),
                (Double) params.get("regularization"), (Double) params.get("alpha"),
                (Integer) params.get("iterations"), 1);
        if (!(ease > 0) || !Double.isFinite(ease)) {
            problems.put("ease_regularization", "must be a positive number (got " + ease + ")");
        }
        if (!problems.isEmpty()) {
            List<FieldError> errors = new ArrayList<>();
            problems.forEach((field, message) -> errors.add(new FieldError(field, message)));
            throw new InvalidInputException(errors.size() == 1 ? "'" + errors.get(0).field() + "' "
                    + errors.get(0).message() : errors.size() + " fields are invalid: see 'errors'", errors);
        }
        if (r.name() != null && spaces.exists(r.name())) {
            throw new SpaceConflictException("a space named '" + r.name() + "' exists already");
        }
        return jobs.submit(TYPE, params);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> run(Job job, Progress progress) {
        long started = System.nanoTime();
        Map<String, Object> p = job.params();
        int threads = config.collaborative().threads() > 0 ? config.collaborative().threads()
                : Runtime.getRuntime().availableProcessors();
        ImplicitAls.Settings settings = new ImplicitAls.Settings(((Number) p.get("factors")).intValue(),
                ((Number) p.get("regularization")).doubleValue(), ((Number) p.get("alpha")).doubleValue(),
                ((Number) p.get("iterations")).intValue(), ((Number) p.get("seed")).longValue(), threads);
        int sweeps = 2 * settings.iterations();

        TrainingRepository.Interactions data = QuarkusTransaction.requiringNew().timeout(3600)
                .call(() -> repository.load(config.collaborative().fetchSize()));
        InteractionMatrix matrix = data.matrix();
        if (matrix.nonZeros() == 0) {
            throw new JobFailedException("no interactions to train on: send events first (POST /v1/events)");
        }
        if (!anyPositive(matrix)) {
            throw new JobFailedException("no positive interactions to train on: every user's net weight on "
                    + "every item is 0 or less; send positive events (views, likes, purchases) first");
        }
        long loaded = System.nanoTime();
        if (!progress.update(sweeps + 2, 1)) {
            return Map.of();
        }
        ImplicitAls.Factors factors;
        try {
            factors = ImplicitAls.train(matrix, settings, (done, total) -> progress.update(sweeps + 2, 1 + done));
        } catch (CancellationException e) {
            return Map.of();
        }
        EmbedrecConfig.Collaborative c = config.collaborative();
        ItemNeighbours neighbours = ItemNeighbours.train(matrix, c.itemModel(), ((Number) p.getOrDefault(
                "ease_regularization", c.easeRegularization())).doubleValue(), c.easeMaxItems(), c.itemNeighbours());
        long trained = System.nanoTime();

        int[] withVectors = factors.itemsWithVectors();
        long[] pks = new long[withVectors.length];
        float[] flat = new float[withVectors.length * settings.factors()];
        for (int j = 0; j < withVectors.length; j++) {
            pks[j] = data.itemPks()[withVectors[j]];
            factors.normalisedItem(withVectors[j], flat, j * settings.factors());
        }
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("algorithm", ALGORITHM);
        training.put("factors", settings.factors());
        training.put("regularization", settings.regularization());
        training.put("alpha", settings.alpha());
        training.put("iterations", settings.iterations());
        training.put("seed", settings.seed());
        training.put("item_model", neighbours.lambda() > 0 ? "ease" : "knn");
        if (neighbours.lambda() > 0) {
            training.put("ease_lambda", Math.round(neighbours.lambda() * 1000) / 1000.0);
        }
        training.put("item_neighbours", neighbours.size());
        training.put("users", matrix.users());
        training.put("items", withVectors.length);
        training.put("interactions", matrix.nonZeros());
        training.put("events", data.events());
        training.put("job", job.id().toString());
        training.put("trained_at", Instant.now().toString());
        Space space = spaces.createTrained(name(p), settings.factors(), ALGORITHM, training);
        try {
            spaces.writeTrained(space, pks, flat);
            QuarkusTransaction.requiringNew().timeout(3600).run(() -> repository.writeNeighbours(space.id(),
                    data.itemPks(), neighbours));
            spaces.finishBuild(space.id());
            long written = System.nanoTime();

            // every user's vector in the new space, before it serves: the rebuild-users machinery, limited to it
            int users = QuarkusTransaction.requiringNew().call(() -> events.queueRebuildAll(space.id()));
            long total = sweeps + 2L + users;
            long done = sweeps + 2L;
            if (!progress.update(total, done)) {
                spaces.dropUnfinished(space.id());
                return Map.of();
            }
            for (int n = userVectors.rebuildQueued(new int[]{space.id()}, USER_BATCH); n > 0;
                 n = userVectors.rebuildQueued(new int[]{space.id()}, USER_BATCH)) {
                done += n;
                if (!progress.update(Math.max(total, done), done)) {
                    spaces.dropUnfinished(space.id());
                    return Map.of();
                }
            }
            spaces.activate(space.name());
            long finished = System.nanoTime();
            LOG.infof("trained collaborative space '%s': %d users, %d items with vectors, %d interactions",
                    space.name(), matrix.users(), withVectors.length, matrix.nonZeros());

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("space", space.name());
            result.putAll(training);
            result.put("threads", threads);
            result.put("catalog_items", matrix.items());
            result.put("user_vectors", users);
            Map<String, Object> seconds = new LinkedHashMap<>();
            seconds.put("load", seconds(started, loaded));
            seconds.put("train", seconds(loaded, trained));
            seconds.put("write_and_index", seconds(trained, written));
            seconds.put("user_vectors", seconds(written, finished));
            seconds.put("total", seconds(started, finished));
            result.put("seconds", seconds);
            return result;
        } catch (RuntimeException e) {
            spaces.dropUnfinished(space.id());
            throw e;
        }
    }

    /** Drops the space an interrupted training had created but not activated. */
    @Override
    public void interrupted(Job job) {
        spaces.userVectorSpaces().stream()
                .filter(s -> job.id().toString().equals(s.training().get("job")) && !s.active())
                .forEach(s -> {
                    LOG.infof("dropping space '%s' that interrupted training %s left unfinished", s.name(), job.id());
                    spaces.dropUnfinished(s.id());
                });
    }

    /** The requested name, or collaborative-&lt;UTC time&gt; (with a suffix if a space of that name exists). */
    private String name(Map<String, Object> params) {
        Object given = params.get("name");
        if (given != null) {
            return given.toString();
        }
        String base = "collaborative-" + STAMP.format(Instant.now());
        String name = base;
        for (int k = 2; spaces.exists(name); k++) {
            name = base + "-" + k;
        }
        return name;
    }

    private static boolean anyPositive(InteractionMatrix m) {
        for (int i = 0; i < m.items(); i++) {
            if (m.positiveUsers(i) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double seconds(long from, long to) {
        return Math.round((to - from) / 1e6) / 1000.0;
    }
}
