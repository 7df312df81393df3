package io.embedrec.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import java.util.OptionalInt;

/** Every setting of embedrec, under the {@code embedrec.} prefix. The README lists each key. */
@ConfigMapping(prefix = "embedrec")
public interface EmbedrecConfig {

    /** HTTP request limits. */
    Http http();

    /** Catalog (items) settings. */
    Catalog catalog();

    /** API keys and scopes. */
    Security security();

    /** Vector spaces. */
    Spaces spaces();

    /** Background work: embedding workers and jobs. */
    Jobs jobs();

    /** Serving recommendations: nearest-neighbour search settings. */
    Recommend recommend();

    /** The recommendation log: how long answers are kept for click-through attribution. */
    Recommendations recommendations();

    /** Interaction events: types, weights, limits. */
    Events events();

    /** User vectors and feeds. */
    Users users();

    /** Hybrid feeds: how collaborative, content and popularity scores combine. */
    Hybrid hybrid();

    /** Collaborative spaces: defaults of the training job ({@code POST /v1/jobs/train}). */
    Collaborative collaborative();

    /** Merchandising: bought-together and trending. */
    Merchandising merchandising();

    /** Embedding models by name ({@code embedrec.models.<name>.*}); exactly one is marked {@code default}. */
    Map<String, Model> models();

    /** How the embedding engine runs its models: threads, batching, request limits. */
    Embedding embedding();

    interface Http {
        /** Largest body accepted by ordinary (non-streaming) requests; larger ones get 413. */
        @WithDefault("2M")
        MemorySize maxBodySize();

        /** Largest body accepted by streamed bulk imports (NDJSON); larger ones are cut off with 413. */
        @WithDefault("8G")
        MemorySize maxImportSize();
    }

    interface Catalog {
        /** Lines committed per transaction by the streamed item import. */
        @WithDefault("1000")
        int importBatchSize();

        /** Rejected lines listed one by one in an import report; further ones are only counted. */
        @WithDefault("1000")
        int importMaxReportedErrors();

        /** Default page size of list endpoints. */
        @WithDefault("50")
        int defaultPageSize();

        /** How long the {@code embedrec_items} metric reuses its last count before counting the catalog again. */
        @WithDefault("10s")
        Duration itemCountRefresh();
    }

    interface Security {
        /**
         * API keys mapped to their scope ({@code read}, {@code write} or {@code admin}), e.g.
         * {@code embedrec.security.keys.my-secret-key=admin}. None set: the API is open.
         */
        Map<String, String> keys();

        /**
         * Requests per second each key may make, by the key's scope, e.g. {@code
         * embedrec.security.rate-limit.read=100}; a scope not listed is not limited.
         */
        Map<String, Double> rateLimit();
    }

    interface Spaces {
        /** Name of the content space created at first start (with the default model) when none exists. */
        @WithDefault("content")
        String defaultName();

        /** HNSW graph degree (pgvector {@code m}) of new space indexes, unless the space's request sets one. */
        @WithDefault("16")
        int hnswM();

        /**
         * HNSW build candidate list size (pgvector {@code ef_construction}), unless the space's request sets one.
         * 128, not pgvector's 64: at 64 recall@10 stayed near 0.93 whatever ef_search on 100,000 clustered vectors
         * ({@code bench/spaces}, part d); 128 reached 0.99 at the same query time, for 2.5× the build time.
         */
        @WithDefault("128")
        int hnswEfConstruction();

        /**
         * Memory for building a space's HNSW index ({@code maintenance_work_mem} of the build): the build is fast
         * while the graph fits (about 1.6 GB per million 384-d vectors at m 16), much slower past it.
         */
        @WithDefault("1G")
        MemorySize indexBuildMemory();
    }

    interface Jobs {
        /** Run embedding workers in this instance (turn off for API-only instances). */
        @WithDefault("true")
        boolean workers();

        /** Identifies this instance's claims on queued work; must differ between instances on one database. */
        Optional<String> workerId();

        /** Items claimed and embedded per batch. */
        @WithDefault("256")
        int batchSize();

        /** How long a claim is held before another worker may take the items over (crash recovery). */
        @WithDefault("300")
        int leaseSeconds();

        /**
         * The lease of a job one instance runs start to end (training, evaluation): renewed every quarter of it
         * while the job runs; once it lapses any instance fails the job and cleans up after it.
         */
        @WithDefault("60s")
        Duration jobLease();

        /** How often idle workers look for work that other instances queued. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Attempts before an item is marked failed (its reason is shown as its vector status). */
        @WithDefault("3")
        int maxAttempts();
    }

    interface Merchandising {
        /** Event types whose co-occurrence makes items "bought together". */
        @WithDefault("purchase,add_to_cart")
        java.util.List<String> togetherTypes();

        /** Two events of one user count as together when at most this far apart (a basket, a session). */
        @WithDefault("7d")
        Duration togetherWindow();

        /** Users who must have had both items together before a pair is shown (below it, it is noise). */
        @WithDefault("2")
        int togetherMinSupport();

        /** The most recent events of the item read for bought-together: bounds the work for best-sellers. */
        @WithDefault("5000")
        int togetherMaxEvents();

