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
    private final FeedRepository feeds;
    private final RuleSets ruleSets;
    private final RuleStage rules;

    SimilarService(ItemRepository items, SpaceService spaces, VectorRepository vectors, NeighbourRepository neighbours,
                   RecommendationLog log, EmbedrecConfig config, FeedRepository feeds, RuleSets ruleSets,
                   RuleStage rules) {
        this.feeds = feeds;
        this.ruleSets = ruleSets;
        this.rules = rules;
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
                                   Optional<String> mode, Optional<String> weightsText, Integer efSearch,
                                   Optional<String> ruleSet, Map<String, List<String>> query) {
        int n = checkK(k, config.recommend().defaultK());
        java.util.OptionalInt ef = efSearch(efSearch);
        RuleSets.Applied applied = ruleSets.named(ruleSet);
        RuleStage.Context context = rules.context(OptionalLong.empty());
        Filters filters = rules.restrict(FilterParser.fromQuery(query), applied, context);
        Space.Kind spaceKind = kind(kind);
        if (kind.isPresent() && spaceName.isPresent()) {
            throw new InvalidInputException("give space= or kind=, not both", List.of(
                    new io.embedrec.common.ProblemException.FieldError("kind", "cannot be combined with space")));
        }
        boolean blend = mode.isPresent() && !mode.get().isBlank();
        if (blend && !"blend".equals(mode.get())) {
            throw new InvalidInputException("mode must be 'blend' or left out (got '" + mode.get() + "')",
                    List.of(new io.embedrec.common.ProblemException.FieldError("mode", "must be 'blend'")));
        }
        if (blend && (spaceName.isPresent() || kind.isPresent())) {
            throw new InvalidInputException("mode=blend combines the active collaborative and content spaces; "
                    + "leave out space= and kind=");
        }
        HybridWeights weights = FeedService.weights(weightsText, HybridWeights.of(config.hybrid()));
        if (blend) {
            Item item = items.findByExternalId(itemId).orElseThrow(() -> new ItemNotFoundException(itemId));
            return blended(item, n, filters, weights, applied, context);
        }
        Space space = spaces.resolve(spaceName, spaceKind);
        NeighbourRepository.OfStored found = neighbours.nearestToStored(space, itemId, filters,
                RuleStage.pool(n, applied), ef);
        if (found.pk().isEmpty()) {
            throw new ItemNotFoundException(itemId);
        }
        if (!found.hasVector()) {
            throw new VectorNotReadyException(space.kind() == Space.Kind.COLLABORATIVE
                    ? "item '" + itemId + "' has no vector in collaborative space '" + space.name() + "': no user "
                    + "had a positive event on it when the space was trained; retrain with POST /v1/jobs/train"
                    : "item '" + itemId + "' has no vector in space '" + space.name()
                    + "' yet; see its vector status with GET /v1/items/" + itemId);
        }
        NeighbourRepository.Result r = found.result();
        List<Recommended> out = rules.apply(r.items(), n, applied, context, filters.withExclude(List.of(itemId)),
                RuleStage.RECOMMENDED);
        UUID id = log.record("similar", space.id(), itemId, out);
        return new SimilarResponse(out, space.name(), r.exhaustive() && out.size() < n, id);
    }

    /**
     * "More like this" through the feeds' pipeline ({@link FeedCandidates}, {@link Recommender}): candidates from the
     * item-item model (what this item's fans go on to like) and from the item's nearest items in both active spaces,
     * calibrated and weighed by the hybrid's weights (popularity plays no part in "more like this"). Without a
     * collaborative space, or for an item nobody has touched, content answers alone.
     */
    private SimilarResponse blended(Item item, int n, Filters filters, HybridWeights w, RuleSets.Applied applied,
                                    RuleStage.Context context) {
        SpaceService.Serving serving = spaces.serving(Optional.empty());
        Space content = serving.content();
        Optional<Space> collab = serving.collaborative().filter(c -> vectors.hasVector(c, item.pk));
        float[] self = vectors.vector(content, item.pk).orElseThrow(() -> new VectorNotReadyException("item '"
                + item.externalId + "' has no vector in space '" + content.name() + "' yet; see its vector status "
                + "with GET /v1/items/" + item.externalId));
        int m = FeedBlend.candidates(n, config.users().candidateFactor());
        Map<String, Recommended> candidates = new java.util.LinkedHashMap<>();
        List<FeedCandidates.Scored> fromItems = List.of();
        List<FeedCandidates.Scored> fromCollab = List.of();
        float[] selfCollab = null;
        if (collab.isPresent()) {
            selfCollab = vectors.vector(collab.get(), item.pk).orElseThrow();
            List<Recommended> model = feeds.itemNeighbours(collab.get(), item.pk, filters, m);
            model.forEach(r -> candidates.putIfAbsent(r.id(), r));
            fromItems = FeedService.scored(model);
            List<Recommended> near = neighbours.nearest(collab.get(), new NeighbourRepository.OfItem(item.pk),
                    OptionalLong.of(item.pk), filters, m).items();
            near.forEach(r -> candidates.putIfAbsent(r.id(), r));
            fromCollab = FeedService.scored(near);
        }
        NeighbourRepository.Result byContent = neighbours.nearest(content, new NeighbourRepository.OfItem(item.pk),
                OptionalLong.of(item.pk), filters, m);
        byContent.items().forEach(r -> candidates.putIfAbsent(r.id(), r));
        Map<String, FeedRepository.Both> both = collab.isPresent()
                ? feeds.vectors(content, collab.get(), new java.util.ArrayList<>(candidates.keySet()))
                : Map.of();
        // content alone when behaviour knows nothing of the item: then its weight must count
        HybridWeights weights = collab.isPresent() ? new HybridWeights(w.items(), w.collaborative(), w.content(), 0)
                : new HybridWeights(0, 0, 1, 0);
        List<Recommender.Ranked> ranked = FeedCandidates.likeExamples(new FeedCandidates.Found(fromItems, fromCollab,
                FeedService.scored(byContent.items()), List.of()), FeedRepository.Both.of(both), self, selfCollab,
                weights, config.hybrid().calibration(), RuleStage.pool(n, applied));
        List<Recommended> out = rules.apply(ranked.stream().map(r -> {
            Recommended c = candidates.get(r.id());
            return new Recommended(r.id(), Math.round(r.score() * 1e6) / 1e6, c.title(), c.categories());
        }).toList(), n, applied, context, filters.withExclude(List.of(item.externalId)), RuleStage.RECOMMENDED);
        String name = content.name() + collab.map(c -> "+" + c.name()).orElse("");
        UUID id = log.record("similar:blend", content.id(), item.externalId, out);
        return new SimilarResponse(out, name, byContent.exhaustive() && out.size() < n, id);
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

    /** Largest {@code ef_search} a request may ask for (pgvector's own limit). */
    static final int MAX_EF_SEARCH = 1000;

    /** A request's {@code ef_search}: how many candidates the HNSW search keeps (recall vs time), 1 to 1000. */
    static java.util.OptionalInt efSearch(Integer efSearch) {
        if (efSearch == null) {
            return java.util.OptionalInt.empty();
        }
        if (efSearch < 1 || efSearch > MAX_EF_SEARCH) {
            throw new InvalidInputException("ef_search must be between 1 and " + MAX_EF_SEARCH + " (got " + efSearch
                    + ")", List.of(new io.embedrec.common.ProblemException.FieldError("ef_search",
                    "must be between 1 and " + MAX_EF_SEARCH)));
        }
        return java.util.OptionalInt.of(efSearch);
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
