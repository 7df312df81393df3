package io.embedrec.jobs;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed job's error says why when the job knows, and never carries a database's or a library's raw text. */
class JobFailureTest {

    static final Job JOB = new Job(UUID.randomUUID(), "train", Job.State.RUNNING, Map.of(), 0, 0, 0, 0, List.of(),
            null, Optional.empty(), null, null, null);

    @Test
    void aReasonTheJobGivesIsKeptAndAnythingElseIsAnIncident() {
        assertThat(EmbeddingWorker.failure(JOB, new JobFailedException("no interactions to train on")))
                .isEqualTo("no interactions to train on");
        String raw = EmbeddingWorker.failure(JOB, new IllegalStateException(
                "org.postgresql.util.PSQLException: ERROR: relation \"item_vectors_9\" does not exist"));
        assertThat(raw).matches("the job failed unexpectedly; incident [0-9a-f-]{36} is in the service's log");
        assertThat(EmbeddingWorker.failure(JOB, new OutOfMemoryError("Java heap space")))
                .startsWith("the job failed unexpectedly; incident ");
    }
}
