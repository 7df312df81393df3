package io.embedrec.recommendation;

import java.util.List;
import java.util.UUID;

/** A user's feed: items best first, the strategy used, and the id events may quote. */
public record FeedResponse(List<FeedItem> items, String strategy, String space, UUID recommendationId) {
}
