package io.embedrec.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A long operation as stored: re-embedding now; rebuilds, training and evaluation share the shape. */
public record Job(UUID id, String type, State state, Map<String, Object> params, long total, long done, long skipped,
                  long failed, List<Failure> failures, String error, Instant createdAt, Instant startedAt,
                  Instant finishedAt) {

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
