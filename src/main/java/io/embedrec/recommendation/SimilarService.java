package io.embedrec.recommendation;

import io.embedrec.catalog.Item;
import io.embedrec.catalog.ItemNotFoundException;
import io.embedrec.catalog.ItemRepository;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.embedrec.space.VectorRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** "More like this": the nearest items to an item's own vector, in the active (or a named) space. */
@ApplicationScoped
public class SimilarService {

    public static final int MAX_K = 1000;

    private final ItemRepository items;
    private final SpaceService spaces;
    private final VectorRepository vectors;
    private final NeighbourRepository neighbours;
    private final RecommendationLog log;
    private final EmbedrecConfig config;

    SimilarService(ItemRepository items, SpaceService spaces, VectorRepository vectors, NeighbourRepository neighbours,
                   RecommendationLog log, EmbedrecConfig config) {
        this.items = items;
        this.spaces = spaces;
        this.vectors = vectors;
        this.neighbours = neighbours;
        this.log = log;
        this.config = config;
    }

    @Transactional
    public SimilarResponse similar(String itemId, Integer k, Optional<String> spaceName, Map<String, List<String>> query) {
        int n = checkK(k, config.recommend().defaultK());
        Filters filters = FilterParser.fromQuery(query);
        Item item = items.findByExternalId(itemId).orElseThrow(() -> new ItemNotFoundException(itemId));
        Space space = spaces.resolve(spaceName, Space.Kind.CONTENT);
        if (!vectors.hasVector(space, item.pk)) {
            throw new VectorNotReadyException("item '" + itemId + "' has no vector in space '" + space.name()
                    + "' yet; see its vector status with GET /v1/items/" + itemId);
        }
        NeighbourRepository.Result r = neighbours.nearest(space, new NeighbourRepository.OfItem(item.pk),
                OptionalLong.of(item.pk), filters, n);
        UUID id = log.record("similar", space.id(), itemId, r.items());
        return new SimilarResponse(r.items(), space.name(), r.exhaustive(), id);
    }

    static int checkK(Integer k, int fallback) {
        int n = k == null ? fallback : k;
        if (n < 1 || n > MAX_K) {
            throw new InvalidInputException("k must be between 1 and " + MAX_K + " (got " + n + ")",
                    List.of(new io.embedrec.common.ProblemException.FieldError("k", "must be between 1 and " + MAX_K)));
        }
        return n;
    }
}
