package io.embedrec.console;

import io.embedrec.common.ItemsChanged;
import io.embedrec.common.ItemsDeleting;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;

import java.util.Optional;

/** The reads and the one write (a saved map) the web console needs beyond the rest of the API. */
@ApplicationScoped
public class ConsoleService {

    /** A map is stale once more than this share of the space's vectors changed since it was computed. */
    static final double STALE_SHARE = 0.2;
    static final int MAX_SAMPLE = 20_000;

    static final long FACETS_TTL_NANOS = 60_000_000_000L;

    private final ConsoleRepository repository;
    private final SpaceService spaces;
    private final Object facetsLock = new Object();
    private volatile Cached facets;

    ConsoleService(ConsoleRepository repository, SpaceService spaces) {
        this.repository = repository;
        this.spaces = spaces;
    }

    /**
     * The facets, computed at most once a minute per instance (each computation reads every item) and again after
     * this instance changed the catalog; other instances' changes show within the minute.
     */
    public Facets facets() {
        Cached c = facets;
        if (c != null && System.nanoTime() - c.at() < FACETS_TTL_NANOS) {
            return c.value();
        }
        synchronized (facetsLock) {
            c = facets;
            if (c != null && System.nanoTime() - c.at() < FACETS_TTL_NANOS) {
                return c.value();
            }
            Facets f = new Facets(repository.categories(200), repository.attributes(100));
            facets = new Cached(f, System.nanoTime());
            return f;
        }
    }

    void onItemsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ItemsChanged ev) {
        facets = null;
    }

    void onItemsDeleting(@Observes(during = TransactionPhase.AFTER_SUCCESS) ItemsDeleting ev) {
        facets = null;
    }

    private record Cached(Facets value, long at) {
    }

    public VectorSample sample(Optional<String> space, Integer n) {
        Space s = spaces.resolve(space, Space.Kind.CONTENT);
        int size = n == null ? 5_000 : n;
        if (size < 1 || size > MAX_SAMPLE) {
            throw new io.embedrec.common.InvalidInputException("n must be between 1 and " + MAX_SAMPLE);
        }
        return new VectorSample(s.name(), s.dimensions(), repository.vectorCount(s), repository.sample(s, size));
    }

    public SpaceMap map(String space) {
        Space s = spaces.require(space);
        ConsoleRepository.MapHeader h = repository.header(s).orElseThrow(() -> new MapNotFoundException(
                "space '" + space + "' has no saved map yet; compute one on the console's Map page (needs an admin key)"));
        long now = repository.vectorCount(s);
        long changed = repository.writtenSince(s, h.createdAt()) + Math.max(0, h.vectorCount() - now);
        boolean stale = changed > STALE_SHARE * Math.max(1, h.vectorCount());
        return new SpaceMap(s.name(), h.method(), h.vectorCount(), h.createdAt(), changed, stale, repository.points(s));
    }

    @Transactional
    public SpaceMap save(String space, SpaceMapRequest request) {
        Space s = spaces.require(space);
        int n = request.points().size();
        String[] ids = new String[n];
        Float[] xs = new Float[n];
        Float[] ys = new Float[n];
        for (int i = 0; i < n; i++) {
            SpaceMapRequest.Point p = request.points().get(i);
            if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
                throw new io.embedrec.common.InvalidInputException("points[" + i + "]: x and y must be finite numbers");
            }
            ids[i] = p.id();
            xs[i] = (float) p.x();
            ys[i] = (float) p.y();
        }
        long count = request.vectorCount() != null ? request.vectorCount() : repository.vectorCount(s);
        repository.replace(s, request.method(), count, ids, xs, ys);
        ConsoleRepository.MapHeader h = repository.header(s).orElseThrow();
        return new SpaceMap(s.name(), h.method(), h.vectorCount(), h.createdAt(), 0L, false, repository.points(s));
    }
}
