package io.embedrec.console;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A saved 2-D projection of a space. {@code vector_count} is how many vectors the space had when it was computed;
 * {@code changed} counts vectors written, added or removed since, and {@code stale} is true once that is more than a
 * fifth of them, when the console offers to recompute.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpaceMap(String space, String method, long vectorCount, Instant createdAt, Long changed, Boolean stale,
                       List<Point> points) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(String id, double x, double y, String category, String title) {
    }
}
