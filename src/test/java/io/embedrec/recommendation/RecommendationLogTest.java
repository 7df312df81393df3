package io.embedrec.recommendation;

import io.embedrec.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log keeps answers for the retention (30 days by default) and no longer; answers are written off the request
 * path, within the flush interval, and a flush (as at shutdown) writes every queued one.
 */
@QuarkusTest
class RecommendationLogTest {

    @Inject
    RecommendationLog log;

    @Test
    void pruningDeletesOnlyRowsOlderThanTheRetention() {
        TestDb.exec("DELETE FROM recommendations",
                "INSERT INTO recommendations (id, strategy, subject, item_ids, created_at) "
                        + "SELECT gen_random_uuid(), 'feed:test', 'old-' || g, '{a}', now() - interval '31 days' "
                        + "FROM generate_series(1, 25000) g",
                "INSERT INTO recommendations (id, strategy, subject, item_ids, created_at) "
                        + "SELECT gen_random_uuid(), 'feed:test', 'new-' || g, '{a}', now() - interval '29 days' "
                        + "FROM generate_series(1, 7) g");
        // more than two batches of old rows
        assertThat(log.prune()).isEqualTo(25000);
        assertThat(TestDb.count("SELECT count(*) FROM recommendations")).isEqualTo(7);
        assertThat(TestDb.count("SELECT count(*) FROM recommendations WHERE subject LIKE 'new-%'")).isEqualTo(7);
        assertThat(log.prune()).isZero();
    }

    @Test
    void answersAreWrittenWithinTheFlushIntervalWithTheTimeOfTheAnswer() throws InterruptedException {
        TestDb.exec("DELETE FROM recommendations");
        Instant before = Instant.now();
        UUID id = log.record("similar", null, "item-x", List.of(new Recommended("a", 0.5, "A", List.of()),
                new Recommended("b", 0.4, "B", List.of())));
        // the default interval is 200 ms; the bound checked here is generous for a loaded 2-core machine
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (TestDb.count("SELECT count(*) FROM recommendations") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(TestDb.text("SELECT strategy || ' ' || subject || ' ' || array_to_string(item_ids, ',') "
                + "FROM recommendations WHERE id = '" + id + "'")).isEqualTo("similar item-x a,b");
        assertThat(TestDb.count("SELECT count(*) FROM recommendations WHERE created_at BETWEEN '" + before
                + "'::timestamptz - interval '1 millisecond' AND '" + before + "'::timestamptz + interval '5 seconds'"))
                .isEqualTo(1);
    }

    @Test
    void aFlushWritesEveryQueuedAnswer() {
        TestDb.exec("DELETE FROM recommendations");
        for (int i = 0; i < 2500; i++) {
            log.record("feed:test", null, "u-" + i, List.of(new Recommended("a", 1, "A", List.of())));
        }
        log.flush();
        assertThat(TestDb.count("SELECT count(*) FROM recommendations WHERE strategy = 'feed:test'"))
                .isEqualTo(2500);
    }
}
