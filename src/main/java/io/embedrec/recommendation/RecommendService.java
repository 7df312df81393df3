package io.embedrec.recommendation;

import com.fasterxml.jackson.databind.JsonNode;
import io.embedrec.catalog.Item;
import io.embedrec.catalog.ItemNotFoundException;
import io.embedrec.catalog.ItemRepository;
import io.embedrec.common.EmbedrecConfig;
import io.embedrec.common.InvalidInputException;
import io.embedrec.common.ProblemException.FieldError;
import io.embedrec.embedding.EmbeddingModels;
import io.embedrec.space.Space;
import io.embedrec.space.SpaceService;
import io.embedrec.space.VectorRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Recommend by example (Qdrant's recommend API): items like the positive examples and unlike the negative ones,
 * where an example is a catalog item or a text. Example items never come back themselves.
 */
@ApplicationScoped
public class RecommendService {

    public static final int MAX_EXAMPLES = 64;
    static final int MAX_TEXT = 2000;

    /** An example as given: an item id, or a text (exactly one is set). */
    private record Example(String itemId, String text) {
    }

    /** An example with its vector and the name shown in reasons. */
    private record Resolved(String itemId, String title, float[] vector) {
    }

    private final ItemRepository items;
    private final SpaceService spaces;
    private final VectorRepository vectors;
    private final NeighbourRepository neighbours;
    private final FeedRepository feeds;
    private final EmbeddingModels models;
    private final RecommendationLog log;
    private final EmbedrecConfig config;
    private final RuleSets ruleSets;
    private final RuleStage rules;

    RecommendService(ItemRepository items, SpaceService spaces, VectorRepository vectors,
                     NeighbourRepository neighbours, FeedRepository feeds, EmbeddingModels models,
                     RecommendationLog log, EmbedrecConfig config, RuleSets ruleSets, RuleStage rules) {
        this.ruleSets = ruleSets;
        this.rules = rules;
        this.items = items;
        this.spaces = spaces;
        this.vectors = vectors;
        this.neighbours = neighbours;
        this.feeds = feeds;
        this.models = models;
        this.log = log;
        this.config = config;
    }

    public RecommendResponse recommend(RecommendRequest request) {
        if (request == null) {
            throw new InvalidInputException("the body is empty; send {\"positive\": [item ids or {\"text\": ...}], "
                    + "\"negative\": [...]}");
        }
        List<JsonNode> pos = request.positive() == null ? List.of() : request.positive();
        List<JsonNode> neg = request.negative() == null ? List.of() : request.negative();
        if (pos.isEmpty() && neg.isEmpty()) {
            throw new InvalidInputException("give at least one positive or negative example",
                    List.of(new FieldError("positive", "give at least one positive or negative example")));
        }
        if (pos.size() + neg.size() > MAX_EXAMPLES) {
            throw new InvalidInputException("at most " + MAX_EXAMPLES + " examples in all (got "
                    + (pos.size() + neg.size()) + ")", List.of(new FieldError("positive",
                    "at most " + MAX_EXAMPLES + " examples in all")));
        }
        List<FieldError> errors = new ArrayList<>();
        List<Example> positives = examples("positive", pos, errors);
        List<Example> negatives = examples("negative", neg, errors);
        String strategy = request.strategy() == null ? "average" : request.strategy();
        if (!strategy.equals("average") && !strategy.equals("best_score")) {
            errors.add(new FieldError("strategy", "must be 'average' or 'best_score' (got '" + strategy + "')"));
        }
        if (!errors.isEmpty()) {
            FieldError first = errors.get(0);
            throw new InvalidInputException(errors.size() == 1 ? first.field() + " " + first.message()
                    : errors.size() + " fields are invalid: see 'errors'", errors);
        }
        int k = SimilarService.checkK(request.k(), config.recommend().defaultK());
        if (request.exclude() != null && request.exclude().contains(null)) {
            throw new InvalidInputException("exclude must list item ids, not null", List.of(new FieldError("exclude",
                    "must not contain null")));
        }
        Filters requested = request.filters() == null ? Filters.NONE : request.filters();
        Filters filters = FilterParser.check(request.exclude() == null ? requested
                : requested.withExclude(request.exclude()));
        HybridWeights weights = FeedService.weights(Optional.ofNullable(request.weights()),
                HybridWeights.of(config.hybrid()));
        SpaceService.Serving serving = spaces.serving(Optional.ofNullable(request.space()));
        Space space = serving.content();
        // text examples are embedded before a database connection is taken for the rest: none waits on the model
        Map<String, float[]> embedded = embedTexts(space, positives, negatives);
        Filters checked = filters;
        RuleSets.Applied applied = ruleSets.fromBody(request.rules());
        return QuarkusTransaction.requiringNew().call(() -> recommendIn(positives, negatives, strategy, k, checked,
                weights, serving, space, embedded, applied));
    }

    private RecommendResponse recommendIn(List<Example> positives, List<Example> negatives, String strategy, int k,
                                          Filters requested, HybridWeights weights, SpaceService.Serving serving,
                                          Space space, Map<String, float[]> embedded, RuleSets.Applied applied) {
        RuleStage.Context context = rules.context(OptionalLong.empty());
        Filters filters = rules.restrict(requested, applied, context);
        // the answer is k; the pipeline ranks more when rules may reorder
        int take = RuleStage.pool(k, applied);
        List<Resolved> p = resolve(space, positives, embedded);
        List<Resolved> n = resolve(space, negatives, embedded);
        filters = filters.withExclude(java.util.stream.Stream.concat(p.stream(), n.stream())
                .map(Resolved::itemId).filter(java.util.Objects::nonNull).distinct().toList());
        List<float[]> pv = p.stream().map(Resolved::vector).toList();
        List<float[]> nv = n.stream().map(Resolved::vector).toList();
        float[] average = ExampleScores.averageQuery(pv, nv);
        if (average == null && strategy.equals("average")) {
            throw new InvalidInputException("the positive and negative examples cancel out: their average has no "
                    + "direction; try strategy 'best_score'");
        }
        // behaviour: the examples' collaborative vectors (text examples and items nobody touched have none)
        Optional<Space> collab = serving.collaborative();
        List<float[]> pc = collab.map(c -> collabVectors(c, p)).orElse(List.of());
        List<float[]> nc = collab.map(c -> collabVectors(c, n)).orElse(List.of());
        float[] collabAverage = pc.isEmpty() ? null : ExampleScores.averageQuery(pc, nc);
        boolean hybrid = collab.isPresent() && collabAverage != null;

        int m = Math.min(SimilarService.MAX_K, Math.max(take, k * config.users().candidateFactor()));
        Map<String, Recommended> candidates = new LinkedHashMap<>();
        List<float[]> queries = new ArrayList<>();
        if (strategy.equals("average")) {
            queries.add(average);
        } else {
            queries.addAll(pv);
            if (average != null) {
                queries.add(average);
            }
        }
        for (float[] q : queries) {
            nearest(space, q, filters, hybrid || strategy.equals("best_score") ? m : take)
                    .forEach(r -> candidates.putIfAbsent(r.id(), r));
        }
        List<Recommended> fromItems = List.of();
        if (hybrid) {
            fromItems = itemModel(collab.get(), p, filters, m);
            fromItems.forEach(r -> candidates.putIfAbsent(r.id(), r));
            nearest(collab.get(), collabAverage, filters, m).forEach(r -> candidates.putIfAbsent(r.id(), r));
        }
        Map<String, Double> score = new HashMap<>();
        List<String> order = new ArrayList<>();
        Map<String, float[]> vs;
        if (!hybrid) {
            vs = feeds.vectors(space, new ArrayList<>(candidates.keySet()));
            ExampleScores.Query query = new ExampleScores.Query(strategy.equals("average"), average, pv, nv);
            vs.forEach((id, v) -> score.put(id, round(query.score(v))));
        } else {
            // the feeds' pipeline: every candidate's score from each source, calibrated and weighed
            List<FeedRepository.Popular> popular = feeds.popular(filters, m);
            popular.forEach(c -> candidates.putIfAbsent(c.item().id(), c.item()));
            Map<String, FeedRepository.Both> both = feeds.vectors(space, collab.get(),
                    new ArrayList<>(candidates.keySet()));
            vs = new HashMap<>();
            both.forEach((id, b) -> {
                if (b.content() != null) {
                    vs.put(id, b.content());
                }
            });
            boolean avg = strategy.equals("average");
            List<Recommender.Ranked> ranked = FeedCandidates.likeExamples(found(FeedService.scored(fromItems), both,
                    new ExampleScores.Query(avg, average, pv, nv), new ExampleScores.Query(avg, collabAverage, pc, nc),
                    FeedService.popularity(popular)), FeedRepository.Both.of(both),
                    average == null ? pv.get(0) : average, collabAverage, weights, config.hybrid().calibration(),
                    take);
            for (Recommender.Ranked r : ranked) {
                score.put(r.id(), round(r.score()));
                order.add(r.id());
            }
        }
        List<String> ids = order;
        if (!hybrid) {
            ids = new ArrayList<>(score.keySet());
            ids.sort(Comparator.comparingDouble((String id) -> score.get(id)).reversed().thenComparing(id -> id));
        }
        List<FeedItem> out = new ArrayList<>(Math.min(take, ids.size()));
        for (String id : ids.subList(0, Math.min(take, ids.size()))) {
            Recommended r = candidates.get(id);
            float[] v = vs.get(id);
            int c = v == null ? -1 : ExampleScores.closest(v, pv);
            List<FeedItem.Because> because = c < 0 ? null : List.of(new FeedItem.Because(p.get(c).itemId(),
                    p.get(c).title(), round(MaximalMarginalRelevance.dot(v, pv.get(c))), null));
            out.add(new FeedItem(id, score.get(id), r.title(), r.categories(),
                    new FeedItem.Reason("similar_to_example", because)));
        }
        out = rules.apply(out, k, applied, context, filters, FeedService.SHAPE);
        UUID id = log.record("recommend:" + strategy, space.id(), subject(positives, negatives),
                out.stream().map(i -> new Recommended(i.id(), i.score(), i.title(), i.categories())).toList());
        return new RecommendResponse(out, strategy, space.name() + (hybrid ? "+" + collab.get().name() : ""), id);
    }

    /** The item-item model's best items for the positive item examples (the sum of their neighbour weights). */
    private List<Recommended> itemModel(Space collab, List<Resolved> positives, Filters filters, int m) {
        Map<String, Recommended> found = new LinkedHashMap<>();
        Map<String, Double> sum = new HashMap<>();
        for (Resolved r : positives) {
            if (r.itemId() == null) {
                continue;
            }
            items.findByExternalId(r.itemId()).ifPresent(i -> feeds.itemNeighbours(collab, i.pk, filters, m)
                    .forEach(n -> {
                        found.putIfAbsent(n.id(), n);
                        sum.merge(n.id(), n.score(), Double::sum);
                    }));
        }
        return found.values().stream().map(n -> new Recommended(n.id(), sum.get(n.id()), n.title(),
                        n.categories()))
                .sorted(Comparator.comparingDouble((Recommended n) -> -n.score()).thenComparing(Recommended::id))
                .limit(m).toList();
    }

    /** The examples' vectors in a collaborative space, for the item examples that have one. */
    private List<float[]> collabVectors(Space collab, List<Resolved> examples) {
        List<float[]> out = new ArrayList<>();
        for (Resolved r : examples) {
            if (r.itemId() != null) {
                items.findByExternalId(r.itemId()).flatMap(i -> vectors.vector(collab, i.pk)).ifPresent(out::add);
            }
        }
        return out;
    }

    private List<Recommended> nearest(Space space, float[] q, Filters filters, int k) {
        return neighbours.nearest(space, new NeighbourRepository.OfVector(q), OptionalLong.empty(), filters, k)
                .items();
    }

    private static List<Example> examples(String field, List<JsonNode> nodes, List<FieldError> errors) {
        List<Example> out = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String at = field + "[" + i + "]";
            if (node != null && node.isTextual() && !node.asText().isBlank()) {
                out.add(new Example(node.asText(), null));
            } else if (node != null && node.isObject() && node.size() == 1 && node.path("text").isTextual()) {
                String text = node.get("text").asText();
                if (text.isBlank()) {
                    errors.add(new FieldError(at + ".text", "must not be blank"));
                } else if (text.length() > MAX_TEXT) {
                    errors.add(new FieldError(at + ".text", "must be at most " + MAX_TEXT + " characters"));
                } else {
                    out.add(new Example(null, text));
                }
            } else {
                errors.add(new FieldError(at, "must be an item id or {\"text\": \"...\"}"));
            }
        }
        return out;
    }

    /** The text examples' query vectors, by text. */
    private Map<String, float[]> embedTexts(Space space, List<Example> positives, List<Example> negatives) {
        Map<String, float[]> out = new HashMap<>();
        for (Example e : java.util.stream.Stream.concat(positives.stream(), negatives.stream()).toList()) {
            if (e.text() != null && !out.containsKey(e.text())) {
                SpaceService.requireContent(space, "text examples, which are embedded, need a content space");
                out.put(e.text(), models.embedQuery(space.model(), e.text()));
            }
        }
        return out;
    }

    private List<Resolved> resolve(Space space, List<Example> examples, Map<String, float[]> embedded) {
        List<Resolved> out = new ArrayList<>(examples.size());
        for (Example e : examples) {
            if (e.text() != null) {
                out.add(new Resolved(null, e.text(), embedded.get(e.text())));
                continue;
            }
            Item item = items.findByExternalId(e.itemId()).orElseThrow(() -> new ItemNotFoundException(e.itemId()));
            float[] v = vectors.vector(space, item.pk).orElseThrow(() -> new VectorNotReadyException("item '"
                    + e.itemId() + "' has no vector in space '" + space.name() + "' yet; see its vector status with "
                    + "GET /v1/items/" + e.itemId()));
            out.add(new Resolved(e.itemId(), item.title, v));
        }
        return out;
    }

    /** What the log records as the request's subject, e.g. {@code +boot-1 +"bedtime story" -esp-2}. */
    private static String subject(List<Example> positives, List<Example> negatives) {
        StringBuilder sb = new StringBuilder();
        positives.forEach(e -> sb.append(sb.isEmpty() ? "" : " ").append('+').append(name(e)));
        negatives.forEach(e -> sb.append(sb.isEmpty() ? "" : " ").append('-').append(name(e)));
        return sb.length() > 1000 ? sb.substring(0, 1000) : sb.toString();
    }

    private static String name(Example e) {
        return e.itemId() != null ? e.itemId() : "\"" + e.text() + "\"";
    }

    private static double round(double d) {
        return Math.round(d * 1e6) / 1e6;
    }

    /**
     * What the sources found for a by-example query on the hybrid path: the item-item model's items and the popular
     * ones as given, and every candidate with a vector scored against the examples in each space.
     */
    static FeedCandidates.Found found(List<FeedCandidates.Scored> items, Map<String, FeedRepository.Both> both,
                                      ExampleScores.Query content, ExampleScores.Query collaborative,
                                      List<FeedCandidates.Scored> popular) {
        List<FeedCandidates.Scored> byContent = new ArrayList<>();
        List<FeedCandidates.Scored> byCollab = new ArrayList<>();
        both.forEach((id, b) -> {
            if (b.content() != null) {
                byContent.add(new FeedCandidates.Scored(id, content.score(b.content())));
            }
            if (b.collaborative() != null) {
                byCollab.add(new FeedCandidates.Scored(id, collaborative.score(b.collaborative())));
            }
        });
        return new FeedCandidates.Found(items, byCollab, byContent, popular);
    }
}
