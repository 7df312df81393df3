package io.embedrec.recommendation;

import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.embedding.EmbeddingModels;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** Search: semantic (query embedding), keyword (full text), or hybrid (both fused by reciprocal rank). */
@ApplicationScoped
public class SearchService {

    /** Candidates each list contributes to a hybrid answer, at least. */
    static final int HYBRID_CANDIDATES = 50;

    private final SpaceService spaces;
    private final NeighbourRepository neighbours;
    private final KeywordRepository keywords;
    private final EmbeddingModels models;
    private final RecommendationLog log;
    private final EmbedrecConfig config;
    private final RuleSets ruleSets;
    private final RuleStage rules;

    SearchService(SpaceService spaces, NeighbourRepository neighbours, KeywordRepository keywords,
                  EmbeddingModels models, RecommendationLog log, EmbedrecConfig config, RuleSets ruleSets,
                  RuleStage rules) {
        this.ruleSets = ruleSets;
        this.rules = rules;
        this.spaces = spaces;
        this.neighbours = neighbours;
        this.keywords = keywords;
        this.models = models;
        this.log = log;
        this.config = config;
    }

    public SearchResponse search(SearchRequest request) {
        if (request == null) {
            throw new InvalidInputException("the body is empty; send {\"query\": \"...\"}");
        }
        int k = SimilarService.checkK(request.k(), config.recommend().defaultK());
        Filters filters = FilterParser.check(request.filters());
        RuleSets.Applied applied = ruleSets.fromBody(request.rules());
        String mode = request.mode() == null ? "hybrid" : request.mode();
        Space space = spaces.resolve(Optional.ofNullable(request.space()), Space.Kind.CONTENT);
        if (!mode.equals("keyword")) {
            SpaceService.requireContent(space, "search, which embeds the query, needs a content space");
        }
        // the query is embedded before a database connection is taken for the rest: none waits on the model
        float[] q = mode.equals("keyword") ? null : models.embedQuery(space.model(), request.query());
        return QuarkusTransaction.requiringNew().call(() -> find(request, mode, space, q, filters, k, applied));
    }

    private SearchResponse find(SearchRequest request, String mode, Space space, float[] q, Filters requested, int k,
                                RuleSets.Applied applied) {
        RuleStage.Context context = rules.context(OptionalLong.empty());
        Filters filters = rules.restrict(requested, applied, context);
        int take = RuleStage.pool(k, applied);
        List<Recommended> items;
        switch (mode) {
            case "keyword" -> items = keywords.search(request.query(), filters, take);
            case "semantic" -> items = semantic(space, q, filters, take, request.efSearch()).items();
            default -> {
                int n = Math.max(take, HYBRID_CANDIDATES);
                NeighbourRepository.Result r = semantic(space, q, filters, n, request.efSearch());
                List<Recommended> kw = keywords.search(request.query(), filters, n);
                items = ReciprocalRankFusion.fuse(List.of(r.items(), kw), take);
            }
        }
        items = rules.apply(items, k, applied, context, filters, RuleStage.RECOMMENDED);
        // fewer than k left after every filter (the semantic path's exact fallback guarantees k when k match)
        boolean exhaustive = items.size() < k;
        UUID id = log.record("search:" + mode, mode.equals("keyword") ? null : space.id(), request.query(), items);
        return new SearchResponse(items, mode, mode.equals("keyword") ? null : space.name(), exhaustive, id);
    }

    private NeighbourRepository.Result semantic(Space space, float[] q, Filters filters, int k, Integer efSearch) {
        return neighbours.nearest(space, new NeighbourRepository.OfVector(q), OptionalLong.empty(), filters, k,
                efSearch == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(efSearch));
    }
}
