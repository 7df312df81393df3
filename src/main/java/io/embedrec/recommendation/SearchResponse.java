package io.embedrec.recommendation;

import java.util.List;
import java.util.UUID;

/** Answer of a search: items best first, how they were found, and the recommendation id. */
public record SearchResponse(List<Recommended> items, String mode, String space, boolean exhaustive,
                             UUID recommendationId) {
}