        /**
         * Half-life of the short-window popularity behind trending; the long-window baseline is item popularity
         * ({@code embedrec.events.popularity-half-life}).
         */
        @WithDefault("1d")
        Duration trendingHalfLife();

        /** Decayed recent events an item needs to trend (a surge from 0 to 1 event is not a trend). */
        @WithDefault("3")
        double trendingMinEvents();

        /**
         * The trending score an item needs to count as trending for a rule's {@code "trending": true}: how many
         * standard deviations its short-window score lies above what its long-window rate predicts.
         */
        @WithDefault("2")
        double trendingMinScore();

        /** Event types that count an answer as clicked in experiment and strategy reports. */
        @WithDefault("click,view,add_to_cart,purchase,like")
        java.util.List<String> clickTypes();

        /** Event types that count an answer as converted. */
        @WithDefault("purchase")
        java.util.List<String> conversionTypes();
    }

    interface Recommendations {
        /**
         * How long each answer stays in the recommendation log (click-through attribution by recommendation_id);
         * older rows are pruned every {@code embedrec.recommendations.prune-every} (default 1h).
         */
        @WithDefault("30d")
        Duration retention();

        /** How often queued answers are written to the log, in batches: an answer's row appears about this long after it. */
        @WithDefault("200ms")
        Duration flushEvery();
    }

    interface Recommend {
        /**
         * How long a serving query (similar, feeds, search, recommend) may run before PostgreSQL cancels it and the
         * request answers 503: a bound on the work one request can cause.
         */
        @WithDefault("10s")
        Duration statementTimeout();

        /** pgvector {@code hnsw.ef_search}: the HNSW candidate list per query (recall vs speed). */
        @WithDefault("40")
        int efSearch();

        /**
         * Filters matching fewer items than this are answered by an exact scan of the matching rows; others by an
         * HNSW iterative index scan.
         */
        @WithDefault("5000")
        int exactScanThreshold();

        /** pgvector {@code hnsw.max_scan_tuples}: how far an iterative scan may go before giving up. */
        @WithDefault("40000")
        int maxScanTuples();

        /** Default number of results when {@code k} is not given. */
        @WithDefault("10")
        int defaultK();
    }

    interface Model {
        /** ONNX graph as a classpath resource (from a model jar), e.g. {@code all-minilm-l6-v2.onnx}. */
        Optional<String> classpathModel();

        /** ONNX graph as a file on disk ({@code model.onnx}); used when {@code classpath-model} is not set. */
        Optional<Path> modelPath();

        /** The {@code tokenizer.json}: a classpath resource with {@code classpath-model}, else a file path. */
        String tokenizer();

        /** How token vectors become one vector: {@code mean}, {@code cls} or {@code max}. */
        @WithDefault("mean")
        String pooling();

        /** Vector length; checked against the graph's output when the graph declares it. */
        OptionalInt dimensions();

        /** Inputs are truncated to this many tokens (special tokens included); truncations are counted. */
        @WithDefault("256")
        int maxTokens();

        /** Whether vectors are L2-normalised. */
        @WithDefault("true")
        boolean normalize();

        /** Prepended to search queries (e5/bge style, e.g. {@code "query: "}). */
        Optional<String> queryPrefix();

        /** Prepended to documents (e5 style, e.g. {@code "passage: "}). */
        Optional<String> documentPrefix();

        /** The graph output holding token vectors [batch, tokens, dims]; default: the first 3-D float output. */
        Optional<String> output();

        /** The model used when a request names none; exactly one model has it. */
        @WithName("default")
        @WithDefault("false")
        boolean isDefault();

        /** Load the ONNX session at start-up; otherwise on first use (the default model always loads at start). */
        @WithDefault("false")
        boolean eager();
    }

    interface Embedding {
        /** ONNX Runtime intra-op threads per model; 0 means all cores. */
        @WithDefault("0")
        int threads();

        /** Padded tokens (texts x longest text) per batch; texts are sorted by length and cut under this budget. */
        @WithDefault("768")
        int batchTokens();

        /** How long the micro-batcher waits for more single-text requests to join a batch; 0 turns it off. */
        @WithDefault("2ms")
        Duration microBatchWait();

        /**
         * How long a request waits for the model (its turn with a large request, or its text in the micro-batcher)
         * before it answers 503 model-busy.
         */
        @WithDefault("30s")
        Duration maxWait();

        /** Most texts the micro-batcher puts in one batch. */
        @WithDefault("64")
        int microBatchMaxTexts();

        /** Most inputs in one {@code /v1/embeddings} call. */
        @WithDefault("2048")
        int maxInputs();

        /** Longest input text in characters accepted by {@code /v1/embeddings}. */
        @WithDefault("32768")
        int maxTextChars();

        /** ONNX Runtime graph optimisation level: {@code none}, {@code basic}, {@code extended} or {@code all}. */
        @WithDefault("all")
        String optimization();
    }

    interface Events {
        /**
         * Weight of each event type in user vectors and popularity ({@code embedrec.events.weights.<type>}); the
         * types listed here, plus {@code rating}, are the accepted ones.
         */
        Map<String, Double> weights();

