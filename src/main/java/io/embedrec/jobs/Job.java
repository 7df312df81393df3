package io.embedrec.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A long operation as stored: re-embedding, evaluation; rebuilds and training share the shape. {@code result} is
 * what a finished job produced (an evaluation's metrics), empty for jobs whose output is elsewhere.
 */
public record Job(UUID id, String type, State state, Map<String, Object> params, long total, long done, long skipped,
                  long failed, List<Failure> failures, String error, Optional<Map<String, Object>> result,
                  Instant createdAt, Instant startedAt, Instant finishedAt) {

    public enum State {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED;

        public boolean ended() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }
    }

    /** One item that could not be processed, and why. */
    public record Failure(String id, String reason) {
    }
}
