package io.embedrec.recommendation;

import java.util.List;
import java.util.UUID;

/**
 * A user's feed: items best first, the strategy used, the space(s) it came from ({@code content+<collaborative>}
 * for a hybrid feed), and the id events may quote.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record FeedResponse(List<FeedItem> items, String strategy, String space, UUID recommendationId,
                           String experiment, String variant) {
}
