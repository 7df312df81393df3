package io.embedrec.embedding;

import io.embedrec.common.EmbedrecConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The configured embedding models, by name. At start-up every model's files are checked and the default model (and
 * any marked {@code eager}) is loaded, so a broken model stops start-up; the others load on first use. Other
 * features inject this to embed documents and queries; single texts go through a per-model micro-batcher.
 */
@ApplicationScoped
@Startup
public class EmbeddingModels {

    private static final Logger LOG = Logger.getLogger(EmbeddingModels.class);
    /** Requests with at most this many texts are small enough to be coalesced with others. */
    static final int SMALL_REQUEST = 8;

    private final Map<String, Slot> slots = new TreeMap<>();
    private final String defaultName;
    private final EngineSettings settings;
    private final Duration microBatchWait;
    private final Duration maxWait;
    private final int microBatchMaxTexts;
    private final MeterRegistry registry;

    EmbeddingModels(EmbedrecConfig config, MeterRegistry registry) {
        this.registry = registry;
        this.settings = EngineSettings.of(config.embedding());
        this.microBatchWait = config.embedding().microBatchWait();
        this.maxWait = config.embedding().maxWait();
        this.microBatchMaxTexts = config.embedding().microBatchMaxTexts();
        List<String> defaults = new ArrayList<>();
        for (Map.Entry<String, EmbedrecConfig.Model> e : config.models().entrySet()) {
            ModelSpec spec = ModelSpec.of(e.getKey(), e.getValue());
            spec.checkFiles();
            slots.put(spec.name(), new Slot(spec));
            if (spec.isDefault()) {
                defaults.add(spec.name());
            }
        }
        if (slots.isEmpty()) {
            throw new ModelLoadException("no embedding model is configured (embedrec.models.<name>.*)");
        }
        if (defaults.size() != 1) {
            throw new ModelLoadException("exactly one model must set embedrec.models.<name>.default=true; "
                    + (defaults.isEmpty() ? "none does" : "these do: " + defaults));
        }
        this.defaultName = defaults.get(0);
        for (Slot s : slots.values()) {
            if (s.spec.isDefault() || s.spec.eager()) {
                s.model();
            }
        }
    }

    /** The model used when a request names none. */
    public EmbeddingModel defaultModel() {
        return slots.get(defaultName).model();
    }

    public String defaultName() {
        return defaultName;
    }

    /** The model of that name, loaded on first use; empty when no such model is configured. */
    public Optional<EmbeddingModel> get(String name) {
        Slot s = slots.get(name);
        return s == null ? Optional.empty() : Optional.of(s.model());
    }

    /** The named model, or the default one when {@code name} is null; unknown names are a client error. */
    public EmbeddingModel require(String name) {
        if (name == null) {
            return defaultModel();
        }
        return get(name).orElseThrow(() -> new UnknownModelException(name, names()));
    }

    /** Configured model names, sorted. */
    public List<String> names() {
        return List.copyOf(slots.keySet());
    }

    /** Whether the model's session has been loaded yet. */
    public boolean isLoaded(String name) {
        Slot s = slots.get(name);
        return s != null && s.loaded != null;
    }

    /**
     * Facts about a model without loading it when the config already gives them (a loaded model also knows its
     * graph's outputs).
     */
    public Optional<ModelInfo> info(String name) {
        Slot s = slots.get(name);
        if (s == null) {
            return Optional.empty();
        }
        if (s.loaded == null && s.spec.dimensions().isPresent()) {
            ModelSpec p = s.spec;
            return Optional.of(new ModelInfo(p.name(), p.dimensions().getAsInt(), p.maxTokens(), p.pooling(),
                    p.normalize(), p.queryPrefix(), p.documentPrefix(), List.of()));
        }
        return Optional.of(s.model().info());
    }

    /** Embeds one search query (query prefix applied), coalesced with concurrent ones. */
    public float[] embedQuery(String model, String text) {
        return embed(model, List.of(text), true).vectors()[0];
    }

    /** Embeds one document (document prefix applied), coalesced with concurrent ones. */
    public float[] embedDocument(String model, String text) {
        return embed(model, List.of(text), false).vectors()[0];
    }

