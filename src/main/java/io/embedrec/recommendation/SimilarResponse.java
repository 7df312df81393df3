package io.embedrec.recommendation;

import java.util.List;
import java.util.UUID;

/** Answer of "more like this": neighbours in score order, the space used, and whether fewer than k matched. */
public record SimilarResponse(List<Recommended> items, String space, boolean exhaustive, UUID recommendationId) {
}
