package io.embedrec.space;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.Jdbc;
import io.embedrec.common.ProblemException.FieldError;
import io.embedrec.embedding.EmbeddingModel;
import io.embedrec.embedding.EmbeddingModels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Vector spaces: list, create, drop, activate (switch and rollback), and what re-embedding a space queues. */
@ApplicationScoped
public class SpaceService {

    private static final int SCAN_PAGE = 5000;

    private final SpaceRepository spaces;
    private final VectorRepository vectors;
    private final EmbeddingModels models;
    private final EmbedrecConfig config;
    private final Jdbc jdbc;
    private final Event<WorkQueued> workQueued;
    private final BuildQueue builds;

    SpaceService(SpaceRepository spaces, VectorRepository vectors, EmbeddingModels models, EmbedrecConfig config,
                 Jdbc jdbc, Event<WorkQueued> workQueued, BuildQueue builds) {
        this.builds = builds;
        this.spaces = spaces;
        this.vectors = vectors;
        this.models = models;
        this.config = config;
        this.jdbc = jdbc;
        this.workQueued = workQueued;
    }

    public List<SpaceResponse> list() {
        return spaces.all().stream().map(s -> SpaceResponse.of(s, vectors.counts(s), null)).toList();
    }

    public SpaceResponse describe(String name) {
        Space s = require(name);
        return SpaceResponse.of(s, vectors.counts(s), null);
    }

    /** An item's vector state in every space (absent where it has neither a vector nor a queued request). */
    public List<VectorRepository.ItemVectorState> vectorStates(long itemPk) {
        return vectors.states(itemPk, spaces.all());
    }

    public Space require(String name) {
        return spaces.byName(name).orElseThrow(() -> new SpaceNotFoundException("no space named '" + name + "'"));
    }

    /** The active space of a kind, or the named one, as serving sees them (no database round trip). */
    public Space resolve(Optional<String> name, Space.Kind kind) {
        List<Space> all = spaces.current();
        if (name.isPresent() && !name.get().isBlank()) {
            return all.stream().filter(s -> s.name().equals(name.get())).findFirst()
                    .orElseThrow(() -> new SpaceNotFoundException("no space named '" + name.get() + "'"));
        }
        return all.stream().filter(s -> s.active() && s.kind() == kind).findFirst()
                .orElseThrow(() -> new SpaceNotFoundException("no active "
                + SpaceRepository.wire(kind) + " space; " + (kind == Space.Kind.COLLABORATIVE
                ? "train one with POST /v1/jobs/train" : "create one with POST /v1/spaces and activate it")));
    }

    /** The spaces a feed reads: a content space, and the active collaborative one when there is one. */
    public record Serving(Space content, Optional<Space> collaborative) {
    }

    /** The named space alone, or the active content space with the active collaborative space, if any. */
    public Serving serving(Optional<String> name) {
        if (name.isPresent() && !name.get().isBlank()) {
            return new Serving(resolve(name, Space.Kind.CONTENT), Optional.empty());
        }
        List<Space> all = spaces.current();
        Space content = all.stream().filter(s -> s.active() && s.kind() == Space.Kind.CONTENT).findFirst()
                .orElseThrow(() -> new SpaceNotFoundException("no active content space; create one with "
                        + "POST /v1/spaces and activate it"));
        return new Serving(content, all.stream().filter(s -> s.active() && s.kind() == Space.Kind.COLLABORATIVE)
                .findFirst());
    }

    /** Every content space (active, building or kept for rollback). */
    public List<Space> contentSpaces() {
        return spaces.all().stream().filter(s -> s.kind() == Space.Kind.CONTENT).toList();
    }

    /**
     * Every space user vectors are kept in: content and collaborative alike (active, building or kept for rollback,
     * so a rollback serves current user vectors too).
     */
    public List<Space> userVectorSpaces() {
        return spaces.all();
    }

    /**
     * The space itself when it is a content space; for a collaborative one, a 400 ending in {@code consequence}
     * (e.g. "search, which embeds the query, needs a content space").
     */
    public static Space requireContent(Space space, String consequence) {
        if (space.kind() != Space.Kind.CONTENT) {
            throw new NotAContentSpaceException("space '" + space.name() + "' is " + SpaceRepository.wire(space.kind())
                    + ": its vectors are learned from events, not embedded from text, so " + consequence);
        }
        return space;
    }