    /**
     * Embeds texts with the named model (null: the default). Small requests go through the micro-batcher, larger
     * ones are length-sorted and batched on the calling thread.
     */
    /** Large embedding requests running at once (each already uses every core). */
    static final int HEAVY_PERMITS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private final java.util.concurrent.Semaphore heavy = new java.util.concurrent.Semaphore(HEAVY_PERMITS, true);

    public EmbeddingResult embed(String model, List<String> texts, boolean queries) {
        EmbeddingModel m = require(model);
        Slot slot = slots.get(m.info().name());
        if (texts.size() > SMALL_REQUEST || microBatchWait.isZero() || texts.isEmpty()) {
            // large requests run on the caller's thread with all the model's threads: a few at a time, the rest
            // wait their turn (and give up with 503 rather than pile up without bound)
            try {
                if (!heavy.tryAcquire(maxWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new ModelBusyException(HEAVY_PERMITS + " large embedding request(s) kept the model busy for "
                            + maxWait.toMillis() + " ms (embedrec.embedding.max-wait); retry later or send fewer "
                            + "texts per request");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the model", e);
            }
            try {
                return queries ? m.embedQueries(texts) : m.embedDocuments(texts);
            } finally {
                heavy.release();
            }
        }
        MicroBatcher batcher = slot.batcher();
        List<CompletableFuture<MicroBatcher.Single>> futures = new ArrayList<>(texts.size());
        for (String t : texts) {
            futures.add(batcher.submit(t, queries));
        }
        float[][] vectors = new float[texts.size()][];
        int[] tokens = new int[texts.size()];
        long total = 0;
        int truncated = 0;
        boolean[] cut = new boolean[texts.size()];
        for (int i = 0; i < futures.size(); i++) {
            MicroBatcher.Single s = join(futures.get(i), maxWait);
            vectors[i] = s.vector();
            tokens[i] = s.tokens();
            total += s.tokens();
            if (s.cut()) {
                cut[i] = true;
                truncated++;
            }
        }
        return new EmbeddingResult(vectors, total, truncated, tokens, cut);
    }

    private static MicroBatcher.Single join(CompletableFuture<MicroBatcher.Single> f, Duration maxWait) {
        try {
            return f.get(maxWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(false);
            throw new ModelBusyException("the model did not embed this text within " + maxWait.toMillis() + " ms "
                    + "(embedrec.embedding.max-wait); it is overloaded or stuck, retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @PreDestroy
    void close() {
        for (Slot s : slots.values()) {
            s.close();
        }
    }

    /** One configured model: its spec, and its session once loaded. */
    private final class Slot {
        final ModelSpec spec;
        volatile OnnxEmbeddingModel loaded;
        volatile MicroBatcher batcher;
        EmbeddingMetrics metrics;

        Slot(ModelSpec spec) {
            this.spec = spec;
        }

        EmbeddingModel model() {
            OnnxEmbeddingModel m = loaded;
            if (m == null) {
                synchronized (this) {
                    m = loaded;
                    if (m == null) {
                        long t0 = System.nanoTime();
                        metrics = new EmbeddingMetrics(registry, spec.name());
                        m = OnnxEmbeddingModel.load(spec, settings, metrics);
                        loaded = m;
                        LOG.infof("embedding model '%s' loaded from %s in %d ms (%d dims, %s pooling, %d max tokens,"
                                        + " %d threads)", spec.name(), spec.graphLocation(),
                                (System.nanoTime() - t0) / 1_000_000, m.info().dimensions(), m.info().pooling(),
                                m.info().maxTokens(), settings.threads());
                    }
                }
            }
            return m;
        }

        MicroBatcher batcher() {
            MicroBatcher b = batcher;
            if (b == null) {
                synchronized (this) {
                    b = batcher;
                    if (b == null) {
                        EmbeddingModel m = model();
                        b = new MicroBatcher(m, microBatchWait, microBatchMaxTexts, metrics::microBatch);
                        batcher = b;
                    }
                }
            }
            return b;
        }

        synchronized void close() {
            if (batcher != null) {
                batcher.close();
            }
            if (loaded != null) {
                loaded.close();
            }
        }
    }
}
