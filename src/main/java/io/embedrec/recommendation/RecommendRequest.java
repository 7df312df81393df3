package io.embedrec.recommendation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Body of {@code POST /v1/recommend}: examples are item ids or {@code {"text": "..."}}; strategy {@code average}
 * (default) or {@code best_score}; {@code exclude} adds to {@code filters.exclude}; {@code space} picks a content
 * space other than the active one (no blending then); {@code weights} (e.g. {@code collaborative:0.7,content:0.3})
 * overrides the hybrid weights used while a collaborative space is active; {@code rules} names a saved rule set
 * ({@code "none"}: no rules) or gives the rules themselves, else the default set applies. Examples are checked by the service, which
 * names the bad one by its index.
 */
public record RecommendRequest(List<JsonNode> positive, List<JsonNode> negative, String strategy, Integer k,
                               Filters filters, List<String> exclude, String space, String weights,
                               JsonNode rules) {
}