        /** A rating equal to this is neutral; higher pulls toward the item, lower pushes away. */
        @WithDefault("3")
        double ratingCentre();

        /** Weight per rating point away from the centre (5 stars with centre 3 and scale 2.5: weight +5). */
        @WithDefault("2.5")
        double ratingScale();

        /** Lowest and highest accepted rating value. */
        @WithDefault("0")
        double ratingMin();

        /** Highest accepted rating value. */
        @WithDefault("10")
        double ratingMax();

        /** How far in the future an event's timestamp may lie (clock skew); later ones are rejected. */
        @WithDefault("5m")
        Duration maxFutureSkew();

        /** Events committed per transaction in a batch. */
        @WithDefault("1000")
        int batchSize();

        /** Half-life of item popularity. */
        @WithDefault("7d")
        Duration popularityHalfLife();
    }

    interface Users {
        /** Decay of old events in user vectors: {@code rank} (by newer events), {@code time} or {@code none}. */
        @WithDefault("rank")
        String decay();

        /** Half-life of rank decay, in events. */
        @WithDefault("3")
        double halfLifeEvents();

        /** Half-life of time decay. */
        @WithDefault("30d")
        Duration halfLife();

        /** Event types that mark an item as seen, so feeds leave it out ({@code exclude_seen=false} keeps them). */
        @WithDefault("view,click,add_to_cart,purchase,like,dislike,skip,rating")
        java.util.List<String> seenTypes();

        /** Users with fewer positive events than this get feeds blended with popular items. */
        @WithDefault("5")
        int warmUpEvents();

        /** Weight of the popularity prior added to every feed score (0 turns it off). */
        @WithDefault("0.05")
        double popularityPrior();

        /** Items at least this similar to a disliked item are left out of all-negative users' popular feeds. */
        @WithDefault("0.6")
        double dislikeRadius();

        /** Candidates fetched per requested item before re-ranking (popularity, diversity). */
        @WithDefault("4")
        int candidateFactor();
    }

    interface Hybrid {
        /**
         * Weight of the item-item score (the trained EASE / item-kNN model: the sum of the user's liked items'
         * weights towards the candidate). Weights apply to calibrated scores (see {@link #calibration()}); the
         * defaults were chosen through the API on a validation split of real data: see the README.
         */
        @WithDefault("1.0")
        double itemsWeight();

        /** Weight of the cosine in the active collaborative space. */
        @WithDefault("0.7")
        double collaborativeWeight();

        /** Weight of the cosine in the active content space. */
        @WithDefault("0.05")
        double contentWeight();

        /** Weight of popularity (relative to the most popular item) in hybrid feeds. */
        @WithDefault("0")
        double popularityWeight();

        /**
         * How each source's scores are made comparable before they are weighted: {@code zscore} (standardised over
         * the candidate pool) or {@code rank} (reciprocal rank fusion).
         */
        @WithDefault("zscore")
        io.embedrec.recommendation.Recommender.Calibration calibration();

        /** At most this share of a feed's k slots goes to new items (no behaviour yet), ranked by content. */
        @WithDefault("0.1")
        double newItemShare();

        /** A new item enters a feed only with at least this content cosine to the user. */
        @WithDefault("0.85")
        double newItemMinSimilarity();
    }

    interface Collaborative {
        /** Dimensions of the learned item vectors (ALS factors). */
        @WithDefault("64")
        int factors();

        /**
         * ALS regularisation λ per interaction: each user's (item's) least-squares system gets λ times that user's
         * (item's) interaction count on its diagonal (ALS-WR, as Spark's ALS), so one value fits data of any size
         * (must be positive); chosen on a validation split of real data (0.03, 0.3 and 1 were worse).
         */
        @WithDefault("0.1")
        double regularization();

        /** Confidence per unit of a user's net event weight on an item: {@code c = 1 + alpha |w|}. */
        @WithDefault("2")
        double alpha();

        /** ALS sweeps (each solves every user, then every item). */
        @WithDefault("15")
        int iterations();

        /** Seed of the initial factors: the same events and seed train the same vectors. */
        @WithDefault("42")
        long seed();

        /** Training threads; 0 means all cores. */
        @WithDefault("0")
        int threads();

        /** Events fetched per round trip while the training job streams them from the database. */
        @WithDefault("10000")
        int fetchSize();

        /**
         * The item-item model trained beside ALS: {@code ease} up to {@link #easeMaxItems()} interacted items,
         * item-kNN above ({@code auto}), or either always.
         */
        @WithDefault("auto")
        io.embedrec.collaborative.ItemNeighbours.Kind itemModel();

        /** EASE's λ as a multiple of the mean number of positive users per interacted item. */
        @WithDefault("3")
        double easeRegularization();

        /** Largest number of interacted items EASE is trained on (its dense inverse is O(n³) time, 16 n² bytes). */
        @WithDefault("10000")
        int easeMaxItems();

        /** Neighbours kept per item by the item-item model. */
        @WithDefault("100")
        int itemNeighbours();
    }

}