    /** Whether a space of this name exists. */
    public boolean exists(String name) {
        return spaces.byName(name).isPresent();
    }

    /**
     * Creates an empty collaborative space (not active, no index yet) for trained vectors of {@code dimensions},
     * recording how they were trained.
     *
     * @throws SpaceConflictException when the name is taken
     */
    @Transactional
    public Space createTrained(String name, int dimensions, String algorithm, Map<String, Object> training) {
        if (spaces.byName(name).isPresent()) {
            throw new SpaceConflictException("a space named '" + name + "' exists already");
        }
        return spaces.create(name, Space.Kind.COLLABORATIVE, algorithm, dimensions, new TextRecipe(List.of()),
                Space.Storage.VECTOR, defaultIndex(), training);
    }

    /** Writes a trained space's vectors (one transaction; the space is not served until activated). */
    @Transactional
    public void writeTrained(Space space, long[] itemPks, float[] flat) {
        vectors.writeTrained(space, itemPks, flat);
    }

    /** Drops a space that never became active (a cancelled or failed training), whatever its state. */
    @Transactional
    public void dropUnfinished(int spaceId) {
        spaces.byId(spaceId).filter(s -> !s.active()).ifPresent(spaces::drop);
    }

    public Optional<Space> byId(int id) {
        return spaces.byId(id);
    }

    /**
     * Creates a content space (its vector table, no index yet: vectors load faster without one) and queues the job
     * that builds it, in one transaction.
     */
    @Transactional
    public SpaceResponse create(SpaceRequest request) {
        if (request == null) {
            throw new InvalidInputException("the body is empty; send {\"name\": ..., \"model\": ...}");
        }
        List<FieldError> errors = new ArrayList<>();
        Space.Kind kind = parse(Space.Kind.class, request.kind(), Space.Kind.CONTENT, "kind", errors);
        Space.Storage storage = parse(Space.Storage.class, request.storage(), Space.Storage.VECTOR, "storage", errors);
        if (kind == Space.Kind.COLLABORATIVE) {
            errors.add(new FieldError("kind", "collaborative spaces are trained, not created directly: "
                    + "POST /v1/jobs/train"));
        }
        TextRecipe recipe = request.recipe() == null ? TextRecipe.DEFAULT : new TextRecipe(request.recipe());
        String recipeProblem = recipe.problem();
        if (recipeProblem != null) {
            errors.add(new FieldError("recipe", recipeProblem));
        }
        Space.Index index = request.index() == null ? defaultIndex() : new Space.Index(
                request.index().m() == null ? config.spaces().hnswM() : request.index().m(),
                request.index().efConstruction() == null ? Math.max(config.spaces().hnswEfConstruction(),
                        2 * (request.index().m() == null ? config.spaces().hnswM() : request.index().m()))
                        : request.index().efConstruction());
        String indexProblem = index.problem();
        if (indexProblem != null) {
            errors.add(new FieldError("index", indexProblem));
        }
        String modelName = request.model() == null ? models.defaultModel().info().name() : request.model();
        Optional<EmbeddingModel> model = models.get(modelName);
        if (model.isEmpty()) {
            errors.add(new FieldError("model", "unknown model '" + modelName + "'; known: " + models.names()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.size() == 1 ? "'" + errors.get(0).field() + "': "
                    + errors.get(0).message() : errors.size() + " fields are invalid: see 'errors'", errors);
        }
        if (spaces.byName(request.name()).isPresent()) {
            throw new SpaceConflictException("a space named '" + request.name() + "' exists already");
        }
        Space space = spaces.create(request.name(), kind, modelName, model.get().info().dimensions(), recipe,
                storage, index);
        UUID job = builds.queueBuild(space, "all");
        return SpaceResponse.of(space, vectors.counts(space), job);
    }

    /** Drops an inactive space and its vectors. */
    @Transactional
    public void delete(String name) {
        Space s = require(name);
        if (s.active()) {
            throw new SpaceConflictException("space '" + name + "' is active; activate another space of kind '"
                    + SpaceRepository.wire(s.kind()) + "' first");
        }
        spaces.drop(s);
    }

    /** Switches serving to this space atomically; the previous one stays for rollback until dropped. */
    @Transactional
    public SpaceResponse activate(String name) {
        Space s = require(name);
        if (s.status() != Space.Status.READY) {
            throw new SpaceConflictException("space '" + name + "' is still building (" + vectors.queued(s)
                    + " items queued); activate it when its build job is done");
        }
        spaces.activate(s);
        Space now = spaces.byId(s.id()).orElseThrow();
        return SpaceResponse.of(now, vectors.counts(now), null);
    }

    /**
     * Queues what a re-embed of {@code scope} needs, for {@code jobId}, in the caller's transaction:
     * {@code all} queues every item; {@code stale} queues items whose text changed since their vector was made, plus
     * the pending and failed ones.
     *
     * @return {total queued, skipped (already current)}
     */
    public long[] queueReembed(Space space, String scope, UUID jobId) {
        long items = jdbc.queryLong("SELECT count(*) FROM items", ps -> { });
        long total;
        if ("all".equals(scope)) {
            total = vectors.enqueueAll(space, jobId);
        } else {
            vectors.adoptQueued(space, jobId);
            long after = 0;
            while (true) {
                long from = after;
                List<Object[]> page = jdbc.query("SELECT pk, title, description, categories, attributes::text "
                        + "FROM items WHERE pk > ? ORDER BY pk LIMIT ?", ps -> {
                            ps.setLong(1, from);
                            ps.setInt(2, SCAN_PAGE);
                        }, rs -> new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getArray(4).getArray(), rs.getString(5)});
                if (page.isEmpty()) {
                    break;
                }
                long[] pks = new long[page.size()];
                byte[][] hashes = new byte[page.size()][];
                for (int k = 0; k < page.size(); k++) {
                    Object[] r = page.get(k);
                    pks[k] = (Long) r[0];
                    hashes[k] = TextRecipe.hash(space.recipe().render((String) r[1], (String) r[2],
                            List.of((String[]) r[3]), attributes((String) r[4])));
                }
                vectors.enqueueChanged(space, pks, hashes, jobId);
                after = pks[pks.length - 1];
            }
            total = vectors.queuedForJob(jobId);
        }
        workQueued.fire(new WorkQueued());
        return new long[]{total, Math.max(0, items - total)};
    }

