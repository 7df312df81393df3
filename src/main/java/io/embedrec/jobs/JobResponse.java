package io.embedrec.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** A job as the API shows it, with its rate and an ETA while it runs, and its result (null until it has one). */
public record JobResponse(UUID id, String type, String state, Map<String, Object> params, long total, long done,
                          long skipped, long failed, List<Job.Failure> failures, String error,
                          Double itemsPerSecond, Long etaSeconds, Instant createdAt, Instant startedAt,
                          Instant finishedAt, Map<String, Object> result) {

    static JobResponse of(Job j, Instant now) {
        Double rate = null;
        Long eta = null;
        if (j.startedAt() != null) {
            Instant end = j.finishedAt() != null ? j.finishedAt() : now;
            double seconds = Math.max(0.001, Duration.between(j.startedAt(), end).toMillis() / 1000.0);
            rate = Math.round(j.done() / seconds * 10.0) / 10.0;
            if (!j.state().ended()) {
                long left = Math.max(0, j.total() - j.done() - j.failed());
                eta = rate > 0 ? Math.round(left / rate) : null;
            } else {
                eta = 0L;
            }
        }
        return new JobResponse(j.id(), j.type(), j.state().name().toLowerCase(Locale.ROOT), j.params(), j.total(),
                j.done(), j.skipped(), j.failed(), j.failures(), j.error(), rate, eta, j.createdAt(), j.startedAt(),
                j.finishedAt(), j.result().orElse(null));
    }
}
