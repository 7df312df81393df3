package io.embedrec.recommendation;

import java.util.List;
import java.util.UUID;

/** Answer of recommend-by-example: items best first, each with the positive example it is closest to. */
public record RecommendResponse(List<FeedItem> items, String strategy, String space, UUID recommendationId) {
}