    /** After a build finished: index the vectors and mark the space ready (once, whichever instance gets here). */
    public void finishBuild(int spaceId) {
        QuarkusTransaction.requiringNew().timeout(3600).run(() -> spaces.byId(spaceId)
                .filter(s -> s.status() == Space.Status.BUILDING)
                .ifPresent(s -> {
                    jdbc.execute("SELECT pg_advisory_xact_lock(" + (1_000_000L + spaceId) + ")");
                    spaces.byId(spaceId).filter(again -> again.status() == Space.Status.BUILDING).ifPresent(again ->
                            spaces.buildIndexAndMarkReady(again, buildMemory()));
                }));
    }

    /**
     * At first start: a content space with the default model, indexed (empty or not) and active, so items get
     * vectors as they arrive.
     *
     * @return the new space, or empty when a content space existed
     */
    public Optional<Space> ensureDefaultSpace() {
        return QuarkusTransaction.requiringNew().call(() -> {
            jdbc.execute("SELECT pg_advisory_xact_lock(1000000)");
            if (spaces.all().stream().anyMatch(s -> s.kind() == Space.Kind.CONTENT)) {
                return Optional.<Space>empty();
            }
            EmbeddingModel model = models.defaultModel();
            Space s = spaces.create(config.spaces().defaultName(), Space.Kind.CONTENT, model.info().name(),
                    model.info().dimensions(), TextRecipe.DEFAULT, Space.Storage.VECTOR, defaultIndex());
            spaces.buildIndexAndMarkReady(s, buildMemory());
            spaces.activate(s);
            return Optional.of(spaces.byId(s.id()).orElseThrow());
        });
    }

    private Space.Index defaultIndex() {
        return new Space.Index(config.spaces().hnswM(), config.spaces().hnswEfConstruction());
    }

    /** The build memory as PostgreSQL reads it, in whole megabytes. */
    private String buildMemory() {
        return Math.max(64, config.spaces().indexBuildMemory().asLongValue() >> 20) + "MB";
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback, String field,
                                              List<FieldError> errors) {
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT));
            }
            errors.add(new FieldError(field, "'" + value + "' is not one of " + allowed));
            return fallback;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable attributes", e);
        }
    }
}
