package io.embedrec.evaluation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.embedrec.collaborative.ImplicitAls;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.interaction.UserVectorService;
import io.embedrec.jobs.Job;
import io.embedrec.jobs.JobHandler;
import io.embedrec.jobs.JobResponse;
import io.embedrec.jobs.JobService;
import io.embedrec.recommendation.FeedBlend;
import io.embedrec.recommendation.HybridWeights;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceNotFoundException;
import io.embedrec.space.SpaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Offline evaluation as a job: reads every event and the space's item vectors once, then scores the engine, most
 * popular and random in memory ({@link Evaluator}). A scratch computation: live user vectors are never written.
 */
@ApplicationScoped
public class OfflineEvaluation implements JobHandler {

    public static final String TYPE = "evaluation";
    static final int DEFAULT_K = 10;
    static final double DEFAULT_TEST_FRACTION = 0.2;
    static final long DEFAULT_SEED = 42;
    static final int KNN_NEIGHBOURS = 50;

    /** One recommender's row of the result. */
    public record Row(String name, double recall, double ndcg, double hitRate, double coverage, int coldHits) {
        static Row of(String name, RankingMetrics.Summary s) {
            return new Row(name, round(s.recall()), round(s.ndcg()), round(s.hitRate()), round(s.coverage()),
                    s.coldHits());
        }
    }

    /** The weights tuning chose on the validation split, and every weighing tried there. */
    public record Tuning(String best, int users, List<Row> trials) {
    }

    /**
     * The stored result of an evaluation job; {@code weights}: the hybrid weights the engine row used (the tuned
     * ones when tuning ran, else the configured ones).
     */
    public record Outcome(int k, double testFraction, long seed, String space, int catalogItems, long events,
                          Evaluator.Users users, long trainEvents, long testItems, String weights,
                          List<Row> recommenders, Tuning tuning, double seconds) {
    }

    /**
     * The grid the tuner tries, on calibrated scores: item-item 0 or 1 x collaborative 0, 0.2, 0.4, 0.7, 1 x content
     * 0, 0.05, 0.1, 0.3 x popularity 0, 0.1, 0.3 (weighings with no similarity source left out).
     */
    static List<HybridWeights> grid() {
        List<HybridWeights> grid = new java.util.ArrayList<>();
        for (double i : new double[]{0, 1}) {
            for (double c : new double[]{0, 0.2, 0.4, 0.7, 1}) {
                for (double t : new double[]{0, 0.05, 0.1, 0.3}) {
                    for (double p : new double[]{0, 0.1, 0.3}) {
                        if (i + c + t > 0) {
                            grid.add(new HybridWeights(i, c, t, p));
                        }
                    }
                }
            }
        }
        return grid;
    }

    private final JobService jobs;
    private final SpaceService spaces;
    private final EvaluationRepository repository;
    private final UserVectorService userVectors;
    private final EmbedrecConfig config;
    private final ObjectMapper json;

    OfflineEvaluation(JobService jobs, SpaceService spaces, EvaluationRepository repository,
                      UserVectorService userVectors, EmbedrecConfig config, ObjectMapper json) {
        this.jobs = jobs;
        this.spaces = spaces;
        this.repository = repository;
        this.userVectors = userVectors;
        this.config = config;
        this.json = json;
    }

