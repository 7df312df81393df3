package io.embedrec.recommendation;

import java.util.List;
import java.util.UUID;

/**
 * A user's feed: items best first, the strategy used, the space(s) it came from ({@code content+<collaborative>}
 * for a hybrid feed), and the id events may quote.
 */
public record FeedResponse(List<FeedItem> items, String strategy, String space, UUID recommendationId) {
}
