package io.embedrec.jobs;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Every job type goes through one mechanism: a JobHandler each, run start to end under a lease or from a queue. */
@QuarkusTest
class JobHandlersTest {

    @Inject
    @Any
    Instance<JobHandler> handlers;

    @Test
    void everyJobTypeHasItsHandler() {
        Map<String, JobHandler.Mode> modes = new TreeMap<>();
        handlers.forEach(h -> modes.put(h.type(), h.mode()));
        assertThat(modes).containsExactly(Map.entry("evaluation", JobHandler.Mode.RUN),
                Map.entry("rebuild-users", JobHandler.Mode.QUEUE), Map.entry("reembed", JobHandler.Mode.QUEUE),
                Map.entry("train", JobHandler.Mode.RUN));
    }
}