    /** Queues an evaluation of a content space (the active one unless named). */
    public JobResponse start(EvaluationRequest request) {
        EvaluationRequest r = request == null ? new EvaluationRequest(null, null, null, null, null) : request;
        Space space = spaces.resolve(Optional.ofNullable(r.space()), Space.Kind.CONTENT);
        if (space.kind() != Space.Kind.CONTENT) {
            throw new SpaceNotFoundException("'" + space.name() + "' is not a content space");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("k", r.k() == null ? DEFAULT_K : r.k());
        params.put("test_fraction", r.testFraction() == null ? DEFAULT_TEST_FRACTION : r.testFraction());
        params.put("seed", r.seed() == null ? DEFAULT_SEED : r.seed());
        params.put("space", space.name());
        params.put("space_id", space.id());
        params.put("tune", Boolean.TRUE.equals(r.tune()));
        return jobs.submit(TYPE, params);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> run(Job job, JobHandler.Progress progress) {
        long started = System.nanoTime();
        Map<String, Object> p = job.params();
        int spaceId = ((Number) p.get("space_id")).intValue();
        Space space = spaces.byId(spaceId).orElseThrow(() -> new IllegalStateException("space '" + p.get("space")
                + "' was dropped"));
        int k = ((Number) p.get("k")).intValue();
        Evaluator.Settings settings = settings(k, ((Number) p.get("test_fraction")).doubleValue(),
                ((Number) p.get("seed")).longValue());
        // one read-only transaction: the catalog and the events are one snapshot of the database
        var data = QuarkusTransaction.requiringNew().timeout(3600).call(() -> {
            EvaluationRepository.CatalogRows catalog = repository.catalog(space);
            return Map.entry(catalog, repository.events(catalog.indexByPk()));
        });
        Evaluator.Catalog catalog = data.getKey().catalog();
        Evaluator.Events events = data.getValue();
        HybridWeights weights = HybridWeights.of(config.hybrid());
        Tuning tuning = null;
        boolean tune = Boolean.TRUE.equals(p.get("tune"));
        if (tune) {
            // progress: the tuning pass over the users is the first half, the evaluation the second
            Evaluator.Tuned tuned = evaluator(settings, weights).tune(catalog, events, grid(), (total, done) -> progress.update(2L * total, done));
            weights = tuned.best();
            tuning = new Tuning(weights.toString(), tuned.users(), tuned.trials().stream()
                    .map(t -> Row.of(t.weights().toString(), t.summary())).toList());
        }
        Evaluator.Result r = evaluator(settings, weights).run(catalog, events, (total, done) -> tune ? progress.update(2L * total, total + done)
                        : progress.update(total, done));
        List<Row> rows = r.recommenders().stream().map(n -> Row.of(n.name(), n.summary())).toList();
        Outcome outcome = new Outcome(k, settings.testFraction(), settings.seed(), space.name(), r.catalogSize(),
                events.size(), r.users(), r.trainEvents(), r.testItems(), weights.toString(), rows, tuning,
                Math.round((System.nanoTime() - started) / 1e6) / 1000.0);
        return json.convertValue(outcome, new TypeReference<>() { });
    }

    /** The evaluation's settings with the feed's configuration (candidates, warm-up, popularity). */
    Evaluator.Settings settings(int k, double testFraction, long seed) {
        return new Evaluator.Settings(k, testFraction, seed, config.users().popularityPrior(),
                config.users().warmUpEvents(), FeedBlend.candidates(k, config.users().candidateFactor()),
                config.events().popularityHalfLife().toMillis() / 1000.0);
    }

    /** The evaluator of the live configuration: the feed's aggregator, training settings and pipeline. */
    Evaluator evaluator(Evaluator.Settings settings, HybridWeights weights) {
        return new Evaluator(settings, userVectors.aggregator(), behaviour(weights));
    }

    /** The collaborative model trained on the train events as the training job would, and the hybrid's weights. */
    private Evaluator.Behaviour behaviour(HybridWeights weights) {
        EmbedrecConfig.Collaborative c = config.collaborative();
        int threads = c.threads() > 0 ? c.threads() : Runtime.getRuntime().availableProcessors();
        EmbedrecConfig.Hybrid h = config.hybrid();
        return new Evaluator.Behaviour(new ImplicitAls.Settings(c.factors(), c.regularization(), c.alpha(),
                c.iterations(), c.seed(), threads), weights, new Evaluator.ItemModel(c.itemModel(),
                c.easeRegularization(), c.easeMaxItems(), c.itemNeighbours()),
                new Evaluator.Pipeline(h.calibration(), h.newItemShare(), h.newItemMinSimilarity()), KNN_NEIGHBOURS);
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }
}
