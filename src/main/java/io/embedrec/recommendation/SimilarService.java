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

    /**
     * Neighbours in the named space, else in the active space of {@code kind} ({@code content} unless given;
     * {@code collaborative}: "people who liked this also liked").
     */
    @Transactional
    public SimilarResponse similar(String itemId, Integer k, Optional<String> spaceName, Optional<String> kind,
                                   Map<String, List<String>> query) {
        int n = checkK(k, config.recommend().defaultK());
        Filters filters = FilterParser.fromQuery(query);
        Space.Kind spaceKind = kind(kind);
        if (kind.isPresent() && spaceName.isPresent()) {
            throw new InvalidInputException("give space= or kind=, not both", List.of(
                    new io.embedrec.common.ProblemException.FieldError("kind", "cannot be combined with space")));
        }
        Item item = items.findByExternalId(itemId).orElseThrow(() -> new ItemNotFoundException(itemId));
        Space space = spaces.resolve(spaceName, spaceKind);
        if (!vectors.hasVector(space, item.pk)) {
            throw new VectorNotReadyException(space.kind() == Space.Kind.COLLABORATIVE
                    ? "item '" + itemId + "' has no vector in collaborative space '" + space.name() + "': no user "
                    + "had a positive event on it when the space was trained; retrain with POST /v1/jobs/train"
                    : "item '" + itemId + "' has no vector in space '" + space.name()
                    + "' yet; see its vector status with GET /v1/items/" + itemId);
        }
        NeighbourRepository.Result r = neighbours.nearest(space, new NeighbourRepository.OfItem(item.pk),
                OptionalLong.of(item.pk), filters, n);
        UUID id = log.record("similar", space.id(), itemId, r.items());
        return new SimilarResponse(r.items(), space.name(), r.exhaustive(), id);
    }

    private static Space.Kind kind(Optional<String> kind) {
        if (kind.isEmpty()) {
            return Space.Kind.CONTENT;
        }
        return switch (kind.get()) {
            case "content" -> Space.Kind.CONTENT;
            case "collaborative" -> Space.Kind.COLLABORATIVE;
            default -> throw new InvalidInputException("kind must be 'content' or 'collaborative' (got '"
                    + kind.get() + "')", List.of(new io.embedrec.common.ProblemException.FieldError("kind",
                    "must be 'content' or 'collaborative'")));
        };
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
